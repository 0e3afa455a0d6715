"""Numbers stated in Chinese and in English, and the check that English numbers are in the source.

Chinese: Arabic digits (with 万/亿 scales as alternatives), Chinese numerals read with cn2an
(二十一 = 21, 二〇二一 = 2021, partial readings of runs such as 二十届四 = 20 and 4),
"十五五" = 15th Five-Year Plan, 15时 = 3 p.m. English: digits, ordinals ("15th"), number
words ("eight", "twenty-one", "fifteenth") and scales ("1.2 million").

The same number written another way is the same number: 2万4801 = 24,801, 30余万 = "300
thousand", 四成 = 40%, 双十一 = "Double Eleven". A year inside an event's English name ("the
Beijing 2022 Winter Olympics", "Expo 2020") is part of the name: it needs no support when the
source paragraph writes no year at all (Chinese often names the event without one), but a
different year than the source writes is still flagged.

Also the same number (round 6): 7万8千 = 78,000, 1亿2千万 = 120 million, 三分之一 = "33%",
近半 = "nearly 50%", 一万六七千 = "16,000 to 17,000", 九二共识 = "the 1992 Consensus", a scale
after a hyphen ("200-billion-dollar") or written once for a range ("4 to 6 million"), a number
rounded to at least three figures (1993.03万 = "19.93 million"), the year before a year the
paragraph states when it compares year on year (2022年 … 同比 = "than in 2021"), and the number
of a fixed term (立体 = "three-dimensional", 北京时间 = "GMT+8"). A number may be named once
more when the English refers back to what it counted ("four halls … the four halls") or writes
out a converse (反之: "above 50% … below 50%").

Round 7: minutes in Chinese numerals (三时三十分 = "3:30"), "five hundred thousand" as one number,
a labelled number named again ("Line 1 … Line 1"), and a year added to an agreement ("the 2015
nuclear deal") where the paragraph writes no year.

Round 8: a count named again with the same noun right after it ("for 3 months … for 3 months")
or by a partitive after it was named ("45 taxis … one of the 45").

Round 10: a range whose scale is written once (600至850亿 = "60 to 85 billion"); a race time
1分57秒79 is "1:57.79" or "1 minute 57.79 seconds" (its hundredths after 秒 belong to the
seconds); "zero" for a negation (绝不容忍 as "tolerate zero") while every number of the paragraph
is still rendered; a fiscal year by its last two digits ("fiscal year 17" for 2017财年); a
number after a currency code written against it ("GBP1,700") is read whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import cn2an

from summarizer.eval.checks.dates import (
    MONTH_NAMES,
    date_mentions_zh,
    dates_en,
    referred_back_dates,
    relative_dates,
    same_day_mentions,
)
from summarizer.eval.checks.flags import Flag
from summarizer.text.chars import FIVE_YEAR_PLAN

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿双俩]+")
_CLOCK_HOUR = re.compile(r"(\d{1,2})\s*[时点]")
_ARABIC = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?")
_SCALE_AFTER = re.compile(r"\s*[余多]?\s*([千万亿])")
_SCALE_FACTORS = {"千": 1e3, "万": 1e4, "亿": 1e8}
#: The rest of a range whose scale is written once, after its second number (600至850亿: the
#: first number is 亿 too, "60 to 85 billion"), round 10.
_ZH_RANGE_SCALE = re.compile(
    r"\s*(?:至|到|~|～|-|—|–|－)\s*\d+(?:[,，]\d{3})*(?:\.\d+)?\s*[余多]?\s*([万亿])"
)
#: 八十年代, 80年代: a decade ("the 1980s").
_DECADE = re.compile(r"(?:(?P<digits>[1-9]0)|(?P<han>[一二三四五六七八九]十))\s*年代")
#: The first decade of a pair written once (六七十年代, 60、70年代, 80-90年代): "the 1960s and
#: 1970s". The second is read by ``_DECADE``.
_DECADE_PAIR = re.compile(
    r"(?:(?P<digits>[1-9]0)\s*[、\-—–~～至到和与]\s*[1-9]0|(?P<han>[一二三四五六七八九])"
    r"[一二三四五六七八九]十)\s*年代"
)
#: Halves that English writes as whole units: 半年 "six months", 半小时 "30 minutes", 半个月
#: "15 days" / "two weeks".
_HALVES = {
    "半年": (6.0,),
    "半小时": (30.0,),
    "半个小时": (30.0,),
    "半个月": (15.0, 2.0),
    "一半": (50.0,),  # "50%"
    "半数": (50.0,),
    "近半": (50.0,),  # "nearly 50%"
    "过半": (50.0,),
    "逾半": (50.0,),
    "超半": (50.0,),
}
#: Round-the-clock words that English writes with numbers: 全天候 "24/7" or "24-hour", 全天 and
#: 昼夜 "24 hours".
_ROUND_THE_CLOCK = {"全天候": (24.0, 7.0), "全天": (24.0,), "昼夜": (24.0,)}
#: Units that English converts (亩 to hectares or acres, 斤 to kilograms, 公里 to miles, 公斤 to
#: pounds, the Chinese mile 里 to kilometres or miles): (Chinese unit, factors of the English
#: units).
_CONVERTED_UNITS = re.compile(
    r"\s*[余多]?\s*([万亿]?)\s*(亩|斤|公里|千米|公斤|平方公里|里(?![面头边]))"
)
_CONVERSIONS = {
    "亩": (1 / 15, 0.164737),
    "斤": (0.5,),
    "公里": (0.621371,),
    "千米": (0.621371,),
    "公斤": (2.20462,),
    "平方公里": (0.386102, 100.0),
    "里": (0.5, 0.310686),
}
#: Units and counters a half (半) or an added half (两个半, 三年半) goes with: 半米 is "0.5
#: meters", 两个半小时 "2.5 hours".
_HALF_UNITS = (
    r"(?:厘米|毫米|公里|千米|米|里|吨|公斤|千克|斤|克|升|小时|钟头|天|年|月|周|星期|分钟|秒|亩)"
)
_HALF_OF_UNIT = re.compile(r"(?<![一两])半(?=个?" + _HALF_UNITS + ")")
_AND_A_HALF = re.compile(r"(?P<whole>\d+|[一二两三四五六七八九十]+)(?:个|" + _HALF_UNITS + r")半")
#: 五六百, 四五, 十七八, 三四十万: two neighbouring digits give an approximate number (概数),
#: which English writes as a range ("4-5 cm", "Level 1-2") or as one of its ends ("about 500
#: meters"); cn2an reads 四五 as 45. A pair of months (七八月, "July and August") is left to the
#: date check: English names months, so 7 and 8 are no numbers it may state.
_APPROXIMATE = re.compile(
    r"(?P<head>[一二两三四五六七八九十百千]+万)?"
    r"(?P<tens>[二三四五六七八九]?十)?(?P<low>[一二三四五六七八九])(?P<high>[二三四五六七八九])"
    r"(?P<scale>[十百千万亿]*)(?!月)"
)
_SCALE_CHARS = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
#: 九二共识, the "1992 Consensus": a year written with its last two digits before a name.
_ABBREVIATED_YEAR = re.compile(
    r"(?:(?P<han>[〇零一二三四五六七八九]{2})|(?<!\d)(?P<digits>\d\d))(?=共识)"
)
#: 90后, 八零后: a generation by decade of birth ("born in the 1990s", "the post-90s").
_GENERATION = re.compile(r"(?<![\d.])(?P<digits>\d0)后|(?P<han>[一二三四五六七八九零〇])[零〇]后")
#: 上下册, 上中下卷: the volumes (or parts) of a work, numbered in English ("Volumes 1 & 2").
_VOLUMES = re.compile(r"上(中)?下[册卷集篇部编]")
#: 2万4801: a number written with its 万 part and the rest (24,801); 7万8千 and 75万7千 with
#: the rest in thousands (78,000; 757,000) or hundreds.
_MIXED_WAN = re.compile(r"(\d+)\s*万\s*(\d{1,4})(?![\d.])\s*(?P<unit>[千百]?)")
_REST_UNITS = {"": 1.0, "千": 1e3, "百": 1e2}
#: 1亿2千万, 3亿5000万: a number written with its 亿 part and the rest (120 million).
_MIXED_YI = re.compile(r"(\d+)\s*亿\s*(\d{1,4})(?![\d.])\s*(?P<unit>千万|百万|万)")
_YI_REST_UNITS = {"千万": 1e7, "百万": 1e6, "万": 1e4}
#: 三分之一, 5分之2: a fraction, which English often writes as a percentage ("33%").
_FRACTION = re.compile(
    r"(?P<den>\d+|[二两三四五六七八九十]+)\s*分之\s*(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)"
)
#: 四成, 3成: tenths ("40%").
_TENTHS = re.compile(r"([一二两三四五六七八九\d](?:\.\d)?)成(?![为功立绩本果员长熟])")
_YEAR_IN_ZH = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|[〇零一二三四五六七八九]{4}年")
#: A year a document states as a year (2019年, 二〇一九年, 2020-07-26), not a quantity (2000公里).
_STATED_YEAR = re.compile(
    r"(?<!\d)(?:1[89]|20)\d\d(?=\s*年|[-/.]\d{1,2}[-/.]\d{1,2}(?!\d))|[〇零一二三四五六七八九]{4}年"
)
#: 57秒79: seconds with their hundredths written after 秒 (a race time, 1分57秒79), which English
#: writes "57.79 seconds" or "1:57.79" (round 10).
_RACE_SECONDS = re.compile(r"(?<![\d.])(?P<seconds>\d{1,2})\s*秒\s*(?P<fraction>\d{1,3})(?![\d.])")
#: 1分57秒: a duration in minutes and seconds, which English writes "1:57" (round 10).
_ZH_MINUTES_SECONDS = re.compile(r"(?<![\d.])(?P<minutes>\d{1,3})\s*分\s*(?P<seconds>\d{1,2})\s*秒")
_PLAIN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_PLAIN_DIGITS["零"] = "0"


#: Characters that state a number on their own but that cn2an does not read alone.
_CN_SINGLE = {"百": 100.0, "千": 1000.0, "万": 1e4, "亿": 1e8, "双": 2.0, "俩": 2.0, "两": 2.0}


def _cn_value(run: str) -> list[float]:
    """Values of one run of Chinese numerals (several when it is a list like 一二)."""
    if run in _CN_SINGLE:
        return [_CN_SINGLE[run]]
    if len(run) >= 2 and all(c in _PLAIN_DIGITS for c in run):
        return [float("".join(_PLAIN_DIGITS[c] for c in run))]  # 二〇二一 -> 2021
    try:
        return [float(cn2an.cn2an(run, "normal"))]
    except (ValueError, KeyError, TypeError):
        values = []
        for char in run:
            if char in _CN_SINGLE:
                values.append(_CN_SINGLE[char])
                continue
            try:
                values.append(float(cn2an.cn2an(char, "normal")))
            except (ValueError, KeyError, TypeError):
                continue
        return values


@lru_cache(maxsize=512)
def numbers_zh(text: str) -> frozenset[float]:
    """Every numeric value a (Chinese) text states, with 万/亿 scales applied as alternatives."""
    return frozenset(number_mentions_zh(text))


@lru_cache(maxsize=512)
def number_mentions_zh(text: str) -> Counter[float]:
    """How many places of a (Chinese) text state each value (a place may state several: 2万 is
    2 and 20000; 十五五 is 15 and 5)."""
    counts: Counter[float] = Counter()
    for values in number_places_zh(text):
        counts.update(values)
    return counts


@lru_cache(maxsize=512)
def number_places_zh(text: str) -> tuple[frozenset[float], ...]:
    """The values of each place of a (Chinese) text that states a number, in no fixed order."""
    text = unicodedata.normalize("NFKC", text)
    places: dict[tuple[int, int], set[float]] = {}

    def add(match: re.Match[str], *values: float) -> None:
        places.setdefault(match.span(), set()).update(round(v, 6) for v in values)

    for match in FIVE_YEAR_PLAN.finditer(text):
        add(match, 10 + float(cn2an.cn2an(match.group(1), "normal")), 5.0)
    for match in _ARABIC.finditer(text):
        value = float(match.group().replace(",", "").replace("，", ""))
        add(match, value)
        scale = _SCALE_AFTER.match(text, match.end())
        if scale:
            add(match, value * _SCALE_FACTORS[scale.group(1)])
        elif shared := _ZH_RANGE_SCALE.match(text, match.end()):  # 600至850亿: 60 billion
            add(match, value * _SCALE_FACTORS[shared.group(1)])
    for match in _MIXED_WAN.finditer(text):
        rest = float(match.group(2)) * _REST_UNITS[match.group("unit")]
        add(match, float(match.group(1)) * 1e4 + rest)
    for match in _MIXED_YI.finditer(text):
        rest = float(match.group(2)) * _YI_REST_UNITS[match.group("unit")]
        add(match, float(match.group(1)) * 1e8 + rest)
    for match in _FRACTION.finditer(text):  # 三分之一: "a third", "33%", "33.3%"
        parts = [match.group("den"), match.group("num")]
        den, num = (float(p) if p[0].isdigit() else sum(_cn_value(p)[:1]) for p in parts)
        if den:
            share = num / den
            add(match, share, *(round(share * 100, places) for places in range(3)))
    for match in _TENTHS.finditer(text):
        tenths = (
            _cn_value(match.group(1))
            if not match.group(1)[0].isdigit()
            else [float(match.group(1))]
        )
        add(match, *(value * 10 for value in tenths))
    for match in _RACE_SECONDS.finditer(text):  # 57秒79: "57.79 seconds"
        add(match, float(f"{match.group('seconds')}.{match.group('fraction')}"))
    for match in _CLOCK_HOUR.finditer(text):  # 15时 is "3 p.m." in English
        hour = int(match.group(1))
        if 12 < hour <= 24:
            add(match, float(hour - 12))
    for match in _DECADE.finditer(text):
        decade = float(match.group("digits") or _cn_value(match.group("han"))[0])
        add(match, decade, 1900 + decade, *((2000 + decade,) if decade <= 20 else ()))
    for match in _DECADE_PAIR.finditer(text):  # 六七十年代: "the 1960s and 1970s"
        first = float(match.group("digits") or _cn_value(match.group("han"))[0] * 10)
        add(match, first, 1900 + first, *((2000 + first,) if first <= 20 else ()))
    for match in _VOLUMES.finditer(text):
        add(match, 1.0, 2.0, *((3.0,) if match.group(1) else ()))
    for half, whole_units in (*_HALVES.items(), *_ROUND_THE_CLOCK.items()):
        for match in re.finditer(half, text):
            add(match, *whole_units)
    for match in _HALF_OF_UNIT.finditer(text):  # 半米: "0.5 meters"
        add(match, 0.5)
    for match in _AND_A_HALF.finditer(text):  # 两个半小时: "2.5 hours"
        whole = match.group("whole")
        add(match, *(v + 0.5 for v in ([float(whole)] if whole.isdigit() else _cn_value(whole))))
    for match in _APPROXIMATE.finditer(text):
        low, high = _cn_value(match.group("low"))[0], _cn_value(match.group("high"))[0]
        if high != low + 1:
            continue
        tens = _cn_value(match.group("tens"))[0] if match.group("tens") else 0.0
        factor = 1.0
        for char in match.group("scale"):
            factor *= _SCALE_CHARS[char]
        add(match, (tens + low) * factor, (tens + high) * factor)
        if match.group("head"):  # 一万六七千: 16,000 to 17,000
            lead = sum(_cn_value(match.group("head"))[:1])
            add(match, lead + (tens + low) * factor, lead + (tens + high) * factor)
    for match in _ABBREVIATED_YEAR.finditer(text):  # 九二共识: "the 1992 Consensus"
        digits = match.group("digits") or "".join(_PLAIN_DIGITS[c] for c in match.group("han"))
        add(match, 1900.0 + int(digits), 2000.0 + int(digits))
    for match in _GENERATION.finditer(text):  # 90后: "born in the 1990s"
        if match.group("digits"):
            decade = float(match.group("digits"))
        else:
            decade = float(_PLAIN_DIGITS[match.group("han")]) * 10
        add(match, decade, (1900.0 if decade >= 20 else 2000.0) + decade)
    for match in _CN_NUMERAL_RUN.finditer(text):
        add(match, *_cn_value(match.group()))
        run = match.group()
        if len(run) > 1 and run[0] in "双俩":  # 双十一 ("Double Eleven"): the day, not 2 and 10
            add(match, *_cn_value(run[1:]))
        for index, char in enumerate(run):  # partial readings: 二十届四 -> also 20, 4
            if char in "万亿" and index:
                head = _cn_value(run[:index])
                factor = 1e4 if char == "万" else 1e8
                add(match, *(h * factor for h in head), *head)
    return tuple(frozenset(values) for values in places.values())


@lru_cache(maxsize=512)
def converted_values_zh(text: str) -> frozenset[float]:
    """A (Chinese) text's quantities of 亩, 斤, 公里, 公斤 in the units English converts them to
    (1万亩 = 666.7 hectares = 1,647 acres; 2000斤 = 1,000 kg), unrounded."""
    text = unicodedata.normalize("NFKC", text)
    values: set[float] = set()
    for match in (*_ARABIC.finditer(text), *_CN_NUMERAL_RUN.finditer(text)):
        unit = _CONVERTED_UNITS.match(text, match.end())
        if unit is None:
            continue
        if match.group()[0].isdigit():
            bases = [float(match.group().replace(",", "").replace("，", ""))]
        else:
            bases = _cn_value(match.group())
        scale = {"万": 1e4, "亿": 1e8}.get(unit.group(1), 1.0)
        for base in bases:
            values.update(base * scale * factor for factor in _CONVERSIONS[unit.group(2)])
    return frozenset(values)


def _rounds_to(stated: float, exact: float) -> bool:
    """Whether ``stated`` is ``exact`` rounded as translators round a conversion: to the decimals
    ``stated`` shows, or to one to three significant figures."""
    if exact <= 0:
        return False
    if any(abs(round(exact, places) - stated) < 1e-9 for places in range(0, 3)):
        return True
    for figures in (1, 2, 3):
        magnitude = 10 ** (len(str(int(exact))) - figures)
        if abs(round(exact / magnitude) * magnitude - stated) < 1e-9 * max(1.0, stated):
            return True
    return False


#: 各１名, 各培训１名, 分别3个, 每人2本: a number given to each of several things, which
#: English repeats ("1 music teacher, 1 art teacher and 1 PE teacher").
_DISTRIBUTED = re.compile(r"(?:(?:各|分别|均)[^\d，,。；;、]{0,3}|每[人个位名])\s*$")


@lru_cache(maxsize=512)
def distributed_values(text: str) -> frozenset[float]:
    """Values a (Chinese) text gives to each of several things (各１名: 1)."""
    text = unicodedata.normalize("NFKC", text)
    values: set[float] = set()
    for match in (*_ARABIC.finditer(text), *_CN_NUMERAL_RUN.finditer(text)):
        if _DISTRIBUTED.search(text[max(0, match.start() - 6) : match.start()]):
            values.update(number_mentions_zh(match.group()))
    return frozenset(values)


_UNITS = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
}
_ORDINALS = {
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "hundredth": 100,
}
_TENS = {word: value for word, value in _UNITS.items() if 20 <= value <= 90}
_SMALL_ORDINAL = {"first": 1, "second": 2, **_ORDINALS}
#: Words after a hyphenated tens word ("twenty-one", "thirty-first").
_COMPOUND_UNITS = {
    "one": 1,
    **{word: value for word, value in _UNITS.items() if 2 <= value <= 9},
    **{word: value for word, value in _SMALL_ORDINAL.items() if value <= 9},
}
_SCALES = {"million": 1e6, "billion": 1e9, "trillion": 1e12, "thousand": 1e3, "hundred": 1e2}


def _scale(word: str) -> float:
    """The factor of a scale word, read through a typo ("6 billon" still says billions): a
    misspelt scale is the same number written badly, not another number."""
    word = word.lower()
    if word in _SCALES:
        return _SCALES[word]
    return {"m": 1e6, "b": 1e9, "t": 1e12}[word[0]]


_WORD = "|".join(sorted([*_UNITS, *_ORDINALS], key=len, reverse=True))
_ORDINAL_TEXT = re.compile(
    r"\d(?:st|nd|rd|th)$|(?:first|second|" + "|".join(_ORDINALS) + r")$", re.IGNORECASE
)
#: A number is read whole after a three-letter currency code written against it ("GBP1,700",
#: "RMB500", round 10), not from after its thousands comma ("700").
_EN_NUMBER = re.compile(
    r"(?:(?<=\b(?-i:[A-Z]{3}))(?=\d)|(?<![\w.:-]))(?<!:\s)(?:(?P<digits>\d+(?:,\d{3})*(?:\.\d+)?)(?!,\d{3}|\.\d)"
    r"(?:st|nd|rd|th|s|(?:mg|kg|km|cm|mm|ml|g|m|t|kwh|kw|mw|gw|kv|ha|sqm|lbs?|mph)(?![\w]))?"
    r"|(?P<tens>" + "|".join(_TENS) + r")[-\s](?P<unit>" + "|".join(_COMPOUND_UNITS) + r")"
    r"|(?P<word>" + _WORD + r"))(?![\w])"
    r"(?:(?:\s+|-)(?P<scale>(?:m|b|tr)ill?i?on|thousand|hundred)\b"
    r"(?:\s+(?P<scale2>(?:m|b|tr)ill?i?on|thousand)\b)?)?",
    re.IGNORECASE,
)
#: The rest of a range whose scale is written once, after its first number: "4 to 6 million",
#: "between 1.27 and 2.5 million" (the first number is millions too).
_RANGE_SCALE = re.compile(
    r"\s*(?:-|–|—|to|and|or)\s*\d+(?:,\d{3})*(?:\.\d+)?(?:\s+|-)"
    r"(?P<scale>(?:m|b|tr)ill?i?on|thousand)\b",
    re.IGNORECASE,
)


_DECADES_AFTER = re.compile(r"\s+decades?\b", re.IGNORECASE)


@dataclass(frozen=True)
class NumberHit:
    text: str
    #: Candidate values (e.g. 5 and 5e9 for "5 billion").
    values: tuple[float, ...]
    #: "19th", "sixth", "twenty-first": a label (19th Central Committee), not a quantity.
    ordinal: bool = False


def numbers_en(text: str) -> list[NumberHit]:
    """Numbers an English text states (digits, ordinals, number words, scales)."""
    hits: list[NumberHit] = []
    for match in _EN_NUMBER.finditer(text):
        if match.group("digits"):
            base = float(match.group("digits").replace(",", ""))
        elif match.group("tens"):
            unit = match.group("unit").lower()
            base = _TENS[match.group("tens").lower()] + _COMPOUND_UNITS[unit]
        else:
            word = match.group("word").lower()
            base = _UNITS.get(word, _ORDINALS.get(word, 0))
        values = [base]
        if match.group("scale"):
            values.append(base * _scale(match.group("scale")))
            if match.group("scale2"):  # "five hundred thousand": one number, 500,000
                values.append(values[-1] * _scale(match.group("scale2")))
        elif match.group("digits") and (shared := _RANGE_SCALE.match(text, match.end())):
            values.append(base * _scale(shared.group("scale")))
        if _DECADES_AFTER.match(text, match.end()):  # "three decades" for 三十余年
            values.append(base * 10)
        stated = match.group().strip()
        ordinal = bool(_ORDINAL_TEXT.search(stated))
        hits.append(NumberHit(stated, tuple(round(v, 6) for v in values), ordinal))
    return hits


def _number_supported(hit: NumberHit, source: frozenset[float]) -> bool:
    return _supporting_value(hit, source) is not None


def _supporting_value(hit: NumberHit, source: frozenset[float]) -> float | None:
    """The source value an English number states, if any."""
    for value in hit.values:
        if value in source:
            return value
        if value >= 1000:
            for stated in source:
                if abs(value - stated) <= 1e-9 * value:
                    return stated
    return None


#: A number rounded to the figures the English shows needs at least this many significant
#: digits ("19.93 million" for 1993.03万); "20 million" for it is left to be flagged.
ROUNDED_MIN_FIGURES = 3
_SCALE_WORD = re.compile(r"(?:\s|-)(?P<scale>(?:m|b|tr)ill?i?on|thousand)$", re.IGNORECASE)


def _rounded_from(hit: NumberHit, source: frozenset[float]) -> float | None:
    """The source value an English number with a scale word rounds, if any: 1993.03万
    (19,930,300) written "19.93 million". The English must show at least
    ``ROUNDED_MIN_FIGURES`` significant digits, and the source value must round to it at the
    last digit shown, so a number changed in its last digit is still no rounding. Numbers
    without a scale word are never taken as rounded: "1340" for 1339 and "2020" for 2018 are
    changed numbers, and a year is never rounded."""
    token = re.match(r"\d[\d,]*(?:\.\d+)?", hit.text)
    scale = _SCALE_WORD.search(hit.text)
    if token is None or scale is None:
        return None
    written = token.group().replace(",", "")
    whole, _, decimals = written.partition(".")
    if len((whole + decimals).lstrip("0")) < ROUNDED_MIN_FIGURES:
        return None
    factor = _scale(scale.group("scale"))
    value = float(written) * factor
    half_unit = 10.0 ** -len(decimals) * factor / 2
    for stated in source:
        if stated != value and abs(stated - value) <= half_unit * (1 + 1e-9):
            return stated
    return None


#: English states these where Chinese has no numeral ("two students" for "A、B"; "both").
_UNCHECKED_WORDS = frozenset({"two"})

#: Negations that English may write as "zero" ("tolerate zero" for 绝不容忍, "zero intention"
#: for 没有半点…的意思): each lets the paragraph's English say "zero" once, round 10.
_NEGATION = re.compile(r"没有|[不没无未非]")

#: A fiscal year written with its last two digits ("fiscal year 17", "fiscal 17", "FY17"; "FY
#: 2017" is read as a year anyway): the year the source writes in full (2017财年), round 10.
_FISCAL_TWO_DIGITS = re.compile(
    r"\b(?:[Ff]iscal(?:\s+[Yy]ear)?|FY)\s*['’]?(?P<year>\d\d)\b(?!\s*(?:%|percent))"
)


def fiscal_years(english: str, source: str) -> Counter[str]:
    """Two-digit fiscal years of ``english`` ("fiscal year 17") whose year ``source`` states in
    full (2017, 二〇一七年): the same year written short. Another year is still flagged."""
    stated = numbers_zh(source)
    return Counter(
        m.group("year")
        for m in _FISCAL_TWO_DIGITS.finditer(english)
        if 2000.0 + int(m.group("year")) in stated or 1900.0 + int(m.group("year")) in stated
    )


_EVENT_NOUNS = (
    r"(?:Olympics?|Olympic\s+Games|Paralympics?|Paralympic\s+Games|Games|Expo|Cup|"
    r"Championships?|Festival|Biennale|Summit|Forum|Marathon|Exhibition|Fair|Gala)"
)
#: Agreements, which English often names with their year ("the 2015 nuclear deal" for 伊核协议).
#: ("the 1992 Consensus" is no such year: it renders 九二共识, which the number check reads.)
_AGREEMENT_NOUNS = r"(?:[Dd]eals?|[Aa]greements?|[Aa]ccords?|[Tt]reaty|[Pp]act)"
#: A year inside an event's name: "Beijing 2022 Winter Olympics", "the 2022 World Cup",
#: "Expo 2020", "Peaceful Rescue-2021"; a year added to an agreement ("the 2015 nuclear deal"),
#: round 7. (A year after a congress, "the 19th Party Congress in 2017", was tried and
#: withdrawn: it let a changed year pass on ``fresh-5``, and the source grounds no such year.)
_EVENT_YEAR = re.compile(
    r"(?:\b[A-Z][\w'’]*\s+|\b[Tt]he\s+)(?P<y1>(?:19|20)\d\d)"
    r"(?=(?:\s+[A-Z][\w'’-]*){0,3}\s+" + _EVENT_NOUNS + r"\b)"
    r"|\b" + _EVENT_NOUNS + r"\s+(?P<y2>(?:19|20)\d\d)\b"
    r"|\b[A-Z][a-z]+-(?P<y3>(?:19|20)\d\d)\b"
    r"|\b[Tt]he\s+(?P<y5>(?:19|20)\d\d)(?=(?:\s+[\w'’-]+){0,2}\s+" + _AGREEMENT_NOUNS + r"\b)"
)


#: Words after which a year is compared with the year before (同比, 比上年, 较去年同期).
_YEAR_ON_YEAR = re.compile(r"同比|[比较]上年|[比较]去年|上年同期|去年同期|[比较]前一年")


def year_on_year(english: str, source: str) -> frozenset[str]:
    """Years before a year the source paragraph states (2022年 ... 同比 "than in 2021") when it
    compares year on year and the English states that year too: translators write the
    comparison's base year out. Nothing when the paragraph compares nothing."""
    text = unicodedata.normalize("NFKC", source)
    if not _YEAR_ON_YEAR.search(text):
        return frozenset()
    years = {int(m.group()[:4]) for m in _STATED_YEAR.finditer(text) if m.group()[:4].isdigit()}
    return frozenset(str(year - 1) for year in years if re.search(rf"(?<!\d){year}(?!\d)", english))


#: "Otherwise" (反之): translators write the converse out with the number it turns on ("above
#: 50% ... below 50%"), so each lets a number of its paragraph be stated once more.
_CONVERSE = re.compile(r"反之|反过来|否则")

#: A number named again when the English refers back to what it counted ("four exhibition
#: areas ... in the four areas"): a determiner, the number and the noun it counted before.
_REFERRED_BACK = re.compile(
    r"\b(?:these|those|the|all|both|its|their)\s+(?P<number>[\w,.]+)\s+(?P<noun>[A-Za-z][\w-]*)",
    re.IGNORECASE,
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
#: Capitalized words before a number that label nothing ("In 2019", "About 300").
_NO_LABELS = "In|On|At|By|To|From|Since|Until|Before|After|About|Over|Under|Nearly|Some|The|And"
#: A number that labels a thing ("Line 1", "Gate 3"): named again with its label (3号线 once,
#: "Line 3 northbound ... Line 3 southbound"), it names the same thing.
_LABELLED_NUMBER = re.compile(
    rf"\b(?!(?i:{MONTH_NAMES}|{_WEEKDAYS}|{_NO_LABELS})\b)"
    r"[A-Z][a-z]+\s+(?P<number>\d+)\b(?![.,:]\d)"
)
#: Words after an earlier mention of the number within which the noun must come back.
REFERRED_BACK_WORDS = 4
#: A number named again with the same noun or unit right after it ("for 3 months ... for 3
#: months", "with 41 countries ... with 41 countries"): one quantity restated, round 8.
_NUMBER_AND_NOUN = re.compile(
    r"(?<![\w.,:-])(?P<number>\d+(?:,\d{3})*(?:\.\d+)?"
    r"|three|four|five|six|seven|eight|nine|ten)\s+(?P<noun>[a-z][a-z-]+)\b",
    re.IGNORECASE,
)
#: Words after a number that name no thing it counts ("3 to 5", "45 and 46", "2020 in").
_NOT_COUNTED_TEXT = (
    "to and or of in on at by for from with than per percent million billion thousand hundred "
    "trillion times"
)
_NOT_COUNTED = frozenset(_NOT_COUNTED_TEXT.split())
#: A partitive that refers back to a count without its noun ("one of the 45", "all of the 12").
_PARTITIVE = re.compile(
    r"\b(?:one|some|each|any|none|most|many|several|all|both|half)\s+of\s+(?:the|these|those)\s+"
    r"(?P<number>\d+(?:,\d{3})*)(?![\w,.%]|\s*(?:%|percent))",
    re.IGNORECASE,
)


def referred_back_numbers(english: str, *, restatements: bool = True) -> Counter[str]:
    """Numbers ``english`` names again to refer back ("these four brands" after "four famous
    old brands"): the same number written earlier in the text, with the same noun among the
    ``REFERRED_BACK_WORDS`` words after it, before a conjunction or punctuation ends that phrase
    ("four halls and two restaurants" counted no restaurants by four). Such a mention repeats a
    count, it adds none. So does a number named again with the capitalized label it had
    before ("Line 7 ... Line 7", round 7), or with the same noun right after it, or by a
    partitive ("3 months ... 3 months", "one of the 45", round 8). Each mention is credited
    once, by the first rule that reads it. ``restatements=False`` leaves out the noun rule
    (``check_numbers`` does when a number of the source is missing from the English: "three
    years ... four years" changed into "four years ... four years" is no restatement)."""
    found: Counter[str] = Counter()
    credited: set[int] = set()  # where a credited mention's number starts: credited once only
    for match in _LABELLED_NUMBER.finditer(english):  # "Line 1 ... Line 1": one line named again
        if re.search(rf"\b{re.escape(match.group())}\b", english[: match.start()]):
            found[match.group("number")] += 1
            credited.add(match.start("number"))
    for match in _REFERRED_BACK.finditer(english):
        number, noun = match.group("number").lower(), match.group("noun").lower().rstrip("s")
        earlier = english[: match.start()]
        for mention in re.finditer(rf"(?<![\w.,]){re.escape(number)}(?![\w,.])", earlier, re.I):
            if noun in _counted_nouns(earlier[mention.end() :]):
                found[number] += 1
                credited.add(match.start("number"))
                break
    seen: set[tuple[str, str]] = set()
    for match in _NUMBER_AND_NOUN.finditer(english):  # "3 months ... 3 months", round 8
        number, noun = match.group("number").lower(), match.group("noun").lower()
        if noun in _NOT_COUNTED:
            continue
        if restatements and (number, noun) in seen and match.start("number") not in credited:
            found[number] += 1
            credited.add(match.start("number"))
        seen.add((number, noun))
    for match in _PARTITIVE.finditer(english):  # "one of the 45" after "45 taxis", round 8
        number = match.group("number")
        if match.start("number") not in credited and re.search(
            rf"(?<![\w.,]){re.escape(number)}(?![\w,.])", english[: match.start()]
        ):
            found[number] += 1
            credited.add(match.start("number"))
    return found


def _counted_nouns(after: str) -> set[str]:
    """The words of the phrase after a number (up to ``REFERRED_BACK_WORDS``), without a plural
    s: the phrase ends at "and", "or" or a word with punctuation after it."""
    words: set[str] = set()
    for word in after.split()[:REFERRED_BACK_WORDS]:
        bare = word.strip(",.;:'\"()").lower()
        if bare in {"and", "or"}:
            break
        words.add(bare.rstrip("s"))
        if bare != word.lower().strip("'\"()"):
            break
    return words


#: Numbers that are part of a fixed English term for a source word: 立体 or 三维 as
#: "three-dimensional" / "3D"; 北京时间 as "GMT+8" / "UTC+8".
_TERMS_WITH_NUMBERS = (
    (re.compile(r"立体|三维|3D", re.IGNORECASE), re.compile(r"\b(three)-dimensional|\b(3)-?D\b")),
    (re.compile(r"二维|2D", re.IGNORECASE), re.compile(r"\b(two)-dimensional|\b(2)-?D\b")),
    (re.compile(r"北京时间"), re.compile(r"\b(?:GMT|UTC)\s?\+\s?0?(8)(?::00)?\b")),
)


def term_numbers(english: str, source: str) -> Counter[str]:
    """Numbers of English terms that render a source word without a numeral (立体 as
    "three-dimensional", 北京时间 as "GMT+8"): no number the source states, and none changed."""
    text = unicodedata.normalize("NFKC", source)
    found: Counter[str] = Counter()
    for source_word, term in _TERMS_WITH_NUMBERS:
        if source_word.search(text):
            for match in term.finditer(english):
                found[(match.group(1) or match.group(2)).lower()] += 1
    return found


def event_years(english: str) -> Counter[str]:
    """Years that are part of an event's English name ("the Beijing 2022 Winter Olympics")."""
    return Counter(
        next(year for year in m.group("y1", "y2", "y3", "y5") if year)
        for m in _EVENT_YEAR.finditer(english)
    )


#: After a day of the month written as an ordinal ("on the 21st and the 22nd", "the 11th,"):
#: punctuation, a conjunction or "to", "day", "of this month", or the end. Before a noun ("the 19th
#: Central Committee", "the 22nd session") an ordinal names a thing instead.
_AFTER_DAY = re.compile(
    r"\s*(?:$|[,.;:)\]]|[-–—]\s*\d|(?:and|or|to|through|until|day)(?=\s)"
    r"|of\s+(?:this|that|last|next|the)\s+month\b)",
    re.IGNORECASE,
)
_DIGIT_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$", re.IGNORECASE)


def _is_day(hit: NumberHit, english: str) -> bool:
    """Whether a digit ordinal (1st-31st) reads as a day of the month where it stands."""
    match = _DIGIT_ORDINAL.match(hit.text)
    if match is None or not 1 <= int(match.group(1)) <= 31:
        return False
    return any(
        _AFTER_DAY.match(english, found.end())
        for found in re.finditer(r"(?<![\w.])" + re.escape(hit.text) + r"\b", english)
    )


#: A clock time in English ("17:07", "20: 00", "4:30 a.m."): its minutes are left out of
#: ``numbers_en`` and checked against the source's minutes instead (17时07分, 4点半).
_EN_TIME = re.compile(r"(?<![\w.:])(\d{1,2})\s?:\s?(\d{2})(?!\d)")
_ZH_MINUTES = re.compile(
    r"(?:[时点]|\d[:：])\s*(?:(\d{1,2})\s*分?|(半)|(?P<han>[零〇一二三四五六七八九十]{1,3})分"
    r"|(?P<quarters>[一三])刻)"
)


def minutes_zh(text: str) -> frozenset[int]:
    """Minutes a (Chinese) text writes after an hour (17时07分: 7; 4点半: 30; 三时三十分: 30,
    written in Chinese numerals, round 7; 八点一刻: 15)."""
    text = unicodedata.normalize("NFKC", text)
    minutes: set[int] = set()
    for match in _ZH_MINUTES.finditer(text):
        if match.group("han"):
            minutes.update(int(value) for value in _cn_value(match.group("han")) if value < 60)
        elif match.group("quarters"):
            minutes.add(15 * int(_cn_value(match.group("quarters"))[0]))
        else:
            minutes.add(30 if match.group(2) else int(match.group(1)))
    return frozenset(minutes)


#: An hour in Chinese: 20时, 8点, 八时, 20:00.
_ZH_HOUR = re.compile(
    r"(?P<hour>\d{1,2}|[零〇一二两三四五六七八九十]{1,3})\s*[时点](?!代|间|期|候|刻|半?钟头)"
    r"|(?<![\d.])(?P<clock>\d{1,2})[:：]\d{2}(?!\d)"
)


def hours_zh(text: str) -> frozenset[int]:
    """Hours of the day a (Chinese) text writes (20时, 8点, 八时, 20:00)."""
    text = unicodedata.normalize("NFKC", text)
    hours: set[int] = set()
    for match in _ZH_HOUR.finditer(text):
        written = match.group("hour") or match.group("clock")
        values = [float(written)] if written.isdigit() else _cn_value(written)
        hours.update(int(value) for value in values if 0 <= value <= 24)
    return frozenset(hours)


def _unsupported_minutes(english: str, source: str, paragraph: int | None) -> list[Flag]:
    """Times whose minutes (other than :00, a whole hour) the source does not write, and times
    whose hour is no hour of the day or, when the source writes hours, none of them on either
    clock (20时 is "20:00" or "8:00 p.m."; "7:00" or "26:00" for it is a changed time, even where
    7 or 26 is a month or day of the same paragraph). A duration the source writes in minutes
    and seconds (1分57秒) is no time of day: "1:57" is that duration (round 10)."""
    stated = minutes_zh(source)
    hours = {hour % 12 for hour in hours_zh(source)}
    durations = {
        (int(m.group("minutes")), int(m.group("seconds")))
        for m in _ZH_MINUTES_SECONDS.finditer(unicodedata.normalize("NFKC", source))
    }
    flags = []
    for match in _EN_TIME.finditer(english):
        hour, minutes = int(match.group(1)), int(match.group(2))
        if (hour, minutes) in durations:  # 1分57秒79 written "1:57.79": minutes and seconds
            continue
        if minutes and minutes not in stated:
            problem = "the source states no time with these minutes"
        elif hour > 24 or (hours and hour % 12 not in hours):
            problem = "the source states no time at this hour"
        else:
            continue
        flags.append(
            Flag("number.unsupported", paragraph, match.group(), f"{match.group()!r}: {problem}")
        )
    return flags


#: A year written after an English month-day ("July 26, 2020", "July 26th, 2020").
_YEAR_AFTER_DATE = re.compile(
    rf"\b(?:(?:{MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTH_NAMES})),?\s+(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def added_date_years(english: str, source: str) -> list[str]:
    """Years ``english`` writes after a month-day ("July 26, 2020") when ``source``, the
    paragraph it translates, writes no year at all: years the translator added."""
    if _YEAR_IN_ZH.search(unicodedata.normalize("NFKC", source)):
        return []
    return [m.group("year") for m in _YEAR_AFTER_DATE.finditer(english)]


def dated_years(english: str, document: str) -> Counter[str]:
    """Years that English adds to a month-day ("BEIJING, July 26, 2020") which the Chinese
    dateline writes without one (7月26日电). Such a year needs no support in its paragraph when
    the document states that year elsewhere, states no year at all (the report's own year,
    which the translator knows); any other year is still flagged, and so is any year in a
    paragraph that states a year itself (2020年7月10日 as "July 10, 2022")."""
    stated = {
        value
        for match in _STATED_YEAR.finditer(unicodedata.normalize("NFKC", document))
        for value in numbers_zh(match.group())
    }
    return Counter(
        m.group("year")
        for m in _YEAR_AFTER_DATE.finditer(english)
        if not stated or float(m.group("year")) in stated
    )


_MONTH_NUMBERS = {
    name[:3].lower(): float(number)
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _every_place_rendered(
    english: str, source: str, english_dates: list[tuple[str, int, int]]
) -> bool:
    """Whether every place of ``source`` that states a number above one (一 is often "a") has a
    value the English writes: as a number, a day or a month's name. A restatement ("3 months
    ... 3 months") is one only when no number of the source went missing for it."""
    written = {value for hit in numbers_en(english) for value in hit.values}
    written.update(float(day) for _text, _month, day in english_dates)
    written.update(
        _MONTH_NUMBERS[found.group()[:3].lower()]
        for found in re.finditer(rf"\b(?:{MONTH_NAMES})\b", english, re.IGNORECASE)
    )
    return all(
        max(values) <= 1 or not values.isdisjoint(written) for values in number_places_zh(source)
    )


#: Weekdays (周四, 星期四, 礼拜天) and decades (九十年代, 90年代): numbers that English writes as
#: a name ("Thursday") or a year ("the 1990s") rather than as the number itself.
_ZH_WEEKDAY = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天]")
_EN_WEEKDAY = re.compile(rf"\b(?:{_WEEKDAYS})\b", re.IGNORECASE)
_EN_DECADE = re.compile(r"\b(?:19|20)\d0s\b|\b\d0s\b")


def _zero_may_render_negation(
    english: str, source: str, english_dates: list[tuple[str, int, int]]
) -> bool:
    """Whether "zero" in ``english`` may stand for a negation of ``source`` (绝不容忍 as
    "tolerate zero"): only while every number the paragraph states is still rendered, so that a
    number changed into "zero" is flagged (round 10). A weekday the English names and a decade
    it writes as years count as rendered."""
    if _EN_WEEKDAY.search(english):
        source = _ZH_WEEKDAY.sub("", source)
    if _EN_DECADE.search(english):
        source = _DECADE_PAIR.sub("", _DECADE.sub("", source))
    return _every_place_rendered(english, source, english_dates)


def check_numbers(
    english: str, source: str, paragraph: int | None, *, document: str | None = None
) -> list[Flag]:
    """Numbers of ``english`` that ``source`` does not state.

    Ordinals ("the 19th Central Committee", "the sixth plenary session") name things rather than
    count them, and translators spell them out where the source abbreviates (全会 for the session
    named earlier), so an ordinal is also accepted when the whole ``document`` states it, unless
    it reads as a day of the month ("the 21st and the 22nd"): a day must be in its own paragraph.

    When ``source`` is the paragraph ``english`` translates (``document`` given), a number may
    also not be stated more often than the paragraph states it: "三大技术 ... 四抗" rendered as
    "four technologies ... four-against" is a number changed into another one of the paragraph.
    A number given to each of several things (各１名) may be repeated for each of them.
    """
    supported = numbers_zh(source)
    stated = number_mentions_zh(source)
    aligned = document is not None  # ``source`` is the paragraph ``english`` translates
    used: Counter[float] = Counter()
    everywhere = numbers_zh(document) if document is not None else supported
    named_years = event_years(english) if not _YEAR_IN_ZH.search(source) else Counter()
    # a year after a date may repeat the year the paragraph states (2020年7月25日 ... 至7月26日
    # as "July 25, 2020 to July 26, 2020"): not held to the paragraph's count
    repeated_years = Counter(m.group("year") for m in _YEAR_AFTER_DATE.finditer(english))
    years_of_dates = (
        dated_years(english, document if document is not None else source)
        if not _YEAR_IN_ZH.search(source)
        else Counter()
    )
    same_day = same_day_mentions(source)
    english_dates = dates_en(english)
    # 当天 in a paragraph that dates nothing: the day of the date it refers back to, written out
    referred_days = Counter(
        day
        for _text, month, day in english_dates
        if (month, day) in referred_back_dates(source, document)
    )
    # 今天（7月26日） written "(July 26) On July 26": a relative day may repeat the date's day
    relative_days = Counter(
        day
        for (month, day), count in relative_dates(source, document).items()
        for _ in range(count)
        if any((m, d) == (month, day) for _text, m, d in english_dates)
    )
    days: Counter[int] = Counter()
    for (_month, day), count in date_mentions_zh(source).items():
        days[day] += count
    base_years = year_on_year(english, source)
    converse = len(_CONVERSE.findall(source))
    every_place_rendered = _every_place_rendered(english, source, english_dates)
    referred_back = referred_back_numbers(english, restatements=every_place_rendered)
    terms = term_numbers(english, source)
    fiscal = fiscal_years(english, source)
    # "zero" for a negation, only while every number of the paragraph is still rendered: a
    # number of the source changed into "zero" leaves its own place unrendered
    negations = (
        len(_NEGATION.findall(source))
        if _zero_may_render_negation(english, source, english_dates)
        else 0
    )
    flags = _unsupported_minutes(english, source, paragraph)
    for hit in numbers_en(english):
        if hit.text.lower() in _UNCHECKED_WORDS:
            continue
        if fiscal[hit.text] > 0:  # "fiscal year 17" for 2017财年
            fiscal[hit.text] -= 1
            continue
        if hit.text.lower() == "zero" and negations > 0:  # "tolerate zero" for 绝不容忍
            negations -= 1
            continue
        if terms[hit.text.lower()] > 0:  # "three-dimensional" for 立体, "GMT+8" for 北京时间
            terms[hit.text.lower()] -= 1
            continue
        if named_years[hit.text] > 0:  # the year of an event's name; the source names no year
            named_years[hit.text] -= 1
            continue
        if years_of_dates[hit.text] > 0:  # "July 26, 2020": the year the document is dated
            years_of_dates[hit.text] -= 1
            continue
        is_day = hit.ordinal and _is_day(hit, english)
        if hit.ordinal and not is_day and _number_supported(hit, everywhere):
            continue
        if is_day and days:  # a day must be a day the paragraph states, not any of its numbers
            day = int(hit.values[0])
            if days[day] > 0:
                days[day] -= 1
            elif day in days and same_day > 0:  # 当日8时 written "At 8:00 of July 7th"
                same_day -= 1
            else:
                flags.append(
                    Flag(
                        "number.unsupported",
                        paragraph,
                        hit.text,
                        f"{hit.text!r} is not a day the source states (as often)",
                    )
                )
            continue
        value = _supporting_value(hit, supported)
        if value is None:  # 1993.03万 as "19.93 million"
            value = _rounded_from(hit, supported)
        if value is None and hit.text in base_years:
            continue  # 2022年 ... 同比 written "than in 2021"
        if value is None and any(
            _rounds_to(v, exact) for v in hit.values for exact in converted_values_zh(source)
        ):
            continue  # 1万亩 as "667 hectares"
        if value is None and same_day > 0 and referred_days[int(hit.values[0])] > 0:
            same_day -= 1  # 当天 written out as the date it refers back to
            referred_days[int(hit.values[0])] -= 1
            continue
        if value is None:
            flags.append(
                Flag(
                    "number.unsupported",
                    paragraph,
                    hit.text,
                    f"{hit.text!r} is not a number the source states",
                )
            )
            continue
        if repeated_years[hit.text] > 0:  # not counted: the paragraph's own mention stays free
            repeated_years[hit.text] -= 1
            continue
        used[value] += 1
        if (
            aligned
            and not hit.ordinal
            and used[value] > stated[value]
            and value not in distributed_values(source)
        ):
            if relative_days[int(value)] > 0:  # 今天 written out as its date, beside the date
                relative_days[int(value)] -= 1
                continue
            if referred_back[hit.text.lower()] > 0:  # "these four brands": a count repeated
                referred_back[hit.text.lower()] -= 1
                continue
            if converse > 0:  # 反之 written out with its number ("below 50%")
                converse -= 1
                continue
            flags.append(
                Flag(
                    "number.unsupported",
                    paragraph,
                    hit.text,
                    f"{hit.text!r} is stated more often than the source states it: "
                    "possibly another number of the source changed into this one",
                )
            )
    return flags
