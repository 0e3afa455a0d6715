"""Which characters of a text earlier, more trusted rules have already claimed.

Extraction rules run from most to least certain and each span of text goes to the first rule that
claims it. Checking a candidate against every earlier claim costs O(claims) per candidate; one
byte per character makes the check a single C-level scan of the candidate's own span.
"""

from __future__ import annotations

from collections.abc import Iterable


class Occupancy:
    """Claimed character positions of a text of ``length`` characters."""

    def __init__(self, length: int, claimed: Iterable[tuple[int, int]] = ()) -> None:
        self._length = length
        self._claimed = bytearray(length)
        for start, end in claimed:
            self.claim(start, end)

    def is_free(self, start: int, end: int) -> bool:
        """Whether no character of ``[start, end)`` is claimed (spans are never empty here)."""
        return self._claimed.find(1, start, end) == -1

    def claim(self, start: int, end: int) -> None:
        end = min(end, self._length)
        if start < end:
            self._claimed[start:end] = b"\x01" * (end - start)
