"""chrF++ and BLEU go through sacrebleu: our fast path must equal sacrebleu's own results."""

from __future__ import annotations

import random

import pytest
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF

from summarizer.eval import translation
from summarizer.eval.goldset import load_set
from summarizer.eval.translation import corpus_scores, document_scores, join, signatures


def _noisy(paragraphs: list[str], rng: random.Random) -> list[str]:
    out = []
    for paragraph in paragraphs:
        words = paragraph.split()
        if words and rng.random() < 0.5:
            words.pop(rng.randrange(len(words)))
        out.append(" ".join(words))
    return out


def test_document_scores_equal_sacrebleu_sentence_scores() -> None:
    rng = random.Random(3)
    for example in [*load_set("seed"), *load_set("wmt22-zhen")]:
        references = example.translations()
        hypothesis = _noisy(references[-1], rng)
        ours = document_scores(hypothesis, references)
        refs = [join(reference) for reference in references]
        assert ours["translation.chrf"] == pytest.approx(
            CHRF(word_order=2).sentence_score(join(hypothesis), refs).score, abs=1e-9
        )
        assert ours["translation.bleu"] == pytest.approx(
            BLEU(effective_order=True).sentence_score(join(hypothesis), refs).score, abs=1e-9
        )


def test_corpus_scores_equal_sacrebleu_corpus_scores() -> None:
    rng = random.Random(5)
    examples = list(load_set("wmt22-zhen"))
    hypotheses = [_noisy(e.translations()[0], rng) for e in examples]
    references = [e.translations() for e in examples]
    ours = corpus_scores(hypotheses, references)
    hyps = [join(h) for h in hypotheses]
    streams = [[join(r[i]) for r in references] for i in range(2)]
    assert ours["translation.chrf"] == pytest.approx(
        CHRF(word_order=2).corpus_score(hyps, streams).score, abs=1e-9
    )
    assert ours["translation.bleu"] == pytest.approx(
        BLEU().corpus_score(hyps, streams).score, abs=1e-9
    )


def test_identical_translation_scores_100_and_signature_names_sacrebleu() -> None:
    (example,) = load_set("seed").examples
    scores = document_scores(example.translations()[0], example.translations())
    assert scores["translation.chrf"] == pytest.approx(100.0)
    assert scores["translation.bleu"] == pytest.approx(100.0)
    signature = signatures(2)
    assert "nrefs:2" in signature["translation.bleu"] and "tok:13a" in signature["translation.bleu"]
    assert "nw:2" in signature["translation.chrf"]


def _random_text(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


@pytest.mark.parametrize("seed", range(40))
def test_chrf_statistics_equal_sacrebleu_statistics_on_odd_text(seed: int) -> None:
    """Exact statistics (not just scores) on text built to break the numpy path: tiny, empty and
    huge alphabets (the last goes through sacrebleu's counters), astral characters, punctuation,
    whitespace runs, several references, and characters the reference lacks."""
    rng = random.Random(seed)
    small = "ab c.,!\n\t😀"
    huge = "".join(chr(0x4E00 + i) for i in range(3000)) + " ."
    alphabet = [small, "abcdefghij klmnop?", huge][seed % 3]
    references = tuple(
        _random_text(rng, alphabet, rng.choice([0, 1, 5, 40, 300])) for _ in range(1 + seed % 3)
    )
    hypothesis = _random_text(rng, alphabet + "xyz😃", rng.choice([0, 2, 6, 50, 300]))
    ours = translation._chrf()
    theirs = CHRF(word_order=2)
    expected = theirs._compute_segment_statistics(
        hypothesis, theirs._extract_reference_info(list(references))
    )
    got = ours._compute_segment_statistics(hypothesis, ours._extract_reference_info(references))
    assert got == expected
    assert all(type(value) is int for value in got)


@pytest.mark.parametrize("seed", range(30))
def test_bleu_statistics_equal_sacrebleu_statistics_on_odd_text(seed: int) -> None:
    """Exact BLEU statistics: empty and one-word texts, several references (counts clipped by
    the largest), tokens no reference has, repeats, and a vocabulary too large for numpy codes."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(60_000 if seed % 5 == 0 else 6)] + ["the", ",", "."]
    references = tuple(
        " ".join(rng.choice(vocabulary) for _ in range(rng.choice([0, 1, 3, 30, 400])))
        for _ in range(1 + seed % 3)
    )
    words = rng.choice([0, 1, 2, 5, 40, 400])
    hypothesis = " ".join(rng.choice([*vocabulary[:8], "new", "the"]) for _ in range(words))
    ours = translation._sentence_bleu()
    theirs = BLEU(effective_order=True)
    expected = theirs._compute_segment_statistics(
        theirs._preprocess_segment(hypothesis),
        theirs._cache_references([[r] for r in references])[0],
    )
    got = ours._compute_segment_statistics(
        ours._preprocess_segment(hypothesis), ours._cache_references([[r] for r in references])[0]
    )
    assert got == expected
    assert all(type(value) is int for value in got)


def test_bleu_statistics_with_a_vocabulary_too_large_for_numpy_codes() -> None:
    reference = " ".join(f"w{i}" for i in range(56_000))  # 56,001 ** 4 >= 2 ** 63
    hypothesis = "w1 w2 w3 w4 w9 w1 w2 new"
    ours, theirs = translation._sentence_bleu(), BLEU(effective_order=True)
    info = ours._cache_references([[reference]])[0]
    assert "sacrebleu" in info
    expected = theirs._compute_segment_statistics(
        hypothesis, theirs._cache_references([[reference]])[0]
    )
    assert ours._compute_segment_statistics(hypothesis, info) == expected
