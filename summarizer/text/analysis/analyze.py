"""What can be extracted from a ``Document`` without a model, gathered into one ``Analysis``.

The text is matched against the glossary and (thorough) tagged once, into one ``view.TextView``
that every finder reads. Each part has its own module: ``entities`` (people with titles,
organizations, places), ``romanize`` (pinyin names), ``glossary`` (titles and bodies in English),
``dates``, ``numbers``, ``keywords``.
All offsets are into ``document.text``. Analysis is deterministic: the same document and arguments
give the same result on any machine and day.

Two depths, because callers need different things:

* ``thorough=True`` (the offline engine, where extraction is the product): jieba POS tagging with
  its HMM for unknown words, so untitled names, foreign names, bodies jieba knows and keywords are
  found too. Tens of milliseconds per article.
* ``thorough=False`` ("hints", for model engines, where analysis only feeds the prompt): glossary
  terms, people found by the title and byline rules (with their titles in English), bodies and
  places the glossary knows, dates and numbers. No tagging and no keywords; about a millisecond.
"""

from __future__ import annotations

import dataclasses

from summarizer.text.analysis.dates import extract_dates
from summarizer.text.analysis.entities import extract_entities
from summarizer.text.analysis.glossary import Glossary, MatchIndex, default_glossary
from summarizer.text.analysis.keywords import chinese_keywords, english_keywords
from summarizer.text.analysis.numbers import extract_numbers
from summarizer.text.analysis.view import TextView
from summarizer.text.document import (
    Analysis,
    Checkpoint,
    DateMention,
    Document,
    GlossaryHit,
    run_to_end,
)

#: What ``analyze`` tells its checkpoint it was doing between its finders.
ANALYZING = "while its text was analyzed"


def is_chinese(document: Document) -> bool:
    return document.language.startswith("zh")


def glossary_hits(index: MatchIndex) -> tuple[GlossaryHit, ...]:
    """Glossary terms in the text (leftmost-longest), without the topic-only vocabulary."""
    text = index.text
    return tuple(
        GlossaryHit(
            match.start, match.end, text[match.start : match.end], english=match.entry.english
        )
        for match in index.matches
        if match.entry.kind != "topic"
    )


def distinct_dates(dates: tuple[DateMention, ...]) -> tuple[DateMention, ...]:
    """The first mention of each date: one per ISO value (``2019年`` and a bare ``2019`` are the
    same year), and one per expression where the value is unknown."""
    seen: set[str] = set()
    kept: list[DateMention] = []
    for date in dates:
        key = f"iso:{date.iso}" if date.iso is not None else f"text:{date.text}"
        if key not in seen:
            seen.add(key)
            kept.append(date)
    return tuple(kept)


def with_year_hint(document: Document, analysis: Analysis, year_hint: int) -> Analysis:
    """``analysis`` with its dates resolved again with ``year_hint`` (for an analysis made before
    the year was known; the rest of it does not depend on the year)."""
    dates = extract_dates(document.text, year_hint=year_hint)
    kept = tuple(w for w in analysis.warnings if w.code != "date_year_unknown")
    return dataclasses.replace(
        analysis, dates=distinct_dates(dates.dates), warnings=(*kept, *dates.warnings)
    )


def analyze(
    document: Document,
    *,
    year_hint: int | None = None,
    glossary: Glossary | None = None,
    thorough: bool = True,
    checkpoint: Checkpoint = run_to_end,
) -> Analysis:
    """Entities, titles, dates, numbers, glossary terms and keywords of ``document``.

    ``year_hint`` (e.g. the publication year) resolves dates written without a year (12月13日,
    明年); without it the year is inferred from full dates in the text, else left null with a
    warning. ``glossary`` defaults to the shipped one plus ``SUMMARIZER_GLOSSARY`` files.
    ``thorough=False`` skips POS tagging (see the module docstring): people only where a title or
    byline introduces them, no keywords, and an English text gets no keywords either.
    ``checkpoint`` is called between the finders and inside the long ones (tagging, entities);
    what it raises stops the analysis.
    """
    text = document.text
    checkpoint(ANALYZING)
    dates = extract_dates(text, year_hint=year_hint)
    checkpoint(ANALYZING)
    numbers = extract_numbers(text, skip=[(date.start, date.end) for date in dates.dates])
    distinct = distinct_dates(dates.dates)
    if not is_chinese(document):
        return Analysis(
            dates=distinct,
            numbers=numbers,
            keywords=english_keywords(text) if thorough else (),
            warnings=dates.warnings,
        )
    checkpoint(ANALYZING)
    view = TextView.of(
        text, glossary or default_glossary(), thorough=thorough, checkpoint=checkpoint
    )
    entities = extract_entities(view)
    checkpoint(ANALYZING)
    return Analysis(
        people=entities.people,
        organizations=entities.organizations,
        places=entities.places,
        dates=distinct,
        numbers=numbers,
        glossary=glossary_hits(view.matches),
        keywords=chinese_keywords(view.tagged) if view.tagged is not None else (),
        warnings=dates.warnings,
    )
