"""Foreign bodies named after people: 米勒-塔巴克资产管理公司, 皮提耶-萨尔佩特里尔医院.

A transliterated name is read as a person by the name rules, and the body rules then keep out of
a person's span, so a firm or hospital named after its founders was lost twice: a person too many
and a body missed. A foreign-looking name (joined by a dash or a dot, or written only in the
characters of transliteration, then followed by a noun besides the ending) followed by at most
four nouns that end in a firm's or an
institution's word is that body, with the country written right before it (法国|…医院); the
name's mentions elsewhere stay people's (马斯克|公司 and 马斯克 on his own).
"""

from __future__ import annotations

from summarizer.text.analysis.people import FOREIGN_NAME_CHARS
from summarizer.text.analysis.view import TextView
from summarizer.text.document import EntityMention, PersonMention

#: Words that end the name of a firm or an institution named after people.
_BODY_WORDS = (
    "公司", "集团", "医院", "银行", "大学", "学院", "基金会", "研究所", "研究院", "事务所", "智库",
)  # fmt: skip
#: Tags of the words between the name and that ending (资产|管理|公司, 宏观经济|咨询|公司).
_BETWEEN_TAGS = frozenset(("n", "vn", "nz", "b", "l", "an", "j", "nt"))
_MOST_BETWEEN = 4
_NAME_JOINERS = "-－‐–—·•‧・"


def _is_foreign_looking(name: str) -> bool:
    """A dash or dot inside, or only characters transliteration uses (艾恩赛德)."""
    if any(joiner in name for joiner in _NAME_JOINERS):
        return True
    return len(name) >= 3 and all(char in FOREIGN_NAME_CHARS for char in name)


def firms_named_by_people(
    view: TextView, people: list[PersonMention]
) -> tuple[list[PersonMention], list[EntityMention]]:
    """(the people left, the bodies named after the others)."""
    tagged = view.tagged
    if tagged is None:
        return people, []
    starts = {start: index for index, (start, _word, _flag) in enumerate(tagged)}
    firms: list[EntityMention] = []
    for person in people:
        index = starts.get(person.end)
        if index is None or not _is_foreign_looking(person.text):
            continue
        end = _body_end(tagged, index)
        if end is None:
            continue
        if (
            view.text[person.end : end].endswith(_BODY_WORDS)
            and end - person.end <= 3
            and not (any(joiner in person.text for joiner in _NAME_JOINERS))
        ):
            continue  # 马斯克|公司: "Musk's company", unless the name is joined (…-…医院)
        before = view.matches.ending_at(person.start, "place") or view.foreign.ending_at(
            person.start
        )
        begin = before.start if before is not None else person.start
        written = view.text[begin:end]
        firms.append(
            EntityMention(
                begin,
                end,
                written,
                kind="organization",
                name_en=view.glossary.translate_name(written),
            )
        )
    left = [p for p in people if not any(f.start <= p.start and p.end <= f.end for f in firms)]
    return left, firms


def _body_end(tagged: tuple[tuple[int, str, str], ...], index: int) -> int | None:
    """Where the body that starts after a name at token ``index`` ends, or None."""
    for offset in range(_MOST_BETWEEN + 1):
        if index + offset >= len(tagged):
            return None
        start, word, flag = tagged[index + offset]
        if word.endswith(_BODY_WORDS):
            return start + len(word)
        if flag not in _BETWEEN_TAGS:
            return None
    return None
