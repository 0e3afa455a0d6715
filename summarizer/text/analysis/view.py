"""The one view of an article that every entity finder reads: glossary matches and POS tags.

``analyze`` builds it once per call and hands it to the finders (people, bodies) and to keywords,
so the glossary is matched against the text once and jieba tags it at most once; no finder goes
back to the glossary or the tagger with the text on its own. (Before, each step took the text, the
glossary, the matches and the tags as separate arguments and looked some of them up again.)
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.text.analysis.glossary import Glossary, MatchIndex
from summarizer.text.analysis.jieba_setup import pos_cut

#: (offset, word, POS flag) of one jieba token.
Tagged = tuple[int, str, str]


def pos_tags(text: str, glossary: Glossary) -> tuple[Tagged, ...]:
    """(offset, word, flag) for every jieba token of ``text``, glossary terms kept whole."""
    tagged = []
    position = 0
    for word, flag in pos_cut(text, glossary):
        tagged.append((position, word, flag))
        position += len(word)
    return tuple(tagged)


@dataclass(frozen=True)
class TextView:
    """One Chinese text with its glossary matches and, in a thorough analysis, its POS tags."""

    matches: MatchIndex
    #: jieba's tagging, or None in a hints analysis (``thorough=False``), which never tags.
    tagged: tuple[Tagged, ...] | None

    @classmethod
    def of(cls, text: str, glossary: Glossary, *, thorough: bool) -> TextView:
        """Match ``glossary`` against ``text`` and, when ``thorough``, tag it."""
        return cls(MatchIndex(text, glossary), pos_tags(text, glossary) if thorough else None)

    @property
    def text(self) -> str:
        return self.matches.text

    @property
    def glossary(self) -> Glossary:
        return self.matches.glossary
