"""People (with their titles), organizations and places of a Chinese text, with offsets.

The work is split by kind: ``people`` finds persons and their titles, ``bodies`` finds
organizations and places in what is left. Both read the same glossary matches (``MatchIndex``) and
the same jieba POS tagging, made once here.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.text.bodies import find_bodies
from summarizer.text.document import EntityMention, PersonMention
from summarizer.text.glossary import Glossary, MatchIndex
from summarizer.text.jieba_setup import pos_cut
from summarizer.text.people import Tagged, find_people


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


def extract_entities(text: str, glossary: Glossary, tagged: list[Tagged] | None = None) -> Entities:
    """People, organizations and places of ``text``; ``tagged`` is its jieba POS tagging."""
    if tagged is None:
        tagged = pos_tags(text, glossary)
    index = MatchIndex(text, glossary)
    people = find_people(index, tagged)
    organizations, places = find_bodies(index, tagged, people)
    return Entities(tuple(people), tuple(organizations), tuple(places))
