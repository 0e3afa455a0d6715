"""UTF-8 read as Windows-1252 or Latin-1 (``æ–‡ç« å†…å®¹`` for ``文章内容``), repaired with ftfy.

Every byte of such text became one Western character: the lead bytes of Chinese characters show as
``ä å æ ç è é``, the continuation bytes as the cp1252 punctuation (``– “ ” €``...), Latin-1 signs
or, read as Latin-1, C1 control characters. So each stretch of those characters is handed to
``ftfy.fix_encoding`` (the well-kept tool for exactly this), and what ftfy leaves alone gets one
more try (a strict re-decoding, also undoing a common loss on the way: a no-break space, byte
0xA0, turned into a plain space). A stretch is replaced only when it comes back as Chinese, so a
lone ``“`` or ``——`` in clean text is never touched. This stage runs before control characters
are removed, because the C1 controls are bytes the repair needs.
"""

from __future__ import annotations

import re

import ftfy

from summarizer.text.chars import HAN_RUN
from summarizer.text.repair import lexicon
from summarizer.text.repair.edits import Edit

#: Characters a UTF-8 byte >= 0x80 can become in Windows-1252 (lenient) or Latin-1.
_WESTERN = (
    "\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
#: A stretch of them, a plain space allowed inside (it may be a lost no-break space), with at
#: least one lead byte of a 3-byte sequence (``ã``-``ï``, the rows CJK text lives in).
_STRETCH = re.compile(f"[{_WESTERN}](?:[{_WESTERN}]| (?=[{_WESTERN}]))+")
_LEAD = re.compile("[\u00e3-\u00ef]")
#: A repaired stretch must read at least this well per character (see ``lexicon.char_score``).
_MIN_MEAN = -10.5


def latin_mojibake_edits(text: str) -> list[Edit]:
    """Edits repairing each stretch of UTF-8 that had been decoded as a Western code page."""
    edits = []
    for match in _STRETCH.finditer(text):
        shown = match.group(0)
        if not _LEAD.search(shown):
            continue
        repaired, how = _repair(shown)
        if repaired is None:
            continue
        start, end = match.span()
        if shown.endswith(" "):  # pragma: no cover - the pattern never ends on a space
            end -= 1
        note = f"re-decoded {shown!r} as {repaired!r}: UTF-8 bytes that had been decoded as {how}"
        edits.append(
            Edit(start, end, repaired, "mojibake", certain=True, note=note,
                 warning=("mojibake_repaired", "mis-decoded text repaired: " + note))
        )  # fmt: skip
    return edits


def _repair(shown: str) -> tuple[str | None, str]:
    fixed: str | None = ftfy.fix_encoding(shown)
    how = "Windows-1252 or Latin-1 (repaired by ftfy)"
    if fixed == shown:
        # ftfy is cautious with short stretches (``å¹´``) and lost no-break spaces: a strict
        # UTF-8 decoding that yields Chinese is still overwhelming evidence.
        fixed, how = _strict_redecode(shown), "Windows-1252 or Latin-1"
    if fixed is None or fixed == shown or not _reads_as_chinese(fixed):
        return None, how
    return fixed, how


def _strict_redecode(shown: str) -> str | None:
    """``shown``'s bytes as strict UTF-8; plain spaces retried as lost no-break spaces (0xA0)."""
    try:
        raw = shown.encode("sloppy-windows-1252")
    except UnicodeEncodeError:
        return None
    for candidate in (raw, raw.replace(b" ", b"\xa0")):
        try:
            return candidate.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def _reads_as_chinese(text: str) -> bool:
    han = "".join(HAN_RUN.findall(text))
    if len(han) < max(1, len(text) // 3):
        return False
    simplified = lexicon.to_simplified_aligned(han)
    return sum(map(lexicon.char_score, simplified)) / len(simplified) >= _MIN_MEAN
