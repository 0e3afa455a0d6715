"""UTF-8 read as a single-byte code page (``æ–‡ç« `` or ``ж–‡з« `` for ``文章``), repaired.

Every byte of such text became one character of the code page it was read with: the lead bytes
of Chinese characters show as ``ä å æ ç è é`` in Windows-1252, ``д е ж з и й`` in Windows-1251,
``Д Е Ф Г Х И`` in KOI8-R, and the continuation bytes as that code page's punctuation, signs,
box-drawing characters or C1 controls. Real scrapers produce this with Western (Windows-1252,
Latin-1), Cyrillic (Windows-1251, KOI8-R/U, ISO 8859-5, Mac, DOS 866), Central European
(Windows-1250, ISO 8859-2, DOS 852), Greek, Baltic, Mac Roman and DOS (437, 850) pages.

Per code page, each stretch of its characters that holds a whole 3-byte sequence (a lead byte
0xE3-0xEF then two continuation bytes: where CJK lives) is handed to ``ftfy.fix_encoding`` when
ftfy knows the code page (``ftfy.chardata.CHARMAP_ENCODINGS``), and is otherwise, or when ftfy
leaves it alone, re-encoded with the code page and decoded as strict UTF-8 (a plain space also
retried as a lost no-break space, byte 0xA0, where the code page has one). A stretch is replaced
only when it comes back as plausible Chinese. Clean text of the code page's own script is never
touched: its words are almost never valid UTF-8 as a whole, and the few that are (the DOS
Cyrillic bytes of ``шаг`` happen to be one rare Han character) do not read as Chinese. A stretch
must give two Han characters or more, unless the document already has such a repair from the same
code page: the bytes of French ``é »`` (with its no-break space) are 頻. This stage runs before
control characters are removed, because C1 controls are bytes the repair needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import ftfy
import ftfy.bad_codecs  # registers the lenient "sloppy-windows-125x" codecs
from ftfy.chardata import CHARMAP_ENCODINGS

from summarizer.text.chars import HAN_RUN
from summarizer.text.repair import lexicon
from summarizer.text.repair.edits import Edit

#: Characters a UTF-8 byte >= 0x80 can become in Windows-1252 (lenient) or Latin-1.
_WESTERN = (
    "\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
#: A stretch of them, a plain space allowed inside (it may be a lost no-break space), with at
#: least one lead byte of a 3-byte sequence (``â``-``ï``, the rows CJK text and its punctuation
#: live in).
_STRETCH = re.compile(f"[{_WESTERN}](?:[{_WESTERN}]| (?=[{_WESTERN}]))+")
_LEAD = re.compile("[\u00e2-\u00ef]")
#: A repaired stretch must read at least this well per character (see ``lexicon.char_score``).
_MIN_MEAN = -10.5
#: Han characters a stretch must give on its own; one (``å¹´``), or only punctuation (``ï¼Œ``), is
#: believed only where the document has a longer repair from the same code page.
_MIN_HAN_ALONE = 2


@dataclass(frozen=True)
class CodePage:
    """A single-byte code page UTF-8 is mistaken for, and how its mojibake is found."""

    codec: str  # Python codec name (ftfy's "sloppy-" ones define every byte)
    label: str  # as the warning names it
    stretch: re.Pattern[str]  # a run of characters bytes >= 0x80 become (spaces inside)
    sequence: re.Pattern[str]  # a lead byte 0xE2-0xEF followed by two continuation bytes
    no_break_space: bool  # byte 0xA0 is U+00A0 (a scraper may have turned it into a space)

    @property
    def fixed_by_ftfy(self) -> bool:
        return self.codec in CHARMAP_ENCODINGS


def _code_page(codec: str, label: str) -> CodePage:
    high = bytes(range(0x80, 0x100)).decode(codec)
    leads = bytes(range(0xE2, 0xF0)).decode(codec)
    continuations = bytes(range(0x80, 0xC0)).decode(codec)
    chars, lead_chars, continuation_chars = (
        re.escape("".join(sorted(set(part)))) for part in (high, leads, continuations)
    )
    return CodePage(
        codec,
        label,
        re.compile(f"[{chars}](?:[{chars}]| (?=[{chars}]))+"),
        re.compile(f"[{lead_chars}][{continuation_chars}]{{2}}"),
        high[0xA0 - 0x80] == "\u00a0",
    )


#: The code pages tried after Windows-1252/Latin-1, in this order (the first plausible wins).
_OTHER_CODE_PAGES = (
    ("sloppy-windows-1251", "Windows-1251 (Cyrillic)"),
    ("koi8-r", "KOI8-R (Russian)"),
    ("koi8-u", "KOI8-U (Ukrainian)"),
    ("mac-cyrillic", "Mac Cyrillic"),
    ("iso-8859-5", "ISO 8859-5 (Cyrillic)"),
    ("cp866", "DOS code page 866 (Cyrillic)"),
    ("sloppy-windows-1250", "Windows-1250 (Central European)"),
    ("iso-8859-2", "ISO 8859-2 (Central European)"),
    ("cp852", "DOS code page 852 (Central European)"),
    ("macroman", "Mac Roman"),
    ("cp437", "DOS code page 437"),
    ("cp850", "DOS code page 850 (Western European)"),
    ("sloppy-windows-1253", "Windows-1253 (Greek)"),
    ("sloppy-windows-1257", "Windows-1257 (Baltic)"),
)


@cache
def code_pages() -> tuple[CodePage, ...]:
    """Every code page beyond Windows-1252/Latin-1 whose mojibake is repaired."""
    return tuple(_code_page(codec, label) for codec, label in _OTHER_CODE_PAGES)


@cache
def _any_sequence() -> re.Pattern[str]:
    """A lead byte then two continuation bytes in any of the code pages (a superset of each)."""
    leads = "".join(bytes(range(0xE2, 0xF0)).decode(page.codec) for page in code_pages())
    continuations = "".join(bytes(range(0x80, 0xC0)).decode(page.codec) for page in code_pages())
    lead_chars, continuation_chars = (
        re.escape("".join(sorted(set(part)))) for part in (leads, continuations)
    )
    return re.compile(f"[{lead_chars}][{continuation_chars}]{{2}}")


def codepage_mojibake_edits(text: str) -> list[Edit]:
    """Edits repairing each stretch of UTF-8 that had been decoded as a single-byte code page.

    Every code page proposes its repairs; where they overlap, the one giving more Han characters
    wins (a Windows-1252 reading of part of a Windows-1250 stretch gives less), then the longer
    (its punctuation too), then the code page tried first.
    """
    candidates = _western_candidates(text)
    if _any_sequence().search(text):  # the usual case: one scan, no code page's mojibake
        for rank, page in enumerate(code_pages(), 1):
            if page.sequence.search(text):
                candidates += _code_page_candidates(text, page, rank)
    chosen: list[_Candidate] = []
    short: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.han, c.start - c.end, c.rank, c.start)):
        if candidate.han < _MIN_HAN_ALONE:
            short.append(candidate)  # believed only where the document shows its code page
        elif not _overlaps(candidate, chosen):
            chosen.append(candidate)
    # A code page shows in the document when it reads some stretch as Chinese on its own (the
    # chosen reading may be another code page's, where both give the same).
    vouched = {candidate.rank for candidate in candidates if candidate.han >= _MIN_HAN_ALONE}
    for candidate in short:
        if candidate.rank in vouched and not _overlaps(candidate, chosen):
            chosen.append(candidate)
    return sorted(_edit(candidate) for candidate in chosen)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    shown: str
    repaired: str
    how: str
    rank: int  # 0 for Windows-1252/Latin-1, then the place in ``code_pages()`` from 1
    han: int


def _overlaps(candidate: _Candidate, chosen: list[_Candidate]) -> bool:
    return any(candidate.start < other.end and other.start < candidate.end for other in chosen)


def _western_candidates(text: str) -> list[_Candidate]:
    """Windows-1252 and Latin-1, whose stretches are recognised by a lead byte alone."""
    return _candidates(text, _STRETCH, _LEAD, _repair_western, None, 0)


def _code_page_candidates(text: str, page: CodePage, rank: int) -> list[_Candidate]:
    """Every stretch that re-decodes as plausible Chinese when read as ``page``'s mojibake."""

    def exact(shown: str) -> tuple[str | None, str]:
        redecoded = _strict_redecode(shown, page.codec, page.no_break_space)
        return (redecoded if redecoded is not None and _plausible(redecoded) else None), page.label

    def by_ftfy(shown: str) -> tuple[str | None, str]:  # ftfy also mends lost bytes
        fixed, steps = ftfy.fix_encoding_and_explain(shown)
        if fixed == shown or not _plausible(fixed):
            return None, page.label
        used = next((step.parameter for step in steps or () if step.action == "encode"), "")
        return fixed, f"{_label(used) or page.label} (repaired by ftfy)"

    return _candidates(
        text, page.stretch, page.sequence, exact, by_ftfy if page.fixed_by_ftfy else None, rank
    )


#: Clean punctuation of Chinese text that is also a character of many code pages: next to
#: mojibake (``„ÄÇ”``, ``ÂÖ∂ ”``) it joins the stretch, and is left out when that fails.
_CLEAN_EDGE = "\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"


def _candidates(
    text: str,
    stretches: re.Pattern[str],
    evidence: re.Pattern[str],
    repair: Callable[[str], tuple[str | None, str]],
    fallback: Callable[[str], tuple[str | None, str]] | None,
    rank: int,
) -> list[_Candidate]:
    """Repairs of each stretch with ``evidence`` in it: whole, else its parts, else ``fallback``.

    The parts are its space-separated words, tried without clean punctuation at their edges too.
    """
    found = []
    for match in stretches.finditer(text):
        if not evidence.search(match.group(0)):
            continue
        repaired, how = repair(match.group(0))
        if repaired is not None:
            found.append(_candidate(text, match.start(), match.end(), repaired, how, rank))
            continue
        parts = []
        for tries in _parts(text, *match.span()):
            for start, end in tries:
                if evidence.search(text, start, end):
                    repaired, how = repair(text[start:end])
                    if repaired is not None:
                        parts.append(_candidate(text, start, end, repaired, how, rank))
                        break
        if not parts and fallback is not None:
            repaired, how = fallback(match.group(0))
            if repaired is not None:
                parts.append(_candidate(text, match.start(), match.end(), repaired, how, rank))
        found += parts
    return found


def _parts(text: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """Per word of ``text[start:end]``: its span, then the same without clean punctuation at its
    start, its end, or both (that punctuation may also be a byte of the mojibake: ``å…·`` is 具)."""
    parts = []
    for word in re.finditer(r"[^ ]+", text[start:end]):
        left, right = start + word.start(), start + word.end()
        inner_left, inner_right = left, right
        while inner_left < right and text[inner_left] in _CLEAN_EDGE:
            inner_left += 1
        while inner_right > inner_left and text[inner_right - 1] in _CLEAN_EDGE:
            inner_right -= 1
        tries = [(left, right), (inner_left, right), (left, inner_right), (inner_left, inner_right)]
        parts.append(
            [
                span
                for span in dict.fromkeys(tries)
                if span != (start, end) and span[1] - span[0] >= 2
            ]
        )
    return parts


def _candidate(text: str, start: int, end: int, repaired: str, how: str, rank: int) -> _Candidate:
    return _Candidate(start, end, text[start:end], repaired, how, rank, _han_count(repaired))


def _edit(candidate: _Candidate) -> Edit:
    shown, repaired, how = candidate.shown, candidate.repaired, candidate.how
    note = f"re-decoded {shown!r} as {repaired!r}: UTF-8 bytes that had been decoded as {how}"
    return Edit(candidate.start, candidate.end, repaired, "mojibake", certain=True, note=note,
                warning=("mojibake_repaired", "mis-decoded text repaired: " + note))  # fmt: skip


def _repair_western(shown: str) -> tuple[str | None, str]:
    fixed: str | None = ftfy.fix_encoding(shown)
    how = "Windows-1252 or Latin-1 (repaired by ftfy)"
    if fixed == shown:
        # ftfy is cautious with short stretches (``å¹´``) and lost no-break spaces: a strict
        # UTF-8 decoding that yields Chinese is still overwhelming evidence.
        fixed, how = _strict_redecode(shown, "sloppy-windows-1252", True), "Windows-1252 or Latin-1"
    if fixed is None or fixed == shown or not _plausible(fixed):
        return None, how
    return fixed, how


def _label(codec: str) -> str | None:
    """How the warning names ``codec`` (as ftfy spells it), if it is one of ours."""
    if codec in ("latin-1", "sloppy-windows-1252"):
        return "Windows-1252 or Latin-1"
    return next((page.label for page in code_pages() if page.codec == codec), None)


def _strict_redecode(shown: str, codec: str, no_break_space: bool) -> str | None:
    """``shown``'s bytes as strict UTF-8; plain spaces retried as lost no-break spaces (0xA0)."""
    try:
        raw = shown.encode(codec)
    except UnicodeEncodeError:
        return None
    candidates = (raw, raw.replace(b" ", b"\xa0")) if no_break_space and b" " in raw else (raw,)
    for candidate in candidates:
        try:
            return candidate.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def _han_count(text: str) -> int:
    return sum(map(len, HAN_RUN.findall(text)))


#: Full-width and CJK punctuation and symbols (``，``, ``。``, ``∶``...), which UTF-8 read as a code
#: page turns into three characters between digits or Latin letters.
_CJK_PUNCTUATION_ONLY = re.compile(
    "[\u2000-\u206f\u2100-\u214f\u2190-\u23ff\u2460-\u27bf\u3000-\u303f\uff00-\uffef]+"
)


def _plausible(text: str) -> bool:
    """Plausible Chinese, or only CJK punctuation (a repair then needs the document's vouching)."""
    return _reads_as_chinese(text) or _CJK_PUNCTUATION_ONLY.fullmatch(text) is not None


def _reads_as_chinese(text: str) -> bool:
    han = "".join(HAN_RUN.findall(text))
    if len(han) < max(1, len(text) // 3):
        return False
    simplified = lexicon.to_simplified_aligned(han)
    return sum(map(lexicon.char_score, simplified)) / len(simplified) >= _MIN_MEAN
