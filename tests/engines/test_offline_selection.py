"""Which sentences become offline key points: procedure, datelines, captions, repeats."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.engines.offline import (
    OfflineEngine,
    extract,
    is_editor_note,
    is_procedural,
    trim_dateline,
)
from summarizer.text import analyze, prepare
from summarizer.text.document import Span

SEED = Path(__file__).resolve().parents[2] / "examples" / "tongzhou_2025-12-13_scraped.txt"
#: Sentences of substance that a meeting report goes on with (each distinct, none procedural).
SUBSTANCE = [
    "会议指出，今年全区地区生产总值预计增长百分之六，工业投资增长百分之十二。",
    "会议要求，加快推进八条重点产业链建设，做好明年重大项目储备。",
    "会议强调，要持续优化营商环境，支持民营企业发展壮大。",
    "全区新增高新技术企业一百二十家，研发投入占比提高到百分之三。",
    "南通新机场和北沿江高铁建设加快推进，交通条件明显改善。",
    "城乡居民收入稳步增长，新增城镇就业一万二千人。",
    "生态环境持续改善，空气质量优良天数比例达到百分之八十五。",
    "明年将实施一批民生实事项目，涵盖教育、医疗、养老等领域。",
    "农村人居环境整治三年行动完成，改造农村公路二百公里。",
    "全区新建改扩建中小学校十所，新增学位八千个。",
    "社区养老服务中心实现镇街全覆盖，新增养老床位六百张。",
]


@pytest.mark.parametrize(
    "sentence",
    [
        "市委常委、区委书记张建华主持会议并讲话。",
        "区委副书记、区长吴瑕参加会议并讲话。",
        "省领导张三、李四出席。",
        "习近平出席会议并发表重要讲话。",
        "王五致辞。",
        "张三出席第十届进博会开幕式并致辞。",
        "会上，市长李四讲话。",
        "区领导王一，市发改委主任赵二等参加活动。",
        "The mayor chaired the meeting.",
        "Vice Premier Li attended the ceremony and delivered a speech.",
    ],
)
def test_who_chaired_attended_or_spoke_is_procedural(sentence: str) -> None:
    assert is_procedural(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "王明没有出席上周在上海召开的会议。",  # someone stayed away: news
        "区委召开会议，张三主持。",  # says what was held
        "张三主持召开常务会议，研究部署防汛工作。",
        "张建华在讲话中指出，要抓好落实。",  # what was said
        "李强出席并讲话，强调要稳增长。",
        "张三表示，将出席会议。",
        "The council approved the budget at the meeting.",
    ],
)
def test_a_sentence_of_substance_is_not_procedural(sentence: str) -> None:
    assert not is_procedural(sentence)


def test_procedural_sentences_rank_below_substance() -> None:
    text = (
        "区委全会召开\n"
        "12月13日，区委召开全体会议，总结今年工作，部署明年任务。"
        "市委常委、区委书记张建华主持会议并讲话。"
        "区委副书记、区长吴瑕参加会议并讲话。" + "".join(SUBSTANCE)
    )
    assert len(text) > 300  # a long article: more than one key point
    chosen = [span.text for span in extract(prepare(text)).sentences]
    assert chosen[0].startswith("12月13日，区委召开全体会议")
    assert len(chosen) >= 2
    assert not any(is_procedural(sentence) for sentence in chosen)
    assert chosen[1] == SUBSTANCE[0]


def test_an_article_of_procedure_only_still_has_a_key_point() -> None:
    text = "市长李四出席活动并致辞。" * 2 + "副市长王五参加活动。区领导赵六陪同调研。"
    chosen = extract(prepare(text)).sentences
    assert len(chosen) >= 1


async def test_seed_key_points_name_no_one_who_merely_chaired() -> None:
    document = prepare(SEED.read_text("utf-8"))
    summary = await OfflineEngine().summarize(document, analyze(document))
    evidence = [point.evidence for point in summary.key_points]
    assert len(evidence) >= 3
    assert evidence[1].startswith("12月13日,区委召开务虚会暨调研成果交流会")
    assert not any("主持会议" in point or is_procedural(point) for point in evidence)
    assert len(set(evidence)) == len(evidence)


def test_dash_dateline_is_trimmed_from_the_first_sentence_only() -> None:
    text = "香港——政治反对派已被镇压，言论自由遭到扼杀。"
    first = trim_dateline(Span(7, 7 + len(text), text), first=True)
    assert first.text == "政治反对派已被镇压，言论自由遭到扼杀。"
    assert first.start == 7 + len("香港——")
    assert trim_dateline(Span(7, 7 + len(text), text)).text == text  # later: an aside, kept
    aside = "蚂蚁集团——中国最大的金融科技公司——周一宣布整改。"
    assert trim_dateline(Span(0, len(aside), aside), first=True).text == aside
    english = "BEIJING — China reported growth of 18.3 percent on Friday."
    assert trim_dateline(Span(0, len(english), english), first=True).text.startswith("China")


def test_dash_dateline_never_reaches_a_key_point() -> None:
    text = "印度尼西亚雅加达——印度尼西亚周一召见了中国驻印尼大使。" + "".join(SUBSTANCE)
    document = prepare(text)
    chosen = extract(document).sentences
    assert chosen[0].text == "印度尼西亚周一召见了中国驻印尼大使。"
    assert document.text[chosen[0].start : chosen[0].end] == chosen[0].text


def test_bylines_and_photo_captions_are_not_the_story() -> None:
    for note in (
        "（本报记者 张三 李四）",
        "记者 王五 摄",
        "硫酸袭击幸存者里图（左）和拉克西米参加2014年的美容主题拍摄活动。",
    ):
        assert is_editor_note(note), note
    for story in ("记者日前从市教育局获悉，全市新建学校二十所。", "左右两侧的道路同时开工。"):
        assert not is_editor_note(story), story
    text = "本报记者 张三 报道 全市新建学校二十所，新增学位三万个。"
    trimmed = trim_dateline(Span(0, len(text), text))
    assert trimmed.text == "全市新建学校二十所，新增学位三万个。"


def test_the_same_sentence_is_never_two_key_points() -> None:
    # "No!" has no comparison unit (English words of three letters or more), so overlap alone
    # would not see the repeat.
    text = (
        "Port news today\nNo! No! "
        + "The port of Nantong handled a record amount of cargo this year, officials said. "
        + " ".join(
            f"Terminal {n} described its loading schedule and the gains it made." for n in range(12)
        )
    )
    texts = [span.text for span in extract(prepare(text)).sentences]
    assert texts.count("No!") == 1
    assert len(set(texts)) == len(texts)
