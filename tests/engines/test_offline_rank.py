"""Sentence ranking and extract selection behind the offline engine's key points."""

from __future__ import annotations

from summarizer.engines.offline import extract
from summarizer.text import prepare
from summarizer.text.analysis.rank import rank_sentences

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
    chosen = extract(document, budget_chars=40)
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
