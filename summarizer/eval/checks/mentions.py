"""Per-paragraph person mentions: each English paragraph may name a person only as often as its
source paragraph does, plus once per pronoun whose antecedent is that person.

Translators turn 他/她/其 into the name it stands for ("他指出" -> "Yang Haodong pointed out"), so a
name absent from the aligned source paragraph is not by itself an error. But a pronoun stands for
one person: the one named last before it in the source. A name swapped for another person of the
document therefore shows up either as a person named more often than the paragraph (and its
pronouns) allow, or as a person the paragraph neither names nor refers to.

A pronoun's credit is given only while every person the source paragraph names is still named in
the English paragraph (round 9): a swap into the very person a pronoun refers to ("兰越峰提出要求
王志安……向其致歉", 兰越峰 swapped for 王志安) otherwise passed, since 其 covered the second name.

People are identified by where their name reads in the source (the pinyin index of
``summarizer.eval.checks.names``), so "Zhang Jianhua" and "Jianhua Zhang" are one person.

Chinese also leaves a subject out where English needs one: a paragraph that goes on with what
the person of the paragraph before said ("赵春山指出，……" then "因为……，代表不希望……") reads in
English "Zhao Chunshan said that ...". Such a paragraph (no pronoun, no person named in it) may
name, once, the person the paragraph before names last, when that person speaks there (the name
is followed by a verb of saying: 指出, 表示, 说, ...). Only a speaker: where the translator
restored someone else, a name swapped for whoever the paragraph before names last would
otherwise pass. "No person
named" is decided on the Chinese side too (jieba's person tags), not only by the names the
English renders: a name swapped away leaves no English mention of the person it replaced.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def _names_a_person(paragraph: str) -> bool:
    """Whether jieba finds a person's name in a Chinese paragraph (a tag ``nr``, or an unknown
    word of two or three characters that starts with a known surname): a guard that errs on the
    side of a name."""
    from summarizer.text.analysis.glossary import default_glossary
    from summarizer.text.analysis.jieba_setup import dictionary_tag, pos_cut
    from summarizer.text.analysis.romanize import surname_table

    surnames = surname_table()
    for word, flag in pos_cut(paragraph, default_glossary()):
        if len(word) < 2:
            continue
        if flag.startswith("nr"):
            return True
        if len(word) <= 3 and dictionary_tag(word) is None and word[:1] in surnames:
            return True
    return False


#: Verbs of saying that follow a speaker's name (赵春山指出, 王刚也表示).
_SAYS = re.compile(
    r"(?:也|还|则|又|更|进一步|再次|同时)?"
    r"(?:指出|表示|说|称|认为|强调|介绍|坦言|透露|回应|解释|补充|提到|直言|分析|建议|呼吁|告诉|谈到|坦承|感叹|笑称)"
)


def _is_speaker(source: str, position: int) -> bool:
    """Whether the name of two or three characters at ``position`` is followed by a verb of
    saying."""
    return any(_SAYS.match(source, position + length) for length in (2, 3))


def _restored_subject(
    number: int,
    source_paragraphs: Sequence[str],
    whole: str,
    starts: list[int],
    named_at: list[tuple[int, frozenset[int]]],
) -> frozenset[int] | None:
    """The person a paragraph without a subject of its own may name once: the one its paragraph
    before names last, if a verb of saying follows that name; None when the paragraph has a
    pronoun (that has its antecedent) or names a person, by the English mentions or by jieba."""
    paragraph = source_paragraphs[number]
    if number == 0 or _pronoun_positions(paragraph):
        return None
    low, high = starts[number], starts[number] + len(paragraph)
    if any(low <= p < high for p, _ in named_at) or _names_a_person(paragraph):
        return None
    before = [p for p, _ in named_at if starts[number - 1] <= p < low]
    if not before:
        return None
    last = max(before)
    speaker = [person for p, person in named_at if p == last and _is_speaker(whole, p)]
    return speaker[0] if speaker else None


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


def _someone_left_unnamed(
    in_source: Counter[frozenset[int]], named_here: Counter[frozenset[int]]
) -> bool:
    """Whether the English paragraph leaves unnamed a person its source paragraph names (round
    9). A pronoun rendered as its name adds a name and takes none away; a swap takes one away.
    So where a person of the source paragraph is missing from the English, a name beyond the
    source's own count is not credited to a pronoun ("兰越峰提出要求王志安……向其致歉" with
    兰越峰 swapped for 王志安: 其 would have covered the second "Wang Zhian")."""
    return any(count and not named_here[person] for person, count in in_source.items())


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
        named_here = Counter(m.person for m in mentions if m.paragraph == number)
        if not _someone_left_unnamed(allowed, named_here):
            earliest = starts[max(0, number - ANTECEDENT_LOOKBACK)]
            for pronoun in _pronoun_positions(paragraph):
                before = [person for p, person in named_at if earliest <= p < low + pronoun]
                if before:
                    allowed[before[-1]] += 1
            restored = _restored_subject(number, source_paragraphs, whole, starts, named_at)
            if restored is not None:
                allowed[restored] += 1
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
