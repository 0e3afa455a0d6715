"""Apply text edits in stages while keeping every change traceable to the original text.

Each repair stage proposes ``Edit``s against the current text; ``EditTracker.apply`` performs
them and keeps, for every current character, the span of the original text it came from. That lets
the final ``Document`` map any normalized offset back to the original and give each ``Repair``
exact spans in both texts, however many stages touched the text in between.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from pydantic import TypeAdapter

from summarizer.schema import InputWarning, Repair


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


class EditTracker:
    """The working text of ``prepare`` plus the provenance of each of its characters."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = original
        self._origin_start = list(range(len(original)))
        self._origin_end = list(range(1, len(original) + 1))
        self._records: list[_Record] = []  # sorted by start
        self._record_starts: list[int] = []
        self._warnings: list[_Record] = []

    def apply(self, edits: Iterable[Edit]) -> None:
        ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
        if not ordered:
            return
        text = self.text
        parts: list[str] = []
        origin_start: list[int] = []
        origin_end: list[int] = []
        new_records: list[_Record] = []
        moves: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
        position = 0
        length = 0
        for edit in ordered:
            if edit.start < position or edit.end < edit.start or edit.end > len(text):
                raise ValueError(f"overlapping or invalid edit {edit}")
            parts.append(text[position : edit.start])
            origin_start.extend(self._origin_start[position : edit.start])
            origin_end.extend(self._origin_end[position : edit.start])
            length += edit.start - position
            span_start, span_end = self._original_span(edit.start, edit.end)
            parts.append(edit.replacement)
            origin_start.extend([span_start] * len(edit.replacement))
            origin_end.extend([span_end] * len(edit.replacement))
            new_start, new_end = length, length + len(edit.replacement)
            length = new_end
            moves.append((edit.start, edit.end, new_start, new_end))
            position = edit.end
            if edit.replacement == text[edit.start : edit.end]:
                continue
            if not self._inside_existing_record(edit.start, edit.end):
                new_records.append(
                    _Record(
                        edit.kind, span_start, span_end, new_start, new_end,
                        edit.certain, edit.note, edit.warning,
                    )
                )  # fmt: skip
            elif edit.warning is not None:
                self._warnings.append(
                    _Record(edit.kind, span_start, span_end, edit.start, edit.end, True, "",
                            edit.warning)
                )  # fmt: skip
        parts.append(text[position:])
        origin_start.extend(self._origin_start[position:])
        origin_end.extend(self._origin_end[position:])
        move_starts = [move[0] for move in moves]
        for record in (*self._records, *self._warnings):
            record.start = _move(record.start, moves, move_starts, at_end=False)
            record.end = max(record.start, _move(record.end, moves, move_starts, at_end=True))
        self._records.extend(new_records)
        self._records.sort(key=lambda record: record.start)
        self._record_starts = [record.start for record in self._records]
        self.text = "".join(parts)
        self._origin_start = origin_start
        self._origin_end = origin_end

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

    def _inside_existing_record(self, start: int, end: int) -> bool:
        if not self._records:
            return False
        index = bisect.bisect_right(self._record_starts, start) - 1
        for record in self._records[max(index - 1, 0) : index + 1]:
            if record.start <= start and end <= record.end and record.start < record.end:
                return True
        return False

    # --- results ------------------------------------------------------------------------------

    def repairs(self) -> tuple[Repair, ...]:
        records = sorted(self._records, key=lambda record: (record.start, record.original_start))
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
        # One validation call for all repairs: an article can have hundreds.
        return tuple(_repairs_adapter().validate_python(payload))

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


def _move(
    offset: int, moves: list[tuple[int, int, int, int]], starts: list[int], *, at_end: bool
) -> int:
    """Where an old offset lands after ``moves`` (sorted, non-overlapping edits)."""
    if offset < 0:
        return offset
    index = bisect.bisect_right(starts, offset) - 1
    if index < 0:
        return offset
    old_start, old_end, new_start, new_end = moves[index]
    if old_start < offset < old_end:
        return new_end if at_end else new_start
    if offset == old_start == old_end:
        # An insertion at this offset: a span starting here starts after it; an end stays before.
        if at_end:
            return new_start
        return new_end
    if offset == old_start:
        return new_end if at_end and old_end == old_start else new_start
    return offset - old_end + new_end


@cache
def _repairs_adapter() -> TypeAdapter[list[Repair]]:
    return TypeAdapter(list[Repair])
