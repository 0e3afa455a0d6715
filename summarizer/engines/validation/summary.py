"""Headline and summary: English, grounded, and a summary of ``SUMMARY_SENTENCES`` sentences.

Grounded means a cheap check of what an invented headline invents most: people and years. A pair
of capitalized words that reads as a romanized Chinese name (a known surname and name syllables:
"Li Qiang", "Jianhua Zhang") must be one of the result's ``name_en`` (people, organizations,
places), a name the code itself gives for the article (glossary, name rules), written in the
article, or a romanization of a name written in it; a four-digit year must be written in the
article or be the year of one of its resolved dates, its publication or the caller's year hint.
Unsupported ones are errors (a re-ask). English words that are also pinyin ("How He Can Win") are
never taken for a name.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from summarizer.engines.parsing import Problem
from summarizer.engines.validation.facts import YEAR, SourceFacts
from summarizer.engines.validation.fields import english, quote, sentence_count
from summarizer.text.chars import HAN_RUN
from summarizer.text.matching import occurs_in
from summarizer.text.romanization import (
    char_readings,
    is_chinese_name,
    is_name_word,
    name_words,
    romanizes,
    surname_words,
)

SUMMARY_SENTENCES = (2, 4)

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
#: Common English words that are also pinyin syllables: never half of a name.
# fmt: off
_ENGLISH_WORDS = frozenset({
    "a", "an", "ban", "bang", "bias", "bin", "can", "chin", "china", "chinese", "die", "e", "fan",
    "gang", "gene", "hang", "he", "hen", "lie", "long", "man", "me", "men", "pan", "pie", "ping",
    "ran", "sang", "she", "shun", "sun", "tan", "tang", "tie", "to", "wan", "wen", "yang", "yen",
    "zen",
})
# fmt: on


def check_summary(draft: Any, source: str = "", facts: SourceFacts | None = None) -> list[Problem]:
    problems: list[Problem] = []
    headline = getattr(draft, "headline_en", None)
    summary = getattr(draft, "summary_en", None)
    for path, value in (("headline_en", headline), ("summary_en", summary)):
        if value is not None:
            problems.extend(english(path, value))
            if facts is not None:
                problems.extend(_unsupported(path, value, draft, source, facts))
    if summary is not None and summary.strip():
        count = sentence_count(summary)
        low, high = SUMMARY_SENTENCES
        if not low <= count <= high:
            problems.append(
                Problem(
                    "summary.sentences",
                    "summary_en",
                    f"has {count} sentence{'s' if count != 1 else ''}; write {low} to {high}",
                    "warning",
                )
            )
    return problems


def _unsupported(
    path: str, text: str, draft: Any, source: str, facts: SourceFacts
) -> Iterator[Problem]:
    for year in dict.fromkeys(YEAR.findall(text)):
        if year not in facts.years:
            yield Problem(
                "year.unsupported",
                path,
                f"names the year {year}, which the article does not support (it is neither "
                "written there nor the year of one of its dates); state only years the article "
                "gives",
            )
    names = [
        name
        for group in ("people", "organizations", "places")
        for item in getattr(draft, group, [])
        if (name := getattr(item, "name_en", None)) and _grounded(item, name, source)
    ]
    known = [name_words(name) for name in [*names, *facts.names_en]]
    for name in unsupported_names(text, known, source):
        yield Problem(
            "name.unsupported",
            path,
            f"names {quote(name)}, who is not among the people (people[].name_en) and not named "
            "in the article; name only people the article names, as in people[].name_en",
        )


def _grounded(item: Any, name_en: str, source: str) -> bool:
    """Whether an item's ``name_en`` can support the headline: its name is the article's and
    ``name_en`` romanizes it (a person's wrong name_en supports nothing)."""
    written = getattr(item, "name_as_written", "")
    return occurs_in(written, source) and romanizes(name_en, written)


def name_pairs(text: str) -> list[tuple[str, str]]:
    """Adjacent capitalized words of ``text`` that read as a romanized Chinese name."""
    words = [(match.group(), match.start(), match.end()) for match in _WORD.finditer(text)]
    pairs = []
    for (first, _, end), (second, start, _) in itertools.pairwise(words):
        if not text[end:start].isspace() or not (first[0].isupper() and second[0].isupper()):
            continue
        lowered = ("".join(name_words(first)), "".join(name_words(second)))
        if any(word in _ENGLISH_WORDS for word in lowered):
            continue
        if not any(word in surname_words() for word in lowered):
            continue
        if is_name_word(first) and is_name_word(second):
            pairs.append((first, second))
    return pairs


def unsupported_names(text: str, known: list[list[str]], source: str) -> list[str]:
    """The name pairs of ``text`` that none of ``known`` (each a name's words) contains, the
    source does not write, and no name in the source romanizes into."""
    pairs = name_pairs(text)
    supported = [_supported(pair, known, source) for pair in pairs]
    # "Xi Jinping Li Qiang" also pairs "Jinping Li": a pair overlapping a supported one is none.
    covered = {word for pair, ok in zip(pairs, supported, strict=True) if ok for word in pair}
    return [
        f"{first} {second}"
        for (first, second), ok in zip(pairs, supported, strict=True)
        if not ok and first not in covered and second not in covered
    ]


def _supported(pair: tuple[str, str], known: list[list[str]], source: str) -> bool:
    words = name_words(" ".join(pair))
    for name in known:
        if any(name[i : i + len(words)] == words for i in range(len(name))):
            return True
        if "".join(words) in "".join(name):  # "Gao Xin" for "Gaoxin District"
            return True
    if " ".join(pair).casefold() in source.casefold():
        return True
    ends = {words[0], words[-1]}
    for run in HAN_RUN.findall(source):
        for start in range(len(run) - 1):
            if not ends & char_readings(run[start]) and not ends & char_readings(run[start + 1]):
                continue  # neither a one- nor (for a compound surname) a two-character start
            for length in (2, 3, 4):
                candidate = run[start : start + length]
                if (
                    len(candidate) == length
                    and is_chinese_name(candidate)
                    and romanizes(" ".join(pair), candidate)
                ):
                    return True
    return False
