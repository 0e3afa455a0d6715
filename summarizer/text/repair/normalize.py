"""Character and whitespace normalization, as recorded edits.

The rule for widths: full-width Latin letters and digits (``Ｇ２０``) become ASCII, as NFKC would,
and so do full-width symbols that have no Chinese use of their own (``％＋＝＠`` ...). Chinese
punctuation (``，。：；！？（）“”`` ...) is kept exactly as written, and ASCII punctuation is never
widened: we do not rewrite the author's punctuation, only undo width variants of alphanumerics.
Whitespace: NBSP and the ideographic space count as spaces; runs collapse to one space; lines are
trimmed; empty lines are dropped, so paragraphs are separated by exactly one "\\n".
"""

from __future__ import annotations

import re
import unicodedata

from summarizer.text.repair.edits import Edit

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e]+")
#: What may stand on each side of a zero-width joiner inside one emoji (👨‍👩‍👧, 🏳️‍🌈):
#: a pictograph, the emoji variation selector, or a skin-tone modifier.
_EMOJI_SIDE = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]+")
_FULLWIDTH_FOLDED = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"  # digits and letters
    "\uff03-\uff06\uff0a\uff0b\uff0d\uff0f\uff1c-\uff1e\uff20\uff3c\uff3e\uff3f\uff40\uff5c\uff5e]+"
)
#: ``．`` is a full stop in Chinese but a decimal point between digits (``３．５``).
_FULLWIDTH_POINT = re.compile("(?<=[0-9\uff10-\uff19])\uff0e(?=[0-9\uff10-\uff19])")
_SPACES = re.compile(" {2,}")
_LINE_EDGE_SPACES = re.compile("^ +| +$", re.MULTILINE)
_BLANK_LINES = re.compile("\n{2,}")


def unicode_edits(text: str) -> list[Edit]:
    """Compose decomposed accents (NFC), drop zero-width and control characters."""
    edits: list[Edit] = []
    if not unicodedata.is_normalized("NFC", text):
        for match in re.finditer(r"\S[\u0300-\u036f]+", text):
            composed = unicodedata.normalize("NFC", match.group(0))
            if composed != match.group(0):
                edits.append(Edit(match.start(), match.end(), composed, "unicode",
                                  note="composed combining accents (NFC)"))  # fmt: skip
    taken = {edit.start for edit in edits}
    for pattern, note in ((_ZERO_WIDTH, "removed zero-width characters"),
                          (_CONTROL, "removed control characters")):  # fmt: skip
        for match in pattern.finditer(text):
            if pattern is _ZERO_WIDTH and _joins_emoji(text, match.start(), match.end()):
                continue
            if match.start() not in taken and not _overlaps(edits, match.start(), match.end()):
                warning = None
                if pattern is _CONTROL:
                    # Not silent: C1 controls can be bytes of text decoded with the wrong code
                    # page that no repair could use (those it could use are repaired before).
                    shown = ", ".join(f"U+{ord(char):04X}" for char in match.group(0))
                    warning = ("control_characters", f"removed control character(s) {shown}")
                edits.append(Edit(match.start(), match.end(), "", "unicode", note=note,
                                  warning=warning))  # fmt: skip
    return edits


def _joins_emoji(text: str, start: int, end: int) -> bool:
    """A lone zero-width joiner between two emoji is part of one emoji sequence (👨‍👩‍👧), not
    an invisible stray: removing it would split the picture into several."""
    if text[start:end] != "\u200d" or start == 0 or end == len(text):
        return False
    return all(
        unicodedata.category(char) == "So" or _EMOJI_SIDE.fullmatch(char)
        for char in (text[start - 1], text[end])
    )


def width_edits(text: str) -> list[Edit]:
    """Full-width letters, digits and non-Chinese symbols -> ASCII (see module docstring)."""
    edits = []
    for match in _FULLWIDTH_FOLDED.finditer(text):
        edits.append(Edit(match.start(), match.end(), unicodedata.normalize("NFKC", match.group(0)),
                          "width", note="full-width letters/digits/symbols to ASCII"))  # fmt: skip
    for match in _FULLWIDTH_POINT.finditer(text):
        edits.append(Edit(match.start(), match.end(), ".", "width",
                          note="full-width decimal point to ASCII"))  # fmt: skip
    return edits


def space_edits(text: str) -> list[Edit]:
    """Odd spaces (NBSP, ideographic space, tabs) become one ASCII space."""
    return [
        Edit(match.start(), match.end(), " ", "whitespace", note="odd spaces to one space")
        for match in _ODD_SPACES.finditer(text)
    ]


def collapse_edits(text: str) -> list[Edit]:
    """Runs of spaces become one space."""
    return [
        Edit(m.start(), m.end(), " ", "whitespace", note="collapsed spaces")
        for m in _SPACES.finditer(text)
    ]


def trim_edits(text: str) -> list[Edit]:
    """Spaces at the start or end of a line go."""
    return [
        Edit(m.start(), m.end(), "", "whitespace", note="trimmed line")
        for m in _LINE_EDGE_SPACES.finditer(text)
    ]


def blank_line_edits(text: str) -> list[Edit]:
    edits = [
        Edit(m.start(), m.end(), "\n", "whitespace", note="dropped empty lines")
        for m in _BLANK_LINES.finditer(text)
        if m.start() != 0 and m.end() != len(text)
    ]
    leading = len(text) - len(text.lstrip("\n"))
    if leading:
        edits.append(Edit(0, leading, "", "whitespace", note="dropped leading empty lines"))
    trailing = len(text) - len(text.rstrip("\n"))
    if trailing and trailing < len(text):
        edits.append(Edit(len(text) - trailing, len(text), "", "whitespace",
                          note="dropped trailing newlines"))  # fmt: skip
    return edits


def _overlaps(edits: list[Edit], start: int, end: int) -> bool:
    return any(edit.start < end and start < edit.end for edit in edits)
