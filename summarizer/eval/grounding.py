"""Reference-free checks of an English translation against its Chinese source.

These need no reference and no model, so they run on every output, in CI and in production
monitoring. Each check raises ``Flag``s; a clean translation raises none. What they catch, and how:

* **paragraphs / untranslated Chinese**: ``summarizer.validate.check_translation`` (the same check the
  engine re-asks on): one English paragraph per source paragraph, no Han characters in English.
* **numbers**: every number the English states (digits, "15th", "eight", "twenty-one", "1.2
  million", "15%") must be a value the source states (Arabic digits, Chinese numerals read with
  cn2an, 万/亿 scales, "十五五" = 15th Five-Year Plan, "二〇二一" = 2021). "one", "first", "second"
  and "once" are not checked: English uses them where Chinese has no numeral.
* **dates**: every English month-day ("December 13", "13 December") must be a source date
  (12月13日, or a bare 13日 / 今（13）日 whose month the source leaves implicit).
* **names**: a pair of capitalized words that reads as a Chinese personal name in Hanyu Pinyin
  (a common surname next to a 1-3 syllable given name, either order, hyphens allowed) must match
  the pinyin of consecutive source characters; a pair that matches only after one letter edit is a
  misspelling.
* **length**: a paragraph whose English is far longer than its Chinese predicts, relative to the
  rest of the document, probably holds an inserted (unsupported) sentence or a merge.

When the paragraph counts match, numbers, dates and names are checked paragraph by paragraph (so
a number or name moved to the wrong paragraph is caught); otherwise against the whole source.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import cn2an
from pypinyin.pinyin_dict import pinyin_dict

from summarizer.validate import check_translation

# --- flags ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One suspicious stretch of an English output."""

    #: ``number.unsupported``, ``date.unsupported``, ``name.unsupported``, ``name.misspelled``,
    #: ``length.outlier``, ``translation.paragraph_count``, ``english.untranslated``.
    code: str
    #: Index of the English paragraph (None when it concerns the whole text).
    paragraph: int | None
    #: The offending text, as it appears in the English.
    text: str
    message: str


# --- numbers --------------------------------------------------------------------------------------

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿双俩]+")
_CLOCK_HOUR = re.compile(r"(\d{1,2})\s*[时点]")
_ARABIC = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?")
_FIVE_YEAR_PLAN = re.compile(r"十([一二三四五六七八九])五")
_SCALE_AFTER = re.compile(r"\s*([万亿])")
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
    text = unicodedata.normalize("NFKC", text)
    values: set[float] = set()
    for match in _FIVE_YEAR_PLAN.finditer(text):
        values.update((10 + float(cn2an.cn2an(match.group(1), "normal")), 5.0))
    for match in _ARABIC.finditer(text):
        value = float(match.group().replace(",", "").replace("，", ""))
        values.add(value)
        scale = _SCALE_AFTER.match(text, match.end())
        if scale:
            values.add(value * (1e4 if scale.group(1) == "万" else 1e8))
    for match in _CLOCK_HOUR.finditer(text):  # 15时 is "3 p.m." in English
        hour = int(match.group(1))
        if 12 < hour <= 24:
            values.add(float(hour - 12))
    for match in _CN_NUMERAL_RUN.finditer(text):
        values.update(_cn_value(match.group()))
        run = match.group()
        for index, char in enumerate(run):  # partial readings: 二十届四 -> also 20, 4
            if char in "万亿" and index:
                head = _cn_value(run[:index])
                factor = 1e4 if char == "万" else 1e8
                values.update(h * factor for h in head)
                values.update(head)
    return frozenset(round(v, 6) for v in values)


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
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SMALL_ORDINAL = {"first": 1, "second": 2, **_ORDINALS}
_COMPOUND_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_SCALES = {"million": 1e6, "billion": 1e9, "trillion": 1e12, "thousand": 1e3, "hundred": 1e2}
_WORD = "|".join(sorted([*_UNITS, *_ORDINALS], key=len, reverse=True))
_ORDINAL_TEXT = re.compile(
    r"\d(?:st|nd|rd|th)$|(?:first|second|" + "|".join(_ORDINALS) + r")$", re.IGNORECASE
)
_EN_NUMBER = re.compile(
    r"(?<![\w.:-])(?:(?P<digits>\d+(?:,\d{3})*(?:\.\d+)?)(?:st|nd|rd|th)?"
    r"|(?P<tens>" + "|".join(_TENS) + r")-(?P<unit>" + "|".join(_COMPOUND_UNITS) + r")"
    r"|(?P<word>" + _WORD + r"))(?![\w])"
    r"(?:\s+(?P<scale>million|billion|trillion|thousand|hundred)\b)?",
    re.IGNORECASE,
)


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
            values.append(base * _SCALES[match.group("scale").lower()])
        text = match.group().strip()
        ordinal = bool(_ORDINAL_TEXT.search(text))
        hits.append(NumberHit(text, tuple(round(v, 6) for v in values), ordinal))
    return hits


def _number_supported(hit: NumberHit, source: frozenset[float]) -> bool:
    for value in hit.values:
        if value in source:
            return True
        if value >= 1000 and any(abs(value - s) <= 1e-9 * value for s in source):
            return True
    return False


# --- dates ----------------------------------------------------------------------------------------

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


# --- names ----------------------------------------------------------------------------------------


def _strip_tones(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    syllables: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            syllables.add(_strip_tones(reading).replace("ü", "v"))
    # Interjection readings (嗯 n/ng, 呣 m, 哼 hng) would let any consonant cluster read as pinyin.
    interjections = {"n", "ng", "m", "hm", "hng", "r"}
    return frozenset(s for s in syllables if s.isalpha() and s.isascii() and s not in interjections)


#: The most common Chinese surnames in Hanyu Pinyin (single-syllable; enough to spot name pairs).
SURNAMES = frozenset(
    [
        "wang",
        "li",
        "zhang",
        "liu",
        "chen",
        "yang",
        "huang",
        "zhao",
        "wu",
        "zhou",
        "xu",
        "sun",
        "ma",
        "zhu",
        "hu",
        "guo",
        "he",
        "gao",
        "lin",
        "luo",
        "zheng",
        "liang",
        "xie",
        "song",
        "tang",
        "han",
        "feng",
        "deng",
        "cao",
        "peng",
        "zeng",
        "xiao",
        "tian",
        "dong",
        "yuan",
        "pan",
        "cai",
        "jiang",
        "yu",
        "du",
        "ye",
        "cheng",
        "su",
        "wei",
        "lu",
        "ding",
        "ren",
        "shen",
        "yao",
        "cui",
        "zhong",
        "tan",
        "fan",
        "jin",
        "shi",
        "liao",
        "jia",
        "xia",
        "fu",
        "fang",
        "zou",
        "xiong",
        "bai",
        "meng",
        "qin",
        "qiu",
        "hou",
        "yin",
        "xue",
        "yan",
        "duan",
        "lei",
        "long",
        "shao",
        "qian",
        "tao",
        "hao",
        "kong",
        "mao",
        "qu",
        "ge",
        "mo",
        "wen",
        "niu",
        "gu",
        "kang",
        "lai",
        "dai",
        "hong",
        "yi",
        "qi",
        "ji",
        "ning",
        "bao",
        "lan",
        "geng",
        "mei",
        "chang",
        "ou",
        "xi",
        "guan",
        "ke",
        "zhan",
        "bi",
        "shan",
        "yue",
        "an",
        "chu",
        "ling",
        "ni",
        "pu",
        "mu",
        "che",
        "rao",
        "lyu",
        "lv",
        "hua",
        "ruan",
        "miao",
        "jing",
        "qiao",
        "zhai",
        "tong",
        "sheng",
        "bian",
        "ai",
    ]
)
#: Established English names that look like pinyin pairs but are not pinyin of their characters.
EXONYMS = frozenset({"hong kong", "kong hong", "sun yat-sen", "chiang kai-shek", "ma ying-jeou"})

#: Overlapping pairs of adjacent capitalized words ("Secretary Xi Jinping" gives two pairs).
_CAP_PAIR = re.compile(
    r"(?=\b([A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)\s+([A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)\b)"
)


@lru_cache(maxsize=4096)
def segment_pinyin(word: str) -> tuple[tuple[str, ...], ...]:
    """Every split of ``word`` (lowercase letters, hyphens ignored) into pinyin syllables."""
    letters = word.lower().replace("-", "").replace("'", "")
    syllables = pinyin_syllables()
    results: list[tuple[str, ...]] = []

    def walk(start: int, parts: tuple[str, ...]) -> None:
        if len(results) >= 8:
            return
        if start == len(letters):
            results.append(parts)
            return
        for end in range(min(len(letters), start + 6), start, -1):
            if letters[start:end] in syllables:
                walk(end, (*parts, letters[start:end]))

    if letters.isascii() and letters.isalpha():
        walk(0, ())
    return tuple(results)


class PinyinIndex:
    """Pinyin readings (all heteronyms, no tones) of each character of a text, for name look-ups."""

    def __init__(self, text: str) -> None:
        self.readings: list[frozenset[str]] = [_char_readings(char) for char in text]
        self.starts: dict[str, list[int]] = {}
        for position, options in enumerate(self.readings):
            for option in options:
                self.starts.setdefault(option, []).append(position)

    def occurrences(self, syllables: Sequence[str]) -> list[int]:
        """Start positions where consecutive characters read as ``syllables``."""
        if not syllables:
            return []
        found = []
        for start in self.starts.get(syllables[0], ()):
            if start + len(syllables) > len(self.readings):
                continue
            if all(s in self.readings[start + i] for i, s in enumerate(syllables)):
                found.append(start)
        return found

    def contains(self, syllables: Sequence[str]) -> bool:
        return bool(self.occurrences(syllables))


@lru_cache(maxsize=65536)
def _char_readings(char: str) -> frozenset[str]:
    """Every toneless reading of one character (traditional and simplified alike)."""
    readings = pinyin_dict.get(ord(char))
    if not readings:
        return frozenset()
    return frozenset(_strip_tones(r).replace("ü", "v") for r in readings.split(","))


@lru_cache(maxsize=256)
def _pinyin_index(text: str) -> PinyinIndex:
    return PinyinIndex(text)


def _name_orders(first: str, second: str) -> Iterable[tuple[str, ...]]:
    """Syllable sequences a two-word name can stand for (surname first, or given name first)."""
    for a in segment_pinyin(first):
        for b in segment_pinyin(second):
            yield (*a, *b)
            yield (*b, *a)


def _is_name_pair(first: str, second: str) -> bool:
    """Whether two capitalized words read as a Chinese personal name (surname + given name)."""
    lower = (first.lower(), second.lower())
    if f"{lower[0]} {lower[1]}" in EXONYMS:
        return False
    for surname, given in (lower, lower[::-1]):
        if surname in SURNAMES and any(1 <= len(s) <= 3 for s in segment_pinyin(given)):
            return True
    return False


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _readings_strings(readings: Sequence[frozenset[str]], limit: int = 32) -> set[str]:
    """Concatenations of one reading per character (bounded for characters with many readings)."""
    strings = {""}
    for options in readings:
        if not options:
            return set()
        strings = {prefix + option for prefix in strings for option in options}
        if len(strings) > limit:
            strings = set(sorted(strings)[:limit])
    return strings


def _near_pair_in_source(first: str, second: str, index: PinyinIndex) -> bool:
    """Whether one word of the pair is a source name part and the other is one letter away from
    the pinyin of the 1-3 characters next to it in the source (a misspelled name)."""
    for fixed, other in ((first, second), (second, first)):
        target = other.lower().replace("-", "")
        for syllables in segment_pinyin(fixed):
            for start in index.occurrences(syllables):
                end = start + len(syllables)
                for width in (1, 2, 3):
                    for low, high in ((end, end + width), (start - width, start)):
                        if low < 0 or high > len(index.readings):
                            continue
                        for candidate in _readings_strings(index.readings[low:high]):
                            if within_one_edit(target, candidate):
                                return True
    return False


def _pair_near_name(first: str, second: str) -> bool:
    """A capitalized pair one letter away from reading as a Chinese name (candidate misspelling)."""
    lower = (first.lower(), second.lower())
    for surname, given in (lower, lower[::-1]):
        surname_ok = surname in SURNAMES
        given_ok = bool(segment_pinyin(given))
        if surname_ok and not given_ok and len(given) <= 12:
            return True
        if (
            given_ok
            and not surname_ok
            and len(surname) <= 6
            and any(len(s) >= 2 for s in segment_pinyin(given))
        ):
            return True
    return False


# --- the checks -----------------------------------------------------------------------------------

#: A paragraph is a length outlier when its English is longer than the document's own
#: English/Chinese ratio predicts by this factor (and by at least ``LENGTH_MIN_EXCESS_WORDS``) ...
LENGTH_RATIO_FACTOR = 1.6
LENGTH_MIN_EXCESS_WORDS = 8
#: ... or when it has more sentences than its source paragraph and is longer than predicted by this
#: smaller factor (and by ``SENTENCE_MIN_EXCESS_WORDS``): the signature of an inserted sentence.
#: Both factors were chosen on the shipped human references (benchmarks/meta_eval.py) as the
#: lowest that raise no flag on them.
SENTENCE_RATIO_FACTOR = 1.2
SENTENCE_MIN_EXCESS_WORDS = 5
_WORDS = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_ZH_SENTENCE_END = re.compile(r"[。！？!?]+[”」』）)]*")
_EN_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s|$)")


def _sentences(text: str, ends: re.Pattern[str]) -> int:
    return max(1, sum(1 for part in ends.split(text) if part.strip()))


def _source_units(text: str) -> int:
    """Length of a source paragraph: Han characters plus Latin words."""
    return len(_HAN_CHAR.findall(text)) + len(_WORDS.findall(text))


#: English states these where Chinese has no numeral ("two students" for "A、B"; "both").
_UNCHECKED_WORDS = frozenset({"two"})


def check_numbers(
    english: str, source: str, paragraph: int | None, *, document: str | None = None
) -> list[Flag]:
    """Numbers of ``english`` that ``source`` does not state.

    Ordinals ("the 19th Central Committee", "the sixth plenary session") name things rather than
    count them, and translators spell them out where the source abbreviates (全会 for the session
    named earlier), so an ordinal is also accepted when the whole ``document`` states it.
    """
    supported = numbers_zh(source)
    everywhere = numbers_zh(document) if document is not None else supported
    flags = []
    for hit in numbers_en(english):
        if hit.text.lower() in _UNCHECKED_WORDS:
            continue
        if hit.ordinal and _number_supported(hit, everywhere):
            continue
        if not _number_supported(hit, supported):
            flags.append(
                Flag(
                    "number.unsupported",
                    paragraph,
                    hit.text,
                    f"{hit.text!r} is not a number the source states",
                )
            )
    return flags


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


def check_names(
    english: str, source: str, paragraph: int | None, *, count: bool = False, extra: int = 0
) -> list[Flag]:
    """Name pairs of ``english`` that ``source`` does not state (or misspells).

    With ``count``, a name also may not occur more often in ``english`` than in ``source`` (plus
    ``extra``, the pronouns a translator may have turned into names): a name swapped for another
    person of the same paragraph shows up as that person named twice.
    """
    index = _pinyin_index(source)
    flags = []
    seen: Counter[str] = Counter()
    for match in _CAP_PAIR.finditer(english):
        first, second = match.group(1), match.group(2)
        text = f"{first} {second}"
        positions = {p for s in _name_orders(first, second) for p in index.occurrences(s)}
        if positions:
            seen[text] += 1
            if count and seen[text] > len(positions) + extra:
                flags.append(
                    Flag(
                        "name.unsupported",
                        paragraph,
                        text,
                        f"{text!r} is named more often than in the source",
                    )
                )
            continue
        if _is_name_pair(first, second):
            if _near_pair_in_source(first, second, index):
                flags.append(
                    Flag(
                        "name.misspelled",
                        paragraph,
                        text,
                        f"{text!r} looks like a misspelled source name",
                    )
                )
            else:
                flags.append(
                    Flag(
                        "name.unsupported",
                        paragraph,
                        text,
                        f"{text!r} is not a name the source states",
                    )
                )
        elif _pair_near_name(first, second) and _near_pair_in_source(first, second, index):
            flags.append(
                Flag(
                    "name.misspelled",
                    paragraph,
                    text,
                    f"{text!r} looks like a misspelled source name",
                )
            )
    return flags


def check_lengths(english: Sequence[str], source: Sequence[str]) -> list[Flag]:
    """Paragraphs longer than the document's own English/Chinese ratio predicts (see above)."""
    pairs = [
        (len(_WORDS.findall(en)), _source_units(zh))
        for en, zh in zip(english, source, strict=False)
    ]
    ratios = [words / units for words, units in pairs if units >= 5 and words]
    if len(ratios) < 2:
        return []
    median = statistics.median(ratios)
    flags = []
    for index, (words, units) in enumerate(pairs):
        if units < 5:
            continue
        expected = median * units
        excess = words - expected
        much_longer = words > expected * LENGTH_RATIO_FACTOR and excess >= LENGTH_MIN_EXCESS_WORDS
        extra_sentence = (
            _sentences(english[index], _EN_SENTENCE_END)
            > _sentences(source[index], _ZH_SENTENCE_END)
            and words > expected * SENTENCE_RATIO_FACTOR
            and excess >= SENTENCE_MIN_EXCESS_WORDS
        )
        if much_longer or extra_sentence:
            flags.append(
                Flag(
                    "length.outlier",
                    index,
                    english[index][:80],
                    f"{words} words where about {expected:.0f} are expected"
                    f"{' and more sentences than the source' if extra_sentence else ''}: "
                    "possibly an unsupported insertion",
                )
            )
    return flags


#: Numbers and dates are looked up in the aligned source paragraph and this many neighbours on
#: each side (translators move a clause across a sentence boundary now and then).
NEIGHBOUR_PARAGRAPHS = 1
#: A name absent from its aligned paragraph is still accepted when it occurs in one of this many
#: preceding paragraphs and the aligned paragraph refers to someone by pronoun ("他指出" -> "Yang
#: Haodong pointed out").
PRONOUN_LOOKBACK = 3
_PRONOUN = re.compile(r"[他她其]")
#: Han characters used as punctuation in headlines (丨 as a separator); not untranslated Chinese.
_HAN_PUNCTUATION = frozenset("丨")


def check_translation_grounding(
    paragraphs_en: Sequence[str], source_paragraphs: Sequence[str]
) -> list[Flag]:
    """Every reference-free flag of an English translation against its source paragraphs.

    When the paragraph counts match, numbers and dates are checked against the aligned source
    paragraph and its neighbours, and names against the aligned paragraph (or, when it refers to
    someone by pronoun, the paragraphs just before it); otherwise all against the whole source.
    """
    flags = [
        Flag(problem.code, _paragraph_of(problem.path), problem.path, problem.message)
        for problem in check_translation(paragraphs_en, source_paragraphs)
        if not _only_han_punctuation(problem.code, problem.path, paragraphs_en)
    ]
    whole_source = "\n".join(source_paragraphs)
    if len(paragraphs_en) != len(source_paragraphs):
        for index, english in enumerate(paragraphs_en):
            flags.extend(check_numbers(english, whole_source, index))
            flags.extend(check_dates(english, whole_source, index))
            flags.extend(check_names(english, whole_source, index))
        return flags
    flags.extend(check_lengths(paragraphs_en, source_paragraphs))
    for index, english in enumerate(paragraphs_en):
        aligned = source_paragraphs[index]
        flags.extend(check_numbers(english, aligned, index, document=whole_source))
        flags.extend(check_dates(english, source_paragraphs[index], index))
        aligned = source_paragraphs[index]
        pronouns = len(_PRONOUN.findall(aligned))
        if pronouns:
            aligned = "\n".join(source_paragraphs[max(0, index - PRONOUN_LOOKBACK) : index + 1])
        flags.extend(check_names(english, aligned, index, count=True, extra=pronouns))
    return flags


def _only_han_punctuation(code: str, path: str, paragraphs_en: Sequence[str]) -> bool:
    index = _paragraph_of(path)
    if code != "english.untranslated" or index is None or index >= len(paragraphs_en):
        return False
    return all(char in _HAN_PUNCTUATION for char in _HAN_CHAR.findall(paragraphs_en[index]))


def check_text_grounding(english: str, source: str) -> list[Flag]:
    """Number, date and name flags of free English text (summary, key point) against a source."""
    return [
        *check_numbers(english, source, None),
        *check_dates(english, source, None),
        *check_names(english, source, None),
    ]


def _paragraph_of(path: str) -> int | None:
    match = re.search(r"\[(\d+)\]$", path)
    return int(match.group(1)) if match else None


__all__ = [
    "Flag",
    "NumberHit",
    "PinyinIndex",
    "check_dates",
    "check_lengths",
    "check_names",
    "check_numbers",
    "check_text_grounding",
    "check_translation_grounding",
    "dates_en",
    "dates_zh",
    "numbers_en",
    "numbers_zh",
    "segment_pinyin",
]
