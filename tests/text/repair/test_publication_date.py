"""A page's publication date dates what the article writes without a year, as year_hint does.

Before, ``<meta property="article:published_time">`` and a visible 发布时间 line were thrown away:
12月13日 kept date_iso null with a date_year_unknown warning.
"""

from __future__ import annotations

import datetime

import pytest

import summarizer
from summarizer.testing import ScriptedOpenAIServer, answering
from summarizer.text import prepare
from summarizer.text.document import DateMention
from summarizer.text.published import publication_date_in_text, year_near

BODY = (
    "<article><h1>通州区召开工作会议</h1>{visible}"
    "<p>12月13日，通州区召开全区经济工作会议，区委书记吴晓东出席会议并讲话。</p>"
    "<p>会议指出，今年以来，全区经济运行稳中有进，发展质量持续提升。</p>"
    "<p>会议强调，要全力以赴抓项目、促投资，确保一季度实现良好开局。</p></article>"
)
META = '<meta property="article:published_time" content="2025-12-14T08:30:00+08:00">'
JSON_LD = (
    '<script type="application/ld+json">{"@context": "https://schema.org", '
    '"@type": "NewsArticle", "datePublished": "2025-12-14T08:30:00+08:00"}</script>'
)


def page(head: str = "", visible: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>通州区召开工作会议</title>{head}'
        f'</head><body><nav><a href="/">首页</a></nav>{BODY.format(visible=visible)}'
        "<footer>版权所有</footer></body></html>"
    )


PAGES = {
    "meta": page(head=META),
    "json-ld": page(head=JSON_LD),
    "visible line": page(visible="<p>发布时间：2025-12-14 08:30</p>"),
    "all three": page(head=META + JSON_LD, visible="<p>发布时间：2025-12-14</p>"),
}


@pytest.mark.parametrize("html", PAGES.values(), ids=PAGES.keys())
def test_the_publication_date_dates_year_less_days(html: str) -> None:
    assert prepare(html).published == "2025-12-14"
    result = summarizer.summarize(html, engine="offline")
    dates = {event.date_as_written: event.date_iso for event in result.events}
    assert dates["12月13日"] == "2025-12-13"
    codes = [warning.code for warning in result.source.warnings]
    assert "date_year_unknown" not in codes and "date_year_from_publication" in codes


def test_a_plain_text_publication_line_counts_too() -> None:
    text = "通州区召开工作会议\n发布时间：2025-12-14 08:30\n12月13日，通州区召开全区经济工作会议。"
    assert prepare(text).published == "2025-12-14"
    result = summarizer.summarize(text, engine="offline")
    assert [event.date_iso for event in result.events if event.date_as_written == "12月13日"] == [
        "2025-12-13"
    ]


def test_a_year_hint_wins_over_the_page() -> None:
    result = summarizer.summarize(PAGES["meta"], engine="offline", year_hint=2024)
    dates = {event.date_as_written: event.date_iso for event in result.events}
    assert dates["12月13日"] == "2024-12-13"
    assert "date_year_from_publication" not in [w.code for w in result.source.warnings]


def test_without_a_stated_date_nothing_is_guessed() -> None:
    html = page()
    assert prepare(html).published is None
    result = summarizer.summarize(html, engine="offline")
    assert "date_year_unknown" in [warning.code for warning in result.source.warnings]
    # An event's own time line is no publication date.
    notice = "活动通知\n时间：2025年12月20日\n地点：区文化中心\n12月13日起接受报名。"
    assert publication_date_in_text(notice) is None


def test_a_january_report_of_late_december_means_the_december_before() -> None:
    new_years_eve = [DateMention(0, 6, "12月31日")]
    assert year_near(datetime.date(2026, 1, 2), new_years_eve) == 2025
    assert year_near(datetime.date(2025, 12, 14), new_years_eve) == 2025
    assert year_near(datetime.date(2025, 12, 14), [DateMention(0, 4, "1月5日")]) == 2026
    assert year_near(datetime.date(2025, 6, 1), []) == 2025
    # 明年 counts from the publication year: that year stays.
    next_year = DateMention(10, 12, "明年")
    assert year_near(datetime.date(2026, 1, 2), [*new_years_eve, next_year]) == 2026


def test_the_model_is_told_the_dates_are_known(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.set_handler(answering())
    summarizer.summarize(PAGES["meta"], model="test-model", base_url=openai_server.base_url)
    prompt = "\n".join(message["content"] for message in openai_server.chat_requests[0].messages)
    assert "dates without a year were dated from the publication date" in prompt
    assert "leave their date_iso null" not in prompt
