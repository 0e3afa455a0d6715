"""People (with their titles), organizations and places of a Chinese text, with offsets.

The work is split by kind: ``people`` finds persons and their titles, ``bodies`` finds
organizations and places in what is left. Both read the same glossary matches (``MatchIndex``) and,
in a thorough analysis, the same jieba POS tagging, made once by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.text.analysis.bodies import find_bodies
from summarizer.text.analysis.glossary import Glossary, MatchIndex
from summarizer.text.analysis.jieba_setup import pos_cut
from summarizer.text.analysis.people import Tagged, find_people
from summarizer.text.document import EntityMention, PersonMention


@dataclass(frozen=True)
class Entities:
    people: tuple[PersonMention, ...]
    organizations: tuple[EntityMention, ...]
    places: tuple[EntityMention, ...]


def pos_tags(text: str, glossary: Glossary) -> list[Tagged]:
    """(offset, word, flag) for every jieba token of ``text``."""
    tagged = []
    position = 0
    for word, flag in pos_cut(text, glossary):
        tagged.append((position, word, flag))
        position += len(word)
    return tagged


def extract_entities(index: MatchIndex, tagged: list[Tagged] | None) -> Entities:
    """People, organizations and places of ``index.text``.

    ``tagged`` is its jieba POS tagging; None skips every rule that needs it (people then come
    only from titles, bylines and name lists, bodies and places only from the glossary).
    """
    people = find_people(index, tagged)
    organizations, places = find_bodies(index, tagged, people)
    return Entities(tuple(people), tuple(organizations), tuple(places))
