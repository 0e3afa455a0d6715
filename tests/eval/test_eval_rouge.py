"""ROUGE: Chinese by character, English by word; checked against hand-computed values."""

from __future__ import annotations

import random

import pytest

from summarizer.eval.rouge import lcs_length, rouge_l, rouge_n, rouge_scores, tokenize


def test_identical_chinese_scores_one() -> None:
    text = "市委常委、区委书记张建华主持会议并讲话。"
    assert rouge_scores(text, text) == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}


def test_tokenizer_chinese_by_character_english_by_lowercased_word() -> None:
    assert tokenize("张建华说: Hello, World-wide 2025年!") == [
        "张",
        "建",
        "华",
        "说",
        "hello",
        "world",
        "wide",
        "2025",
        "年",
    ]


def test_chinese_hand_computed() -> None:
    # prediction 今天天气好 / reference 今天天气很好: unigram overlap 5 (今天天气好), 5 vs 6 tokens
    score = rouge_n("今天天气好", "今天天气很好", 1)
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(5 / 6)
    assert score.fmeasure == pytest.approx(2 * (5 / 6) / (1 + 5 / 6))
    # bigrams: pred {今天,天天,天气,气好} vs ref {今天,天天,天气,气很,很好}: overlap 3
    bigram = rouge_n("今天天气好", "今天天气很好", 2)
    assert bigram.precision == pytest.approx(3 / 4)
    assert bigram.recall == pytest.approx(3 / 5)


def test_english_hand_computed() -> None:
    # LCS of "the cat sat on the mat" and "the cat was on a mat" = the cat on mat (4)
    score = rouge_l("The cat sat on the mat.", "the cat was on a mat")
    assert score.precision == pytest.approx(4 / 6)
    assert score.recall == pytest.approx(4 / 6)
    # unigram clipping: "the" twice in prediction, once in reference
    unigram = rouge_n("the the the", "the cat", 1)
    assert unigram.precision == pytest.approx(1 / 3)
    assert unigram.recall == pytest.approx(1 / 2)


def test_empty_and_disjoint_score_zero() -> None:
    assert rouge_scores("", "参考") == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    assert rouge_scores("abc", "xyz")["rouge1"] == 0.0


def _dp_lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def test_bit_parallel_lcs_matches_dynamic_programming() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 70))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 70))]
        assert lcs_length(a, b) == _dp_lcs(a, b)
