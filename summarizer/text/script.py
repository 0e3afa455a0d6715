"""Which script the article is written in, conversion to simplified, and the language.

Conversion uses OpenCC ``t2s`` (character and phrase level) rather than ``tw2sp``: the articles are
mainland news that happen to be in traditional characters, and ``tw2sp`` also rewrites Taiwanese
vocabulary into mainland words (軟體 -> 软件), which would change the author's wording and break
evidence spans; ``t2s`` only changes the script. Names come out right (瞿鎮輔 -> 瞿镇辅).
"""

from __future__ import annotations

import collections
import re

from summarizer.text import lexicon
from summarizer.text.edits import Edit
from summarizer.text.lexicon import OPENCC_CONFIG

__all__ = ["OPENCC_CONFIG", "detect_language", "detect_script", "simplify_edits"]

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def detect_script(text: str) -> str:
    """``traditional``, ``simplified``, ``mixed``, ``latin`` or ``none`` for ``text``."""
    counts = _counts(text, _CJK)
    if not counts:
        return "latin" if _LATIN.search(text) else "none"
    to_simplified = lexicon.char_conversions(set(counts))
    traditional = sum(n for char, n in counts.items() if to_simplified[char] != char)
    if traditional == 0:
        return "simplified"  # includes text whose characters are common to both scripts
    to_traditional = lexicon.char_conversions(set(counts), to_traditional=True)
    simplified = sum(n for char, n in counts.items() if to_traditional[char] != char)
    if traditional >= 4 * simplified:
        return "traditional"
    if simplified >= 4 * traditional:
        return "simplified"
    return "mixed"


def _counts(text: str, pattern: re.Pattern[str]) -> dict[str, int]:
    """How often each character matching ``pattern`` occurs in ``text``."""
    counts = collections.Counter(text)
    return {char: counts[char] for char in pattern.findall("".join(counts))}


def simplify_edits(text: str) -> list[Edit]:
    """Edits converting traditional characters to simplified, one per run of changed characters."""
    converted = lexicon.to_simplified_aligned(text)
    if converted == text:
        return []
    note = f"traditional to simplified (OpenCC {lexicon.OPENCC_CONFIG})"
    # One byte per character, 1 where the conversion changed it: the runs are found in C.
    changed = bytes(map(str.__ne__, text, converted))
    return [
        Edit(m.start(), m.end(), converted[m.start() : m.end()], "script", note=note)
        for m in _CHANGED_RUN.finditer(changed)
    ]


_CHANGED_RUN = re.compile(b"\x01+")


def detect_language(text: str) -> str:
    """``zh`` when Han characters dominate, ``en`` when Latin letters do, else ``und``."""
    counts = collections.Counter(text)
    distinct = "".join(counts)
    han = sum(counts[char] for char in _CJK.findall(distinct))
    latin = sum(counts[char] for char in _LATIN.findall(distinct))
    if han == 0 and latin == 0:
        return "und"
    # A Han character carries about as much as a short Latin word: weigh them accordingly.
    if han * 3 >= latin:
        return "zh" if han >= 2 else "und"
    return "en"
