"""Sentence ranking and extract selection behind the offline engine's key points."""

from __future__ import annotations

from summarizer.engines.offline import (
    KEY_POINT_BUDGET_CHARS,
    extract,
    lead_weighted,
    select_diverse,
    select_from_lead,
)
from summarizer.text import prepare
from summarizer.text.analysis.rank import rank_sentences, units

TOPIC = "新能源汽车产业链加快发展。"
SENTENCES = [
    "今天天气晴朗。",
    "新能源汽车产业链加快发展,新能源汽车出口增长。",
    "新能源汽车企业加快创新,新能源汽车产业链更完整。",
    "新能源汽车产业链带动就业。",
    "会后大家合影留念。",
]


def test_central_sentences_outrank_unrelated_ones() -> None:
    scores = rank_sentences(SENTENCES, chinese=True, lead_bias=0.0)
    central = {1, 2, 3}
    assert min(scores[i] for i in central) > max(scores[0], scores[4])


def test_lead_bias_favours_earlier_sentences_among_equals() -> None:
    same = [TOPIC, TOPIC, TOPIC]
    plain = rank_sentences(same, chinese=True, lead_bias=0.0)
    biased = rank_sentences(same, chinese=True, lead_bias=1.0)
    assert plain[0] == plain[2]
    assert biased[0] > biased[1] > biased[2]


def test_english_ranks_by_words() -> None:
    sentences = [
        "The weather was fine.",
        "Electric vehicle exports grew as electric vehicle makers expanded.",
        "Electric vehicle makers hired more workers for exports.",
    ]
    scores = rank_sentences(sentences, chinese=False, lead_bias=0.0)
    assert scores[0] < min(scores[1], scores[2])


def test_empty_and_single_inputs() -> None:
    assert rank_sentences([], chinese=True) == []
    assert len(rank_sentences(["只有一句。"], chinese=True)) == 1


def test_budget_extract_fits_and_keeps_article_order() -> None:
    document = prepare("".join(SENTENCES))
    chosen = extract(document, budget_chars=40, position_weight=0.0)
    total = sum(len(span.text) for span in chosen.sentences)
    assert total <= 40
    starts = [span.start for span in chosen.sentences]
    assert starts == sorted(starts)
    assert all(document.text[s.start : s.end] == s.text for s in chosen.sentences)
    assert "今天天气晴朗。" not in [span.text for span in chosen.sentences]


def test_budget_extract_always_gives_one_sentence() -> None:
    document = prepare("".join(SENTENCES))
    assert len(extract(document, budget_chars=1).sentences) == 1


def test_limit_overrides_the_count() -> None:
    document = prepare("".join(SENTENCES))
    assert len(extract(document, limit=2).sentences) == 2


def test_selection_skips_a_sentence_that_repeats_a_chosen_one() -> None:
    repeated = "新能源汽车产业链加快发展,新能源汽车出口增长。"
    again = repeated.replace("。", "！")
    sentences = [repeated, again, "会后大家合影留念。", "明年将继续扩大投资。"]
    unit_sets = [units(sentence, chinese=True) for sentence in sentences]
    chosen = select_diverse([1.0, 0.99, 0.2, 0.1], unit_sets, [0, 1, 2, 3], count=2)
    assert chosen == [0, 2]


def test_redundancy_outweighs_a_small_score_lead() -> None:
    # the second sentence overlaps the first heavily; a less central but new one wins
    sentences = [
        "新能源汽车产业链加快发展,带动就业。",
        "新能源汽车产业链加快发展,出口增长。",
        "港口货运量创下新高。",
    ]
    unit_sets = [units(sentence, chinese=True) for sentence in sentences]
    chosen = select_diverse([1.0, 0.9, 0.7], unit_sets, [0, 1, 2], count=2)
    assert chosen == [0, 2]


def test_no_key_point_repeats_another_or_the_title() -> None:
    body = "港口货运量创新高。港口货运量创新高。港口货运量创新高！" + "".join(SENTENCES) * 3
    document = prepare("港口货运量创新高\n" + body + "\n" + "".join(SENTENCES[::-1]))
    chosen = extract(document)
    assert chosen.title is not None and chosen.title.text == "港口货运量创新高"
    texts = [span.text for span in chosen.sentences]
    assert len(set(texts)) == len(texts)
    assert not any(text.startswith("港口货运量创新高") for text in texts)


def test_short_articles_get_one_key_point_long_ones_fill_the_budget() -> None:
    short = prepare("".join(SENTENCES))
    assert len(short.text) <= 300
    assert len(extract(short).sentences) == 1
    long_text = "".join(SENTENCES) * 6
    chosen = extract(prepare(long_text)).sentences
    assert len(chosen) > 1 and sum(len(s.text) for s in chosen) <= KEY_POINT_BUDGET_CHARS


def test_lead_kept_unless_a_later_sentence_is_clearly_more_central() -> None:
    lengths = [20, 20, 20, 20]
    unit_sets = [{"a"}, {"b"}, {"c"}, {"d"}]
    # the lead fills the budget; sentence 3 is only 1.5x as central as the weakest: no swap
    assert select_from_lead([0.6, 0.4, 0.5, 0.6], lengths, unit_sets, [0, 1, 2, 3], 40) == [0, 1]
    # 3x as central: it replaces the weakest lead sentence, and order stays the article's
    assert select_from_lead([0.6, 0.2, 0.5, 0.6], lengths, unit_sets, [0, 1, 2, 3], 40) == [0, 3]
    # budget 0 still gives one sentence
    assert select_from_lead([0.6, 0.5, 0.5, 0.5], lengths, unit_sets, [0, 1, 2, 3], 0) == [0]


def test_swap_never_brings_in_a_repeat_or_a_duplicate_of_the_lead() -> None:
    lengths = [20, 20, 20]
    unit_sets = [{"a", "b"}, {"a", "b"}, {"c", "d"}]
    # sentence 1 repeats the lead: passed over while filling; sentence 2 is taken instead
    assert select_from_lead([1.0, 0.9, 0.1], lengths, unit_sets, [0, 1, 2], 40) == [0, 2]
    # a highly central sentence that repeats a kept one is not swapped in
    assert select_from_lead([1.0, 5.0, 0.1], lengths, unit_sets, [0, 2, 1], 40) == [0, 2]


def test_lead_weighted_discounts_centrality_by_position() -> None:
    assert lead_weighted([1.0, 1.0, 1.0, 1.0]) == [1.0, 1 / 2**0.5, 1 / 3**0.5, 0.5]
    assert lead_weighted([0.2, 0.8], exponent=0.0) == [0.2, 0.8]


def test_a_late_sentence_merely_twice_as_central_does_not_replace_a_lead_sentence() -> None:
    # The third lead sentence is moderately central; the article's background, repeated at the
    # end, is about 2.5 times as central. Without the position discount the lead lost its third
    # sentence to sentence 10; news is lead-heavy, so the lead now stays.
    lead = [
        "南通港今年货物吞吐量突破3亿吨，创下历史新高，港口集团在年终总结会上公布了这一数字。",
        "港口集团负责人说，吞吐量的增长主要来自集装箱业务，全年集装箱运量增长了百分之十二。",
        "今年以来，全市外贸进出口总额也在稳步增长，沿江企业的订单普遍比去年同期多，"
        "码头装卸作业排得很满。",
    ]
    colour = [
        "记者在现场看到，一艘艘货轮正在江面上排队等候靠泊。",
        "一位老船员回忆说，三十年前这里还只是一片滩涂。",
        "夜幕降临后，岸边的灯光映照着繁忙的长江航道。",
        "专家认为，长三角一体化为沿江城市带来了新的机遇。",
        "当地居民对港口的变化感受颇深，生活也越来越便利。",
        "附近的物流园区里，卡车司机们忙着装卸来自各地的货物。",
    ]
    background = [
        "集装箱码头装卸效率提升，集装箱码头吞吐能力提升。",
        "港口集团扩建集装箱码头，集装箱码头装卸效率提升。",
        "集装箱码头吞吐能力提升，港口集团扩建集装箱码头。",
    ]
    body = [*lead, *colour, *background]
    document = prepare("南通港吞吐量创新高\n" + "".join(body))
    texts = [span.text for span in extract(document).sentences]
    assert texts == lead
    centrality = rank_sentences(body, True, lead_bias=0.0)
    assert 2 < centrality[10] / centrality[2] < 2 * (11 / 3) ** 0.5  # the case described above
