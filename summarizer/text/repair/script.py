"""Which script the article is written in, conversion to simplified, and the language.

Conversion uses OpenCC ``t2s`` (character and phrase level) rather than ``tw2sp``: the articles are
mainland news that happen to be in traditional characters, and ``tw2sp`` also rewrites Taiwanese
vocabulary into mainland words (軟體 -> 软件), which would change the author's wording and break
evidence spans; ``t2s`` only changes the script. Names come out right (瞿鎮輔 -> 瞿镇辅).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.text.chars import HAN_RUN
from summarizer.text.repair import lexicon
from summarizer.text.repair.edits import Edit
from summarizer.text.repair.lexicon import OPENCC_CONFIG

__all__ = [
    "OPENCC_CONFIG",
    "chinese_repairs_apply",
    "detect_language",
    "detect_script",
    "simplify_edits",
]

_CJK_RUN = HAN_RUN
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_LATIN_RUN = re.compile("[A-Za-z\u00c0-\u024f]+")
_KANA_RUN = re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff]+")
_HANGUL_RUN = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+")
#: Letters of every script (``\w`` minus digits and the underscore).
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_CHANGED_RUN = re.compile(b"\x01+")
_NONZERO_TO_ONE = bytes([0] + [1] * 255)


def detect_script(text: str) -> str:
    """``traditional``, ``simplified``, ``mixed``, ``latin`` or ``none`` for ``text``."""
    han = "".join(_CJK_RUN.findall(text))
    if not han:
        return "latin" if _LATIN.search(text) else "none"
    distinct = set(han)
    to_simplified = lexicon.char_conversions(distinct)
    changed = [char for char in distinct if to_simplified[char] != char]
    if not changed:
        return "simplified"  # includes text whose characters are common to both scripts
    traditional = _occurrences(changed, han)
    to_traditional = lexicon.char_conversions(distinct, to_traditional=True)
    simplified = _occurrences([char for char in distinct if to_traditional[char] != char], han)
    if traditional >= 4 * simplified:
        return "traditional"
    if simplified >= 4 * traditional:
        return "simplified"
    return "mixed"


def _occurrences(chars: list[str], text: str) -> int:
    """How many characters of ``text`` are among ``chars`` (counted in runs, in C)."""
    if not chars:
        return 0
    pattern = re.compile(f"[{re.escape(''.join(sorted(chars)))}]+")
    return sum(map(len, pattern.findall(text)))


def simplify_edits(text: str, keep: Sequence[tuple[int, int]] = ()) -> list[Edit]:
    """Edits converting traditional characters to simplified, one per run of changed characters.

    Spans in ``keep`` (text that still looks mis-decoded) are left as they are: OpenCC would
    rewrite garbage as if it were traditional script, and report it as a script change.
    """
    converted = lexicon.to_simplified_aligned(text)
    for start, end in keep:
        converted = converted[:start] + text[start:end] + converted[end:]
    if converted == text:
        return []
    note = f"traditional to simplified (OpenCC {lexicon.OPENCC_CONFIG})"
    return [
        Edit(m.start(), m.end(), converted[m.start() : m.end()], "script", note=note)
        for m in _CHANGED_RUN.finditer(_changed_mask(text, converted))
    ]


def _changed_mask(text: str, converted: str) -> bytes:
    """One byte per character of two equally long texts: 1 where they differ, else 0.

    Built from whole-string operations: walking a CJK string character by character creates an
    object per character, which costs more than everything else here.
    """
    size = len(text)
    a = int.from_bytes(text.encode("utf-32-le", "surrogatepass"), "little")
    b = int.from_bytes(converted.encode("utf-32-le", "surrogatepass"), "little")
    differing_bytes = (a ^ b).to_bytes(4 * size, "little").translate(_NONZERO_TO_ONE)
    # A code point fits in the low three of its four bytes: OR them into one byte per character.
    mask = 0
    for low in range(3):
        mask |= int.from_bytes(differing_bytes[low::4], "little")
    return mask.to_bytes(size, "little")


def detect_language(text: str) -> str:
    """``zh`` when Han characters dominate, ``ja`` when they come with kana, ``ko`` for Hangul,
    ``en`` when Latin letters dominate, else ``und`` (Cyrillic, Greek, Arabic, ... or nothing)."""
    return _language(_ScriptCounts.of(text))


def chinese_repairs_apply(text: str) -> bool:
    """Whether the GBK mojibake repairs and OpenCC conversion may touch ``text``.

    Judged on the whole text's dominant script, not on any occurrence: Japanese kanji are not
    traditional Chinese to simplify and kana are not mis-decoded Han, Hangul and Cyrillic words
    score as implausible Chinese; yet a Chinese article quoting a Japanese or Russian name (or
    whose garbage happens to include kana or Cyrillic, both in GBK) is still repaired as Chinese.
    """
    counts = _ScriptCounts.of(text)
    language = _language(counts)
    if language in ("ja", "ko"):
        return False
    # ``und`` with letters of another script (Cyrillic, Greek, Arabic, ...) dominating them.
    return not (language == "und" and counts.other > 0)


@dataclass(frozen=True)
class _ScriptCounts:
    """Letters of ``text`` per script."""

    han: int
    latin: int
    kana: int
    hangul: int
    other: int

    @classmethod
    def of(cls, text: str) -> _ScriptCounts:
        # Runs, not single characters: far fewer strings to build for the same counts.
        han = sum(map(len, _CJK_RUN.findall(text)))
        latin = sum(map(len, _LATIN_RUN.findall(text)))
        kana = sum(map(len, _KANA_RUN.findall(text)))
        hangul = sum(map(len, _HANGUL_RUN.findall(text)))
        letters = sum(map(len, _LETTER_RUN.findall(text)))
        # Letters of any other script (Cyrillic, Greek, Arabic, ...): never English.
        other = max(0, letters - han - latin - kana - hangul)
        return cls(han, latin, kana, hangul, other)


def _language(counts: _ScriptCounts) -> str:
    """The language ``detect_language`` reports for these counts."""
    han, latin, kana, hangul, other = (
        counts.han,
        counts.latin,
        counts.kana,
        counts.hangul,
        counts.other,
    )
    if kana >= 2 and kana * 5 >= han + kana:  # Japanese: kana are a fifth of its CJK or more
        return "ja"
    if hangul >= 2 and hangul * 3 >= max(han * 3, latin, other):
        return "ko"
    if han == 0 and latin == 0:
        return "und"
    # A Han character carries about as much as a short Latin word: weigh them accordingly.
    if han * 3 >= latin:
        return "zh" if han >= 2 and han * 3 >= other else "und"
    return "en" if latin >= other else "und"
