"""Person finding on long texts: the overlap bookkeeping is per character, not per person found.

The speed is measured in ``benchmarks/input_size.py`` (never asserted here); this checks that the
per-character claims give exactly the per-person answer: a text repeated k times yields the same
people k times, shifted, and no two mentions overlap.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from summarizer.text import analyze, prepare

SEED = Path(__file__).resolve().parents[3] / "examples" / "tongzhou_2025-12-13_scraped.txt"


def test_a_repeated_text_gives_the_same_mentions_at_every_repetition() -> None:
    once = prepare(SEED.read_bytes())
    block = once.text + "\n"
    repeated = prepare(block * 5)
    single = analyze(prepare(block), thorough=False).people
    many = analyze(repeated, thorough=False).people
    assert single and len(many) == 5 * len(single)
    for copy in range(5):
        shifted = many[copy * len(single) : (copy + 1) * len(single)]
        assert [(m.start - copy * len(block), m.text) for m in shifted] == [
            (m.start, m.text) for m in single
        ]
    spans = sorted((m.start, m.end) for m in many)
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))
