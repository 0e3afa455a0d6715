"""jieba for analysis: a private tokenizer that also knows the glossary's terms.

Glossary terms (新能源汽车, 南通高新区, 区人大常委会 ...) must stay whole for POS tagging (and
so for keywords), but adding them to jieba's global tokenizer would change segmentation for every
other user of jieba in the process (text repair scores plausibility with it). So analysis gets its
own tokenizer that shares the loaded dictionary (copied, not re-read) and adds the terms there.
Its HMM step for unknown words runs on ``summarizer.text.analysis.hmm`` (same tags as jieba,
faster).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

from summarizer.text.analysis.glossary import Glossary

#: jieba POS tag given to glossary terms of each kind (nnt: a title, never a topic keyword).
_TAGS = {"org": "nt", "place": "ns", "title": "nnt", "role": "nnt", "term": "nz", "topic": "n"}


@cache
def _jieba() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba


@cache
def _pos_tokenizer_class() -> Any:
    """jieba's POSTokenizer with its HMM step (``__cut``) run by ``PosViterbi``.

    The output is identical to jieba's (see ``summarizer.text.analysis.hmm``); only the speed
    differs.
    """
    from summarizer.text.analysis.hmm import PosViterbi  # numpy: loaded on first use, not on import

    jieba = _jieba()
    posseg = jieba.posseg
    viterbi = PosViterbi(posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)

    def cut_unknown(self: Any, sentence: str) -> Iterator[Any]:
        # The body of jieba.posseg.POSTokenizer.__cut, with the Viterbi call replaced.
        route = viterbi.states(sentence)
        begin, next_index = 0, 0
        for index, char in enumerate(sentence):
            position, flag = route[index]
            if position == "B":
                begin = index
            elif position == "E":
                yield posseg.pair(sentence[begin : index + 1], flag)
                next_index = index + 1
            elif position == "S":
                yield posseg.pair(char, flag)
                next_index = index + 1
        if next_index < len(sentence):
            yield posseg.pair(sentence[next_index:], route[next_index][1])

    # Name-mangled: this is how POSTokenizer's own methods call their private __cut.
    return type("FastPOSTokenizer", (posseg.POSTokenizer,), {"_POSTokenizer__cut": cut_unknown})


@lru_cache(maxsize=4)
def _pos_tokenizer(glossary: Glossary) -> Any:
    """A POS tokenizer that knows ``glossary``'s terms; built once per glossary."""
    jieba = _jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(jieba.dt.FREQ)
    tokenizer.total = jieba.dt.total
    tokenizer.initialized = True
    pos_tokenizer = object.__new__(_pos_tokenizer_class())
    pos_tokenizer.tokenizer = tokenizer
    pos_tokenizer.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    for entry in glossary.entries.values():
        if len(entry.term) > 1 and entry.term.isalnum():
            tokenizer.add_word(entry.term, tag=_TAGS[entry.kind])
    return pos_tokenizer


def pos_cut(text: str, glossary: Glossary, hmm: bool = True) -> list[tuple[str, str]]:
    """(word, POS flag) pairs covering ``text``; ``hmm`` guesses unknown words (slower)."""
    return list(pos_tokens(text, glossary, hmm))


def pos_tokens(text: str, glossary: Glossary, hmm: bool = True) -> Iterator[tuple[str, str]]:
    """``pos_cut`` one pair at a time, as jieba tags them (a caller can stop it part way)."""
    pos_tokenizer = _pos_tokenizer(glossary)
    return ((pair.word, pair.flag) for pair in pos_tokenizer.cut(text, HMM=hmm))


def inverse_frequency(word: str) -> float:
    """``log(total / frequency)`` of ``word`` in jieba's dictionary (rare words weigh more)."""
    jieba = _jieba()
    frequency = jieba.dt.FREQ.get(word) or 1
    return float(math.log(jieba.dt.total / frequency))


def dictionary_tag(word: str) -> str | None:
    """jieba's dictionary POS tag of ``word``, or None when it is not a dictionary word."""
    tag: str | None = _jieba().posseg.dt.word_tag_tab.get(word)
    return tag


def word_frequency(word: str) -> int:
    """How often ``word`` occurs in jieba's dictionary data (0 when it is not a word)."""
    frequency: int = _jieba().dt.FREQ.get(word) or 0
    return frequency
