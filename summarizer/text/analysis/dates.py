"""Chinese date expressions -> ISO dates, with the year inferred when the text leaves it out.

News writes ``12月13日`` and ``明年`` far more often than full dates, so a year has to come from
somewhere. In order: the ``year_hint`` argument (e.g. the publication year), else the year written
most often in a full date of the same document. When neither exists the mention keeps ``iso=None``
and a ``date_year_unknown`` warning says why; nothing is guessed from the clock (the same input
must give the same output on any day). Partial dates are ISO prefixes: ``2025``, ``2025-12``.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from summarizer.schema import InputWarning
from summarizer.text.analysis.numbers import numeral_value
from summarizer.text.analysis.occupancy import Occupancy
from summarizer.text.document import DateMention

_CN_DIGITS = "〇零一二两三四五六七八九十"
_NUMBER = rf"(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})"
_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"

_FULL_DATE = re.compile(
    rf"(?P<year>{_YEAR})\s*年\s*(?:(?P<month>{_NUMBER})\s*月(?:\s*(?P<day>{_NUMBER})\s*[日号])?)?"
)
_MONTH_DAY = re.compile(rf"(?P<month>{_NUMBER})\s*月\s*(?P<day>{_NUMBER})\s*[日号]")
_MONTH_ONLY = re.compile(rf"(?<![\d{_CN_DIGITS}])(?P<month>{_NUMBER})\s*月(?:份)?(?![\d日号])")
#: "今（11）日", as Macao and Hong Kong outlets write the day of publication.
_DAY_IN_PARENS = re.compile(r"[今昨明]\s*[（(]\s*(?P<day>\d{1,2})\s*[)）]\s*日")
_RELATIVE_YEARS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2}
_RELATIVE_YEAR = re.compile("|".join(_RELATIVE_YEARS))
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NAME = (
    r"(?P<mname>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_BARE_YEAR = re.compile(r"(?<![\d.,])\b(?P<year>(?:19|20)\d{2})\b(?![\d.,]\d)")
_ENGLISH_DATES = (
    # December 13, 2025 / Dec. 13
    re.compile(
        rf"\b{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?"
    ),
    # 13 December 2025
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH_NAME}(?:\s+(?P<year>\d{{4}})\b)?"),
    # December 2025
    re.compile(rf"\b{_MONTH_NAME}\s+(?P<year>\d{{4}})\b"),
    # a bare year: 2024
    _BARE_YEAR,
)
_LATIN = re.compile("[A-Za-z]")


@dataclass(frozen=True)
class DateResult:
    dates: tuple[DateMention, ...]
    warnings: tuple[InputWarning, ...]
    year: int | None


def _to_int(token: str | None) -> int | None:
    if token is None:
        return None
    if token.isdigit():
        return int(token)
    value = numeral_value(token)
    return None if value is None else int(value)


def _month_number(name: str) -> int | None:
    prefix = name.lower().rstrip(".")[:3]
    for index, month in enumerate(_MONTHS, start=1):
        if month.startswith(prefix):
            return index
    return None


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    """An ISO (prefix) string for the parts known, or None when invalid or the year is unknown."""
    if year is None or not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _infer_year(
    text: str, full_dates: list[re.Match[str]], english: tuple[re.Pattern[str], ...]
) -> int | None:
    years = Counter(
        year
        for match in full_dates
        if match.group("month") and (year := _to_int(match.group("year"))) is not None
    )
    for pattern in english[:3]:
        if pattern is _BARE_YEAR:
            continue
        years.update(
            int(match.group("year")) for match in pattern.finditer(text) if match.group("year")
        )
    if not years:
        return None
    return max(years, key=lambda year: (years[year], year))


def _english_patterns(text: str) -> tuple[re.Pattern[str], ...]:
    """The English date patterns worth running: those naming a month need a Latin letter."""
    return _ENGLISH_DATES if _LATIN.search(text) else (_BARE_YEAR,)


def extract_dates(text: str, year_hint: int | None = None) -> DateResult:
    """Every date expression in ``text`` with its ISO value where the year can be determined."""
    full_dates = list(_FULL_DATE.finditer(text))
    english = _english_patterns(text)
    year = year_hint if year_hint is not None else _infer_year(text, full_dates, english)
    mentions: list[DateMention] = []
    taken = Occupancy(len(text))
    free = taken.is_free
    unresolved: list[str] = []

    def add(start: int, end: int, iso: str | None) -> None:
        taken.claim(start, end)
        mentions.append(DateMention(start, end, text[start:end], iso=iso))

    for match in full_dates:
        add(
            match.start(),
            match.end(),
            _iso(
                _to_int(match.group("year")),
                _to_int(match.group("month")),
                _to_int(match.group("day")),
            ),
        )
    for match in _MONTH_DAY.finditer(text):
        if free(match.start(), match.end()):
            iso = _iso(year, _to_int(match.group("month")), _to_int(match.group("day")))
            if year is None:
                unresolved.append(match.group())
            add(match.start(), match.end(), iso)
    for match in _MONTH_ONLY.finditer(text):
        if free(match.start(), match.end()):
            if year is None:
                unresolved.append(match.group())
            add(match.start(), match.end(), _iso(year, _to_int(match.group("month")), None))
    for match in _RELATIVE_YEAR.finditer(text):
        if free(match.start(), match.end()):
            if year is None:
                unresolved.append(match.group())
            resolved = None if year is None else year + _RELATIVE_YEARS[match.group()]
            add(match.start(), match.end(), _iso(resolved, None, None))
    for pattern in english:
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            groups = match.groupdict()
            month_name = groups.get("mname")
            month = _month_number(month_name) if month_name else None
            day = _to_int(groups.get("day"))
            written_year = _to_int(groups.get("year"))
            if written_year is None and year is None:
                unresolved.append(match.group())
            add(match.start(), match.end(), _iso(written_year or year, month, day))
    for match in _DAY_IN_PARENS.finditer(text):
        if free(match.start(), match.end()):
            unresolved.append(match.group())
            add(match.start(), match.end(), None)

    warnings: list[InputWarning] = []
    if unresolved:
        shown = "、".join(dict.fromkeys(unresolved))
        warnings.append(
            InputWarning(
                code="date_year_unknown",
                message=(
                    f"the year (or month) of {shown} could not be determined from the text; "
                    "their date_iso is null (pass year_hint to resolve them)"
                ),
            )
        )
    mentions.sort(key=lambda mention: mention.start)
    return DateResult(tuple(mentions), tuple(warnings), year)
