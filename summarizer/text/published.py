"""The article's publication date, and the year it gives to dates written without one.

News writes ``12月13日`` without a year; the page it came from usually says when it was published
(``<meta property="article:published_time">``, JSON-LD ``datePublished``, a visible
``发布时间：2025-12-14`` line). ``summarizer.text.repair.prepare`` keeps that date on the
``Document``; the engines then date year-less days as ``year_hint`` would, when the analysis could
not date them from the text itself and the caller gave no ``year_hint``.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Iterable

from summarizer.schema import InputWarning
from summarizer.text.document import Analysis, DateMention, Document

__all__ = ["PUBLICATION_YEAR_WARNING", "publication_date_in_text", "with_publication_year"]

#: The warning that says which year the year-less dates took, and from what.
PUBLICATION_YEAR_WARNING = "date_year_from_publication"

#: A line labelled as the publication time, with a full numeric date (发布时间：2025-12-14 08:30);
#: not a bare 时间/日期 line, which often dates an event the article announces.
_LABELLED_DATE = re.compile(
    r"(?:发布时间|发布日期|发表时间|发表日期|发稿时间|发布于|Published(?: on)?|Publication date)"
    r"\s*[:：]?\s*(?P<year>(?:19|20)\d{2})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*"
    r"(?P<day>\d{1,2})",
    re.IGNORECASE,
)
#: How far into the text the labelled line may be (it heads the article, or ends it).
_SEARCHED_LINES = 12
#: A year written relative to the publication year.
_RELATIVE_YEAR = re.compile("前年|去年|今年|明年|后年")
#: A day written without a year, as the date analysis keeps it.
_MONTH_DAY = re.compile(r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]")


def publication_date_in_text(text: str) -> datetime.date | None:
    """The date of a 发布时间-style line among the first or last lines of ``text``."""
    lines = text.split("\n")
    searched = lines[:_SEARCHED_LINES] + lines[-_SEARCHED_LINES:]
    for line in searched:
        match = _LABELLED_DATE.search(line)
        if match:
            found = _date(match.group("year"), match.group("month"), match.group("day"))
            if found is not None:
                return found
    return None


def with_publication_year(document: Document, analysis: Analysis) -> Analysis:
    """``analysis`` with its year-less dates dated from ``document.published``, when the text
    left them undated (a ``date_year_unknown`` warning) and the publication date is known."""
    if document.published is None or not any(
        warning.code == "date_year_unknown" for warning in analysis.warnings
    ):
        return analysis
    from summarizer.text.analysis.analyze import with_year_hint  # preparation needs none of it

    published = datetime.date.fromisoformat(document.published)
    year = year_near(published, analysis.dates)
    dated = with_year_hint(document, analysis, year)
    note = InputWarning(
        code=PUBLICATION_YEAR_WARNING,
        message=(
            f"dates written without a year were given the year {year} from the publication date "
            f"{document.published}; pass the year (year_hint= in the library, --year-hint on the "
            "command line) to override it"
        ),
    )
    return dataclasses.replace(dated, warnings=(*dated.warnings, note))


def year_near(published: datetime.date, dates: Iterable[DateMention]) -> int:
    """The year that puts most undated days closest to ``published``: a report of January 2 on
    "12月31日" means the December before, not the one a year later.

    One year serves every undated mention (as ``year_hint`` does), so when the article also
    writes 今年, 明年 or 去年, which count from the publication year, that year is kept.
    """
    undated = [mention for mention in dates if mention.iso is None]
    if any(_RELATIVE_YEAR.search(mention.text) for mention in undated):
        return published.year
    votes: Counter[int] = Counter()
    for mention in undated:
        match = _MONTH_DAY.fullmatch(mention.text.strip())
        if match is None:
            continue
        month, day = int(match.group("month")), int(match.group("day"))
        candidates = [
            (abs((when - published).days), year != published.year, year)
            for year in (published.year - 1, published.year, published.year + 1)
            if (when := _date(str(year), str(month), str(day))) is not None
        ]
        if candidates:
            votes[min(candidates)[2]] += 1
    if not votes:
        return published.year
    return max(votes, key=lambda year: (votes[year], year == published.year))


def _date(year: str, month: str, day: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
