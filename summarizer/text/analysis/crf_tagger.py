"""A character CRF tagger for persons, organizations and places, trained on public news NER data.

Six rounds of hand rules scored well on the splits they were written on and worse on blind ones;
suffix lists do not generalise. This tagger was trained (``evals/tools/train_ner.py``) on public,
hand-labelled Chinese news (MSRA's SIGHAN 2006 NER data and the People's Daily 1998 NER set,
BIO tags for PER, ORG and LOC; 9,656 sentences), none of it from this project's own labels; on
MSRA's own test split (3,442 sentences, never trained on) it scores exact-span P .847 / R .761 /
F1 .802 (PER .755, ORG .757, LOC .854 F1). Its model (2.1 MB, ``data/ner_crf.crfsuite``,
provenance beside it) ships in the package and runs on ``python-crfsuite``, a C++ linear-chain
CRF with wheels on PyPI: nothing is downloaded at run time. A model trained by the same tool on
MSRA's whole training part, People's Daily and CLUENER (61,906 sentences) scores F1 .847 on the
same test, but is 15.7 MB and voted no better (``crf_vote``), so it is not shipped.

Features are the characters in a window of two each side, their bigrams and a trigram, a
character class, and jieba's word around the character (position in the word, POS flag, the word
when it is short, the flags and short words of its neighbours). jieba's tags are the analysis's
own (``TextView.tagged``, glossary terms kept whole and tagged ``nt``/``ns``), so the glossary
reaches the model through them.

Alone it is far less precise than the rules (micro F1 .60-.62 against .76 on the validation
splits of the eighth round), and none of its votes (``crf_vote``) beat the rules there by the
margin chosen beforehand, so it is off by default: ``SUMMARIZER_CRF=bodies`` (or a
comma-separated list of ``VOTES``) turns votes on, and loads the model on the first analysis that
asks (``crf_enabled``: python-crfsuite's import and the model's opening take well under 0.1 s;
tagging costs about 0.02-0.03 s per 1,000 characters on a loaded machine). Without
``python-crfsuite`` the rules decide alone. A model file missing from an installed package is a
broken install: ``load_model`` raises ``CrfModelMissingError`` (an ``InternalError``), and the
analysis logs that once and goes on without the tagger.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError, InternalError

ENV_VAR = "SUMMARIZER_CRF"
MODEL_PATH = Path(__file__).resolve().parent / "data" / "ner_crf.crfsuite"
#: BIO tag types of the training data and the entity kinds they stand for.
KINDS = {"PER": "person", "ORG": "organization", "LOC": "place"}
#: jieba words up to this length are a feature of their own (longer ones are mostly unique).
_WORD_FEATURE_MAX = 4
#: Sentences are tagged one by one; a sentence longer than this is cut (CRF cost is linear, but
#: a text with no stops should not become one sequence of a hundred thousand characters).
_SEQUENCE_MAX = 400
_SENTENCE_STOPS = frozenset("。！？!?；;\n")
#: Characters of a text the tagger reads (a news article is a few thousand).
SOURCE_LIMIT = 20_000

logger = logging.getLogger(__name__)

#: (offset, word, POS flag) of one jieba token, as ``TextView.tagged`` holds them.
Tagged = tuple[int, str, str]


class CrfModelMissingError(InternalError):
    """The CRF model file is not where the package puts it: a broken or partial install."""


@dataclass(frozen=True)
class CrfSpan:
    """One entity the tagger reads: offsets into the text, kind, and the mean marginal
    probability of its tags (how sure the model is of exactly this span)."""

    start: int
    end: int
    kind: str
    confidence: float


def _char_class(char: str) -> str:
    if char.isdigit():
        return "D"
    if char.isascii() and char.isalpha():
        return "L"
    if "\u4e00" <= char <= "\u9fff":
        return "H"
    if char.isspace():
        return "S"
    return "P"


def _normal(char: str) -> str:
    """The character as a feature: NFKC (full-width digits and letters as ASCII), digits as 0,
    Latin letters as A (the training news is from 1998; its numbers and brands are not ours)."""
    folded = unicodedata.normalize("NFKC", char)[:1] or char
    if folded.isdigit():
        return "0"
    if folded.isascii() and folded.isalpha():
        return "A"
    return folded


def char_features(sentence: str, words: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Feature strings of every character of ``sentence``; ``words`` are jieba's (word, flag)
    pairs covering it exactly. Shared by the tagger and the training tool."""
    chars = ["<s>", "<s>", *(_normal(c) for c in sentence), "</s>", "</s>"]
    classes = ["B", "B", *(_char_class(c) for c in sentence), "E", "E"]
    word_at: list[tuple[str, str, str, int]] = []
    for number, (word, flag) in enumerate(words):
        shown = word if len(word) <= _WORD_FEATURE_MAX else ""
        if len(word) == 1:
            word_at.append(("S", flag, shown, number))
            continue
        word_at.extend(
            ("B" if k == 0 else "E" if k == len(word) - 1 else "M", flag, shown, number)
            for k in range(len(word))
        )
    features: list[list[str]] = []
    for index in range(len(sentence)):
        k = index + 2
        position, flag, word, number = (
            word_at[index] if index < len(word_at) else ("S", "x", "", -1)
        )
        before = words[number - 1] if number > 0 else ("<s>", "<s>")
        after = words[number + 1] if 0 <= number < len(words) - 1 else ("</s>", "</s>")
        row = [
            "b",
            "c=" + chars[k],
            "c-1=" + chars[k - 1],
            "c-2=" + chars[k - 2],
            "c+1=" + chars[k + 1],
            "c+2=" + chars[k + 2],
            "c-1c=" + chars[k - 1] + chars[k],
            "cc+1=" + chars[k] + chars[k + 1],
            "c-2c-1=" + chars[k - 2] + chars[k - 1],
            "c+1c+2=" + chars[k + 1] + chars[k + 2],
            "c-1cc+1=" + chars[k - 1] + chars[k] + chars[k + 1],
            "t=" + classes[k - 1] + classes[k] + classes[k + 1],
            "wp=" + position + flag,
            "f=" + flag,
            "f-1f=" + before[1] + "|" + flag,
            "ff+1=" + flag + "|" + after[1],
        ]
        if word:
            row.append("w=" + position + word)
        if position in ("B", "S") and len(before[0]) <= _WORD_FEATURE_MAX:
            row.append("w-1=" + before[0])
        if position in ("E", "S") and len(after[0]) <= _WORD_FEATURE_MAX:
            row.append("w+1=" + after[0])
        features.append(row)
    return features


def sentences(text: str, limit: int = SOURCE_LIMIT) -> Iterator[tuple[int, int]]:
    """(start, end) of the sentences of ``text[:limit]``, stops excluded, none longer than
    ``_SEQUENCE_MAX``."""
    limit = min(limit, len(text))
    start = 0
    for index in range(limit):
        if text[index] in _SENTENCE_STOPS or index - start >= _SEQUENCE_MAX:
            if index > start:
                yield start, index
            start = index + (1 if text[index] in _SENTENCE_STOPS else 0)
    if start < limit:
        yield start, limit


def spans_of_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of the BIO entities in ``tags``; an I- without its B- starts one."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for index, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == kind and start >= 0
        if inside:
            continue
        if start >= 0:
            spans.append((start, index, kind))
            start, kind = -1, ""
        if tag != "O":
            start, kind = index, tag[2:]
    return spans


def load_model(path: Path | None = None) -> Any:
    """A ``pycrfsuite.Tagger`` opened on ``path`` (default ``MODEL_PATH``).

    Raises ``CrfModelMissingError`` when the file is absent; needs ``python-crfsuite``
    (ImportError otherwise)."""
    import pycrfsuite

    path = path if path is not None else MODEL_PATH
    if not path.is_file():
        raise CrfModelMissingError(
            f"the entity tagger's model {path.name} is missing from {path.parent}; "
            "reinstall summarizer, or set SUMMARIZER_CRF=off"
        )
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@cache
def _shared_model() -> Any | None:
    try:
        return load_model()
    except ImportError:
        return None
    except CrfModelMissingError as error:
        logger.warning("%s; entities come from the rules alone", error)
        return None


#: The ways the tagger can vote (``crf_vote``): ``bodies``, a body it and LAC read around rule
#: names replaces them; ``people``, a person it reads around a shorter rule name that starts
#: where it starts replaces it (安藤裕 -> 安藤裕康); ``silent-person``, ``silent-organization``,
#: ``silent-place``, its confident entities of that kind where no rule found anything.
VOTES = frozenset(("bodies", "people", "silent-person", "silent-organization", "silent-place"))
#: The votes on by default, chosen on validation data (``benchmarks/ner_libraries.py
#: --candidates``; see ``crf_vote``).
DEFAULT_VOTES: frozenset[str] = frozenset()
_OFF = frozenset(("off", "0", "no", "false", "none"))
_DEFAULT = frozenset(("", "on", "default", "1", "yes", "true"))


def chosen_votes() -> frozenset[str]:
    """The votes ``SUMMARIZER_CRF`` asks for: unset or ``on``, the default ones; ``off``, none;
    else a comma-separated list of ``VOTES``. Raises ``ConfigError`` on an unknown vote."""
    value = os.environ.get(ENV_VAR, "").strip().lower()
    if value in _OFF:
        return frozenset()
    if value in _DEFAULT:
        return DEFAULT_VOTES
    asked = frozenset(part.strip() for part in value.split(",") if part.strip())
    unknown = sorted(asked - VOTES)
    if unknown:
        raise ConfigError(
            f"{ENV_VAR} names no vote {', '.join(unknown)}: use on, off or a comma-separated "
            f"list of {', '.join(sorted(VOTES))}"
        )
    return asked


def crf_enabled(vote: str | None = None) -> bool:
    """Whether the tagger votes (``vote``, or in any way when None): the vote is chosen (see
    ``chosen_votes``), python-crfsuite is installed and the model file is there. The model is
    loaded here, the first time a vote is asked for."""
    votes = chosen_votes()
    if not votes or (vote is not None and vote not in votes):
        return False
    return _shared_model() is not None


def _words_in(tagged: Sequence[Tagged], start: int, end: int) -> list[tuple[str, str]]:
    """jieba's words clipped to ``[start, end)`` (a word crossing the edge keeps its flag)."""
    words: list[tuple[str, str]] = []
    for offset, word, flag in tagged:
        stop = offset + len(word)
        if stop <= start or offset >= end:
            continue
        words.append((word[max(0, start - offset) : len(word) - max(0, stop - end)], flag))
    return words


def _index_from(tagged: Sequence[Tagged], start: int) -> int:
    """Index of the first token of ``tagged`` that ends after ``start`` (binary search)."""
    low, high = 0, len(tagged)
    while low < high:
        middle = (low + high) // 2
        offset, word, _flag = tagged[middle]
        if offset + len(word) <= start:
            low = middle + 1
        else:
            high = middle
    return low


def crf_read(
    text: str,
    tagged: Sequence[Tagged],
    model: Any | None = None,
    within: Sequence[tuple[int, int]] | None = None,
) -> tuple[CrfSpan, ...]:
    """The entities the tagger reads in the first ``SOURCE_LIMIT`` characters of ``text``, or
    only in the sentences that overlap one of the ``within`` spans (the tagger's cost is in
    Python's feature strings: a caller with a few candidates tags a few sentences).

    ``tagged`` is jieba's tagging of ``text`` (``TextView.tagged``). Call only when
    ``crf_enabled()`` (or pass ``model``). Deterministic: the same text and tags give the same
    spans.
    """
    model = model if model is not None else _shared_model()
    assert model is not None
    found: list[CrfSpan] = []
    for start, end in sentences(text):
        if within is not None and not any(a < end and start < b for a, b in within):
            continue
        first = _index_from(tagged, start)
        last = first
        while last < len(tagged) and tagged[last][0] < end:
            last += 1
        words = _words_in(tagged[first:last], start, end)
        sentence = text[start:end]
        if sum(len(word) for word, _flag in words) != len(sentence):
            words = [(char, "x") for char in sentence]
        tags = model.tag(char_features(sentence, words))
        for span_start, span_end, kind in spans_of_tags(tags):
            marginals = [model.marginal(tags[k], k) for k in range(span_start, span_end)]
            found.append(
                CrfSpan(
                    start + span_start,
                    start + span_end,
                    KINDS.get(kind, kind),
                    sum(marginals) / len(marginals),
                )
            )
    return tuple(found)
