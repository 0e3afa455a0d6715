"""Offline key points, round 10: page metadata lines, asked or exclaimed headlines and bracketed
headlines are told from the story (each case failed on engine 7)."""

from __future__ import annotations

import pytest

from summarizer.engines.offline import OfflineEngine, extract, headline, is_editor_note
from summarizer.text import analyze, prepare

STORY = (
    "南通港今年货物吞吐量突破3亿吨，创历史新高。码头作业繁忙，集装箱运量增长两成。"
    "港口集团表示，明年将新建两个泊位。"
)
LEAD = "南通港今年货物吞吐量突破3亿吨，创历史新高。"


def key_points(text: str) -> list[str]:
    document = prepare(text)
    summary = OfflineEngine().summarize_sync(document, analyze(document))
    return [point.evidence for point in summary.key_points]


@pytest.mark.parametrize(
    "line",
    [
        "2023-05-20 10:32 来源：人民网",
        "发布时间：2023-05-20 10:32  来源：人民网",
        "2023年5月20日 作者：张三 编辑：李四",
        "来源：新华网 浏览量：1024",
    ],
)
def test_a_page_metadata_line_under_the_headline_is_no_key_point(line: str) -> None:
    points = key_points(f"南通港货物吞吐量创新高\n{line}\n{STORY}")
    assert points[:2] == ["南通港货物吞吐量创新高", LEAD]
    assert all(line not in point for point in points)


@pytest.mark.parametrize(
    "sentence",
    [
        "2023年5月20日，南通港货物吞吐量突破3亿吨。",
        "来源地的企业：多数是民营企业，规模不大。",
        "时间：3月5日上午，地点在区政府会议室，共有50人参会。",
    ],
)
def test_a_sentence_of_the_story_that_opens_with_a_date_or_field_is_kept(sentence: str) -> None:
    assert not is_editor_note(sentence)


def test_a_question_headline_is_the_title_and_the_lead_still_a_point() -> None:
    text = (
        "这些地方为何频频停电？\n今年夏天，多地出现用电紧张，部分地区拉闸限电。"
        "专家分析，原因在于来水偏枯和需求激增。国家能源局表示将保障民生用电。"
    )
    points = key_points(text)
    assert points[:2] == [
        "这些地方为何频频停电？",
        "今年夏天，多地出现用电紧张，部分地区拉闸限电。",
    ]


def test_a_question_that_opens_a_long_paragraph_is_no_title() -> None:
    text = "这些地方为何频频停电？专家分析，原因在于来水偏枯。\n" + STORY
    title, start = headline(prepare(text))
    assert title is None and start == 0
    long_question = "为什么" + "这些地方" * 12 + "频频停电？\n" + STORY
    assert headline(prepare(long_question)) == (None, 0)


def test_a_bracketed_headline_is_the_title_and_its_lead_a_point_of_its_own() -> None:
    text = "【南通港吞吐量创新高】" + STORY
    document = prepare(text)
    chosen = extract(document)
    assert chosen.title is not None and chosen.title.text == "南通港吞吐量创新高"
    assert document.text[chosen.title.start : chosen.title.end] == "南通港吞吐量创新高"
    first = chosen.sentences[0]
    assert first.text == LEAD and document.text[first.start : first.end] == LEAD
    assert key_points(text)[:2] == ["南通港吞吐量创新高", LEAD]


def test_brackets_later_in_the_text_or_with_nothing_after_them_are_no_headline() -> None:
    assert headline(prepare(LEAD + "【图片新闻】码头作业繁忙。"))[0] is None
    assert headline(prepare("【南通港吞吐量创新高】"))[0] is None
