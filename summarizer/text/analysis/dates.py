"""Chinese date expressions -> ISO dates, with the year inferred when the text leaves it out.

News writes ``12月13日`` and ``明年`` far more often than full dates, so a year has to come from
somewhere. In order: the ``year_hint`` argument (e.g. the publication year), else a day the same
document dates in full close to it (see ``extract_dates``). When neither exists the mention keeps
``iso=None`` and a ``date_year_unknown`` warning lists the calendar dates affected; nothing is
guessed from the clock (the same input must give the same output on any day). Partial dates are
ISO prefixes: ``2025``, ``2025-12``.
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


#: A year-less day is placed in a year only when that puts it this close to a day the text dates in
#: full: news dates what happens around its own day, and writes the year out mostly for days in
#: *other* years (a past event, a coming deadline), so a full date far away says little about the
#: year of the article's own days.
NEAR_DAYS = 31


def _full_days(
    text: str, full_dates: list[re.Match[str]], english: tuple[re.Pattern[str], ...]
) -> list[datetime.date]:
    """Every day the text dates in full (year, month and day written)."""
    days: list[datetime.date] = []
    for match in full_dates:
        year, month, day = (_to_int(match.group(part)) for part in ("year", "month", "day"))
        if (iso := _iso(year, month, day)) is not None and len(iso) == 10:
            days.append(datetime.date.fromisoformat(iso))
    for pattern in english:
        if not {"mname", "day", "year"} <= set(pattern.groupindex):
            continue
        for match in pattern.finditer(text):
            month = _month_number(match.group("mname"))
            iso = _iso(_to_int(match.group("year")), month, _to_int(match.group("day")))
            if iso is not None and len(iso) == 10:
                days.append(datetime.date.fromisoformat(iso))
    return days


def _nearby_year(month: int | None, day: int | None, anchors: list[datetime.date]) -> int | None:
    """The year that puts month/day within ``NEAR_DAYS`` of a fully dated day, else None.

    The year before and after an anchor's are tried too (a January dateline near a December date).
    Equally near days in two years: the later year (an older year written out is history).
    """
    if month is None or day is None or not anchors:
        return None
    best: tuple[int, int, int] | None = None  # (distance, years off the anchor's, -year)
    for anchor in anchors:
        for offset in (0, -1, 1):
            candidate = _iso(anchor.year + offset, month, day)
            if candidate is None:
                continue
            distance = abs((datetime.date.fromisoformat(candidate) - anchor).days)
            key = (distance, abs(offset), -(anchor.year + offset))
            if distance <= NEAR_DAYS and (best is None or key < best):
                best = key
    return None if best is None else -best[2]


def _most_common_full_year(
    text: str, full_dates: list[re.Match[str]], english: tuple[re.Pattern[str], ...]
) -> int | None:
    """The year written most often in a full date (month written), for texts with no year-less day
    to check it against."""
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


def is_calendar_date(written: str) -> bool:
    """Whether a date expression names a calendar date (a month, day or four-digit year), as
    opposed to a relative year (今年, 明年): only those are listed as events."""
    return any(marker in written for marker in "月日号") or re.search(r"\d{4}", written) is not None


def _english_patterns(text: str) -> tuple[re.Pattern[str], ...]:
    """The English date patterns worth running: those naming a month need a Latin letter."""
    return _ENGLISH_DATES if _LATIN.search(text) else (_BARE_YEAR,)


def extract_dates(text: str, year_hint: int | None = None) -> DateResult:
    """Every date expression in ``text`` with its ISO value where the year can be determined.

    Without ``year_hint``, a year-less day (12月11日) takes the year that puts it within
    ``NEAR_DAYS`` of a day the text dates in full, else stays null: "新华社北京12月11日电" in an
    article that reports a deadline "至2022年3月15日" is not placed in 2022 (nor guessed to be
    2021). Year-less months and relative years (明年) follow the year of the placed days; with no
    year-less day in the text, the year most often written in a full date.
    """
    full_dates = list(_FULL_DATE.finditer(text))
    english = _english_patterns(text)
    anchors = [] if year_hint is not None else _full_days(text, full_dates, english)
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
    month_days = [m for m in _MONTH_DAY.finditer(text) if free(m.start(), m.end())]
    placed: Counter[int] = Counter()
    for match in month_days:
        month, day = _to_int(match.group("month")), _to_int(match.group("day"))
        day_year = year_hint if year_hint is not None else _nearby_year(month, day, anchors)
        if day_year is None:
            unresolved.append(match.group())
        else:
            placed[day_year] += 1
        add(match.start(), match.end(), _iso(day_year, month, day))
    year: int | None
    if year_hint is not None:
        year = year_hint
    elif month_days:  # the article's own days say which year it is, or that it is unknown
        year = max(placed, key=lambda y: (placed[y], y)) if placed else None
    else:
        year = _most_common_full_year(text, full_dates, english)
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
    listed = [written for written in dict.fromkeys(unresolved) if is_calendar_date(written)]
    if listed:
        warnings.append(
            InputWarning(
                code="date_year_unknown",
                message=(
                    f"the year (or month) of {'、'.join(listed)} could not be determined from "
                    "the text; their date_iso is null (give the publication year: year_hint= "
                    "in the library, --year-hint on the command line, options.year_hint in "
                    "the service)"
                ),
            )
        )
    mentions.sort(key=lambda mention: mention.start)
    return DateResult(tuple(mentions), tuple(warnings), year)
