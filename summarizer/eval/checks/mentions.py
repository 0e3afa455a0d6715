"""Per-paragraph person mentions: each English paragraph may name a person only as often as its
source paragraph does, plus once per pronoun whose antecedent is that person.

Translators turn 他/她/其 into the name it stands for ("他指出" -> "Yang Haodong pointed out"), so a
name absent from the aligned source paragraph is not by itself an error. But a pronoun stands for
one person: the one named last before it in the source. A name swapped for another person of the
document therefore shows up either as a person named more often than the paragraph (and its
pronouns) allow, or as a person the paragraph neither names nor refers to.

People are identified by where their name reads in the source (the pinyin index of
``summarizer.eval.checks.names``), so "Zhang Jianhua" and "Jianhua Zhang" are one person.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.eval.checks.flags import Flag
from summarizer.eval.checks.names import CAP_PAIR, is_name_pair, pinyin_index

#: Third-person pronouns that a translator may render as the name they stand for.
_PRONOUN = re.compile(r"[他她其]")
#: Words holding 其/他 that are not personal pronouns (其中 "among them", 其他 "other", ...).
_NOT_PRONOUN = re.compile(r"其[中他它余实次]|[尤极与何]其|[其吉]他|他[人国乡]")
#: A pronoun's antecedent must be named within this many paragraphs before it.
ANTECEDENT_LOOKBACK = 3


@dataclass(frozen=True)
class _Mention:
    paragraph: int
    text: str
    person: frozenset[int]


def _pronoun_positions(text: str) -> list[int]:
    blocked = {i for m in _NOT_PRONOUN.finditer(text) for i in range(m.start(), m.end())}
    return [m.start() for m in _PRONOUN.finditer(text) if m.start() not in blocked]


def _mentions(paragraphs_en: Sequence[str], whole_source: str) -> list[_Mention]:
    """Name pairs of the English that read as a person named somewhere in the source."""
    index = pinyin_index(whole_source)
    found = []
    for number, english in enumerate(paragraphs_en):
        taken_until = -1  # "Li Zhu Lilan" holds two overlapping pairs but names one person
        for match in CAP_PAIR.finditer(english):
            first, second = match.group(1), match.group(2)
            if match.start(1) < taken_until or not is_name_pair(first, second):
                continue
            positions = index.pair_positions(first, second)
            if positions:
                found.append(_Mention(number, f"{first} {second}", positions))
                taken_until = match.end(2)
    return found


def check_name_mentions(
    paragraphs_en: Sequence[str], source_paragraphs: Sequence[str]
) -> list[Flag]:
    """Flags for persons an English paragraph names more often than its source paragraph allows.

    Expects aligned paragraphs (one English paragraph per source paragraph).
    """
    whole = "\n".join(source_paragraphs)
    starts = []
    offset = 0
    for paragraph in source_paragraphs:
        starts.append(offset)
        offset += len(paragraph) + 1
    mentions = _mentions(paragraphs_en, whole)
    people = {m.person for m in mentions}
    named_at = sorted((p, person) for person in people for p in person)
    flags = []
    for number, paragraph in enumerate(source_paragraphs[: len(paragraphs_en)]):
        low, high = starts[number], starts[number] + len(paragraph)
        allowed: Counter[frozenset[int]] = Counter(
            {person: sum(low <= p < high for p in person) for person in people}
        )
        earliest = starts[max(0, number - ANTECEDENT_LOOKBACK)]
        for pronoun in _pronoun_positions(paragraph):
            before = [person for p, person in named_at if earliest <= p < low + pronoun]
            if before:
                allowed[before[-1]] += 1
        used: Counter[frozenset[int]] = Counter()
        for mention in (m for m in mentions if m.paragraph == number):
            used[mention.person] += 1
            if used[mention.person] > allowed[mention.person]:
                flags.append(
                    Flag(
                        "name.unsupported",
                        number,
                        mention.text,
                        f"{mention.text!r} is named more often than its source paragraph names "
                        "this person or refers to them by pronoun",
                    )
                )
    return flags
