"""Analysis of the real scraped seed article, through the real ``prepare``."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.text import analyze, prepare
from summarizer.text.document import Analysis, Document

SEED = Path(__file__).resolve().parents[3] / "examples" / "tongzhou_2025-12-13_scraped.txt"


@pytest.fixture(scope="module")
def document() -> Document:
    return prepare(SEED.read_bytes())


@pytest.fixture(scope="module")
def analysis(document: Document) -> Analysis:
    return analyze(document, year_hint=2025)


def person(analysis: Analysis, name: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    mentions = [p for p in analysis.people if p.text == name]
    assert mentions, f"{name} not found"
    first = mentions[0]
    return first.name_en, first.titles, first.titles_en


def test_party_secretary(analysis: Analysis, document: Document) -> None:
    assert person(analysis, "张建华") == (
        "Zhang Jianhua",
        ("市委常委", "区委书记"),
        (
            "Member of the Standing Committee of the Nantong Municipal Party Committee",
            "Secretary of the Tongzhou District Party Committee",
        ),
    )
    # every later mention (张建华指出, 张建华强调) is the same person
    mentions = [p for p in analysis.people if p.text == "张建华"]
    assert len(mentions) == 4
    # written in traditional characters in the scraped original
    assert "張建華" in document.original and "张建华" not in document.original


def test_other_leaders(analysis: Analysis) -> None:
    assert person(analysis, "吴瑕") == (
        "Wu Xia",
        ("区委副书记", "区长"),
        ("Deputy Secretary of the Tongzhou District Party Committee", "Tongzhou District Mayor"),
    )
    assert person(analysis, "陈艳梅")[0::2] == (
        "Chen Yanmei",
        ("Director of the Standing Committee of the Tongzhou District People's Congress",),
    )
    assert person(analysis, "成宾")[0::2] == (
        "Cheng Bin",
        ("Chairman of the Tongzhou District CPPCC Committee",),
    )
    assert person(analysis, "吴冰冰")[0] == "Wu Bingbing"


def test_byline(analysis: Analysis) -> None:
    assert person(analysis, "施伟办")[1] == ("通讯员",)
    assert person(analysis, "宋金平")[1] == ("记者",)


def test_every_span_is_exact(analysis: Analysis, document: Document) -> None:
    spans = [
        *analysis.people,
        *analysis.organizations,
        *analysis.places,
        *analysis.dates,
        *analysis.numbers,
        *analysis.glossary,
    ]
    for span in spans:
        assert document.text[span.start : span.end] == span.text


def test_dates_numbers_and_terms(analysis: Analysis) -> None:
    assert ("12月13日", "2025-12-13") in [(d.text, d.iso) for d in analysis.dates]
    assert ("明年", "2026") in [(d.text, d.iso) for d in analysis.dates]
    numbers = [(n.text, n.value) for n in analysis.numbers]
    assert ("8", 8.0) in numbers
    assert all(value != 155 for _, value in numbers)
    glossary = {hit.text: hit.english for hit in analysis.glossary}
    assert glossary["“十五五”"] == "15th Five-Year Plan period"
    assert glossary["二十届四中全会"] == "Fourth Plenary Session of the 20th CPC Central Committee"
    assert glossary["区四套班子"] == "the four leading bodies of the district"
    assert "务虚会" in glossary
