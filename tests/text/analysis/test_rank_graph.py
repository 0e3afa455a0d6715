"""The similarity graph: the strongest edges of every sentence, in memory linear in the text."""

from __future__ import annotations

import math
import random
import tracemalloc

from summarizer.text.analysis.rank import _MAX_NEIGHBOURS, similarity_graph, units


def all_pairs_graph(unit_sets: list[set[str]]) -> list[list[tuple[int, float]]]:
    """Every pair compared, then each row cut to its strongest edges: what the graph must equal."""
    log_sizes = [math.log(len(s)) if len(s) > 1 else 0.0 for s in unit_sets]
    rows: list[list[tuple[int, float]]] = [[] for _ in unit_sets]
    for i, first in enumerate(unit_sets):
        for j in range(i + 1, len(unit_sets)):
            overlap = len(first & unit_sets[j])
            if overlap and len(first) > 1 and len(unit_sets[j]) > 1:
                weight = overlap / (log_sizes[i] + log_sizes[j])
                rows[i].append((j, weight))
                rows[j].append((i, weight))
    return [sorted(row, key=lambda edge: (-edge[1], edge[0]))[:_MAX_NEIGHBOURS] for row in rows]


def test_graph_keeps_the_strongest_edges_of_every_sentence() -> None:
    generator = random.Random(7)
    vocabulary = [f"w{number}" for number in range(40)]
    unit_sets = [set(generator.sample(vocabulary, generator.randint(1, 8))) for _ in range(300)]
    graph = similarity_graph(unit_sets)
    expected = all_pairs_graph(unit_sets)
    for row, wanted in zip(graph, expected, strict=True):
        assert sorted(row) == sorted(wanted)


def test_memory_stays_linear_when_every_sentence_is_alike() -> None:
    """A long repetitive text makes nearly all pairs similar; the graph must not hold them all."""
    sentences = [f"北京市政府今天宣布新的交通规划方案第{number}号" for number in range(800)]
    unit_sets = [units(sentence, chinese=True) for sentence in sentences]
    tracemalloc.start()
    try:
        graph = similarity_graph(unit_sets)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(len(row) == _MAX_NEIGHBOURS for row in graph)
    # 800 rows of at most 2 * 25 edges is well under 8 MB; all 319,600 pairs twice is ~60 MB.
    assert peak < 8_000_000, peak
