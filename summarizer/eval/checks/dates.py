"""Month-day dates in Chinese (12月13日, 今（13）日, 十一月十一) and English ("December 13",
"13 December"), and the check that English dates are stated (as often) by the source."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import cn2an

from summarizer.eval.checks.flags import Flag

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_EN_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_NAMES})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_NAMES})\b)",
    re.IGNORECASE,
)
_CN_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_ZH_DATE = re.compile(
    rf"(?P<m>{_CN_NUM})月(?:份)?(?P<d>{_CN_NUM})(?:[日号]|(?![\d一二三四五六七八九十]))"
)
_ZH_DAY = re.compile(r"(?:[（(](?P<p>\d{1,2})[）)]|(?<![月\d])(?P<d>\d{1,2}))[日号]")


def _small(value: str) -> int:
    return int(value) if value.isdigit() else int(cn2an.cn2an(value, "normal"))


def dates_zh(text: str) -> frozenset[tuple[int | None, int]]:
    """(month, day) pairs a Chinese text states; month None for a bare day (今（11）日)."""
    return frozenset(date_mentions_zh(text))


@lru_cache(maxsize=512)
def date_mentions_zh(text: str) -> Counter[tuple[int | None, int]]:
    """How often a Chinese text states each (month, day) (month None for a bare day)."""
    text = unicodedata.normalize("NFKC", text)
    found: Counter[tuple[int | None, int]] = Counter()
    for match in _ZH_DATE.finditer(text):
        try:
            found[(_small(match.group("m")), _small(match.group("d")))] += 1
        except ValueError:
            continue
    for match in _ZH_DAY.finditer(text):
        found[(None, int(match.group("p") or match.group("d")))] += 1
    return found


def dates_en(text: str) -> list[tuple[str, int, int]]:
    """(text, month, day) for each month-day an English text states."""
    found = []
    for match in _EN_DATE.finditer(text):
        month = _MONTHS[(match.group("m1") or match.group("m2")).lower()]
        day = int(match.group("d1") or match.group("d2"))
        if 1 <= day <= 31:
            found.append((match.group(), month, day))
    return found


def check_dates(english: str, source: str, paragraph: int | None) -> list[Flag]:
    """English month-days the source does not state, or states fewer times than the English.

    Counting matters: "December 10 ... December 11" turned into "December 11 ... December 11"
    still only names dates the source states, but one of them once too often.
    """
    remaining = Counter(date_mentions_zh(source))
    flags = []
    for text, month, day in dates_en(english):
        for key in ((month, day), (None, day)):
            if remaining[key] > 0:
                remaining[key] -= 1
                break
        else:
            stated = (month, day) in remaining or (None, day) in remaining
            message = (
                f"{text!r} occurs more often than the source states it"
                if stated
                else f"{text!r} is not a date the source states"
            )
            flags.append(Flag("date.unsupported", paragraph, text, message))
    return flags
