"""Apply text edits in stages while keeping every change traceable to the original text.

Each repair stage proposes ``Edit``s against the current text; ``EditTracker.apply`` performs
them and keeps, for every current character, the span of the original text it came from. That lets
the final ``Document`` map any normalized offset back to the original and give each ``Repair``
exact spans in both texts, however many stages touched the text in between.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from pydantic import TypeAdapter

from summarizer.schema import InputWarning, Repair
from summarizer.text.document import Checkpoint, run_to_end


class Edit(NamedTuple):
    """Replace ``text[start:end]`` (current-stage offsets) with ``replacement``."""

    start: int
    end: int
    replacement: str
    kind: str
    certain: bool = True
    note: str = ""
    #: Optional InputWarning (code, message) located at the edit's span in the normalized text.
    warning: tuple[str, str] | None = None


@dataclass(slots=True)
class _Record:
    kind: str
    original_start: int
    original_end: int
    start: int  # current-stage offsets
    end: int
    certain: bool
    note: str
    warning: tuple[str, str] | None


_SPAN = operator.itemgetter(0, 1)
_START = operator.attrgetter("start")
_START_AND_ORIGINAL_START = operator.attrgetter("start", "original_start")
#: ``EditTracker.repairs`` validates this many at a time and calls its checkpoint in between.
REPAIRS_PER_CHECKPOINT = 500
LISTING_REPAIRS = "while its repairs were listed"
#: ``EditTracker.apply`` calls its checkpoint every this many edits.
EDITS_PER_CHECKPOINT = 2_000
APPLYING_EDITS = "while its text was repaired"


class EditTracker:
    """The working text of ``prepare`` plus the provenance of each of its characters."""

    def __init__(self, original: str, checkpoint: Checkpoint = run_to_end) -> None:
        self.original = original
        #: Called every ``EDITS_PER_CHECKPOINT`` edits an ``apply`` performs (see ``prepare``).
        self.checkpoint = checkpoint
        self.text = original
        self._origin_start = list(range(len(original)))
        self._origin_end = list(range(1, len(original) + 1))
        self._records: list[_Record] = []  # sorted by start
        self._record_starts: list[int] = []
        self._warnings: list[_Record] = []

    def apply(self, edits: Iterable[Edit]) -> None:
        """Perform one stage's ``edits`` (non-overlapping, offsets into the current text)."""
        ordered = sorted(edits, key=_SPAN)
        if not ordered:
            return
        text = self.text
        size = len(text)
        old_origin_start, old_origin_end = self._origin_start, self._origin_end
        parts: list[str] = []
        origin_start: list[int] = []
        origin_end: list[int] = []
        new_records: list[_Record] = []
        moves: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
        move_starts: list[int] = []
        covers = [(r.start, r.end) if r.start < r.end else None for r in self._records]
        position = 0
        shift = 0  # new offset - old offset, after the last edit
        for edit in ordered:
            if len(moves) % EDITS_PER_CHECKPOINT == 0:
                self.checkpoint(APPLYING_EDITS)
            start, end, replacement = edit.start, edit.end, edit.replacement
            if start < position or end < start or end > size:
                raise ValueError(f"overlapping or invalid edit {edit}")
            if position < start:
                parts.append(text[position:start])
                origin_start += old_origin_start[position:start]
                origin_end += old_origin_end[position:start]
            if end == start + 1:  # the common case, inlined
                span_start, span_end = old_origin_start[start], old_origin_end[start]
            else:
                span_start, span_end = self._original_span(start, end)
            new_start = start + shift
            new_end = new_start + len(replacement)
            if replacement:
                parts.append(replacement)
                if len(replacement) == end - start:
                    # Character for character (a script conversion): each keeps its own origin.
                    origin_start += old_origin_start[start:end]
                    origin_end += old_origin_end[start:end]
                else:
                    origin_start += [span_start] * len(replacement)
                    origin_end += [span_end] * len(replacement)
            moves.append((start, end, new_start, new_end))
            move_starts.append(start)
            shift = new_end - end
            position = end
            if replacement == text[start:end]:
                if edit.warning is not None:  # nothing changed, but something to say about it
                    # (current-stage offsets, moved with the others below)
                    self._warnings.append(
                        _Record(edit.kind, span_start, span_end, start, end, True, "",
                                edit.warning)
                    )  # fmt: skip
                continue
            for piece_start, piece_end in self._pieces(edit, text):
                piece_new_start = new_start + piece_start - start
                piece_new_end = new_end - (end - piece_end)
                if piece_end - piece_start < end - start:
                    span_start, span_end = self._original_span(piece_start, piece_end)
                if not self._inside_existing_record(piece_start, piece_end, covers):
                    new_records.append(
                        _Record(
                            edit.kind, span_start, span_end, piece_new_start, piece_new_end,
                            edit.certain, edit.note, edit.warning,
                        )
                    )  # fmt: skip
                elif edit.warning is not None:
                    self._warnings.append(
                        _Record(edit.kind, span_start, span_end, piece_start, piece_end, True,
                                "", edit.warning)
                    )  # fmt: skip
        parts.append(text[position:])
        origin_start += old_origin_start[position:]
        origin_end += old_origin_end[position:]
        self.checkpoint(APPLYING_EDITS)
        _move_records(self._records, moves, move_starts)
        _move_records(self._warnings, moves, move_starts)
        self._records.extend(new_records)
        self._records.sort(key=_START)
        self._record_starts = [record.start for record in self._records]
        self.text = "".join(parts)
        self._origin_start = origin_start
        self._origin_end = origin_end

    def _pieces(self, edit: Edit, text: str) -> list[tuple[int, int]]:
        """The stretches of ``edit`` to record as repairs, in current-stage offsets.

        A character-for-character edit (a script conversion) over text that an earlier stage
        already changed in between (``務(wù)虛會`` → ``務虛會`` → ``务虚会``) is recorded as one
        repair per stretch of untouched original text (``務`` and ``虛會``), so that no two
        repairs cover the same original text and each can be re-applied to it on its own.
        Other edits are one repair.
        """
        start, end = edit.start, edit.end
        if end - start < 2 or len(edit.replacement) != end - start:
            return [(start, end)]
        origin_start, origin_end = self._origin_start, self._origin_end
        pieces: list[tuple[int, int]] = []
        piece_start = start
        for index in range(start + 1, end):
            if origin_start[index] != origin_end[index - 1]:
                pieces.append((piece_start, index))
                piece_start = index
        pieces.append((piece_start, end))
        if len(pieces) == 1:
            return pieces
        replacement = edit.replacement
        return [(a, b) for a, b in pieces if text[a:b] != replacement[a - start : b - start]]

    def warn(
        self, code: str, message: str, start: int | None = None, end: int | None = None
    ) -> None:
        """A warning located in the current text (or about the whole input when no span)."""
        if start is None or end is None:
            self._warnings.append(_Record("", -1, -1, -1, -1, True, "", (code, message)))
            return
        span_start, span_end = self._original_span(start, end)
        self._warnings.append(
            _Record("", span_start, span_end, start, end, True, "", (code, message))
        )

    def _original_span(self, start: int, end: int) -> tuple[int, int]:
        if end == start + 1:
            return self._origin_start[start], self._origin_end[start]
        if start < end:
            return min(self._origin_start[start:end]), max(self._origin_end[start:end])
        anchor = self._origin_end[start - 1] if start > 0 else 0
        return anchor, anchor

    def _inside_existing_record(
        self, start: int, end: int, covers: list[tuple[int, int] | None]
    ) -> bool:
        """Whether one of the two records starting last at or before ``start`` holds the span.

        ``covers`` has each record's span (``None`` for an empty record), as of before the stage.
        """
        index = bisect.bisect_right(self._record_starts, start) - 1
        for cover in covers[max(index - 1, 0) : index + 1]:
            if cover is not None and cover[0] <= start and end <= cover[1]:
                return True
        return False

    # --- results ------------------------------------------------------------------------------

    def repairs(self, checkpoint: Checkpoint = run_to_end) -> tuple[Repair, ...]:
        """Every change as a validated ``Repair``, in text order (``checkpoint`` called per
        ``REPAIRS_PER_CHECKPOINT``: a long scraped page can have tens of thousands)."""
        records = sorted(self._records, key=_START_AND_ORIGINAL_START)
        payload = [
            {
                "kind": record.kind,
                "original": self.original[record.original_start : record.original_end],
                "replacement": self.text[record.start : record.end],
                "original_start": record.original_start,
                "original_end": record.original_end,
                "normalized_start": record.start,
                "normalized_end": record.end,
                "certain": record.certain,
                "note": record.note,
            }
            for record in records
        ]
        # One validation call per slice of repairs, not one per repair: there can be thousands.
        validated: list[Repair] = []
        for first in range(0, len(payload), REPAIRS_PER_CHECKPOINT):
            checkpoint(LISTING_REPAIRS)
            chunk = payload[first : first + REPAIRS_PER_CHECKPOINT]
            validated.extend(_repairs_adapter().validate_python(chunk))
        return tuple(validated)

    def warnings(self) -> tuple[InputWarning, ...]:
        located = [record for record in (*self._records, *self._warnings) if record.warning]
        located.sort(key=lambda record: record.start)
        return tuple(
            InputWarning(
                code=record.warning[0],
                message=record.warning[1],
                start=record.start if record.start >= 0 else None,
                end=record.end if record.start >= 0 else None,
            )
            for record in located
            if record.warning is not None
        )

    def offset_map(self) -> tuple[int, ...]:
        if self.text == self.original:
            return ()
        return (*self._origin_start, len(self.original))


def _move_records(
    records: list[_Record], moves: list[tuple[int, int, int, int]], starts: list[int]
) -> None:
    """Shift each record's span to where it lands after ``moves`` (sorted, non-overlapping).

    An offset strictly inside a replaced span keeps its place when the replacement has the same
    length (a script conversion: a removed annotation between two converted characters stays
    between them); otherwise it goes to the replacement's start (a span's start) or end (a
    span's end). At an insertion point a start goes after the insertion and an end before.
    """
    find = bisect.bisect_right
    for record in records:
        start = record.start
        if start < 0:
            continue  # a warning about the whole input
        index = find(starts, start) - 1
        if index >= 0:
            old_start, old_end, new_start, new_end = moves[index]
            if old_start < start < old_end:
                same_length = old_end - old_start == new_end - new_start
                start = start - old_start + new_start if same_length else new_start
            elif start == old_start == old_end:
                start = new_end
            elif start == old_start:
                start = new_start
            else:
                start += new_end - old_end
        end = record.end
        index = find(starts, end) - 1
        if index >= 0:
            old_start, old_end, new_start, new_end = moves[index]
            if old_start < end < old_end:
                same_length = old_end - old_start == new_end - new_start
                end = end - old_start + new_start if same_length else new_end
            elif end == old_start:
                end = new_start
            else:
                end += new_end - old_end
        record.start = start
        record.end = end if end > start else start


@cache
def _repairs_adapter() -> TypeAdapter[list[Repair]]:
    return TypeAdapter(list[Repair])
