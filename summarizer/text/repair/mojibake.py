"""Find and repair mis-decoded runs ("mojibake") inside otherwise good text.

Two accidents are common in scraped Chinese:

* UTF-8 bytes read as GBK (``鏂囩珷`` for ``文章``): re-encode the run as GBK, decode as UTF-8.
* GBK bytes read one byte out of step after a byte was lost (``笆逦濉`` for ``“十五五”``): every
  shown character is the second byte of one real character plus the first byte of the next, so
  re-encoding and decoding one byte later recovers the text, except the characters whose bytes
  were lost at the edges.

  Where the run ends at the decoder's ``?`` mark (or takes an ASCII byte as a second byte), runs
  of any length, one or two characters included, are found by how much better the re-read text
  segments into dictionary words (jieba's word model) than the shown one; weak evidence is only
  flagged (``mojibake_suspected``), and a ``?`` ending a question is left alone.

A run is repaired only when the re-decoded text is far more plausible Chinese (character
frequencies from jieba's dictionary) than what is shown. What a repair had to leave, and clusters
of implausible characters that read better shifted, are flagged and kept from script conversion
(``suspected_spans``). Characters whose bytes were lost are inferred only when the article itself
settles them (the one character with the surviving byte that the article uses in that place), or,
for runs ending at a mark, by how well they join their neighbours into words (never certain),
else shown as U+FFFD. Every repair keeps the original in its
``Repair`` and raises a located warning, so nothing is dropped or invented silently.
"""

from __future__ import annotations

import collections
import itertools
import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TypeVar

from summarizer.text.chars import HAN_RANGES, HAN_RUN, is_han
from summarizer.text.document import Checkpoint, run_to_end
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
    #: The evidence only suffices to flag the run (text unchanged); ``suspected`` is its likely
    #: reading, if there is one.
    flag_only: bool = False
    suspected: str = ""


@cache
def _maybe_suspicious() -> re.Pattern[str]:
    """Non-ASCII characters outside a set of plausible ones (a superset of the suspicious).

    Traditional forms of common characters match too and are then cleared by ``score``, which
    judges them on their simplified form.
    """
    common = [c for c in lexicon.plausible_chars(_SUSPICIOUS) if c not in "]\\^-"]
    return re.compile("[^\x00-\x7f" + "".join(common) + "".join(lexicon.CJK_PUNCTUATION) + "]")


#: What the GBK repair tells its checkpoint it was doing.
REPAIRING_MISDECODED = "while its mis-decoded text was repaired"


def mojibake_edits(
    text: str, keep: Sequence[tuple[int, int]] = (), *, checkpoint: Checkpoint = run_to_end
) -> list[Edit]:
    """Edits repairing every mis-decoded run found in ``text`` (``checkpoint`` called per run).

    Inside ``keep`` (Japanese quoted in the article) only UTF-8 read as GBK is repaired, which a
    strict decoding settles: kana and kanji read one byte out of step make fluent-looking
    Chinese (``は新たな経`` as ``护闲陇郡式``), so those guesses and flags are not made there.
    """
    runs = _utf8_as_gbk_runs(text)
    suspicious = _suspicious_chars(text)
    if suspicious:
        _add_shifted_gbk_runs(text, suspicious, runs, checkpoint)
    _add_marked_shifted_runs(text, runs)
    runs = [
        run
        for run in runs
        if (run.method == _UTF8_AS_GBK and not run.flag_only)
        or not any(run.start < end and start < run.end for start, end in keep)
    ]
    runs.sort(key=lambda run: run.start)
    return [_edit(text, run) for run in runs]


def _suspicious_chars(text: str) -> str:
    """The distinct characters of ``text`` scoring below ``_SUSPICIOUS`` (usually none)."""
    candidates = set(_maybe_suspicious().findall(text))
    return "".join(sorted(char for char in candidates if score(char) < _SUSPICIOUS))


def _add_shifted_gbk_runs(
    text: str, suspicious: str, runs: list[_Run], checkpoint: Checkpoint = run_to_end
) -> None:
    """Examine the stretch around each suspicious character for GBK read out of step."""
    examined_until = 0
    context = _Context(text)
    for match in re.finditer(f"[{re.escape(suspicious)}]", text):
        checkpoint(REPAIRING_MISDECODED)
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
#: A placeholder byte for U+FFFD while re-decoding, and what it leaves behind.
_PLACEHOLDER = "\x00"
_PLACEHOLDER_LEFT = re.compile("\ufffd*\x00+\ufffd*")


_UTF8_AS_GBK = "UTF-8 bytes that had been decoded as GBK"


def _utf8_as_gbk_runs(text: str) -> list[_Run]:
    """Every stretch of ``text`` that is UTF-8 read as GBK.

    All stretches are re-decoded in one pass, joined by "\\n": the UTF-8 decoder resynchronizes
    at an ASCII byte, so each piece decodes as it would alone. Most pieces are real Chinese, whose
    GBK bytes are mostly invalid UTF-8, and are dropped at once. Pieces that survive and are
    separated only by U+FFFD (bytes the GBK decoder could not read) are one run: re-decoded
    together, the characters after the lost bytes come back.
    """
    shown = _NON_ASCII_RUN.findall(text)
    if not shown:
        return []
    pieces = _redecode("\n".join(shown)).split("\n")
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
    spans: list[tuple[int, int]] = []
    for index in candidates:
        start, end = matches[index].span()
        while end < len(text) and text[end] == LOST:
            end += 1  # the bytes of the run's last character, lost
        if spans and spans[-1][1] == start:
            start = spans.pop()[0]  # only lost bytes between two runs: one run
        spans.append((start, end))
    runs: list[_Run] = []
    for start, end in spans:
        start = _extend_back(text, start, end, matches)
        run = _utf8_as_gbk(start, end, text[start:end], _redecode(text[start:end]))
        if run is not None:
            runs.append(run)
    _add_utf8_leftovers(matches, pieces, runs)
    return runs


#: A leftover of UTF-8 read as GBK has at least one character this uncommon.
_UNCOMMON = -10.0


def _add_utf8_leftovers(matches: list[re.Match[str]], pieces: list[str], runs: list[_Run]) -> None:
    """Flag the stretches a repair had to leave that still re-decode as Chinese.

    Too short to judge alone (``鏈`` + lost bytes), or cut off by a full-width sign: their GBK
    bytes are partly valid UTF-8 with Chinese in it (a quarter of the re-decoded characters at
    least), which real Chinese hardly ever is, and they hold an uncommon character. Flagged (and
    so kept from script conversion), not changed.
    """
    for match, piece in zip(matches, pieces, strict=True):
        start, end = match.span()
        if (
            "?" in piece
            or piece.count(LOST) * 4 > len(piece) * 3
            or not _CJK_IDEOGRAPHS.search(piece)
            or min(map(_SCORES.__getitem__, match.group(0))) >= _UNCOMMON
            or any(run.start < end and start < run.end for run in runs)
        ):
            continue
        runs.append(
            _Run(start, end, match.group(0), flag_only=True, suspected=piece,
                 method="UTF-8 bytes that had been decoded as GBK, too little of them to repair")
        )  # fmt: skip


def _extend_back(text: str, start: int, end: int, matches: list[re.Match[str]]) -> int:
    """Take in a short stretch before lost bytes at ``start`` when it re-decodes with the run.

    ``瑕佽�存渶`` (``要说最``): ``瑕佽`` alone is too short to judge, but read together with the
    run it yields one more Chinese character and no more lost ones.
    """
    lost_start = start
    while lost_start > 0 and text[lost_start - 1] == LOST:
        lost_start -= 1
    if lost_start == start:
        return start
    before = next((m for m in reversed(matches) if m.end() == lost_start), None)
    if before is None:
        return start
    alone = _redecode(text[start:end])
    together = _redecode(text[before.start() : end])
    han = sum(map(len, _CJK_IDEOGRAPHS.findall(together))) - sum(
        map(len, _CJK_IDEOGRAPHS.findall(alone))
    )
    if han > 0 and together.count(LOST) <= alone.count(LOST) + 1:
        return before.start()
    return start


def _redecode(shown: str) -> str:
    """``shown``'s GBK bytes read as UTF-8; U+FFFD stays U+FFFD, unencodable characters "?"."""
    raw = shown.replace(LOST, _PLACEHOLDER).encode("gbk", errors="replace")
    return _PLACEHOLDER_LEFT.sub(LOST, raw.decode("utf-8", errors="replace"))


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
    run = _Run(start, end, decoded, method=_UTF8_AS_GBK)
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
    if run.flag_only:
        reading = f"; it may read {run.suspected!r}" if run.suspected else ""
        message = (
            f"{shown!r} may be mis-decoded ({run.method}{reading}), but the evidence is too weak "
            "to change it: left as it is, check the source"
        )
        return Edit(run.start, run.end, shown, "mojibake", certain=False, note=message,
                    warning=("mojibake_suspected", message))  # fmt: skip
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


# --- GBK out of step up to the decoder's mark ---------------------------------------------------

#: What a decoder shows for the byte where it fell back into step: ``?``. (U+FFFD is not taken
#: as one: it is far more often bytes lost some other way, and is reported as lost text.)
_MARK = re.compile("[?]")
_DAMAGED_ANNOTATION_AFTER = re.compile(rf"[{_LETTERS}]{{1,8}}[)）]")
#: The longest out-of-step run considered before a mark (characters).
_MAX_MARKED_RUN = 80
#: How much better (segmentation log-probability, six characters of context each side) the
#: re-read text must read than the shown one: to be repaired, or only flagged. A question (a
#: question word before a ``?``) needs far more, since there the mark may be a real question mark.
_MARKED_REPAIR_GAIN = 15.0
_MARKED_FLAG_GAIN = 8.0
_MARKED_QUESTION_GAIN = 25.0
_CONTEXT = 6
_QUESTION = re.compile(
    r"[吗呢吧么嘛谁哪几嗎麼誰]|什么|怎|为何|為何|如何|是否|难道|難道|多少|还是|還是|有没有|有沒有|"
    r"([\u4e00-\u9fff])[不没沒]\1"
)
#: A neutral stand-in for the mark when reading the shown text (neither word nor rare character).
_MARK_STAND_IN = "\u3000"


def _add_marked_shifted_runs(text: str, runs: list[_Run]) -> None:
    """GBK read one byte out of step until the decoder's mark (``戎?`` for ``肉之``).

    A lost byte puts the decoder out of step; it falls back into step at an invalid pair, which it
    shows as ``?`` (or U+FFFD). Before that mark, each shown character is the second byte of one
    real character plus the first byte of the next: re-pairing recovers the inside of the run
    exactly, and the two edge characters, each with one byte known, are chosen by how well they
    join their neighbours into dictionary words. Runs of one or two characters are found this way
    too. Where the run starts is chosen the same way: where the re-read text gains most.
    """
    _add_consumed_runs(text, runs)
    if "?" not in text:
        return
    for match in _MARK.finditer(text):
        mark = match.start()
        if mark == 0 or text[mark - 1].isascii() or _PAIRS[text[mark - 1]] is None:
            continue
        if any(run.start <= mark < run.end for run in runs):
            continue
        if _DAMAGED_ANNOTATION_AFTER.match(text, mark + 1):
            continue  # a character lost with its "(": the pinyin stage handles it
        question = _is_question(text, mark)
        run = _marked_run(text, mark, question)
        if run is None and not question:
            # A "?" right after a Chinese character, not ending a question: the decoder's mark
            # for bytes it could not read, even where what they were cannot be worked out.
            run = _Run(mark, mark + 1, "?", flag_only=True, method=(
                "a '?' inside Chinese text is usually a decoder's mark for bytes it could not "
                "read: the characters around it may be garbled or lost"))  # fmt: skip
        if run is not None and not any(
            run.start < other.end and other.start < run.end for other in runs
        ):
            runs.append(run)


def _add_consumed_runs(text: str, runs: list[_Run]) -> None:
    """Out-of-step runs that end where the decoder took an ASCII byte as a second byte.

    Only implausible characters whose second GBK byte is ASCII (``訢`` is 0xD4 0x44, ``D``) are
    examined: such a character followed by ASCII text is where an out-of-step run ends unmarked.
    """
    for char in _suspicious_chars(text):
        pair = _PAIRS[char]
        if pair is None or not 0x40 <= pair[1] <= 0x7E:
            continue
        for match in re.finditer(re.escape(char), text):
            index = match.start()
            if any(run.start <= index < run.end for run in runs):
                continue
            run = _marked_run(text, index, question=False, consumed=True)
            # Without a mark, weak evidence is not even flagged: rare characters of clean
            # traditional text (``薺``) would be.
            if (
                run is not None
                and not run.flag_only
                and not any(run.start < other.end and other.start < run.end for other in runs)
            ):
                runs.append(run)


def _is_question(text: str, mark: int) -> bool:
    """Whether the sentence before ``mark`` asks something (so a "?" there may be meant).

    Garbled characters can look like a question word (``哪`` in ``哪奂猓?``); such runs are then
    missed rather than clean questions flagged.
    """
    sentence_start = max(text.rfind(char, 0, mark) for char in "。！？!?\n") + 1
    return _QUESTION.search(text, sentence_start, mark) is not None


def _marked_run(text: str, mark: int, question: bool, consumed: bool = False) -> _Run | None:
    """The out-of-step run ending at ``mark``, if the re-read text is clearly better Chinese.

    ``consumed``: there is no mark; the character at ``mark`` took an ASCII byte as its second
    byte (``訢`` for ``自`` + ``D``), which is given back.
    """
    shown_end = mark + 1 if consumed else mark
    start = mark
    while start > max(0, mark - _MAX_MARKED_RUN) and not text[start - 1].isascii():
        if _PAIRS[text[start - 1]] is None:
            break
        start -= 1
    shown = text[start:shown_end]
    pairs = [pair for pair in map(_PAIRS.__getitem__, shown) if pair is not None]
    count = len(pairs)
    inside = [_DECODED[pairs[m][1], pairs[m + 1][0]] for m in range(count - 1)]
    first = max((m + 1 for m, char in enumerate(inside) if char is None), default=0)
    words = lexicon.word_frequencies()
    right = text[mark + 1] if mark + 1 < len(text) else ""
    best: tuple[float, int, str] | None = None
    for first_k in range(first, count):
        left = text[start + first_k - 1] if start + first_k > 0 else ""
        middle = [char for char in inside[first_k:] if char is not None]
        head_byte = pairs[first_k][0]
        head_options = _chars_with_byte(head_byte, 1) + _chars_with_byte(head_byte, 0)
        head = _best_joining(head_options, left, middle[0] if middle else "", words)
        if head is None:
            continue
        if consumed:
            tail: str | None = chr(pairs[-1][1])
        else:
            tail = _best_joining(
                _tails_before_mark(pairs[-1][1], right),
                middle[-1] if middle else head,
                right,
                words,
            )
        if tail is None:
            continue
        replacement = head + "".join(middle) + tail
        # Where the run starts: compared over the same number of characters, the mark and what
        # follows left out, so that filling the mark (a lost character) earns nothing.
        shown_run = text[start + first_k : shown_end]
        gain = _lm(left + replacement[:-1], words) - _lm(left + shown_run, words)
        if best is None or gain > best[0]:
            best = (gain, first_k, replacement)
    if best is None:
        return None
    _, first_k, replacement = best
    run_start = start + first_k
    left_context = text[max(0, run_start - _CONTEXT) : run_start]
    right_context = text[mark + 1 : mark + 1 + _CONTEXT]
    gain = lexicon.segmentation_score(
        left_context + replacement + right_context
    ) - lexicon.segmentation_score(
        left_context + text[run_start:shown_end] + _MARK_STAND_IN + right_context
    )
    if gain < (_MARKED_QUESTION_GAIN if question else _MARKED_FLAG_GAIN):
        return None
    method = "GBK bytes that had been decoded one byte out of step (up to the decoder's mark)"
    if gain < _MARKED_REPAIR_GAIN and not question:
        return _Run(run_start, mark + 1, text[run_start : mark + 1], method=method,
                    flag_only=True, suspected=replacement)  # fmt: skip
    run = _Run(run_start, mark + 1, replacement, method=method)
    if consumed:
        run.lost.append("one byte of the first character was lost")
        run.inferred.append(
            f"{replacement[0]!r} for the first character, chosen among the characters with the "
            "surviving byte by how well it joins its neighbours into words"
        )
        return run
    run.lost.append(
        f"one byte of the first character and the second byte of the last ({text[mark]!r}) were "
        "lost"
    )
    run.inferred.append(
        f"{replacement[0]!r} and {replacement[-1]!r} at the edges, chosen among the characters "
        "with the surviving byte by how well they join their neighbours into words"
    )
    return run


def _tails_before_mark(lead: int, right: str) -> str:
    """Characters with first byte ``lead`` whose second byte the decoder would have marked.

    The mark means that byte could not start a character together with the next byte (``right``'s
    first byte, or an ASCII byte): that rules out most candidates.
    """
    if right and not right.isascii():
        following = _PAIRS[right]
        if following is None:
            return _chars_with_byte(lead, 0)  # the next byte is unknown: no constraint
        next_byte = following[0]
    else:
        next_byte = ord(right) if right else 0x0A
    return "".join(
        char
        for char in _chars_with_byte(lead, 0)
        if (pair := _PAIRS[char]) is not None and _DECODED[pair[1], next_byte] is None
    )


def _best_joining(options: str, left: str, right: str, words: dict[str, int]) -> str | None:
    """The option that best joins ``left`` and ``right`` (either may be empty) into words."""
    best: tuple[float, str] | None = None
    for option in options:
        value = _lm(left + option + right, words)
        if best is None or value > best[0]:
            best = (value, option)
    return None if best is None else best[1]


def _lm(text: str, words: dict[str, int]) -> float:
    """How plausible ``text`` is as Chinese: character scores plus word evidence for each pair."""
    simplified = lexicon.to_simplified_aligned(text)
    total = sum(map(_SCORES.__getitem__, simplified))
    for index in range(len(simplified) - 1):
        pair = simplified[index : index + 2]
        frequency = words.get(pair)
        if frequency is not None:
            total += math.log1p(frequency)
    return total


# --- what is left ---------------------------------------------------------------------------------

#: Unrepaired mis-decoding leaves clusters of rare characters: at least this many, each within
#: ``_CLUSTER_GAP`` characters of the previous one. Clean news has at most two together (``馄饨``).
_CLUSTER_SIZE = 3
_CLUSTER_GAP = 3


def suspected_spans(text: str) -> list[tuple[int, int]]:
    """Stretches that still look mis-decoded: clusters of characters implausible in Chinese.

    Used after repair, so that nothing converts or trusts them (OpenCC would rewrite them as if
    they were traditional characters) and the reader is told.
    """
    suspicious = _suspicious_chars(text)
    if not suspicious:
        return []
    spans: list[tuple[int, int]] = []
    cluster: list[int] = []
    for match in re.finditer(f"[{re.escape(suspicious)}]", text):
        index = match.start()
        if cluster and (
            index - cluster[-1] > _CLUSTER_GAP
            or not all(_PAIRS[char] for char in text[cluster[-1] : index])
        ):
            if len(cluster) >= _CLUSTER_SIZE:
                spans.append((cluster[0], cluster[-1] + 1))
            cluster = []
        cluster.append(index)
    if len(cluster) >= _CLUSTER_SIZE:
        spans.append((cluster[0], cluster[-1] + 1))
    found = [span for span in spans if _reads_better_shifted(text, *span)]
    return sorted(
        span
        for span in found
        if not any(o != span and o[0] <= span[0] and span[1] <= o[1] for o in found)
    )


def _reads_better_shifted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` reads better as GBK one byte out of step than as shown.

    Clean text with rare words together (``荠菜馄饨``) reads far worse shifted; text that was
    mis-decoded, even where the repair could not settle it, reads better.
    """
    shown = text[start:end]
    pairs = [_PAIRS[char] for char in shown]
    if any(pair is None for pair in pairs):
        return False
    known = [pair for pair in pairs if pair is not None]
    shifted = [_DECODED[known[k][1], known[k + 1][0]] for k in range(len(known) - 1)]
    after = sum(map(_SHIFTED_SCORES.__getitem__, shifted))
    before = sum(map(_SCORES.__getitem__, shown[1:]))
    return after > before
