"""jieba.posseg's HMM Viterbi, with the same result, computed as array operations.

jieba scores every (previous state, state) pair of every character in a Python loop, including the
majority of pairs that have no transition (they score -inf and can never win): that loop was most
of a thorough analysis. Here each character is one numpy step over the live previous states and the
character's candidate states only.

The path is identical to jieba's, not merely close: the sums are the same floating-point
expressions in the same order (score + transition, then + emission), the candidate states are
chosen by the same rules, and ties break the same way. jieba takes ``max`` over
``(score, state)`` tuples, so among equal scores the greatest state wins; states are numbered here
in descending order so that ``argmax``, which returns the first maximum, picks that same state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

#: jieba's log-probability for a character a state never emits.
MIN_FLOAT = -3.14e100

#: Characters whose emission vectors are kept (each about 2 KB).
_EMISSION_CACHE = 4096

#: (position tag B/M/E/S, part of speech), e.g. ("B", "nr").
State = tuple[str, str]


class PosViterbi:
    """The most likely (position, part-of-speech) state of each character of a Chinese run."""

    def __init__(
        self,
        char_states: Mapping[str, Iterable[State]],
        start: Mapping[State, float],
        trans: Mapping[State, Mapping[State, float]],
        emit: Mapping[State, Mapping[str, float]],
    ) -> None:
        # Descending order: argmax's first maximum is the greatest state, as in jieba's max().
        self._states: list[State] = sorted(trans, reverse=True)
        self._number = {state: index for index, state in enumerate(self._states)}
        size = len(self._states)
        self._trans = np.full((size, size), -np.inf)
        for source, targets in trans.items():
            for target, probability in targets.items():
                self._trans[self._number[source], self._number[target]] = probability
        self._linked = np.isfinite(self._trans)
        self._has_successor = self._linked.any(axis=1)
        self._start = np.array([start[state] for state in self._states])
        self._emit = [emit[state] for state in self._states]
        self._char_states = char_states
        self._candidates: dict[str, Any] = {}
        self._emissions: dict[str, Any] = {}

    def _char_candidates(self, char: str) -> Any:
        """Boolean mask of the states jieba lets ``char`` take (all states for unknown ones)."""
        mask = self._candidates.get(char)
        if mask is None:
            mask = np.zeros(len(self._states), dtype=bool)
            known = self._char_states.get(char)
            if known is None:
                mask[:] = True
            else:
                mask[[self._number[state] for state in known]] = True
            self._candidates[char] = mask
        return mask

    def _emission(self, char: str) -> Any:
        """Log-probability of each state emitting ``char`` (a bounded cache: ~2 KB a character)."""
        vector = self._emissions.get(char)
        if vector is None:
            if len(self._emissions) >= _EMISSION_CACHE:
                self._emissions.clear()
            vector = np.array([emit.get(char, MIN_FLOAT) for emit in self._emit])
            self._emissions[char] = vector
        return vector

    def states(self, observed: str) -> list[State]:
        """One state per character of ``observed`` (jieba.posseg.viterbi's route)."""
        first = observed[0]
        present = np.flatnonzero(self._char_candidates(first))
        scores = self._start[present] + self._emission(first)[present]
        back: list[tuple[Any, Any]] = []
        for char in observed[1:]:
            live = self._has_successor[present]
            sources, source_scores = present[live], scores[live]
            reachable = self._linked[sources].any(axis=0)
            candidates = reachable & self._char_candidates(char)
            if not candidates.any():
                candidates = reachable
            targets = np.flatnonzero(candidates)
            totals = source_scores[:, None] + self._trans[np.ix_(sources, targets)]
            totals = totals + self._emission(char)[targets][None, :]
            best = totals.argmax(axis=0)
            back.append((targets, sources[best]))
            present, scores = targets, totals[best, np.arange(len(targets))]
        state = int(present[scores.argmax()])
        route = [state]
        for targets, best_sources in reversed(back):
            state = int(best_sources[np.searchsorted(targets, state)])
            route.append(state)
        route.reverse()
        return [self._states[index] for index in route]
