"""Shared Chinese lexical resources, loaded once and only when first needed.

Repairs must judge "is this plausible Chinese?" and "which character reads ``bào`` here?" without a
model. Character frequencies come from ``char_counts.tsv`` (derived from jieba's dictionary and
shipped, since loading jieba takes seconds), word frequencies from jieba itself (only to restore a
lost character), readings from pypinyin, and OpenCC maps traditional to simplified. Each is cached
behind a function and never touched by inputs that do not need it.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from functools import cache
from pathlib import Path

import opencc

from summarizer.text.chars import is_han

#: The OpenCC configuration used everywhere (see ``summarizer.text.repair.script`` for why ``t2s``).
OPENCC_CONFIG = "t2s"


@cache
def t2s_converter() -> opencc.OpenCC:
    return opencc.OpenCC(OPENCC_CONFIG)


@cache
def s2t_converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    return str(t2s_converter().convert(text))


_CHAR_T2S: dict[str, str] = {}
_CHAR_S2T: dict[str, str] = {}


def char_conversions(chars: set[str], *, to_traditional: bool = False) -> dict[str, str]:
    """Single-character OpenCC conversions of ``chars`` (cached; 1:1 results only)."""
    cache = _CHAR_S2T if to_traditional else _CHAR_T2S
    missing = [char for char in chars if char not in cache and char != "\n"]
    if missing:
        converter = s2t_converter() if to_traditional else t2s_converter()
        converted = str(converter.convert("\n".join(missing))).split("\n")
        if len(converted) != len(missing):
            converted = [str(converter.convert(char)) for char in missing]
        for char, result in zip(missing, converted, strict=True):
            cache[char] = result if len(result) == 1 else char
    return {char: cache.get(char, char) for char in chars}


def to_simplified_aligned(text: str) -> str:
    """``to_simplified`` guaranteed to keep length (character-by-character where phrases differ)."""
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    converter = t2s_converter()
    out = []
    for char in text:
        single = str(converter.convert(char))
        out.append(single if len(single) == 1 else char)
    return "".join(out)


@cache
def word_frequencies() -> dict[str, int]:
    """jieba's dictionary: word -> corpus frequency (simplified Chinese; prefixes map to 0).

    This is jieba's own loaded table, shared with analysis (which segments with jieba anyway), so
    the dictionary is read once per process. Treat it as read-only. Loading it takes seconds, so
    only word-level questions (restoring a lost character) ask for it; character plausibility uses
    the shipped ``char_counts.tsv`` instead.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    frequencies: dict[str, int] = jieba.dt.FREQ
    return frequencies


def segmentation_score(text: str) -> float:
    """Log-probability of the best word segmentation of ``text`` (jieba's unigram word model).

    It says how well a stretch reads as words; comparing two equally long stretches tells which
    is more plausible Chinese. Loads jieba's dictionary (see ``word_frequencies``).
    """
    import jieba

    word_frequencies()
    simplified = to_simplified_aligned(text)
    route: dict[int, tuple[float, int]] = {}
    jieba.dt.calc(simplified, jieba.dt.get_DAG(simplified), route)
    return float(route[0][0]) if simplified else 0.0


#: Character counts derived from jieba's dictionary (see ``count_chars``), shipped so that judging
#: character plausibility (mojibake detection, choosing a legacy encoding) never loads jieba.
CHAR_COUNTS_FILE = Path(__file__).with_name("char_counts.tsv")


def count_chars(words: dict[str, int]) -> dict[str, int]:
    """Each character's total frequency over the words containing it (word frequency x uses)."""
    counts: dict[str, int] = {}
    for word, frequency in words.items():
        if not frequency:
            continue
        for char in word:
            counts[char] = counts.get(char, 0) + frequency
    return counts


def read_char_counts(path: Path = CHAR_COUNTS_FILE) -> dict[str, int]:
    """The shipped table: ``char<TAB>count`` lines after ``# `` comment lines."""
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("# "):
                continue
            char, count = line.rstrip("\n").split("\t")
            counts[char] = int(count)
    return counts


def format_char_counts(counts: dict[str, int], source: str) -> str:
    """The text of ``char_counts.tsv`` for ``counts`` (characters in code point order)."""
    header = [
        "# Character frequencies: for each character, the sum of the frequencies of the words",
        f"# containing it, derived from {source}",
        "# (jieba is MIT-licensed). Regenerate: summarizer.text.repair.lexicon.write_char_counts()",
    ]
    rows = [f"{char}\t{counts[char]}" for char in sorted(counts)]
    return "\n".join([*header, *rows]) + "\n"


@cache
def _char_log_probabilities() -> tuple[dict[str, float], float]:
    counts = read_char_counts()
    total = float(sum(counts.values()))
    table = {char: math.log(count / total) for char, count in counts.items()}
    return table, math.log(0.5 / total)


#: Score given to CJK punctuation and ASCII: "ordinary", neither rewarded nor suspicious.
NEUTRAL_SCORE = -7.0
#: Score of a symbol that does not belong in Chinese prose (bopomofo, Cyrillic, box drawing...).
ALIEN_SCORE = -20.0

CJK_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》〈〉【】「」『』…—·～")


def plausible_chars(min_score: float) -> list[str]:
    """Characters of the table that score at least ``min_score`` once converted to simplified.

    Judged on the simplified form, as mojibake detection judges them: a traditional form in the
    table may convert to a rarer character.
    """
    table, _ = _char_log_probabilities()
    chars = [char for char, value in table.items() if value >= min_score]
    simplified = char_conversions(set(chars))
    return sorted(char for char in chars if char_score(simplified[char]) >= min_score)


def char_score(char: str) -> float:
    """Log-probability-like plausibility of one (simplified) character in Chinese prose."""
    if is_han(char):
        table, floor = _char_log_probabilities()
        return table.get(char, floor)
    code = ord(char)
    if char.isascii() or char in CJK_PUNCTUATION or 0xFF01 <= code <= 0xFF5E or code == 0x3000:
        return NEUTRAL_SCORE  # includes full-width forms and the ideographic space
    if any(low <= code <= high for low, high in _ALIEN_RANGES):
        return ALIEN_SCORE
    return UNUSUAL_SCORE


#: Scripts and symbols that mis-decoded GBK produces but Chinese news does not use.
_ALIEN_RANGES = (
    (0x0400, 0x052F),  # Cyrillic
    (0x2500, 0x259F),  # box drawing, blocks
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x31A0, 0x31BF),  # bopomofo extended
    (0xE000, 0xF8FF),  # private use (GBK user-defined areas)
    (0xFE10, 0xFE6F),  # vertical and small forms
)
#: Score of a legitimate but uncommon symbol (Greek letters, circled numbers, ℃...).
UNUSUAL_SCORE = -12.0


@cache
def _main_readings_index() -> dict[str, tuple[str, ...]]:
    from pypinyin.constants import PINYIN_DICT

    index: dict[str, list[str]] = {}
    for code, readings in PINYIN_DICT.items():
        main = unicodedata.normalize("NFC", readings.split(",", 1)[0])
        index.setdefault(main, []).append(chr(code))
    return {reading: tuple(chars) for reading, chars in index.items()}


def chars_read_mainly(syllable: str) -> tuple[str, ...]:
    """Characters whose first (most common) reading is ``syllable`` (rare readings: no guesses)."""
    return _main_readings_index().get(unicodedata.normalize("NFC", syllable), ())


@cache
def readings_of(char: str) -> tuple[str, ...]:
    """All tone-marked readings pypinyin knows for ``char`` (heteronyms included)."""
    from pypinyin.constants import PINYIN_DICT

    readings = PINYIN_DICT.get(ord(char))
    if not readings:
        return ()
    return tuple(unicodedata.normalize("NFC", reading) for reading in readings.split(","))


#: Every reading pypinyin knows (see ``readings_in_pypinyin``), shipped so that telling pinyin
#: from an English gloss in parentheses (``联想(Lenovo)``) does not import pypinyin (~0.5 s).
SYLLABLES_FILE = Path(__file__).with_name("pinyin_syllables.txt")


@cache
def syllable_inventory() -> frozenset[str]:
    """Every tone-marked syllable, plus its toneless form (e.g. ``bào`` and ``bao``)."""
    lines = SYLLABLES_FILE.read_text(encoding="utf-8").splitlines()
    syllables = {line for line in lines if line and not line.startswith("# ")}
    return frozenset(syllables | {strip_tones(reading) for reading in syllables})


def readings_in_pypinyin() -> set[str]:
    """The distinct tone-marked readings in pypinyin's character dictionary (NFC)."""
    from pypinyin.constants import PINYIN_DICT

    written: set[str] = set()
    for readings in PINYIN_DICT.values():
        written.update(readings.split(","))
    return {unicodedata.normalize("NFC", reading) for reading in written}


def write_syllables(path: Path = SYLLABLES_FILE) -> None:
    """Regenerate the shipped syllable list from the installed pypinyin (after upgrading it)."""
    from importlib.metadata import version

    header = [
        f"# Tone-marked pinyin readings known to pypinyin {version('pypinyin')} (MIT-licensed),",
        "# one per line. Regenerate: summarizer.text.repair.lexicon.write_syllables()",
    ]
    rows = sorted(readings_in_pypinyin())
    path.write_text("\n".join([*header, *rows]) + "\n", encoding="utf-8")


_TONE_MARKS = "\u0304\u0301\u030c\u0300"  # macron, acute, caron, grave (combining)


def strip_tones(syllable: str) -> str:
    """``lǜ`` -> ``lü``: drop tone marks, keep the diaeresis."""
    decomposed = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


def has_tone_mark(text: str) -> bool:
    return any(c in _TONE_MARKS for c in unicodedata.normalize("NFD", text))


def write_char_counts(path: Path = CHAR_COUNTS_FILE) -> None:
    """Regenerate the shipped table from the installed jieba (after upgrading jieba)."""
    import jieba

    source = f"jieba {jieba.__version__} dict.txt"
    path.write_text(format_char_counts(count_chars(word_frequencies()), source), encoding="utf-8")
