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
    counts = collections.Counter(_CJK.findall(text))
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


def simplify_edits(text: str) -> list[Edit]:
    """Edits converting traditional characters to simplified, one per run of changed characters."""
    converted = lexicon.to_simplified_aligned(text)
    if converted == text:
        return []
    note = f"traditional to simplified (OpenCC {lexicon.OPENCC_CONFIG})"
    table = lexicon.char_conversions(set(text))
    changed_chars = "".join(re.escape(char) for char, new in table.items() if new != char)
    translation = {ord(char): new for char, new in table.items()}
    if changed_chars and text.translate(translation) == converted:
        # Character-level conversion agrees with OpenCC's phrase-level one: find runs in C.
        return [
            Edit(m.start(), m.end(), converted[m.start() : m.end()], "script", note=note)
            for m in re.finditer(f"[{changed_chars}]+", text)
        ]
    changed = [index for index, differs in enumerate(map(str.__ne__, text, converted)) if differs]
    edits: list[Edit] = []
    start = previous = changed[0]
    for index in changed[1:]:
        if index != previous + 1:
            edits.append(
                Edit(start, previous + 1, converted[start : previous + 1], "script", note=note)
            )
            start = index
        previous = index
    edits.append(Edit(start, previous + 1, converted[start : previous + 1], "script", note=note))
    return edits


def detect_language(text: str) -> str:
    """``zh`` when Han characters dominate, ``en`` when Latin letters do, else ``und``."""
    han = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if han == 0 and latin == 0:
        return "und"
    # A Han character carries about as much as a short Latin word: weigh them accordingly.
    if han * 3 >= latin:
        return "zh" if han >= 2 else "und"
    return "en"
