"""What can be extracted from a ``Document`` without a model, gathered into one ``Analysis``.

Each part has its own module: ``entities`` (people with titles, organizations, places), ``romanize``
(pinyin names), ``glossary`` (titles and bodies in English), ``dates``, ``numbers``, ``keywords``.
All offsets are into ``document.text``. Analysis is deterministic: the same document and arguments
give the same result on any machine and day.
"""

from __future__ import annotations

from summarizer.text.dates import extract_dates
from summarizer.text.document import Analysis, Document, GlossaryHit
from summarizer.text.entities import extract_entities, pos_tags
from summarizer.text.glossary import Glossary, default_glossary
from summarizer.text.keywords import chinese_keywords, english_keywords
from summarizer.text.numbers import extract_numbers


def is_chinese(document: Document) -> bool:
    return document.language.startswith("zh")


def glossary_hits(text: str, glossary: Glossary) -> tuple[GlossaryHit, ...]:
    """Glossary terms in ``text`` (leftmost-longest), without the topic-only vocabulary."""
    return tuple(
        GlossaryHit(
            match.start, match.end, text[match.start : match.end], english=match.entry.english
        )
        for match in glossary.finditer(text)
        if match.entry.kind != "topic"
    )


def analyze(
    document: Document, *, year_hint: int | None = None, glossary: Glossary | None = None
) -> Analysis:
    """Entities, titles, dates, numbers, glossary terms and keywords of ``document``.

    ``year_hint`` (e.g. the publication year) resolves dates written without a year (12月13日,
    明年); without it the year is inferred from full dates in the text, else left null with a
    warning. ``glossary`` defaults to the shipped one plus ``SUMMARIZER_GLOSSARY`` files.
    """
    text = document.text
    dates = extract_dates(text, year_hint=year_hint)
    numbers = extract_numbers(text, skip=[(date.start, date.end) for date in dates.dates])
    if not is_chinese(document):
        return Analysis(
            dates=dates.dates,
            numbers=numbers,
            keywords=english_keywords(text),
            warnings=dates.warnings,
        )
    glossary = glossary or default_glossary()
    tagged = pos_tags(text, glossary)
    entities = extract_entities(text, glossary, tagged)
    return Analysis(
        people=entities.people,
        organizations=entities.organizations,
        places=entities.places,
        dates=dates.dates,
        numbers=numbers,
        glossary=glossary_hits(text, glossary),
        keywords=chinese_keywords(tagged),
        warnings=dates.warnings,
    )
