"""jieba for analysis: a private tokenizer that also knows the glossary's terms.

Glossary terms (新能源汽车, 南通高新区, 区人大常委会 ...) must stay whole for POS tagging (and
so for keywords), but adding them to jieba's global tokenizer would change segmentation for every
other user of jieba in the process (text repair scores plausibility with it). So analysis gets its
own tokenizer that shares the loaded dictionary (copied, not re-read) and adds the terms there.
"""

from __future__ import annotations

import logging
import math
from functools import cache, lru_cache
from typing import Any

from summarizer.text.glossary import Glossary

#: jieba POS tag given to glossary terms of each kind (nnt: a title, never a topic keyword).
_TAGS = {"org": "nt", "place": "ns", "title": "nnt", "role": "nnt", "term": "nz", "topic": "n"}


@cache
def _jieba() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba


@lru_cache(maxsize=4)
def _pos_tokenizer(glossary: Glossary) -> Any:
    """A POS tokenizer that knows ``glossary``'s terms; built once per glossary."""
    jieba = _jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(jieba.dt.FREQ)
    tokenizer.total = jieba.dt.total
    tokenizer.initialized = True
    pos_tokenizer = object.__new__(jieba.posseg.POSTokenizer)
    pos_tokenizer.tokenizer = tokenizer
    pos_tokenizer.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    for entry in glossary.entries.values():
        if len(entry.term) > 1 and entry.term.isalnum():
            tokenizer.add_word(entry.term, tag=_TAGS[entry.kind])
    return pos_tokenizer


def pos_cut(text: str, glossary: Glossary, hmm: bool = True) -> list[tuple[str, str]]:
    """(word, POS flag) pairs covering ``text``; ``hmm`` guesses unknown words (slower)."""
    pos_tokenizer = _pos_tokenizer(glossary)
    return [(pair.word, pair.flag) for pair in pos_tokenizer.cut(text, HMM=hmm)]


def inverse_frequency(word: str) -> float:
    """``log(total / frequency)`` of ``word`` in jieba's dictionary (rare words weigh more)."""
    jieba = _jieba()
    frequency = jieba.dt.FREQ.get(word) or 1
    return float(math.log(jieba.dt.total / frequency))


def dictionary_tag(word: str) -> str | None:
    """jieba's dictionary POS tag of ``word``, or None when it is not a dictionary word."""
    tag: str | None = _jieba().posseg.dt.word_tag_tab.get(word)
    return tag
