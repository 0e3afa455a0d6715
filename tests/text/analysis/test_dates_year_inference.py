"""Which year a year-less day gets from the full dates around it, and when it stays unknown."""

from __future__ import annotations

from collections.abc import Callable

from summarizer.engines.offline import OfflineEngine
from summarizer.text.analysis.analyze import analyze
from summarizer.text.analysis.dates import extract_dates
from summarizer.text.document import Document

MakeDocument = Callable[..., Document]  # the fixture is in conftest.py

#: wmt22 xinhua-zh-01.103911 (December 2021), shortened: the only full date is a coming deadline.
DEADLINE_ARTICLE = (
    "新华社北京12月11日电（记者董瑞丰、顾天成）国务院联防联控机制综合组近日印发通知。\n"
    "实施范围为，从各省区市确定口岸城市范围并公告之日起，至2022年3月15日。"
)


def isos(text: str) -> dict[str, str | None]:
    return {d.text: d.iso for d in extract_dates(text).dates}


def test_a_dateline_is_not_put_after_the_deadline_the_article_reports() -> None:
    result = extract_dates(DEADLINE_ARTICLE)
    found = {d.text: d.iso for d in result.dates}
    assert found == {"12月11日": None, "2022年3月15日": "2022-03-15"}
    (warning,) = result.warnings
    assert warning.code == "date_year_unknown" and "12月11日" in warning.message


def test_a_full_date_from_another_year_does_not_date_the_article() -> None:
    # A 2020 story recalling a 1946 battle: 7月26日 is not in 1946.
    text = "中新网7月26日电 两国关系良好。\n74年前的1946年1月23日，28名战士在此牺牲。"
    assert isos(text)["7月26日"] is None


def test_days_near_a_full_date_take_its_year() -> None:
    text = "2020年7月25日，暴雨来袭。7月26日，水位回落。"
    assert isos(text) == {"2020年7月25日": "2020-07-25", "7月26日": "2020-07-26"}


def test_a_january_dateline_near_a_december_date_takes_the_next_year() -> None:
    text = "新华社1月5日电 2022年12月20日起实施的规定运行平稳。"
    assert isos(text)["1月5日"] == "2023-01-05"


def test_equally_near_days_in_two_years_take_the_later_year() -> None:
    text = "2018年12月13日首次举办。2020年12月13日再次举办。12月14日闭幕，今年共有百人参加。"
    found = isos(text)
    assert found["12月14日"] == "2020-12-14"
    assert found["今年"] == "2020"


def test_relative_years_are_unknown_when_the_articles_days_are() -> None:
    text = "新华社北京12月11日电 今年的政策延续至2022年3月15日。"
    result = extract_dates(text)
    assert {d.text: d.iso for d in result.dates}["今年"] is None
    # The warning lists the calendar dates only: a relative year never becomes an event.
    assert "今年" not in result.warnings[0].message
    assert "12月11日" in result.warnings[0].message


def test_the_warning_names_what_users_can_pass() -> None:
    (warning,) = extract_dates("12月13日召开会议,研究明年工作。").warnings
    assert "明年" not in warning.message
    assert "year_hint=" in warning.message and "--year-hint" in warning.message


def test_only_relative_years_unknown_gives_no_warning() -> None:
    result = extract_dates("今年经济平稳增长。")
    assert [(d.text, d.iso) for d in result.dates] == [("今年", None)]
    assert result.warnings == ()


async def test_a_year_written_twice_is_one_event(make_document: MakeDocument) -> None:
    # wmt22 jingji_guancha_bao-zh-01.7777: "与2019年相比" and "《2019-2020中国青年消费报告》".
    document = make_document(
        "全国消费者金融素养指数为66.81，与2019年相比，提高2.04。\n"
        "央视财经发布的《2019-2020中国青年消费报告》显示，年轻一代消费观念变化。"
    )
    summary = await OfflineEngine().summarize(document, analyze(document))
    isos_of_events = [event.date_iso for event in summary.events]
    assert isos_of_events.count("2019") == 1
    assert [(e.date_as_written, e.date_iso) for e in summary.events if e.date_iso == "2019"] == [
        ("2019年", "2019")
    ]
