"""Find and repair mis-decoded runs ("mojibake") inside otherwise good text.

Two accidents are common in scraped Chinese:

* UTF-8 bytes read as GBK (``鏂囩珷`` for ``文章``): re-encode the run as GBK, decode as UTF-8.
* GBK bytes read one byte out of step after a byte was lost (``笆逦濉`` for ``“十五五”``): every
  shown character is the second byte of one real character plus the first byte of the next, so
  re-encoding and decoding one byte later recovers the text, except the characters whose bytes
  were lost at the edges.

A run is repaired only when the re-decoded text is far more plausible Chinese (character
frequencies from jieba's dictionary) than what is shown. Characters whose bytes were lost are
inferred only when the article itself settles them (the one character with the surviving byte that
the article uses in that place), else shown as U+FFFD. Every repair keeps the original in its
``Repair`` and raises a located warning, so nothing is dropped or invented silently.
"""

from __future__ import annotations

import collections
import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TypeVar

from summarizer.text.chars import HAN_RANGES, HAN_RUN, is_han
from summarizer.text.repair import lexicon
from summarizer.text.repair.edits import Edit

LOST = "\ufffd"

_K = TypeVar("_K")
_V = TypeVar("_V")

#: Characters scoring below this (log-probability) make a stretch worth examining.
_SUSPICIOUS = -13.0
#: A repaired run must gain this much total score and read at least this well per character.
_MIN_GAIN = 15.0
_MIN_MEAN = -10.5
_MIN_RUN = 3
_LOST_SCORE = -10.0
_MAX_STRETCH = 400
_MAX_EXTENSION_LOSS = -8.0

#: ASCII punctuation a scraper may have narrowed from full width (``！`` -> ``!``).
_NARROWED = frozenset("!,():;")
_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ"
_LOST_MARKER_BEFORE = re.compile(rf"\?(?:[{_LETTERS}]{{1,8}}[)）])?\Z")


class _Memo(dict[_K, _V]):
    """A dict that computes missing values: ``map(memo.__getitem__, text)`` runs in C once warm."""

    def __init__(self, compute: Callable[[_K], _V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: _K) -> _V:
        value = self[key] = self._compute(key)
        return value


def _gbk_pair(char: str) -> tuple[int, int] | None:
    if char in _NARROWED:
        char = chr(ord(char) + 0xFEE0)
    try:
        encoded = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return (encoded[0], encoded[1]) if len(encoded) == 2 else None


_PAIRS: _Memo[str, tuple[int, int] | None] = _Memo(_gbk_pair)


def gbk_pair(char: str) -> tuple[int, int] | None:
    """The two GBK bytes of ``char`` (narrowed ASCII punctuation as its full-width form)."""
    return _PAIRS[char]


def _decode(pair: tuple[int, int]) -> str | None:
    try:
        decoded = bytes(pair).decode("gbk")
    except UnicodeDecodeError:
        return None
    return decoded if len(decoded) == 1 and not decoded.isascii() else None


#: (lead, trail) -> the one non-ASCII character those GBK bytes decode to, if any.
_DECODED: _Memo[tuple[int, int], str | None] = _Memo(_decode)


def _score(char: str) -> float:
    if char == LOST:
        return _LOST_SCORE
    simplified = lexicon.to_simplified(char)
    return lexicon.char_score(simplified if len(simplified) == 1 else char)


_SCORES: _Memo[str, float] = _Memo(_score)
#: The score of a re-decoded character, ``None`` (bytes that decode to nothing) as alien.
_SHIFTED_SCORES: _Memo[str | None, float] = _Memo(
    lambda char: lexicon.ALIEN_SCORE if char is None else _SCORES[char]
)


def score(char: str) -> float:
    """Plausibility of ``char`` in Chinese prose, judged on its simplified form."""
    return _SCORES[char]


@dataclass
class _Run:
    start: int  # in the text, including a lost-byte marker before it
    end: int
    replacement: str
    inferred: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    method: str = ""


@cache
def _maybe_suspicious() -> re.Pattern[str]:
    """Non-ASCII characters outside a set of plausible ones (a superset of the suspicious).

    Traditional forms of common characters match too and are then cleared by ``score``, which
    judges them on their simplified form.
    """
    common = [c for c in lexicon.plausible_chars(_SUSPICIOUS) if c not in "]\\^-"]
    return re.compile("[^\x00-\x7f" + "".join(common) + "".join(lexicon.CJK_PUNCTUATION) + "]")


def mojibake_edits(text: str) -> list[Edit]:
    """Edits repairing every mis-decoded run found in ``text``."""
    runs = _utf8_as_gbk_runs(text)
    suspicious = _suspicious_chars(text)
    if suspicious:
        _add_shifted_gbk_runs(text, suspicious, runs)
    runs.sort(key=lambda run: run.start)
    return [_edit(text, run) for run in runs]


def _suspicious_chars(text: str) -> str:
    """The distinct characters of ``text`` scoring below ``_SUSPICIOUS`` (usually none)."""
    candidates = set(_maybe_suspicious().findall(text))
    return "".join(sorted(char for char in candidates if score(char) < _SUSPICIOUS))


def _add_shifted_gbk_runs(text: str, suspicious: str, runs: list[_Run]) -> None:
    """Examine the stretch around each suspicious character for GBK read out of step."""
    examined_until = 0
    context = _Context(text)
    for match in re.finditer(f"[{re.escape(suspicious)}]", text):
        index = match.start()
        if index < examined_until:
            continue
        if any(run.start <= index < run.end for run in runs):
            continue
        start, end = _stretch(text, index)
        examined_until = end
        for run in _shifted_gbk(text, start, end, context) or []:
            if not any(run.start < other.end and other.start < run.end for other in runs):
                runs.append(run)


_CJK_OR_PUNCTUATION = re.compile("[" + HAN_RANGES + "".join(sorted(lexicon.CJK_PUNCTUATION)) + "]")


class _Context:
    """What the article itself says about which characters it uses (for lost bytes).

    Only a run that lost bytes at its edges asks, so everything is looked up on demand.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def count(self, char: str) -> int:
        """How often the article uses ``char`` (asked for a handful of characters per run)."""
        return self.text.count(char)

    def with_lead(self, byte: int) -> list[str]:
        """The article's CJK characters and punctuation whose GBK form starts with ``byte``."""
        return self._present(_chars_with_byte(byte, 0))

    def with_trail(self, byte: int) -> list[str]:
        """The same for the second GBK byte."""
        return self._present(_chars_with_byte(byte, 1))

    def _present(self, chars: str) -> list[str]:
        """Those of ``chars`` the article uses, in order of first use."""
        if not chars:
            return []
        return list(dict.fromkeys(re.findall(f"[{re.escape(chars)}]", self.text)))


@cache
def _chars_with_byte(byte: int, which: int) -> str:
    """Every CJK character or punctuation mark whose GBK form has ``byte`` first (0) or second."""
    found = []
    for other in range(0x40, 0xFF):
        char = _DECODED[(byte, other) if which == 0 else (other, byte)]
        if char is None or not _CJK_OR_PUNCTUATION.fullmatch(char):
            continue
        pair = _PAIRS[char]
        if pair is not None and pair[which] == byte:
            found.append(char)
    return "".join(found)


def _stretch(text: str, index: int) -> tuple[int, int]:
    """The characters around ``index`` that have GBK pairs, at most ``_MAX_STRETCH`` each way."""
    has_pair = _PAIRS.__getitem__
    before = reversed(text[max(0, index - _MAX_STRETCH) : index])
    after = text[index : index + _MAX_STRETCH]
    start = index - sum(1 for _ in itertools.takewhile(has_pair, before))
    end = index + sum(1 for _ in itertools.takewhile(has_pair, after))
    return start, end


# --- UTF-8 read as GBK ----------------------------------------------------------------------------


_CJK_IDEOGRAPHS = HAN_RUN
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\ufffd\s\u3000-\u303f\uff01-\uff5e]{2,}")


def _utf8_as_gbk_runs(text: str) -> list[_Run]:
    """Every stretch of ``text`` that is UTF-8 read as GBK.

    All stretches are re-decoded in one pass, joined by "\\n": the UTF-8 decoder resynchronizes
    at an ASCII byte, so each piece decodes as it would alone. Most pieces are real Chinese, whose
    GBK bytes are mostly invalid UTF-8, and are dropped at once.
    """
    shown = _NON_ASCII_RUN.findall(text)
    if not shown:
        return []
    joined = "\n".join(shown)
    # A character GBK cannot encode becomes "?" (a byte no GBK character has), and such a
    # stretch cannot be UTF-8 read as GBK.
    pieces = joined.encode("gbk", errors="replace").decode("utf-8", errors="replace").split("\n")
    assert len(pieces) == len(shown)
    # Keep the pieces that are mostly valid UTF-8 (at most half U+FFFD), iterating in C: an
    # article has thousands of pieces and almost none survive.
    lost = map(str.count, pieces, itertools.repeat(LOST))
    doubled_lost = map(operator.mul, lost, itertools.repeat(2))
    mostly_valid = map(operator.le, doubled_lost, map(len, pieces))
    candidates = [
        index
        for index in itertools.compress(itertools.count(), mostly_valid)
        if "?" not in pieces[index] and _has_two_ideographs(pieces[index])
    ]
    if not candidates:
        return []
    matches = list(_NON_ASCII_RUN.finditer(text))
    runs: list[_Run] = []
    for index in candidates:
        run = _utf8_as_gbk(
            matches[index].start(), matches[index].end(), shown[index], pieces[index]
        )
        if run is not None:
            runs.append(run)
    return runs


def _has_two_ideographs(text: str) -> bool:
    return sum(map(len, _CJK_IDEOGRAPHS.findall(text))) >= 2


def _utf8_as_gbk(start: int, end: int, shown: str, decoded: str) -> _Run | None:
    """The run when ``shown``'s GBK bytes (``decoded`` as UTF-8) are far more plausible text."""
    lost = decoded.count(LOST)
    if lost * 2 > len(decoded):
        return None  # real Chinese: its GBK bytes are mostly invalid UTF-8
    cjk = sum(map(len, _CJK_IDEOGRAPHS.findall(decoded)))
    if cjk < 2 or lost > cjk:
        return None
    before = sum(map(_SCORES.__getitem__, shown)) / len(shown)
    after = sum(map(_SCORES.__getitem__, decoded)) / len(decoded)
    if after - before < 1.5 or after < _MIN_MEAN:
        return None
    run = _Run(start, end, decoded, method="UTF-8 bytes that had been decoded as GBK")
    if lost:
        run.lost.append(f"{lost} character(s) whose bytes were lost (shown as U+FFFD)")
    return run


# --- GBK read one byte out of step ----------------------------------------------------------------


def _shifted_gbk(text: str, start: int, end: int, context: _Context) -> list[_Run] | None:
    shown = list(text[start:end])  # each character made once, then looked up twice
    pairs = [pair for pair in map(_PAIRS.__getitem__, shown) if pair is not None]
    assert len(pairs) == len(shown)  # a stretch only spans characters with a GBK pair
    count = len(pairs)
    # Re-pair each character's second byte with the next one's first byte; the last character
    # pairs with the ASCII byte after the stretch, if that can be a GBK second byte.
    leads = [pair[0] for pair in pairs]
    trails = [pair[1] for pair in pairs]
    following = zip(trails[:-1], leads[1:], strict=True)
    shifted: list[str | None] = list(map(_DECODED.__getitem__, following))
    if end < len(text) and 0x40 <= ord(text[end]) <= 0x7E:
        shifted.append(_DECODED[trails[-1], ord(text[end])])
    else:
        shifted.append(None)
    after = list(map(_SHIFTED_SCORES.__getitem__, shifted))
    if shifted[-1] is None:
        after[-1] = _LOST_SCORE
    gains = list(map(operator.sub, after, map(_SCORES.__getitem__, shown)))
    found = _best_segment(gains)
    if found is None:
        return None
    first_k, last_k, gain = found
    # A reader out of step stays out of step until the stretch ends: extend the run over
    # neighbours that still re-decode, unless that clearly makes the text worse.
    if (
        last_k < count - 1
        and all(shifted[k] is not None for k in range(last_k + 1, count - 1))
        and sum(gains[last_k + 1 :]) > _MAX_EXTENSION_LOSS
    ):
        last_k = count - 1
    while first_k > 0 and shifted[first_k - 1] is not None and gains[first_k - 1] >= 0:
        first_k -= 1  # punctuation re-pairs into punctuation with no gain
    if (
        first_k > 0
        and all(shifted[k] is not None for k in range(first_k))
        and sum(gains[:first_k]) > _MAX_EXTENSION_LOSS
    ):
        first_k = 0
    if last_k - first_k + 1 < _MIN_RUN or gain < _MIN_GAIN:
        return None
    middle = shifted[first_k:last_k]
    if any(char is None for char in middle):
        return None
    recovered_text = "".join(char for char in middle if char is not None)
    if sum(score(c) for c in recovered_text) / max(len(recovered_text), 1) < _MIN_MEAN:
        return None
    return [_build_shifted_run(text, start, first_k, last_k, pairs, shifted, context)]


def _best_segment(gains: list[float]) -> tuple[int, int, float] | None:
    """Maximum-sum contiguous segment (Kadane): (first, last, sum)."""
    best: tuple[int, int, float] | None = None
    current_start, current = 0, 0.0
    for index, gain in enumerate(gains):
        if current <= 0:
            current_start, current = index, gain
        else:
            current += gain
        if best is None or current > best[2]:
            best = (current_start, index, current)
    return best


def _build_shifted_run(
    text: str,
    start: int,
    first_k: int,
    last_k: int,
    pairs: list[tuple[int, int]],
    shifted: list[str | None],
    context: _Context,
) -> _Run:
    run_start, run_end = start + first_k, start + last_k + 1
    first_pair, last_pair = pairs[first_k], pairs[last_k]
    body = [char for char in shifted[first_k:last_k] if char is not None]
    completed = last_k == len(pairs) - 1 and shifted[last_k] is not None
    if completed:
        body.append(shifted[last_k] or "")
        run_end += 1  # the ASCII character that was the last real character's second byte
    marker = _LOST_MARKER_BEFORE.search(text, max(0, run_start - 10), run_start)
    if marker is not None:
        run_start = marker.start()
    if not completed and run_end < len(text) and text[run_end] == "?":
        run_end += 1
    run = _Run(
        run_start, run_end, "", method="GBK bytes that had been decoded one byte out of step"
    )
    if marker is not None:
        shown = marker.group(0)
        extra = " with stray pinyin" if len(shown) > 1 else ""
        run.lost.append(f"{shown!r} before the run is the decoder's mark for them{extra}, removed")
    head = _infer_lost(context.with_trail(first_pair[0]), context, body[0] if body else "")
    run.lost.append(
        f"the first character lost its first byte (its second byte 0x{first_pair[0]:02X} survived)"
    )
    if head is not None:
        run.inferred.append(f"{head!r} for the first character (the article's usual one there)")
    pieces = [head or LOST]
    pieces.extend(_realign_gaps(body, context, run))
    if not completed:
        following = text[run_end] if run_end < len(text) else "\n"
        tail = _infer_lost(context.with_lead(last_pair[1]), context, following)
        survived = f"0x{last_pair[1]:02X}"
        run.lost.append(
            f"the last character lost its second byte (its first byte {survived} survived)"
        )
        if tail is not None:
            run.inferred.append(f"{tail!r} for the last character (the article's usual one there)")
        pieces.append(tail or LOST)
    run.replacement = "".join(pieces)
    return run


def _infer_lost(candidates: list[str], context: _Context, right: str) -> str | None:
    """The one candidate (sharing the surviving byte) the article uses, best before ``right``."""
    if not candidates:
        return None
    if right:
        in_place = {char: context.text.count(char + right) for char in candidates}
        chosen = _dominant(in_place, minimum=2)
        if chosen is not None:
            return chosen
    return _dominant({char: context.count(char) for char in candidates}, minimum=3)


def _dominant(counts: dict[str, int], minimum: int) -> str | None:
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < minimum:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _realign_gaps(body: list[str], context: _Context, run: _Run) -> list[str]:
    """Characters made of bytes from both sides of a 2-byte gap (``叔`` for ``十[..]五``).

    Such a character appears nowhere else in the article; if the article has, between the same
    neighbours, two characters whose outer bytes are this character's bytes, those are restored.
    """
    result = list(body)
    for index in range(1, len(body) - 1):
        char = body[index]
        pair = gbk_pair(char)
        if pair is None or char in context.text or not is_han(char):
            continue
        left, right = body[index - 1], body[index + 1]
        options: collections.Counter[str] = collections.Counter()
        for match in re.finditer(re.escape(left) + "(.)(.)" + re.escape(right), context.text):
            first, second = gbk_pair(match.group(1)), gbk_pair(match.group(2))
            if first and second and first[0] == pair[0] and second[1] == pair[1]:
                options[match.group(1) + match.group(2)] += 1
        if len(options) == 1:
            restored = next(iter(options))
            result[index] = restored
            run.inferred.append(
                f"{restored!r} for {char!r} (two bytes were lost inside it; the article writes "
                f"{left + restored + right!r} elsewhere)"
            )
    return result


def _edit(text: str, run: _Run) -> Edit:
    shown = text[run.start : run.end]
    certain = not run.lost and not run.inferred
    parts = [f"re-decoded {shown!r} as {run.replacement!r}: {run.method}"]
    if run.lost:
        parts.append("bytes were lost: " + "; ".join(run.lost))
    if run.inferred:
        parts.append("inferred (not certain): " + "; ".join(run.inferred))
    if LOST in run.replacement:
        parts.append("U+FFFD marks characters that cannot be recovered")
    note = ". ".join(parts)
    code = "mojibake_unrecoverable" if LOST in run.replacement else "mojibake_repaired"
    return Edit(run.start, run.end, run.replacement, "mojibake", certain=certain, note=note,
                warning=(code, "mis-decoded text repaired: " + note))  # fmt: skip
