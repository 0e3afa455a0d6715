"""Chinese personal names in English text, checked against the pinyin of the source characters.

A pair of adjacent capitalized words reads as a Chinese name when one is a common surname and the
other a 1-3 syllable given name in Hanyu Pinyin (either order, hyphens and pinyin's
syllable-dividing apostrophe allowed: "Zhi'an"). Such a pair must
match the readings (all heteronyms, no tones) of consecutive source characters; one that matches
only after a one-letter edit is a misspelling. Readings come straight from pypinyin's character
table, so a check costs microseconds and works on traditional and simplified characters alike.

A name the source marks as a transliteration (朱凯蒂（音译）) may be written with the English given
name it transliterates ("Katie Zhu"): its surname must still read as the source's, and its given
name start with the sound of the first given-name character (round 10).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict

from summarizer.eval.checks.flags import Flag


def _strip_tones(text: str) -> str:
    """A reading without its tone marks; ü keeps its dots (lǚ -> lü)."""
    decomposed = unicodedata.normalize("NFD", text.replace("ǖ", "ü").replace("ǘ", "ü"))
    decomposed = decomposed.replace("ǚ", "ü").replace("ǜ", "ü")
    kept = unicodedata.normalize("NFD", "ü")
    plain = "".join(
        c
        for i, c in enumerate(decomposed)
        if not unicodedata.combining(c) or decomposed[i - 1 : i + 1] == kept
    )
    return unicodedata.normalize("NFC", plain)


def _u_umlaut_forms(reading: str) -> tuple[str, ...]:
    """The ways English writes a reading with ü: 吕 lü as "Lu", "Lv" or "Lyu" (the passport
    form), 女 nü as "Nu", "Nv" or "Nyu". Other readings have one form."""
    if "ü" not in reading:
        return (reading,)
    return tuple(reading.replace("ü", form) for form in ("u", "v", "yu"))


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    syllables: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            syllables.update(_u_umlaut_forms(_strip_tones(reading)))
    # Interjection readings (嗯 n/ng, 呣 m, 哼 hng) would let any consonant cluster read as pinyin.
    interjections = {"n", "ng", "m", "hm", "hng", "r"}
    return frozenset(s for s in syllables if s.isalpha() and s.isascii() and s not in interjections)


#: The most common Chinese surnames in Hanyu Pinyin (single-syllable; enough to spot name pairs).
# fmt: off
SURNAMES = frozenset((
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma",
    "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han",
    "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "yuan", "pan", "cai", "jiang",
    "yu", "du", "ye", "cheng", "su", "wei", "lu", "ding", "ren", "shen", "yao", "cui", "zhong",
    "tan", "fan", "jin", "shi", "liao", "jia", "xia", "fu", "fang", "zou", "xiong", "bai", "meng",
    "qin", "qiu", "hou", "yin", "xue", "yan", "duan", "lei", "long", "shao", "qian", "tao", "hao",
    "kong", "mao", "qu", "ge", "mo", "wen", "niu", "gu", "kang", "lai", "dai", "hong", "yi", "qi",
    "ji", "ning", "bao", "lan", "geng", "mei", "chang", "ou", "xi", "guan", "ke", "zhan", "bi",
    "shan", "yue", "an", "chu", "ling", "ni", "pu", "mu", "che", "rao", "lyu", "lv", "hua", "ruan",
    "miao", "jing", "qiao", "zhai", "tong", "sheng", "bian", "ai",
))
# fmt: on
#: Established English names that look like pinyin pairs but are not pinyin of their characters.
EXONYMS = frozenset({"hong kong", "kong hong", "sun yat-sen", "chiang kai-shek", "ma ying-jeou"})

#: English words capitalized at a sentence start or in a title ("The Chongqing Flood Control
#: Headquarters", "In Ningxia's Yinchuan"), months and weekdays, and the abbreviations that end a
#: company's name ("Shanshan Co Ltd"), and Malaysian honorifics ("Datuk Seri Lin Wenhua"):
#: never part of a Chinese name.
#: Words that are pinyin syllables themselves ("He", "An") are left out: they may be surnames.
# fmt: off
NOT_NAME_WORDS = frozenset((
    "the", "in", "on", "at", "for", "of", "to", "by", "from", "with", "this", "that", "these",
    "those", "its", "their", "our", "his", "her", "after", "before", "during", "since", "under",
    "over", "into", "as", "when", "while", "if", "and", "but", "or", "not", "all", "some", "many",
    "most", "every", "each", "both", "mr", "mrs", "ms", "dr", "via", "per", "than", "then", "also",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "co", "ltd", "inc", "corp", "plc", "llc",
    # Malaysian honorifics before a name (拿督斯里 "Datuk Seri", 丹斯里 "Tan Sri"), round 7
    "datuk", "dato", "datin", "seri", "sri", "tunku", "tengku",
))
# fmt: on
#: A name word: a capitalized word, with a hyphenated second part ("Ching-kuo") or a syllable
#: after pinyin's syllable-dividing apostrophe ("Zhi'an", "Zhi’an" for 志安; round 9). Without the
#: apostrophe part "Wang Zhi'an" read as "Wang Zhi", a name of its own. A possessive or
#: contraction ("Zhian's", "Don't") is no syllable.
_NAME_WORD = r"[A-Z][a-z]+(?:['’](?!(?:s|t|d|m|ll|re|ve)\b)[a-z]+|-[A-Za-z][a-z]+)?"
#: Overlapping pairs of adjacent capitalized words ("Secretary Xi Jinping" gives two pairs).
_CAP_PAIR = re.compile(rf"(?=\b({_NAME_WORD})\s+({_NAME_WORD})\b)")


@lru_cache(maxsize=4096)
def segment_pinyin(word: str) -> tuple[tuple[str, ...], ...]:
    """Every split of ``word`` (lowercase letters, hyphens ignored) into pinyin syllables."""
    letters = word.lower().replace("-", "").replace("'", "").replace("’", "")
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


#: Spaces between two Han characters: bylines space out a two-character name ("记者 颜 欢") to the
#: width of a three-character one, and the name reads across them.
_SPACE_INSIDE_HAN = frozenset(" \u3000\u00a0")


class PinyinIndex:
    """Pinyin readings (all heteronyms, no tones) of each character of a text, for name look-ups.

    A space between two Han characters is skipped (a byline's "颜 欢" reads as one name)."""

    def __init__(self, text: str) -> None:
        self.readings: list[frozenset[str]] = [_char_readings(char) for char in text]
        self.starts: dict[str, list[int]] = {}
        for position, options in enumerate(self.readings):
            for option in options:
                self.starts.setdefault(option, []).append(position)
        #: position -> the position read after it (the next character, past a spacing space)
        self._next: dict[int, int] = {}
        for position in range(1, len(text) - 1):
            if (
                text[position] in _SPACE_INSIDE_HAN
                and self.readings[position - 1]
                and self.readings[position + 1]
            ):
                self._next[position - 1] = position + 1
        self._pair_positions: dict[tuple[str, str], frozenset[int]] = {}

    def occurrences(self, syllables: Sequence[str]) -> list[int]:
        """Start positions where consecutive characters read as ``syllables``."""
        if not syllables:
            return []
        found = []
        for start in self.starts.get(syllables[0], ()):
            position = start
            for syllable in syllables[1:]:
                position = self._next.get(position, position + 1)
                if position >= len(self.readings) or syllable not in self.readings[position]:
                    break
            else:
                found.append(start)
        return found

    def contains(self, syllables: Sequence[str]) -> bool:
        return bool(self.occurrences(syllables))

    def pair_positions(self, first: str, second: str) -> frozenset[int]:
        """Where two words read as a name (either order), remembered: the name and mention
        checks look up the same pairs of the same document."""
        key = (first, second)
        found = self._pair_positions.get(key)
        if found is None:
            orders = _name_orders(first, second)
            found = frozenset(p for s in orders for p in self.occurrences(s))
            self._pair_positions[key] = found
        return found


@lru_cache(maxsize=65536)
def _char_readings(char: str) -> frozenset[str]:
    """Every toneless reading of one character (traditional and simplified alike)."""
    readings = pinyin_dict.get(ord(char))
    if not readings:
        return frozenset()
    return frozenset(
        form for reading in readings.split(",") for form in _u_umlaut_forms(_strip_tones(reading))
    )


@lru_cache(maxsize=256)
def _pinyin_index(text: str) -> PinyinIndex:
    return PinyinIndex(text)


def _name_orders(first: str, second: str) -> Iterable[tuple[str, ...]]:
    """Syllable sequences a two-word name can stand for (surname first, or given name first)."""
    for a in segment_pinyin(first):
        for b in segment_pinyin(second):
            yield (*a, *b)
            yield (*b, *a)


@lru_cache(maxsize=65536)
def _english_word_of_syllables(word: str) -> bool:
    """An English word of two or more pinyin syllables ("Police" = po-li-ce): a title or a
    common noun next to a surname ("Director of the Police Fang Shibao"), not a given name."""
    syllables = segment_pinyin(word)
    if not syllables or min(len(s) for s in syllables) < 2:
        return False
    from simplemma import is_known  # an eval extra, like the coverage check's lemmas

    return bool(is_known(word, lang="en"))


def _cannot_be_name(first: str, second: str) -> bool:
    """Pairs that are no Chinese name whatever their letters: a function word, month or weekday
    ("The Chongqing", "In Ningxia"), an exonym ("Hong Kong", also as "Hong Kong-Macao"), or an
    English word of several syllables ("Police Fang")."""
    lower = (first.lower(), second.lower())
    if lower[0] in NOT_NAME_WORDS or lower[1] in NOT_NAME_WORDS:
        return True
    if f"{lower[0]} {lower[1].split('-')[0]}" in EXONYMS:
        return True
    return any(_english_word_of_syllables(word) for word in lower if word not in SURNAMES)


def _is_name_pair(first: str, second: str) -> bool:
    """Whether two capitalized words read as a Chinese personal name (surname + given name)."""
    lower = (first.lower(), second.lower())
    if f"{lower[0]} {lower[1]}" in EXONYMS or _cannot_be_name(first, second):
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
    if _cannot_be_name(first, second):
        return False
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
        if given_ok and _near_surname(surname):  # "Ynag Na": a surname misspelled
            return True
    return False


@lru_cache(maxsize=4096)
def _near_surname(word: str) -> bool:
    """A word of 3-6 letters, not pinyin itself, one letter edit away from a common surname."""
    return (
        3 <= len(word) <= 6
        and not segment_pinyin(word)
        and any(within_one_edit(word, surname) for surname in SURNAMES)
    )


#: The capitalized word right after a pair ("Lei Yue Mun Park": "Mun").
_NEXT_CAPITALIZED = re.compile(r"[ \t]+([A-Z][a-z]+)\b")


def _continues_romanized_name(english: str, end: int) -> bool:
    """Whether the pair ending at ``end`` runs on into a capitalized word that is neither pinyin
    nor English ("Lei Yue Mun", "Tsim Sha Tsui"): a longer name in another romanization, mostly
    Cantonese places of Hong Kong, which Hanyu Pinyin of the source cannot match. A person's
    name does not run on into such a word."""
    following = _NEXT_CAPITALIZED.match(english, end)
    if following is None or segment_pinyin(following.group(1)):
        return False
    from simplemma import is_known  # an eval extra, like the coverage check's lemmas

    return not is_known(following.group(1), lang="en")


#: The capitalized word right before a pair ("Hong Kong Lu": "Hong" before "Kong Lu").
_PREVIOUS_CAPITALIZED = re.compile(r"\b([A-Z][a-z]+)[ \t]+$")


def _previous_word(english: str, start: int) -> str | None:
    found = _PREVIOUS_CAPITALIZED.search(english, max(0, start - 40), start)
    return found.group(1) if found else None


def _inside_exonym(previous: str | None, first: str) -> bool:
    """Whether the pair's first word ends an exonym ("the Hong Kong Lu Xinning": "Kong Lu" is
    the tail of "Hong Kong" and the head of the name after it, no name of its own)."""
    return previous is not None and f"{previous.lower()} {first.lower()}" in EXONYMS


def _three_word_romanization(previous: str | None, first: str, second: str, source: str) -> bool:
    """Whether the pair is the given name of a three-word name in a romanization other than
    pinyin, whose surname is the word before it ("Ho Wing Sze" for 何咏诗, written unhyphenated
    as Hong Kong and Singapore names often are)."""
    if previous is None:
        return False
    from summarizer.eval.checks.romanizations import romanized_name_in_source  # an eval extra

    return romanized_name_in_source(previous, f"{first}-{second}", source)


#: Vietnamese surnames that are no pinyin syllable (陈 is "Tran", 阮 "Nguyen"): a pair after one
#: is the given name of a Vietnamese name written in Vietnamese ("Hoang Hai Linh" for 黄海林),
#: which pinyin of the source cannot match (round 7).
# fmt: off
VIETNAMESE_SURNAMES = frozenset((
    "nguyen", "tran", "pham", "huynh", "hoang", "phan", "vu", "vo", "bui", "ngo", "duong",
    "trinh", "truong", "doan", "quach", "luong", "trieu",
))
# fmt: on


def _word_before_source_name(
    english: str, end: int, first: str, second: str, index: PinyinIndex
) -> bool:
    """Whether the pair is a source word followed by the surname of a source name: "Xing'an
    Yuan Longping" for 兴安盟袁隆平 is the place 兴安 before 袁隆平, not a person "Xing'an Yuan"
    (round 9). The word must itself read as source characters and the pair after it, the second
    word with the next one, as a name the source states; a name swapped in stays checked there."""
    following = _NEXT_CAPITALIZED_NAME_WORD.match(english, end)
    if following is None or not index.pair_positions(second, following.group(1)):
        return False
    return any(index.contains(syllables) for syllables in segment_pinyin(first))


#: The name word right after a pair ("Yuan Longping" after "Xing'an Yuan": "Longping").
_NEXT_CAPITALIZED_NAME_WORD = re.compile(rf"[ \t]+({_NAME_WORD})\b")


def _vietnamese_given_name(previous: str | None) -> bool:
    return previous is not None and previous.lower() in VIETNAMESE_SURNAMES


#: A name the source marks as a transliteration: 朱凯蒂（音译）, 朱凯蒂 (音译).
_TRANSLITERATION_MARK = re.compile(r"(?P<chars>[\u4e00-\u9fff]{2,4})\s*[（(]\s*音译\s*[）)]")


def _transliterated_in_source(first: str, second: str, source: str) -> bool:
    """Whether the pair is a name that ``source`` marks （音译）, written with the English given
    name the characters transliterate ("Katie Zhu" for 朱凯蒂（音译）): one word reads as the
    surname character(s), and the other starts as the first given-name character sounds (凯,
    kai: K). "Mary Zhu" for it, or "Katie Wang", is still no name of the source (round 10)."""
    for match in _TRANSLITERATION_MARK.finditer(source):
        chars = match.group("chars")
        for length in range(2, len(chars) + 1):
            name = chars[-length:]
            for cut in (1, 2):
                surname_chars, given_chars = name[:cut], name[cut:]
                if not given_chars:
                    continue
                surnames = _readings_strings([_char_readings(c) for c in surname_chars])
                initials = {reading[0] for reading in _char_readings(given_chars[0])}
                for surname, given in ((first, second), (second, first)):
                    if surname.lower() in surnames and given[0].lower() in initials:
                        return True
    return False


def _written_otherwise(first: str, second: str, source: str) -> bool:
    """Whether a pair that pinyin does not find in ``source`` is still one of its names: in
    Wade-Giles or Cantonese romanization ("Chiling Tong" for 董继玲), or an ethnic group's
    official English name ("Ximeng Va" for 西盟佤族). Asked only before flagging: it is slower."""
    from summarizer.eval.checks.romanizations import (  # needs an eval extra
        ethnic_group_in_source,
        romanized_name_in_source,
    )

    return ethnic_group_in_source(first, second, source) or romanized_name_in_source(
        first, second, source
    )


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
        positions = index.pair_positions(first, second)
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
        if _continues_romanized_name(english, match.end(2)):
            continue
        previous = _previous_word(english, match.start(1))
        if (
            _inside_exonym(previous, first)
            or _vietnamese_given_name(previous)
            or _word_before_source_name(english, match.end(2), first, second, index)
        ):
            continue
        if _is_name_pair(first, second):
            if (
                _written_otherwise(first, second, source)
                or _three_word_romanization(previous, first, second, source)
                or _transliterated_in_source(first, second, source)
            ):
                continue
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
        elif (
            _pair_near_name(first, second)
            and _near_pair_in_source(first, second, index)
            and not _written_otherwise(first, second, source)
            and not _three_word_romanization(previous, first, second, source)
        ):
            flags.append(
                Flag(
                    "name.misspelled",
                    paragraph,
                    text,
                    f"{text!r} looks like a misspelled source name",
                )
            )
    return flags


def verified_names(english: str, source: str) -> list[str]:
    """The name pairs of ``english`` ("Surname Given") that the source states."""
    index = _pinyin_index(source)
    found = []
    for match in _CAP_PAIR.finditer(english):
        first, second = match.group(1), match.group(2)
        if _is_name_pair(first, second) and any(
            index.contains(s) for s in _name_orders(first, second)
        ):
            found.append(f"{first} {second}")
    return found


#: Public names for the per-paragraph mention count (``summarizer.eval.checks.mentions``).
CAP_PAIR = _CAP_PAIR
is_name_pair = _is_name_pair
name_orders = _name_orders
pinyin_index = _pinyin_index
