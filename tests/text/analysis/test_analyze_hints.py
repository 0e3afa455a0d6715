"""``analyze(thorough=False)``, the fast hints analysis for model engines, against thorough."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.engines.offline import OfflineEngine
from summarizer.text import analyze, prepare
from summarizer.text.document import Analysis, Document

SEED = Path(__file__).resolve().parents[3] / "examples" / "tongzhou_2025-12-13_scraped.txt"
# Where ``analyze`` gets its POS tags from: the view it builds once per call.
VIEW_MODULE = importlib.import_module("summarizer.text.analysis.view")


@pytest.fixture(scope="module")
def document() -> Document:
    return prepare(SEED.read_bytes())


@pytest.fixture(scope="module")
def thorough(document: Document) -> Analysis:
    return analyze(document, year_hint=2025)


@pytest.fixture(scope="module")
def hints(document: Document) -> Analysis:
    return analyze(document, year_hint=2025, thorough=False)


def test_hints_never_pos_tag(document: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("POS tagging ran")

    monkeypatch.setattr(VIEW_MODULE, "pos_tags", refuse)
    assert analyze(document, thorough=False).people
    with pytest.raises(AssertionError, match="POS tagging ran"):
        analyze(document)


def test_titled_people_match_the_thorough_analysis(hints: Analysis, thorough: Analysis) -> None:
    by_name = {(p.start, p.text): p for p in thorough.people}
    assert len(hints.people) >= 10
    for person in hints.people:
        assert by_name[(person.start, person.text)] == person
    leaders = {p.text: (p.name_en, p.titles_en) for p in hints.people}
    assert leaders["张建华"] == (
        "Zhang Jianhua",
        (
            "Member of the Standing Committee of the Nantong Municipal Party Committee",
            "Secretary of the Tongzhou District Party Committee",
        ),
    )
    assert leaders["吴瑕"][0] == "Wu Xia"
    assert leaders["宋金平"][0] == "Song Jinping"  # from the byline rule


def test_glossary_dates_numbers_and_warnings_are_the_thorough_ones(
    hints: Analysis, thorough: Analysis
) -> None:
    assert hints.glossary == thorough.glossary
    assert hints.dates == thorough.dates
    assert hints.numbers == thorough.numbers
    assert hints.warnings == thorough.warnings
    assert hints.keywords == ()
    assert thorough.keywords


def test_hints_keep_glossary_bodies_and_places(hints: Analysis, thorough: Analysis) -> None:
    organizations = {o.text: o.name_en for o in hints.organizations}
    assert organizations["区委"] == "Tongzhou District Party Committee"
    assert set(organizations) <= {o.text for o in thorough.organizations}
    assert {p.text for p in hints.places} <= {p.text for p in thorough.places}


def test_untitled_names_need_the_thorough_analysis() -> None:
    # A bare name with no title, byline or list around it is found only by jieba's tagging.
    document = prepare("张伟强今天在会上发言。")
    assert [p.text for p in analyze(document).people] == ["张伟强"]
    assert analyze(document, thorough=False).people == ()


def test_english_hints_have_dates_but_no_keywords() -> None:
    document = prepare("The port handled record cargo on December 13, 2025. Cargo rose again.")
    hints = analyze(document, thorough=False)
    assert [d.iso for d in hints.dates] == ["2025-12-13"]
    assert hints.keywords == ()
    assert analyze(document).keywords[:1] == ("cargo",)


def test_offline_engine_asks_for_the_thorough_analysis() -> None:
    assert OfflineEngine.thorough_analysis is True


def test_importing_the_text_package_loads_no_dictionaries() -> None:
    code = (
        "import sys, summarizer.text, summarizer.engines.offline\n"
        "print(sorted(m for m in ('jieba', 'pypinyin', 'cn2an', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
