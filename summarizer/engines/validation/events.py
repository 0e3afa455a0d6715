"""Events: English descriptions, dates copied from the article, and ``date_iso`` that agrees.

* ``date_as_written`` must occur in the article (up to copying noise, like every ``*_as_written``).
* ``date_iso`` must look like ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, and agree with what text
  analysis resolves for the dates written in ``date_as_written`` (the values the prompt gives the
  model: "12月13日 = 2024-12-13" under ``--year-hint 2024``). Agreeing means equal, or one a prefix
  of the other (``2024-12`` for 12月13日 is less precise, not wrong). Where the code cannot resolve
  the year, the month and day written must be kept (1月1日 is never ``1999-12-13``), and a year
  the article does not support is kept with a warning in ``meta.status`` saying that the year is
  the model's (the prompt asked for null; a re-ask for a year nobody knows would cost a call).
* A ``date_iso`` without ``date_as_written`` must still be a date of the article: one its dates
  resolve to (or a prefix of one), or a year it supports. Otherwise it is an invented date
  (``date.unsupported``): re-asked, and if the model insists, set to null with the event kept.
"""

from __future__ import annotations

import re
from typing import Any

from summarizer.engines.parsing import Problem
from summarizer.engines.validation.facts import SourceFacts
from summarizer.engines.validation.fields import english, quote
from summarizer.text.analysis.dates import extract_dates
from summarizer.text.matching import normalize_for_match, occurs_in

_ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
#: Any leap year: parses a year-less 2月29日 to read its month and day.
_LEAP_YEAR = 2000


def check_events(draft: Any, source: str, facts: SourceFacts) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    for index, event in enumerate(getattr(draft, "events", [])):
        base = f"events[{index}]"
        if event.description_en is not None:
            problems.extend(english(f"{base}.description_en", event.description_en))
        written = event.date_as_written
        grounded = written is not None and bool(written.strip()) and occurs_in(written, source)
        if written is not None and written.strip() and not grounded:
            add(
                Problem(
                    "date.not_in_source",
                    f"{base}.date_as_written",
                    f"{quote(written)} does not occur in the article; copy the date expression "
                    "exactly as the article writes it, or use null",
                )
            )
        if event.date_iso is None:
            continue
        if not _ISO_DATE.match(event.date_iso):
            add(
                Problem(
                    "date.format",
                    f"{base}.date_iso",
                    f"{quote(event.date_iso)} is not YYYY, YYYY-MM or YYYY-MM-DD; fix it or use "
                    "null",
                )
            )
        elif grounded and written is not None:
            conflict = date_conflict(event.date_iso, written, facts)
            if conflict is not None:
                add(Problem("date.conflict", f"{base}.date_iso", conflict))
            elif (guessed := guessed_year(event.date_iso, written, facts)) is not None:
                add(Problem("date.year_guessed", f"{base}.date_iso", guessed, "warning"))
        elif not written_date_of_article(event.date_iso, facts):
            add(
                Problem(
                    "date.unsupported",
                    f"{base}.date_iso",
                    f"{quote(event.date_iso)} is no date the article gives (date_as_written is "
                    "empty); copy the date expression the article writes into date_as_written, "
                    "or use null",
                )
            )
    return problems


def written_date_of_article(date_iso: str, facts: SourceFacts) -> bool:
    """Whether ``date_iso`` (given with no date expression) is one of the article's dates: equal
    to, or a prefix of, a date it resolves, or a year it supports."""
    if len(date_iso) == 4 and date_iso in facts.years:
        return True
    return any(
        date.iso and len(date.iso) >= len(date_iso) and date.iso.startswith(date_iso)
        for date in facts.dates
    )


def guessed_year(date_iso: str, written: str, facts: SourceFacts) -> str | None:
    """Why ``date_iso``'s year is the model's own, for a date ``written`` whose year the code could
    not resolve (no year hint, publication date or nearby full date), or None."""
    if resolved_dates(written, facts) or date_iso[:4] in facts.years:
        return None
    return (
        f"the year {date_iso[:4]} of {quote(written)} is the model's guess: the article does not "
        "state it (pass year_hint, --year-hint or options.year_hint to date it)"
    )


def resolved_dates(written: str, facts: SourceFacts) -> list[str]:
    """The ISO values the code gives the dates in ``written``: those written in full there, and
    those of the article's date mentions that ``written`` contains (dated in context)."""
    values = [date.iso for date in extract_dates(written).dates if date.iso and len(date.iso) > 4]
    needle = normalize_for_match(written)
    values += [
        date.iso
        for date in facts.dates
        if date.iso and (mention := normalize_for_match(date.text)) and mention in needle
    ]
    return list(dict.fromkeys(values))


def date_conflict(date_iso: str, written: str, facts: SourceFacts) -> str | None:
    """Why ``date_iso`` disagrees with the date ``written`` in the article, or None."""
    resolved = resolved_dates(written, facts)
    if resolved:
        if any(value.startswith(date_iso) or date_iso.startswith(value) for value in resolved):
            return None
        shown = " or ".join(resolved)
        return (
            f"{quote(date_iso)} disagrees with the article: {quote(written)} is {shown} there; "
            f"write {resolved[0]}"
        )
    month_day = [
        date.iso[5:]
        for date in extract_dates(written, year_hint=_LEAP_YEAR).dates
        if date.iso and len(date.iso) > 4
    ]
    if not month_day or len(date_iso) == 4:
        return None
    given = date_iso[5:]
    if any(value.startswith(given) or given.startswith(value) for value in month_day):
        return None
    return (
        f"{quote(date_iso)} disagrees with the article's {quote(written)} (month and day "
        f"{' or '.join(month_day)}); keep the month and day as written, or use null"
    )
