"""The similarity graph: the strongest edges of every sentence, in time and memory linear in the
text (sentences are compared only within a window, wider than any news article)."""

from __future__ import annotations

import math
import random
import tracemalloc

from summarizer.text.analysis.rank import (
    _MAX_NEIGHBOURS,
    GRAPH_WINDOW,
    rank_sentences,
    similarity_graph,
    units,
)


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
    # As many sentences as the window holds: an article that long is ranked on the full graph.
    count = GRAPH_WINDOW + 1
    unit_sets = [set(generator.sample(vocabulary, generator.randint(1, 8))) for _ in range(count)]
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


def test_sentences_further_apart_than_the_window_are_not_compared() -> None:
    """The first and last sentence say the same, but GRAPH_WINDOW + 1 sentences lie between."""
    alike = {"北京", "京市", "市政"}
    between = [{f"a{number}", f"b{number}"} for number in range(GRAPH_WINDOW + 1)]
    graph = similarity_graph([alike, *between, alike])
    assert graph[0] == [] and graph[-1] == []
    near = similarity_graph([alike, *between[: GRAPH_WINDOW - 1], alike])
    assert [j for j, _ in near[0]] == [GRAPH_WINDOW]


def test_window_is_a_parameter_and_keeps_near_edges() -> None:
    unit_sets = [{"x", "y"}, {"x", "y"}, {"x", "y"}, {"x", "y"}]
    graph = similarity_graph(unit_sets, window=1)
    assert [sorted(j for j, _ in row) for row in graph] == [[1], [0, 2], [1, 3], [2]]


def test_ranking_reuses_the_callers_units() -> None:
    sentences = ["新能源汽车产业链加快发展。", "新能源汽车出口增长。", "今天天气晴朗。"]
    unit_sets = [units(sentence, chinese=True) for sentence in sentences]
    assert rank_sentences(sentences, True, 0.0, unit_sets=unit_sets) == rank_sentences(
        sentences, True, 0.0
    )
    # The units given are the ones ranked: make the third sentence alike the first two.
    alike = [unit_sets[0], unit_sets[1], unit_sets[0] | unit_sets[1]]
    scores = rank_sentences(sentences, True, 0.0, unit_sets=alike)
    assert scores[2] == max(scores)
