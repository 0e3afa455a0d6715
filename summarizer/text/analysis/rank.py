"""Sentence ranking for extractive summaries: TextRank with a lead bias.

Sentences are nodes; edges weigh the overlap of their character bigrams (Chinese) or words
(English), normalised by length as in Mihalcea & Tarau's TextRank. PageRank's teleport vector leans
towards the start of the article, because news puts what matters first. Pure Python, deterministic.
Sentences more than ``GRAPH_WINDOW`` apart are not compared, so a text of millions of characters
costs time linear in its length; every news article is far shorter, and is ranked on all its pairs.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re

from summarizer.text.chars import HAN_RANGES, is_han

_WORD = re.compile(f"[A-Za-z0-9]+|[{HAN_RANGES}]")
_DAMPING = 0.85
_ITERATIONS = 100
#: Stop when the scores move less than this in total (L1) between iterations.
_TOLERANCE = 1e-6
#: Edges kept per sentence.
_MAX_NEIGHBOURS = 25
#: Sentences are compared only with the next ``GRAPH_WINDOW`` ones (and so the previous ones).
#: A news article, even a long feature, has far fewer sentences (the longest in ``evals/`` has
#: 60), so its graph is complete and its ranking unchanged; a text of millions of characters
#: costs time linear in its length instead of quadratic (a sentence is central for what it shares
#: with the text around it).
GRAPH_WINDOW = 400


def units(text: str, chinese: bool) -> set[str]:
    """The comparison units of one sentence: CJK character bigrams, or lower-cased words."""
    if chinese:
        chars = [char for char in text if is_han(char) or char.isalnum()]
        return {a + b for a, b in itertools.pairwise(chars)}
    return {word.lower() for word in _WORD.findall(text) if len(word) > 2}


def similarity_graph(
    unit_sets: list[set[str]], window: int = GRAPH_WINDOW
) -> list[list[tuple[int, float]]]:
    """For each sentence, its (neighbour, weight) pairs with a non-zero weight (symmetric).

    Only pairs at most ``window`` sentences apart that share a unit are compared, found through an
    inverted index (postings in sentence order, so the window is a slice of each), and each sentence
    keeps its strongest ``_MAX_NEIGHBOURS`` edges (so the graph may be slightly asymmetric in very
    long articles, which PageRank handles). Rows are pruned while the graph is built, never
    holding more than ``2 * _MAX_NEIGHBOURS`` edges, so memory grows with the text, not with
    the number of similar pairs (a long, repetitive text has nearly all pairs similar).
    """
    postings: dict[str, list[int]] = {}
    for index, unit_set in enumerate(unit_sets):
        for unit in unit_set:
            postings.setdefault(unit, []).append(index)
    log_sizes = [math.log(len(unit_set)) if len(unit_set) > 1 else 0.0 for unit_set in unit_sets]
    neighbours: list[list[tuple[int, float]]] = [[] for _ in unit_sets]
    #: Rows that were ever pruned: they end sorted, as a full row over the limit would be.
    pruned: set[int] = set()
    #: The weakest weight a pruned row kept: a lighter edge can never be among its strongest.
    floors = [0.0] * len(unit_sets)

    def add(row_index: int, edge: tuple[int, float]) -> None:
        if edge[1] < floors[row_index]:
            return
        row = neighbours[row_index]
        row.append(edge)
        if len(row) >= 2 * _MAX_NEIGHBOURS:
            # The strongest edges of the whole row are among the strongest of any part of it.
            row = neighbours[row_index] = _strongest(row)
            floors[row_index] = row[-1][1]
            pruned.add(row_index)

    for i, unit_set in enumerate(unit_sets):
        if len(unit_set) < 2:
            continue
        shared: dict[int, int] = {}
        last = i + window
        for unit in unit_set:
            posting = postings[unit]
            for j in itertools.islice(posting, bisect.bisect_right(posting, i), None):
                if j > last:
                    break
                shared[j] = shared.get(j, 0) + 1
        for j, overlap in shared.items():
            if len(unit_sets[j]) < 2:
                continue
            weight = overlap / (log_sizes[i] + log_sizes[j])
            add(i, (j, weight))
            add(j, (i, weight))
    return [_strongest(row, force=index in pruned) for index, row in enumerate(neighbours)]


def _strongest(row: list[tuple[int, float]], *, force: bool = False) -> list[tuple[int, float]]:
    """The ``_MAX_NEIGHBOURS`` heaviest edges of one sentence, heaviest first (ties: lower index).

    A row within the limit keeps its order unless ``force`` (it was pruned before).
    """
    if len(row) <= _MAX_NEIGHBOURS and not force:
        return row
    return sorted(row, key=lambda edge: (-edge[1], edge[0]))[:_MAX_NEIGHBOURS]


def rank_sentences(
    sentences: list[str],
    chinese: bool,
    lead_bias: float = 1.0,
    unit_sets: list[set[str]] | None = None,
) -> list[float]:
    """A score per sentence (higher = more central); ``lead_bias`` 0 gives plain TextRank.

    ``unit_sets``: the sentences' ``units``, when the caller has them already.
    """
    count = len(sentences)
    if count == 0:
        return []
    if unit_sets is None:
        unit_sets = [units(sentence, chinese) for sentence in sentences]
    neighbours = similarity_graph(unit_sets)
    out_sums = [sum(weight for _, weight in row) for row in neighbours]
    teleport = [1.0 / (index + 1) ** lead_bias for index in range(count)]
    total = sum(teleport)
    teleport = [value / total for value in teleport]
    scores = teleport[:]
    # Sentences with no similar neighbour hand their score back through the teleport.
    dangling_nodes = [i for i in range(count) if out_sums[i] == 0]
    linked = [(i, row, out_sums[i]) for i, row in enumerate(neighbours) if out_sums[i] > 0]
    for _ in range(_ITERATIONS):
        dangling = sum(scores[i] for i in dangling_nodes)
        flow = [0.0] * count
        for i, row, out_sum in linked:
            share = scores[i] / out_sum
            for j, weight in row:
                flow[j] += weight * share
        updated = [
            (1 - _DAMPING) * teleport[j] + _DAMPING * (flow[j] + dangling * teleport[j])
            for j in range(count)
        ]
        converged = sum(abs(a - b) for a, b in zip(updated, scores, strict=True)) < _TOLERANCE
        scores = updated
        if converged:
            break
    return scores
