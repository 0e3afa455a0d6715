"""Translation quality against human references, through sacrebleu (BLEU and chrF++).

A document's translation is scored as one segment: its paragraphs joined with spaces, against each
reference's paragraphs joined the same way. This is robust to an engine that splits or merges
paragraphs differently from the reference (alignment is a separate, reference-free check).
Document-level scores (sacrebleu's sentence scores, BLEU with effective order) feed per-example
statistics (bootstrap CIs); the corpus-level scores sum the same per-document statistics, which is
exactly sacrebleu's ``corpus_score`` with documents as segments, and lets each document keep its
own number of references.

Speed: sacrebleu tokenizes and turns statistics into scores; we keep each document's reference
n-grams (gold references are scored again for every engine and rerun) and count and match
n-grams in numpy (each n-gram an exact integer code), once per document. Tests check the
statistics and every score equal sacrebleu's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

try:
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.helpers import extract_all_char_ngrams, extract_word_ngrams
except ModuleNotFoundError as missing:  # the core install has no eval dependencies
    from summarizer.extras import MissingExtraError

    raise MissingExtraError("eval", missing.name) from None


class _CHRF(CHRF):
    """sacrebleu's chrF++ with faster (same-result) n-gram statistics.

    sacrebleu counts character n-grams in ``Counter``s and matches them in a Python loop. Here each
    reference's characters get dense ids (its alphabet, plus one id for every character it lacks,
    since those never match), every n-gram of up to ``char_order`` characters becomes one exact
    integer, and numpy counts and intersects them. A reference whose alphabet is too large for
    that goes through sacrebleu's counters. Word n-grams are few and stay sacrebleu's.
    ``tests/eval/test_eval_translation_metrics.py`` checks the statistics equal sacrebleu's own.
    """

    def _extract_reference_info(self, refs: Sequence[str]) -> dict[str, Any]:
        return {"ref_grams": [self._reference_grams(ref) for ref in refs]}

    def _reference_grams(self, reference: str) -> _ReferenceGrams:
        words = self._remove_punctuation(reference)
        word_grams = [extract_word_ngrams(words, n) for n in range(1, self.word_order + 1)]
        text = reference if self.whitespace else "".join(reference.split())
        points = _code_points(text)
        alphabet = np.unique(points)
        base = int(alphabet.size) + 1
        if base**self.char_order >= 2**63:  # ids would overflow: count with sacrebleu
            counters = extract_all_char_ngrams(reference, self.char_order, self.whitespace)
            return _ReferenceGrams(None, base, counters, [], word_grams)
        grams = _char_grams(_char_ids(points, alphabet), base, self.char_order)
        return _ReferenceGrams(alphabet, base, [], grams, word_grams)

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: dict[str, Any]) -> list[int]:
        """sacrebleu's statistics of the best-scoring reference (same choice, same ties)."""
        text = hypothesis if self.whitespace else "".join(hypothesis.split())
        words = self._remove_punctuation(hypothesis)
        word_grams = [extract_word_ngrams(words, n) for n in range(1, self.word_order + 1)]
        points = _code_points(text)
        best_stats: list[int] = []
        best_f_score = -1.0
        for reference in ref_kwargs["ref_grams"]:
            stats = self._char_statistics(text, points, reference)
            for hyp_grams, ref_grams in zip(word_grams, reference.word_grams, strict=True):
                stats.extend(self._get_match_statistics(hyp_grams, ref_grams))
            f_score = self._compute_f_score(stats)
            if f_score > best_f_score:
                best_f_score, best_stats = f_score, stats
        return best_stats

    def _char_statistics(
        self, text: str, points: np.ndarray, reference: _ReferenceGrams
    ) -> list[int]:
        stats: list[int] = []
        if reference.alphabet is None:
            hyp_counters = extract_all_char_ngrams(text, self.char_order, True)
            for hyp_grams, ref_grams in zip(hyp_counters, reference.counters, strict=True):
                stats.extend(self._get_match_statistics(hyp_grams, ref_grams))
            return stats
        ids = _ids_in(points, reference.alphabet)
        hyp_orders = _char_grams(ids, reference.base, self.char_order)
        for (hyp_codes, hyp_counts), (ref_codes, ref_counts) in zip(
            hyp_orders, reference.grams, strict=True
        ):
            match = _matched(hyp_codes, hyp_counts, ref_codes, ref_counts)
            ref_total = int(ref_counts.sum())
            # sacrebleu: hypothesis n-grams count only when the reference has n-grams of that order
            stats.extend([int(hyp_counts.sum()) if ref_total else 0, ref_total, match])
        return stats

    @staticmethod
    def _get_match_statistics(hyp_ngrams: Counter[Any], ref_ngrams: Counter[Any]) -> list[int]:
        common = hyp_ngrams.keys() & ref_ngrams.keys()
        match = sum(
            map(min, map(hyp_ngrams.__getitem__, common), map(ref_ngrams.__getitem__, common))
        )
        return [_total(hyp_ngrams) if ref_ngrams else 0, _total(ref_ngrams), match]


class _ReferenceGrams(NamedTuple):
    """One reference's n-grams: numpy codes and counts per character order (``alphabet`` set),
    or sacrebleu's counters (``alphabet`` None); and sacrebleu's word n-gram counters."""

    alphabet: np.ndarray | None
    base: int
    counters: list[Counter[str]]
    grams: list[tuple[np.ndarray, np.ndarray]]
    word_grams: list[Counter[str]]


def _total(counter: Counter[Any]) -> int:
    """``sum(counter.values())``, remembered on the counter (each is matched several times)."""
    total: int | None = getattr(counter, "_summarizer_total", None)
    if total is None:
        total = sum(counter.values())
        counter._summarizer_total = total  # type: ignore[attr-defined]
    return total


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _char_ids(points: np.ndarray, alphabet: np.ndarray) -> np.ndarray:
    return np.searchsorted(alphabet, points).astype(np.int64)


def _ids_in(points: np.ndarray, alphabet: np.ndarray) -> np.ndarray:
    """Ids of ``points`` in a reference's alphabet; ``alphabet.size`` for characters it lacks."""
    ids = np.searchsorted(alphabet, points)
    if alphabet.size == 0:
        return np.zeros(points.size, dtype=np.int64)
    known = alphabet[np.minimum(ids, alphabet.size - 1)] == points
    return np.where(known, ids, alphabet.size).astype(np.int64)


def _matched(
    hyp_codes: np.ndarray, hyp_counts: np.ndarray, ref_codes: np.ndarray, ref_counts: np.ndarray
) -> int:
    """Sum over shared n-grams of the smaller count (both code arrays sorted and distinct)."""
    if ref_codes.size == 0:
        return 0
    at = np.minimum(np.searchsorted(ref_codes, hyp_codes), ref_codes.size - 1)
    shared = ref_codes[at] == hyp_codes
    return int(np.minimum(hyp_counts[shared], ref_counts[at[shared]]).sum())


def _char_grams(ids: np.ndarray, base: int, max_order: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Distinct n-gram codes and their counts, n = 1..max_order (code: the ids in base ``base``)."""
    orders = []
    codes = ids
    for n in range(1, max_order + 1):
        if n > 1:
            codes = codes[:-1] * base + ids[n - 1 :]
        unique, counts = np.unique(codes, return_counts=True)
        orders.append((unique, counts))
    return orders


class _BLEU(BLEU):
    """sacrebleu's BLEU with the n-gram counting and clipping done in numpy (same statistics).

    Tokens get ids from the references' vocabulary (one more id for every token they lack, since
    those never match); each n-gram of up to ``max_ngram_order`` tokens becomes one exact integer.
    A vocabulary too large for that goes through sacrebleu's own counting.
    ``tests/eval/test_eval_translation_metrics.py`` checks the statistics equal sacrebleu's.
    """

    def _extract_reference_info(self, refs: Sequence[str]) -> dict[str, Any]:
        tokenized = [ref.split() for ref in refs]
        vocabulary: dict[str, int] = {}
        for tokens in tokenized:
            for token in tokens:
                vocabulary.setdefault(token, len(vocabulary))
        base = len(vocabulary) + 1
        if base**self.max_ngram_order >= 2**63:
            return {"sacrebleu": super()._extract_reference_info(refs)}
        merged: list[tuple[np.ndarray, np.ndarray]] = []
        per_reference = [
            _char_grams(
                np.array([vocabulary[t] for t in tokens], dtype=np.int64),
                base,
                self.max_ngram_order,
            )
            for tokens in tokenized
        ]
        for order in range(self.max_ngram_order):
            codes = np.concatenate([grams[order][0] for grams in per_reference])
            counts = np.concatenate([grams[order][1] for grams in per_reference])
            unique, inverse = np.unique(codes, return_inverse=True)
            most = np.zeros(unique.size, dtype=np.int64)
            np.maximum.at(most, inverse, counts)  # sacrebleu: the largest count of any reference
            merged.append((unique, most))
        return {
            "vocabulary": vocabulary,
            "base": base,
            "grams": merged,
            "ref_lens": [len(tokens) for tokens in tokenized],
        }

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: dict[str, Any]) -> list[int]:
        if "sacrebleu" in ref_kwargs:
            return list(super()._compute_segment_statistics(hypothesis, ref_kwargs["sacrebleu"]))
        vocabulary: dict[str, int] = ref_kwargs["vocabulary"]
        unknown = len(vocabulary)
        tokens = hypothesis.split()
        ids = np.array([vocabulary.get(t, unknown) for t in tokens], dtype=np.int64)
        correct, total = [], []
        hyp_orders = _char_grams(ids, ref_kwargs["base"], self.max_ngram_order)
        for (hyp_codes, hyp_counts), (ref_codes, ref_counts) in zip(
            hyp_orders, ref_kwargs["grams"], strict=True
        ):
            correct.append(_matched(hyp_codes, hyp_counts, ref_codes, ref_counts))
            total.append(int(hyp_counts.sum()))
        ref_len = self._get_closest_ref_len(len(tokens), ref_kwargs["ref_lens"])
        return [len(tokens), ref_len, *correct, *total]


@lru_cache(maxsize=1)
def _sentence_bleu() -> BLEU:
    return _BLEU(effective_order=True)


@lru_cache(maxsize=1)
def _chrf() -> CHRF:
    return _CHRF(word_order=2)


@lru_cache(maxsize=1024)
def _reference_info(metric: str, references: tuple[str, ...]) -> Any:
    """sacrebleu's pre-computed n-grams of one document's references (kept across calls, since
    the same gold references are scored against every engine and every rerun)."""
    scorer = _chrf() if metric == "chrf" else _sentence_bleu()
    return scorer._cache_references([[reference] for reference in references])[0]


@lru_cache(maxsize=4096)
def _segment_stats(metric: str, hypothesis: str, references: tuple[str, ...]) -> tuple[Any, ...]:
    """sacrebleu's sufficient statistics of one document (reused by the corpus score)."""
    scorer = _chrf() if metric == "chrf" else _sentence_bleu()
    info = _reference_info(metric, references)
    return tuple(scorer._compute_segment_statistics(scorer._preprocess_segment(hypothesis), info))


def _sentence_score(metric: str, hypothesis: str, references: tuple[str, ...]) -> float:
    """Same value as ``scorer.sentence_score(hypothesis, references).score``."""
    scorer = _chrf() if metric == "chrf" else _sentence_bleu()
    stats = _segment_stats(metric, hypothesis, references)
    return float(scorer._aggregate_and_compute([list(stats)]).score)


def join(paragraphs: Sequence[str]) -> str:
    return " ".join(" ".join(p.split()) for p in paragraphs if p.strip())


def document_scores(
    hypothesis: Sequence[str], references: Sequence[Sequence[str]]
) -> dict[str, float]:
    """chrF++ and BLEU (0-100) of one document translation against one or more references."""
    hyp = join(hypothesis)
    refs = tuple(join(reference) for reference in references)
    return {
        "translation.chrf": _sentence_score("chrf", hyp, refs),
        "translation.bleu": _sentence_score("bleu", hyp, refs),
    }


def corpus_scores(
    hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[Sequence[str]]]
) -> dict[str, float]:
    """Corpus chrF++ and BLEU over documents (each a list of paragraphs), each document one segment.

    Equal to sacrebleu's ``corpus_score`` with the documents as segments (statistics are summed
    over segments; each segment keeps its own references).
    """
    if not hypotheses:
        return {}
    chrf_stats, bleu_stats = [], []
    for hypothesis, refs in zip(hypotheses, references, strict=True):
        hyp, joined = join(hypothesis), tuple(join(r) for r in refs)
        chrf_stats.append(list(_segment_stats("chrf", hyp, joined)))
        bleu_stats.append(list(_segment_stats("bleu", hyp, joined)))
    return {
        "translation.chrf": float(_chrf()._aggregate_and_compute(chrf_stats).score),
        "translation.bleu": float(BLEU()._aggregate_and_compute(bleu_stats).score),
    }


def signatures(references: int) -> dict[str, str]:
    """sacrebleu's own signatures (nrefs, tokenizer, smoothing, version) for reports."""
    refs = [["x"] for _ in range(max(1, references))]
    bleu, chrf = BLEU(), CHRF(word_order=2)
    bleu.corpus_score(["x"], refs)
    chrf.corpus_score(["x"], refs)
    return {
        "translation.bleu": str(bleu.get_signature()),
        "translation.chrf": str(chrf.get_signature()),
    }
