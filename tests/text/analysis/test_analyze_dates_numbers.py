"""Dates (with the year resolved or honestly left unknown) and numbers."""

from __future__ import annotations

from collections.abc import Callable

from summarizer.text.analysis.analyze import analyze
from summarizer.text.analysis.dates import extract_dates
from summarizer.text.analysis.numbers import extract_numbers
from summarizer.text.document import Document

MakeDocument = Callable[..., Document]  # the fixture is in conftest.py


def isos(text: str, year_hint: int | None = None) -> list[tuple[str, str | None]]:
    return [(d.text, d.iso) for d in extract_dates(text, year_hint=year_hint).dates]


def test_month_day_with_year_hint() -> None:
    assert isos("12月13日,区委召开会议。", year_hint=2025) == [("12月13日", "2025-12-13")]


def test_year_is_inferred_from_a_full_date_in_the_text() -> None:
    result = extract_dates("2025年12月13日开幕,12月15日闭幕。明年再办。")
    assert [(d.text, d.iso) for d in result.dates] == [
        ("2025年12月13日", "2025-12-13"),
        ("12月15日", "2025-12-15"),
        ("明年", "2026"),
    ]
    assert result.warnings == ()


def test_unknown_year_is_null_with_a_warning() -> None:
    result = extract_dates("12月13日召开会议,研究明年工作。")
    assert [(d.text, d.iso) for d in result.dates] == [("12月13日", None), ("明年", None)]
    assert [w.code for w in result.warnings] == ["date_year_unknown"]
    assert "12月13日" in result.warnings[0].message


def test_relative_years_and_chinese_numeral_dates() -> None:
    assert isos("去年和今年", year_hint=2025) == [("去年", "2024"), ("今年", "2025")]
    assert isos("二〇二五年十二月十三日") == [("二〇二五年十二月十三日", "2025-12-13")]
    assert isos("2021年5月") == [("2021年5月", "2021-05")]


def test_invalid_dates_are_not_given_an_iso() -> None:
    assert isos("2月30日", year_hint=2025) == [("2月30日", None)]


def test_macao_style_day_in_parentheses() -> None:
    result = extract_dates("澳门大学今（11）日举行典礼。")
    assert [(d.text, d.iso) for d in result.dates] == [("今（11）日", None)]


def values(text: str) -> list[tuple[str, float | None]]:
    return [(n.text, n.value) for n in extract_numbers(text)]


def test_numbers() -> None:
    assert values("把8条重点产业链作为重中之重") == [("8", 8.0)]
    assert values("投资三千五百万元") == [("三千五百万", 35_000_000.0)]
    assert values("增长12.5%,达到1,200家,占百分之三十五,吸引3.5万人") == [
        ("12.5%", 12.5),
        ("1,200", 1200.0),
        ("百分之三十五", 35.0),
        ("3.5万", 35_000.0),
    ]


def test_plan_names_ordinals_and_words_are_not_numbers() -> None:
    text = (
        "围绕“十五五”时期,落实十四五规划和二十届四中全会、"
        "省委十四届十次全会精神,进一步统一思想,第三批"
    )
    assert values(text) == []


def test_analysis_does_not_count_date_parts_as_numbers(make_document: MakeDocument) -> None:
    analysis = analyze(make_document("12月13日,把8条产业链作为重点。"), year_hint=2025)
    assert [(n.text, n.value) for n in analysis.numbers] == [("8", 8.0)]
    assert [(d.text, d.iso) for d in analysis.dates] == [("12月13日", "2025-12-13")]


def test_english_dates() -> None:
    text = (
        "On December 13, 2025 the port opened; by 5 March 2026 and Jan. 4 it had grown since 2019."
    )
    assert isos(text) == [
        ("December 13, 2025", "2025-12-13"),
        ("5 March 2026", "2026-03-05"),
        ("Jan. 4", "2026-01-04"),  # two years written once each: the latest wins
        ("2019", "2019"),
    ]
