"""Translation quality against human references, through sacrebleu (BLEU and chrF++).

A document's translation is scored as one segment: its paragraphs joined with spaces, against each
reference's paragraphs joined the same way. This is robust to an engine that splits or merges
paragraphs differently from the reference (alignment is a separate, reference-free check).
Document-level scores (sacrebleu's sentence scores, BLEU with effective order) feed per-example
statistics (bootstrap CIs); the corpus-level scores sum the same per-document statistics, which is
exactly sacrebleu's ``corpus_score`` with documents as segments, and lets each document keep its
own number of references.

Speed: sacrebleu does the work (tokenization, n-grams, statistics, scores); we keep each
document's reference statistics (gold references are scored again for every engine and rerun)
and intersect n-gram counters faster. Tests check every score equals sacrebleu's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF


class _CHRF(CHRF):
    """sacrebleu's chrF++ with a faster (same-result) n-gram intersection.

    sacrebleu loops over every hypothesis n-gram in Python; intersecting the key views first does
    the same count in C for the common case. ``tests/eval/test_eval_translation_metrics.py`` checks
    the scores equal sacrebleu's own ``sentence_score``.
    """

    @staticmethod
    def _get_match_statistics(hyp_ngrams: Counter[Any], ref_ngrams: Counter[Any]) -> list[int]:
        common = hyp_ngrams.keys() & ref_ngrams.keys()
        match = sum(
            map(min, map(hyp_ngrams.__getitem__, common), map(ref_ngrams.__getitem__, common))
        )
        return [_total(hyp_ngrams) if ref_ngrams else 0, _total(ref_ngrams), match]


def _total(counter: Counter[Any]) -> int:
    """``sum(counter.values())``, remembered on the counter (each is matched several times)."""
    total: int | None = getattr(counter, "_summarizer_total", None)
    if total is None:
        total = sum(counter.values())
        counter._summarizer_total = total  # type: ignore[attr-defined]
    return total


@lru_cache(maxsize=1)
def _sentence_bleu() -> BLEU:
    return BLEU(effective_order=True)


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
