"""Month-day dates in Chinese (12月13日, 今（13）日, 十一月十一, 10日至12日) and English
("December 13", "13 December", "December 10 to 12", "10-12 December"), and the check that
English dates are stated (as often) by the source.

A bare day (记者20日, 今（13）日) leaves its month implicit: the month of the text's dateline or
an earlier full date. It grants an English date only a month the text makes plausible: the month
of a full date written before it in its own paragraph or of the document's dateline (the date of
a 7月26日电 or 讯, else the first full date of its first lines; only that of one on the same day,
if there is one), or the month before one of them for a day more than a week later (a report
dated 12月1日 calls the 30th "30日"). A full date after the bare day is another event (24日宣布
取消原定于12月31日的活动) and lends it nothing. So 新华社北京5月20日电 记者20日 does not make
"October 20" a supported date. A date of the Chinese calendar (农历十一月十一) lends its month
to no bare day. Spaces inside a date (1989 年 11 月 13 日, 2 月10日) are read through.

A bare day that nothing before it dates (a report without a dateline) takes the month of a full
date of the same day elsewhere in the document, else a month near a date the document reports
(not a scheduled event's: 原定于今年12月31日); if there is none, its month is open. A day named
relative to the dateline (昨天, 今日, 明天) may be written out as its exact date, and so may
"that day" (当天) in a paragraph that dates nothing itself: the date written last before it.

When every month is open (a report whose dateline was stripped), the months a translation
restores must still fit one report (``check_restored_months``): days of one month, and late days
of the month before. "September 26" and "February 25" for 26日 and 25日 cannot both be right.

Round 10: the rocket 长征五号 is "Long March 5", a name and no date (its number is left to the
number check, so "Long March 6" for it is still flagged).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
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
#: English month names and abbreviations, as a regular-expression alternation.
MONTH_NAMES = _MONTH_NAMES
_EN_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_NAMES})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|(?<![:.])(?<!:\s)(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_NAMES})\b)",
    re.IGNORECASE,
)
_CN_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_ZH_DATE = re.compile(
    rf"(?P<m>{_CN_NUM})月(?:份)?(?P<d>{_CN_NUM})(?:[日号]|(?![\d一二三四五六七八九十]))"
)
_ZH_DAY = re.compile(
    r"(?:[（(](?P<p>\d{1,2})[）)]|(?:(?<![月\d])|(?<=[本当上下]月))(?P<d>\d{1,2}))[日号]"
)
#: The first day of a range whose unit is written once (10至12日, 10—12日, 10、11日).
_ZH_RANGE_START = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\s*(?:[至到~～、]|[-—–－]+)\s*\d{1,2}\s*[日号]"
)
_RANGE_JOIN = r"\s*(?:-|–|—|to|through|till|until|and|or|&)\s*"
#: The second day of an English range after a month-day ("December 10 to 12", "Dec. 10-12").
_EN_RANGE_END = re.compile(
    _RANGE_JOIN + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:[%.,]\d|:\s?\d|[-–]\d))",
    re.IGNORECASE,
)
#: The first day of an English range before a day-month ("10 to 12 December", "10-12 Dec").
_EN_RANGE_START = re.compile(
    r"(?<![\w.,-])(?P<d>\d{1,2})(?:st|nd|rd|th)?" + _RANGE_JOIN + r"$", re.IGNORECASE
)
#: Words that may follow the second day of a range; any other word ("10 to 12 people") means the
#: number counts something and is left to the number check.
_AFTER_RANGE_END = frozenset(
    {"in", "at", "on", "of", "and", "or", "the", "this", "that", "when", "during", "while", "with",
     "for", "to", "from", "respectively", "last", "next", "year", "as", "by", "was", "were", "will"}
)  # fmt: skip


#: Spaces some sites put inside a date (1989 年 11 月 13 日, 2 月10日): between a digit and 年,
#: 月, 日 or 号, and between 年 or 月 and a digit.
_SPACE_IN_DATE = re.compile(r"(?<=\d)\s+(?=[年月日号])|(?<=[年月])\s+(?=\d)")


def normalized_zh(text: str) -> str:
    """A Chinese text as the date readers see it: NFKC (full-width digits made ASCII) and the
    spaces inside dates removed, so that 5 月 14 日 is the date 5月14日."""
    return _SPACE_IN_DATE.sub("", unicodedata.normalize("NFKC", text))


def _small(value: str) -> int:
    return int(value) if value.isdigit() else int(cn2an.cn2an(value, "normal"))


def dates_zh(text: str) -> frozenset[tuple[int | None, int]]:
    """(month, day) pairs a Chinese text states; month None for a bare day (今（11）日)."""
    return frozenset(date_mentions_zh(text))


@lru_cache(maxsize=512)
def date_mentions_zh(text: str) -> Counter[tuple[int | None, int]]:
    """How often a Chinese text states each (month, day) (month None for a bare day)."""
    text = normalized_zh(text)
    found: Counter[tuple[int | None, int]] = Counter()
    for match in _ZH_DATE.finditer(text):
        try:
            found[(_small(match.group("m")), _small(match.group("d")))] += 1
        except ValueError:
            continue
    for match in _ZH_DAY.finditer(text):
        found[(None, int(match.group("p") or match.group("d")))] += 1
    for match in _ZH_RANGE_START.finditer(text):
        found[(None, int(match.group("d")))] += 1
    return found


#: A date of the Chinese calendar (农历十一月十一): its month is not the month of a bare day.
_LUNAR_BEFORE = re.compile(r"(?:农历|阴历|夏历)\s*$")


@lru_cache(maxsize=512)
def full_dates(text: str) -> tuple[tuple[int, int], ...]:
    """(month, day) of every full Gregorian date a Chinese text writes out (12月13日), in order;
    a date of the Chinese calendar (农历十一月十一) is left out."""
    text = normalized_zh(text)
    found = []
    for match in _ZH_DATE.finditer(text):
        if _LUNAR_BEFORE.search(text[max(0, match.start() - 4) : match.start()]):
            continue
        try:
            found.append((_small(match.group("m")), _small(match.group("d"))))
        except ValueError:
            continue
    return tuple(found)


#: A dateline: 新华社北京7月26日电, 中新网呼伦贝尔7月26日电, 新京报讯(记者…)7月26日.
_DATELINE_AFTER = re.compile(r"\s*[日号]?\s*(?:电|讯)")
#: Without such a mark, a full date in the document's first lines (a headline and its lead) still
#: dates the report; one further down ("原定于今年12月31日") is an event, not the report's date.
DATELINE_LINES = 3


@lru_cache(maxsize=512)
def dateline(document: str) -> tuple[tuple[int, int], ...]:
    """The (month, day) the report is dated, if the document says: the full date of a dateline
    (…7月26日电), else the first full date within its first ``DATELINE_LINES`` lines."""
    text = normalized_zh(document)
    for match in _ZH_DATE.finditer(text):
        if _DATELINE_AFTER.match(text, match.end()) and not _LUNAR_BEFORE.search(
            text[max(0, match.start() - 4) : match.start()]
        ):
            try:
                return ((_small(match.group("m")), _small(match.group("d"))),)
            except ValueError:
                continue
    return full_dates("\n".join(document.split("\n")[:DATELINE_LINES]))[:1]


def _last_full_date_before(paragraph: str, document: str) -> tuple[tuple[int, int], ...]:
    """The last full date ``document`` writes before ``paragraph`` (one of its lines)."""
    start = document.find(paragraph)
    return full_dates(document[: max(start, 0)])[-1:]


def _full_dates_before_day(source: str, day: int) -> tuple[tuple[int, int], ...]:
    """Full dates of ``source`` written before its first bare mention of ``day``: news writes
    the full date first and refers back to it (记者20日 after 5月20日); a full date after the bare
    day is another event (24日宣布，取消原定于今年12月31日的活动)."""
    text = normalized_zh(source)
    first = next(
        (
            m.start()
            for m in (*_ZH_DAY.finditer(text), *_ZH_RANGE_START.finditer(text))
            if int(m.groupdict().get("p") or m.group("d")) == day
        ),
        len(text),
    )
    return full_dates(text[:first])


def stated_months(text: str) -> frozenset[tuple[int, int]]:
    """(month, day) of every full Gregorian date a Chinese text writes out (12月13日)."""
    return frozenset(full_dates(text))


#: A bare day up to this many days after a full date is read in that date's month (news names
#: the coming days: "the meteor shower peaks on the 14th" in a report of the 12th); a later day
#: may be in the month before (a report dated 12月1日 calls November 30 "30日").
DAYS_AHEAD_IN_SAME_MONTH = 7


def months_for_bare_day(day: int, source: str, document: str | None = None) -> frozenset[int]:
    """The months a bare day (20日) of ``source`` may stand for; empty means any month.

    The full dates that set the month of a bare day decide: those of the paragraph itself and the
    document's first (its dateline). One of them on the same day sets the month (记者20日 after
    5月20日). Otherwise each grants its month, and the month before for a day more than
    ``DAYS_AHEAD_IN_SAME_MONTH`` later than its own (30日 in a report dated 12月1日; but 14日 in a
    report dated 12月12日 is December 14). A full date elsewhere in the document (a coming
    1月10日, even in the paragraph before) grants nothing when the document has a dateline: news
    names days near it. Without a dateline, the last full date written before the paragraph
    stands in for it (the text refers back to the date it last named). When none of these
    dates it, a full date of the same day anywhere in the document sets the month, else any full
    date the document reports grants its month and the month before, but a scheduled event's
    date (原定于今年12月31日) grants nothing; with none of these the month is open: a month
    restored in translation is flagged only when it contradicts a date of the source, not when
    the source merely leaves it unsaid.
    """
    return _bare_day_months(day, source, document)[0]


def _bare_day_months(day: int, source: str, document: str | None) -> tuple[frozenset[int], bool]:
    """``months_for_bare_day``, and whether those months are only *reported* ones: the months of
    other events' dates that the document tells (``_weak_months`` without a same-day date),
    which date the bare day by guess, not by the text."""
    context = list(_full_dates_before_day(source, day))
    if document is not None:
        dated = dateline(document)
        context.extend(dated or _last_full_date_before(source, document))
    same_day = frozenset(month for month, stated_day in context if stated_day == day)
    if same_day:  # 记者20日 after 5月20日 is May 20, whatever else the paragraph names
        return same_day, False
    months: set[int] = set()
    for month, stated_day in context:
        months.add(month)
        if day > stated_day + DAYS_AHEAD_IN_SAME_MONTH:
            months.add(12 if month == 1 else month - 1)
    if months:
        return frozenset(months), False
    same, reported = _weak_months(day, document if document is not None else source)
    return frozenset(same or reported), not same and bool(reported)


#: Before a full date, a plan or schedule: the date of a coming event (原定于今年12月31日,
#: 将于8月1日, 推迟至9月1日), not the time the report speaks of.
_SCHEDULED_BEFORE = re.compile(
    r"(?:原定|定于|将于|将在|拟于|计划于?|预计于?|推迟至|延期至|延迟至|推迟到|延期到)\s*"
    r"(?:今年|明年|\d{4}年)?\s*$"
)


def _weak_months(day: int, text: str) -> tuple[set[int], set[int]]:
    """The fallback when nothing written before a bare day dates it. A full date of the same day
    anywhere in the text sets its month (25日 ... 7月25日). Otherwise the month of every full date
    the text reports, and the month before each, since news reports days near the dates it
    names; a date of a scheduled event (24日宣布，取消原定于今年12月31日的活动) is not such a date.
    With neither, the month is open: a month restored in translation from what the source
    leaves unsaid contradicts nothing. Returns (the same-day months, the reported months)."""
    text = normalized_zh(text)
    same_day: set[int] = set()
    reported: set[int] = set()
    for match in _ZH_DATE.finditer(text):
        before = text[max(0, match.start() - 10) : match.start()]
        if _LUNAR_BEFORE.search(before[-4:]):
            continue
        try:
            month, stated_day = _small(match.group("m")), _small(match.group("d"))
        except ValueError:
            continue
        if stated_day == day:
            same_day.add(month)
        if not _SCHEDULED_BEFORE.search(before):
            reported.update((month, 12 if month == 1 else month - 1))
    return same_day, reported


def dates_en(text: str) -> list[tuple[str, int, int]]:
    """(text, month, day) for each month-day an English text states, both ends of a range.

    The second end of "December 10 to 12" comes as ("December 10 to 12", 12, 12), and the first
    end of "10-12 December" as ("10-12 December", 12, 10): a day changed inside a range is a
    changed date, not a number that merely occurs somewhere in the source.
    """
    found = []
    for match in _EN_DATE.finditer(text):
        month = _MONTHS[(match.group("m1") or match.group("m2")).lower()]
        day = int(match.group("d1") or match.group("d2"))
        if not 1 <= day <= 31:
            continue
        found.append((match.group(), month, day))
        if match.group("m1"):
            end = _EN_RANGE_END.match(text, match.end())
            if end and 1 <= int(end.group("d")) <= 31 and _ends_range(text, end.end()):
                found.append((text[match.start() : end.end()], month, int(end.group("d"))))
        else:
            start = _EN_RANGE_START.search(text[max(0, match.start() - 16) : match.start()])
            if start and 1 <= int(start.group("d")) <= 31:
                begin = match.start() - (
                    len(text[max(0, match.start() - 16) : match.start()]) - start.start()
                )
                found.append((text[begin : match.end()], month, int(start.group("d"))))
    return found


def _ends_range(text: str, position: int) -> bool:
    """Whether what follows a range's second day lets it be a day (not "10 to 12 people")."""
    after = re.match(r"\s+([A-Za-z]+)", text[position:])
    return (
        after is None or after.group(1).lower() in _AFTER_RANGE_END or after.group(1)[0].isupper()
    )


#: "That day" (当日, 当天, 同日): translators write out the date it refers back to ("At 8:00 of
#: July 7th" for 当日8时 after 7日), so each lets a date the paragraph states be named once more.
_SAME_DAY = re.compile(r"当日|当天|同日|是日|同一天")


def same_day_mentions(source: str) -> int:
    """How many times a (Chinese) paragraph refers back to a day as "that day"."""
    return len(_SAME_DAY.findall(source))


def referred_back_dates(source: str, document: str | None) -> frozenset[tuple[int, int]]:
    """The date a 当天 / 当日 ("that day") refers back to when its paragraph writes no date of
    its own (据媒体26日报道 ... then, in the next paragraph, 当天在地中海截获): the last full date
    ``document`` writes before the paragraph, else the dateline. Translators write it out ("on
    July 26"); nothing when the paragraph dates something itself or has no "that day"."""
    if document is None or not same_day_mentions(source) or date_mentions_zh(source):
        return frozenset()
    return frozenset(_last_full_date_before(source, document) or dateline(document))


#: Days named relative to the report's date, and their distance from it in days.
_RELATIVE_DAYS = {
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "今天": 0,
    "今日": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
}
_RELATIVE_DAY = re.compile("|".join(_RELATIVE_DAYS))


def relative_dates(source: str, document: str | None) -> Counter[tuple[int, int]]:
    """(month, day) of each day ``source`` names relative to the report's date (昨天, 今日,
    明天), counted from the document's dateline; nothing without a dateline. Translators write
    these out ("on July 25" for 昨天 in a report dated 7月26日): the exact date, never another."""
    dated = dateline(document) if document is not None else ()
    if not dated:
        return Counter()
    ((month, day),) = dated
    try:
        report = datetime.date(2020, month, day)  # a leap year, so a dateline of 2月29日 reads
    except ValueError:
        return Counter()
    found: Counter[tuple[int, int]] = Counter()
    for match in _RELATIVE_DAY.finditer(source):
        named = report + datetime.timedelta(days=_RELATIVE_DAYS[match.group()])
        found[(named.month, named.day)] += 1
    return found


#: "Long March 5": the rocket family 长征 (Long March) with its model number, no month-day.
_LONG_MARCH = re.compile(r"\bLong\s+(March\s+\d{1,2})\b")


def rocket_names(english: str, source: str) -> Counter[str]:
    """Month-days of ``english`` that are the rocket name "Long March N" where ``source`` names
    the rocket family 长征 (round 10): "March 5" there names a rocket, not a date."""
    if "长征" not in source:
        return Counter()
    return Counter(m.group(1) for m in _LONG_MARCH.finditer(english))


def check_dates(
    english: str,
    source: str,
    paragraph: int | None,
    *,
    document: str | None = None,
    months_judged_together: bool = False,
) -> list[Flag]:
    """English month-days the source does not state, or states fewer times than the English.

    Counting matters: "December 10 ... December 11" turned into "December 11 ... December 11"
    still only names dates the source states, but one of them once too often. A bare day of the
    source grants only the months ``months_for_bare_day`` allows (``document`` is the whole text
    when ``source`` is one paragraph of it, so the dateline's month counts). A day named relative
    to the dateline (昨天, 今日) grants its exact date once (``relative_dates``).
    With ``months_judged_together`` (the caller runs ``check_restored_months`` over the whole
    translation), a bare day whose months come only from other events' dates is left to that
    check, which judges every restored month of the report at once.
    """
    remaining = Counter(date_mentions_zh(source)) + relative_dates(source, document)
    same_day = same_day_mentions(source)
    referred_back = referred_back_dates(source, document)
    rockets = rocket_names(english, source if document is None else document)
    flags = []
    for text, month, day in dates_en(english):
        if rockets[text] > 0:  # "Long March 5" for 长征五号: a rocket's name
            rockets[text] -= 1
            continue
        months, reported_only = _bare_day_months(day, source, document)
        bare_ok = (None, day) in remaining and (
            not months or month in months or (reported_only and months_judged_together)
        )
        keys = ((month, day), (None, day)) if bare_ok else ((month, day),)
        for key in keys:
            if remaining[key] > 0:
                remaining[key] -= 1
                break
        else:
            stated = (month, day) in remaining or bare_ok
            if (stated or (month, day) in referred_back) and same_day > 0:
                # 当日: "that day" written out as its date
                same_day -= 1
                continue
            message = (
                f"{text!r} occurs more often than the source states it"
                if stated
                else f"{text!r} is not a date the source states"
            )
            flags.append(Flag("date.unsupported", paragraph, text, message))
    return flags


def _restored_dates(
    english: str, source: str, document: str
) -> list[tuple[str, int, int, frozenset[int]]]:
    """(text, month, day, months the document lends it) of the English dates of one paragraph
    whose day the source writes bare (26日) and whose month the source does not set: open
    (nothing lends a month) or lent only by other events' dates (``_bare_day_months``)."""
    stated = date_mentions_zh(source)
    found = []
    for text, month, day in dates_en(english):
        if (month, day) in stated or (None, day) not in stated:
            continue
        months, reported_only = _bare_day_months(day, source, document)
        if not months or reported_only:
            found.append((text, month, day, months))
    return found


RestoredDate = tuple[int, str, int, int]  # paragraph, text, month, day


def _one_report(restored: list[RestoredDate], month: int) -> list[RestoredDate]:
    """The restored dates a report of ``month`` can speak of: days of that month, and days of
    the month before later than all of them (a report of the 3rd names the 30th before it)."""
    this_month = [entry for entry in restored if entry[2] == month]
    latest = max((day for *_, day in this_month), default=0)
    before = 12 if month == 1 else month - 1
    return [
        entry
        for entry in restored
        if entry[2] == month or (entry[2] == before and entry[3] > latest)
    ]


def check_restored_months(
    paragraphs_en: Sequence[str], source_paragraphs: Sequence[str]
) -> list[Flag]:
    """Months a translation restores for bare days that cannot all be one report's.

    A report without a dateline or any full date (its dateline stripped) leaves every month open,
    and a translator restores them from what they know of the report's date ("September 26" for
    26日). Any one such month is licensed, but the bare days of one report are days of its month
    (本月14日 and 26日), or late days of the month before (the 30th in a report of the 3rd). The
    month that lets most restored dates be one report's is taken as the report's (of equals, the
    one most of them the document lends, then the one of the first restored date, the report's
    lead); a restored date it leaves out is flagged.

    Round 8: bare days that only other events' dates lend a month to (a report without a
    dateline that tells, further down, of 7月19日 and 8月15日) are judged here too. Two or more
    restored dates that fit one report are the translator's knowledge of the report's date,
    even in a month no background date lends ("September 27" three times); a single restored
    date is still held to the months the document lends it, and one that leaves the report's
    month is flagged (a "June 27" among "September 27"s).
    """
    document = "\n".join(source_paragraphs)
    restored: list[RestoredDate] = []
    lent: dict[RestoredDate, frozenset[int]] = {}
    for index, (english, source) in enumerate(zip(paragraphs_en, source_paragraphs, strict=True)):
        for text, month, day, months in _restored_dates(english, source, document):
            restored.append((index, text, month, day))
            lent[restored[-1]] = months
    if len(restored) == 1:
        ((index, text, month, day),) = restored
        months = lent[restored[0]]
        if months and month not in months:
            return [
                Flag(
                    "date.unsupported",
                    index,
                    text,
                    f"{text!r} is not a date the source states (the document lends day {day} "
                    "only the months of the events it reports)",
                )
            ]
        return []
    if not restored:
        return []
    first = restored[0]
    report_month = max(
        range(1, 13),
        key=lambda month: (
            len(kept := _one_report(restored, month)),
            sum(entry[2] in lent[entry] for entry in kept),
            first in kept,
            month == first[2],
        ),
    )
    kept = _one_report(restored, report_month)
    named = datetime.date(2020, report_month, 1).strftime("%B")
    return [
        Flag(
            "date.unsupported",
            index,
            text,
            f"{text!r} restores a month the source does not state, and one that cannot be of the "
            f"same report as the other days it leaves without a month (of {named})",
        )
        for index, text, month, day in restored
        if (index, text, month, day) not in kept
    ]
