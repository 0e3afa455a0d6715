"""The faster POS Viterbi gives exactly jieba's path, and the tagger that uses it jieba's tags."""

from __future__ import annotations

import re
from pathlib import Path

import jieba.posseg
import pytest
from jieba.posseg.viterbi import viterbi

from summarizer.text.analysis.glossary import default_glossary
from summarizer.text.analysis.hmm import PosViterbi
from summarizer.text.analysis.jieba_setup import _pos_tokenizer, pos_cut

SEED = Path(__file__).resolve().parents[3] / "examples" / "tongzhou_2025-12-13_scraped.txt"


@pytest.fixture(scope="module")
def fast() -> PosViterbi:
    posseg = jieba.posseg
    return PosViterbi(posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)


def jieba_route(text: str) -> list[tuple[str, str]]:
    posseg = jieba.posseg
    route: list[tuple[str, str]] = viterbi(
        text, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P
    )[1]
    return route


def seed_runs() -> list[str]:
    """Runs of Chinese characters from the seed article, cut to at most 16 characters."""
    text = SEED.read_text("utf-8")
    runs = re.findall("[\u4e00-\u9fd5]+", text)
    return [run[start : start + 16] for run in runs for start in range(0, len(run), 16)]


def test_identical_to_jieba_on_real_text(fast: PosViterbi) -> None:
    runs = seed_runs()
    assert len(runs) > 100
    for run in runs:
        assert fast.states(run) == jieba_route(run), run


@pytest.mark.parametrize(
    "text",
    [
        "吴",  # one character
        "吴瑕",
        "施伟办瞿镇辅",
        "龘",  # a character the model has never seen: every state is a candidate
        "他龘龘说",
        "中中中中中中中中",  # ties between equally likely paths
    ],
)
def test_identical_to_jieba_on_edge_cases(fast: PosViterbi, text: str) -> None:
    assert fast.states(text) == jieba_route(text)


def test_analysis_tagger_matches_stock_jieba_with_the_same_words() -> None:
    glossary = default_glossary()
    text = SEED.read_text("utf-8")[:3000]
    stock = object.__new__(jieba.posseg.POSTokenizer)
    stock.tokenizer = _pos_tokenizer(glossary).tokenizer  # the same dictionary and glossary words
    stock.word_tag_tab = _pos_tokenizer(glossary).word_tag_tab
    expected = [(pair.word, pair.flag) for pair in stock.cut(text, HMM=True)]
    assert pos_cut(text, glossary) == expected
    assert type(_pos_tokenizer(glossary)) is not jieba.posseg.POSTokenizer  # really the fast one
