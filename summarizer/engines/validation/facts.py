"""What the code itself knows about an article, to check a model's claims against.

A model's dates, names and years are checked against the article's text and against what text
analysis resolves from it: the ISO value of every date expression (year from the article, the
publication date or the caller's ``year_hint``, the same values the prompt gives the model), the
English names the glossary and the name rules give, and every year the article supports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.text.analysis.analyze import analyze, with_year_hint
from summarizer.text.document import Analysis, DateMention, Document
from summarizer.text.published import with_publication_year

#: A year as English text writes it (1500-2099), not part of a longer number.
YEAR = re.compile(r"(?<![\d.,])(1[5-9]\d\d|20\d\d)(?![\d]|[.,]\d)")


@dataclass(frozen=True)
class SourceFacts:
    #: Every date expression of the article with its resolved ISO value (None: undeterminable).
    dates: tuple[DateMention, ...] = ()
    #: English names the code gives for terms and people of the article (glossary, name rules).
    names_en: tuple[str, ...] = ()
    #: Years the article supports: written in it, of a resolved date, of its publication, the
    #: caller's year hint, or a number it states.
    years: frozenset[str] = frozenset()


def source_facts(
    document: Document, analysis: Analysis | None = None, *, year_hint: int | None = None
) -> SourceFacts:
    """The facts of ``document``: from ``analysis`` when the caller has it (dated as the prompt
    was), else from a fast analysis dated by ``year_hint`` or the publication date."""
    if analysis is None:
        analysis = analyze(document, thorough=False)
        if year_hint is not None:
            analysis = with_year_hint(document, analysis, year_hint)
        else:
            analysis = with_publication_year(document, analysis)
    years = set(YEAR.findall(document.text))
    years.update(date.iso[:4] for date in analysis.dates if date.iso)
    years.update(
        str(int(number.value))
        for number in analysis.numbers
        if number.value is not None and number.value.is_integer() and 1500 <= number.value < 2100
    )
    if document.published:
        years.add(document.published[:4])
    if year_hint is not None:
        years.add(str(year_hint))
    names = [hit.english for hit in analysis.glossary if hit.english]
    names += [person.name_en for person in analysis.people if person.name_en]
    return SourceFacts(analysis.dates, tuple(dict.fromkeys(names)), frozenset(years))
