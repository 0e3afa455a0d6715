"""The one view of an article that every entity finder reads: glossary matches and POS tags.

``analyze`` builds it once per call and hands it to the finders (people, bodies) and to keywords,
so the glossary is matched against the text once and jieba tags it at most once; no finder goes
back to the glossary or the tagger with the text on its own. (Before, each step took the text, the
glossary, the matches and the tags as separate arguments and looked some of them up again.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.text.analysis.gazetteer import foreign_places
from summarizer.text.analysis.glossary import Glossary, Match, MatchIndex
from summarizer.text.analysis.jieba_setup import dictionary_tag, pos_tokens
from summarizer.text.document import Checkpoint, run_to_end

#: (offset, word, POS flag) of one jieba token.
Tagged = tuple[int, str, str]


#: What tagging tells its checkpoint it was doing; it calls it every ``TOKENS_PER_CHECKPOINT``.
TAGGING = "while its text was tagged"
TOKENS_PER_CHECKPOINT = 256
#: What the entity finders tell the view's checkpoint between their rules.
FINDING_ENTITIES = "while its people, organizations and places were found"


def pos_tags(
    text: str, glossary: Glossary, checkpoint: Checkpoint = run_to_end
) -> tuple[Tagged, ...]:
    """(offset, word, flag) for every jieba token of ``text``, glossary terms kept whole."""
    tagged: list[Tagged] = []
    position = 0
    for word, flag in pos_tokens(text, glossary):
        if len(tagged) % TOKENS_PER_CHECKPOINT == 0:
            checkpoint(TAGGING)
        tagged.append((position, word, flag))
        position += len(word)
    return tuple(tagged)


#: The character of a date's day, which a glossary name may start with (日报, 日经).
_DAY = "日"
#: jieba tags of a name the rest of a body's name can follow alone (中国, 新华).
_NAME_TAGS = frozenset(("ns", "nt", "nz", "nr", "j"))


def is_standalone(text: str, match: Match) -> bool:
    """Whether a glossary name is really written here, not made of the ends of two other words.

    重庆 in 隆重庆祝 and 加纳 in 增加纳税 straddle two dictionary words (隆重|庆祝, 增加|纳税):
    a place or body whose first character closes a word before it and whose last character opens
    a word after it is dropped, and so is a body whose last character opens a word after it
    when the rest is a name (中国网 in 中国网球), or that starts with the 日 of a date (日报 in
    31日报读).
    A Latin term must not sit inside a longer Latin word (IDC in IDCard).
    """
    start, end = match.start, match.end
    term = match.entry.term
    if term.isascii():
        before, after = text[start - 1 : start], text[end : end + 1]
        return not (before.isascii() and before.isalnum()) and not (
            after.isascii() and after.isalnum()
        )
    if match.entry.kind not in ("place", "org") or start == 0 or end >= len(text):
        return True
    if term.startswith(_DAY) and text[start - 1].isdigit():
        return False  # 31|日报读: the 日 is a date's day (31日|报读), not a daily's name
    closes = dictionary_tag(text[start - 1 : start + 1]) is not None
    opens = dictionary_tag(text[end - 1 : end + 1]) is not None
    if (
        opens
        and match.entry.kind == "org"
        and len(term) >= 3
        and dictionary_tag(term[:-1]) in _NAME_TAGS
    ):
        return False  # 中国|网球: a name and a word that starts with the body's last character
    return not (closes and opens)


def is_standalone_foreign(text: str, match: Match) -> bool:
    """``is_standalone`` for a gazetteer place, which also must not sit inside a longer
    transliteration: a two-character name with transliteration characters on both sides is a
    piece of another name (拉卡 in 马拉卡南宫, the Malacañang Palace)."""
    from summarizer.text.analysis.people import FOREIGN_NAME_CHARS  # people imports this module

    if not is_standalone(text, match):
        return False
    start, end = match.start, match.end
    return not (
        end - start == 2
        and text[start - 1 : start] in FOREIGN_NAME_CHARS
        and text[end : end + 1] in FOREIGN_NAME_CHARS
        and start > 0
        and end < len(text)
    )


@dataclass(frozen=True)
class TextView:
    """One Chinese text with its glossary matches and, in a thorough analysis, its POS tags."""

    matches: MatchIndex
    #: jieba's tagging, or None in a hints analysis (``thorough=False``), which never tags.
    tagged: tuple[Tagged, ...] | None
    #: Foreign places of the gazetteer (``gazetteer.foreign_places``) written in the text: a
    #: separate, less trusted index, so that a city named like a person (尤金) hides no name.
    foreign: MatchIndex
    #: Called (``check``) by the entity finders between their rules: see ``analyze``.
    checkpoint: Checkpoint = field(default=run_to_end, compare=False, repr=False)

    @classmethod
    def of(
        cls, text: str, glossary: Glossary, *, thorough: bool, checkpoint: Checkpoint = run_to_end
    ) -> TextView:
        """Match ``glossary`` and the foreign places against ``text``; when ``thorough``, tag it
        (calling ``checkpoint`` between the steps and as it tags)."""
        checkpoint(TAGGING)
        matches = MatchIndex(text, glossary, keep=is_standalone)
        checkpoint(TAGGING)
        foreign = MatchIndex(text, foreign_places(), keep=is_standalone_foreign)
        tagged = pos_tags(text, glossary, checkpoint) if thorough else None
        return cls(matches, tagged, foreign, checkpoint)

    def check(self) -> None:
        """Call the view's checkpoint: the entity finders do between their rules."""
        self.checkpoint(FINDING_ENTITIES)

    @property
    def text(self) -> str:
        return self.matches.text

    @property
    def glossary(self) -> Glossary:
        return self.matches.glossary
