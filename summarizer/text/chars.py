"""Character classes written once for the whole package: Han characters and plan-period numerals.

Han means the Unicode blocks of CJK *ideographs*, and only those:

* ``U+3400-U+4DBF`` Extension A (rare characters, some in names);
* ``U+4E00-U+9FFF`` the Unified Ideographs block (every common character);
* ``U+F900-U+FAFF`` Compatibility Ideographs (what some legacy encodings decode to);
* ``U+20000-U+323AF`` the supplementary planes' Extensions B to H and the compatibility supplement.

Radicals, strokes, CJK punctuation, kana, hangul and full-width forms are *not* Han: code that wants
them too (tokenizers, width estimates) adds them to ``HAN_RANGES`` itself. Before this module the
package held about ten definitions, some stopping at ``U+9FFF`` (missing Extension A and the
compatibility block), some starting at ``U+3400`` but running through the Yijing hexagram symbols.
"""

from __future__ import annotations

import re

#: The Han blocks as inclusive (first, last) code points, in code point order.
HAN_CODE_POINTS: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
)

#: Control characters: C0 but tab and line breaks, DEL, and C1. In a terminal ESC and BEL start
#: escape sequences (recolour, retitle, worse), and no text a reader gets needs them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: The Han ranges as the inside of a regex character class, for building larger classes.
HAN_RANGES = "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN_CODE_POINTS)

#: The lowest Han code point: a text whose largest character is below it has no Han at all.
FIRST_HAN = chr(HAN_CODE_POINTS[0][0])

#: One Han character.
HAN_CHAR = re.compile(f"[{HAN_RANGES}]")

#: A run of Han characters.
HAN_RUN = re.compile(f"[{HAN_RANGES}]+")

#: A Five-Year Plan period written with numerals (十三五, 十四五, 十五五 ...), which is a name,
#: not a quantity. The group is the digit after 十: 四 in 十四五, the 14th plan.
FIVE_YEAR_PLAN = re.compile(r"十([一二三四五六七八九])五")


def is_han(char: str) -> bool:
    """Whether ``char`` is one Han ideograph (``False`` for an empty or longer string).

    Compares code points rather than running ``HAN_CHAR``: callers test characters one by one.
    """
    if len(char) != 1:
        return False
    code = ord(char)
    return any(first <= code <= last for first, last in HAN_CODE_POINTS)
