"""Romanizations of Chinese personal names, and whether an English name is one of them.

A model writes ``name_en`` for a name the article writes in Chinese; it must be that name
romanized, not another person's (张建华 is "Zhang Jianhua", never "Li Qiang"). Accepted: Hanyu
Pinyin of any reading of each character (pypinyin's heteronyms, and the surname table's reading,
单 "Shan"), surname first or last, the given name as one word, hyphenated or in separate syllables,
any case, apostrophes dropped; Wade-Giles and its passport variants (蒋经国 "Chiang Ching-kuo",
蔡英文 "Tsai Ing-wen"); and Hong Kong Cantonese romanization (郑月娥 "Cheng Yuet-ngor") where the
``cantonese-romanisation`` package (the eval extra) is installed. Names that are not Chinese names
(transliterated foreign names such as 斯皮尔伯格, names with no known surname) have no requirement.

Wade-Giles comes from pinyin by the system's fixed correspondence of initials and finals (no
well-kept library with a permissive licence offers it); Cantonese comes from the package's
character table (traditional characters, so simplified ones are converted with OpenCC first).
Eval's grounding (``summarizer.eval.checks.romanizations``) uses the same tables.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

from summarizer.text.analysis.romanize import (
    TRANSLITERATION,
    known_names,
    split_name,
    surname_table,
)
from summarizer.text.chars import HAN_RUN

#: Pinyin initials and their Wade-Giles forms, apostrophes of aspiration dropped (p' -> p).
_WG_INITIALS = (
    ("zh", "ch"),
    ("ch", "ch"),
    ("sh", "sh"),
    ("b", "p"),
    ("p", "p"),
    ("d", "t"),
    ("t", "t"),
    ("g", "k"),
    ("k", "k"),
    ("j", "ch"),
    ("q", "ch"),
    ("x", "hs"),
    ("z", "ts"),
    ("c", "ts"),
    ("r", "j"),
    ("s", "s"),
    ("m", "m"),
    ("f", "f"),
    ("n", "n"),
    ("l", "l"),
    ("h", "h"),
    ("y", "y"),
    ("w", "w"),
)
#: Whole syllables Wade-Giles spells apart from the rules below.
_WG_SYLLABLES = {
    "zi": ("tzu",),
    "ci": ("tzu",),
    "si": ("ssu", "szu"),
    "zhi": ("chih",),
    "chi": ("chih",),
    "shi": ("shih",),
    "ri": ("jih",),
    "er": ("erh",),
    "e": ("o", "e"),
    "yi": ("i", "yi"),
    "you": ("yu",),
    "yan": ("yen",),
    "ye": ("yeh",),
    "yue": ("yueh",),
    "yong": ("yung",),
}


def _wg_final(initial: str, final: str) -> str:
    """The Wade-Giles spelling of a pinyin final after ``initial`` (its pinyin form)."""
    final = final.replace("ü", "u")
    if final == "e":
        return "o" if initial in ("g", "k", "h") else "e"
    if final == "uo":
        return "uo" if initial in ("g", "k", "h", "sh") else "o"
    if final == "ui" and initial in ("g", "k"):
        return "uei"
    for pinyin_end, wg_end in (("iong", "iung"), ("ong", "ung"), ("ian", "ien"), ("ie", "ieh")):
        if final.endswith(pinyin_end):
            return final[: -len(pinyin_end)] + wg_end
    if final == "ue":
        return "ueh"
    return final


def _passport_variants(form: str) -> set[str]:
    """Wade-Giles as Taiwanese and diaspora passports write it: the final -ung also as -ong
    (董 "Tong", 洪 "Hong"), and a y- before i dropped (英 "Ing" in "Tsai Ing-wen")."""
    variants = {form}
    if form.endswith("ung"):
        variants.add(form[:-3] + "ong")
    if form.startswith("yi"):
        variants.add(form[1:])
    return variants


@lru_cache(maxsize=4096)
def wade_giles(syllable: str) -> frozenset[str]:
    """The Wade-Giles forms (without apostrophes or umlauts) of a toneless pinyin syllable, with
    their common passport variants: "jiang" -> "chiang", "deng" -> "teng", "dong" -> "tung" and
    "tong", "ying" -> "ying" and "ing"."""
    syllable = syllable.lower().replace("v", "ü")
    if syllable in _WG_SYLLABLES:
        forms = set(_WG_SYLLABLES[syllable])
    else:
        initial, wg_initial = next(
            ((p, w) for p, w in _WG_INITIALS if syllable.startswith(p)), ("", "")
        )
        forms = {wg_initial + _wg_final(initial, syllable[len(initial) :])}
    return frozenset(variant for form in forms for variant in _passport_variants(form))


@lru_cache(maxsize=1)
def _cantonese_table() -> dict[str, list[str]]:
    try:
        from cantoroman import Cantonese
    except ModuleNotFoundError as missing:  # the core install has no eval dependencies
        from summarizer.extras import MissingExtraError

        raise MissingExtraError("eval", missing.name) from None

    table: dict[str, list[str]] = Cantonese().charToRoman
    return table


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2hk")


@lru_cache(maxsize=65536)
def cantonese_readings(char: str) -> frozenset[str]:
    """Hong Kong Government Cantonese romanizations of one character (陈 -> "chan", "chun")."""
    table = _cantonese_table()
    converter = _to_traditional()
    traditional = converter.convert(char)
    return frozenset(
        reading.lower()
        for form in {char, traditional}
        for reading in table.get(form, ())
        if reading.isascii() and reading.isalpha()
    )


def cantonese_available() -> bool:
    """Whether Cantonese readings can be given (the eval extra's package is installed)."""
    try:
        _cantonese_table()
    except ImportError:  # MissingExtraError is one
        return False
    return True


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless Hanyu Pinyin syllable with a vowel (``ng`` and ``hm`` are no name's)."""
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    syllables = {
        to_normal(reading).replace("ü", "v")
        for readings in PINYIN_DICT.values()
        for reading in readings.split(",")
    }
    return frozenset(s for s in syllables if any(vowel in s for vowel in "aeiouv"))


@cache
def name_syllables() -> frozenset[str]:
    """Every syllable a romanized Chinese name may be made of: pinyin and Wade-Giles."""
    pinyin = pinyin_syllables()
    return pinyin | {form for syllable in pinyin for form in wade_giles(syllable)}


@lru_cache(maxsize=8192)
def char_readings(char: str) -> frozenset[str]:
    """Every romanization of one Han character, lowercase: its pinyin readings (ü also as u and
    v), their Wade-Giles forms, and its Cantonese readings when available."""
    from pypinyin import Style, pinyin

    readings: set[str] = set()
    for reading in pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0]:
        plain = reading.lower().replace("ü", "v")
        # 吕: lv, lu, and lyu as passports write it
        readings.update({plain, plain.replace("v", "u"), plain.replace("v", "yu")})
        readings.update(wade_giles(plain))
    if cantonese_available():
        readings.update(cantonese_readings(char))
    return frozenset(readings)


def is_chinese_name(name: str) -> bool:
    """Whether ``name`` is a Chinese personal name a romanization is required for: two to four
    Han characters starting with a known surname, no character typical of transliterated foreign
    names after it, and not a well-known foreign name."""
    name = name.strip()
    if not 2 <= len(name) <= 4 or not HAN_RUN.fullmatch(name) or name in known_names():
        return False
    parts = split_name(name)
    return parts is not None and not any(char in TRANSLITERATION for char in parts[1])


def _reads_as(word: str, chars: str, surname: str | None = None) -> bool:
    """Whether ``word`` (lowercase letters) is ``chars`` read one syllable per character; the
    whole ``surname``, when given, may also read as the surname table's romanization."""
    if surname is not None and word == surname_table()[surname].lower().replace("'", ""):
        return chars == surname or _reads_as("", chars[len(surname) :])

    @cache
    def walk(offset: int, position: int) -> bool:
        if position == len(chars):
            return offset == len(word)
        return any(
            word.startswith(reading, offset) and walk(offset + len(reading), position + 1)
            for reading in char_readings(chars[position])
            if reading
        )

    return walk(0, 0)


_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_APOSTROPHES = re.compile(r"['’ʼ`.]")


def name_words(name_en: str) -> list[str]:
    """The words of an English name, lowercase, tone marks, apostrophes and dots dropped,
    hyphenated parts as separate words ("Ying-jeou" -> "ying", "jeou"; "Lü" -> "lu")."""
    decomposed = unicodedata.normalize("NFKD", name_en.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word for word in _SEPARATORS.split(_APOSTROPHES.sub("", plain)) if word]


def romanizes(name_en: str, name: str) -> bool:
    """Whether ``name_en`` romanizes the Chinese name ``name`` (see the module docstring);
    ``True`` for names that are not Chinese names, which need no particular spelling."""
    name = name.strip()
    if not is_chinese_name(name):
        return True
    known = known_names().get(name)
    if known is not None and known.casefold() == name_en.strip().casefold():
        return True
    parts = split_name(name)
    words = name_words(name_en)
    if parts is None or not words or not all(word.isascii() and word.isalpha() for word in words):
        return False
    surname, given = parts
    for surname_first in (True, False):
        ordered = words if surname_first else [*words[-1:], *words[:-1]]
        for cut in range(1, len(ordered)):
            head, tail = "".join(ordered[:cut]), "".join(ordered[cut:])
            if _reads_as(head, surname, surname) and _reads_as(tail, given):
                return True
    return False


def is_name_word(word: str) -> bool:
    """Whether ``word`` (one word, any case) is made of romanized-name syllables."""
    letters = "".join(name_words(word))
    syllables = name_syllables()

    @cache
    def walk(offset: int) -> bool:
        if offset == len(letters):
            return True
        return any(
            letters[offset:end] in syllables and walk(end)
            for end in range(len(letters), offset, -1)
        )

    return bool(letters) and letters.isascii() and letters.isalpha() and walk(0)


@cache
def surname_words() -> frozenset[str]:
    """Lowercase romanizations of the known surnames (pinyin of the table, and Wade-Giles)."""
    words: set[str] = set()
    for romanized in surname_table().values():
        plain = romanized.lower().replace("'", "")
        words.add(plain)
        if plain in pinyin_syllables():
            words.update(wade_giles(plain))
    return frozenset(words)
