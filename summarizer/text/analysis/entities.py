"""People (with their titles), organizations and places of a Chinese text, with offsets.

The work is split by kind: ``people`` finds persons and their titles, ``bodies`` finds
organizations and places in what is left. Both read the same ``TextView`` (glossary matches and,
in a thorough analysis, jieba's POS tags), made once by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.text.analysis import local_bodies, sites, teams
from summarizer.text.analysis.bodies import find_bodies
from summarizer.text.analysis.crf_tagger import chosen_votes, crf_enabled
from summarizer.text.analysis.crf_vote import apply_votes
from summarizer.text.analysis.firm_names import firms_named_by_people
from summarizer.text.analysis.people import english_name, find_people
from summarizer.text.analysis.view import TextView
from summarizer.text.document import EntityMention, PersonMention


@dataclass(frozen=True)
class Entities:
    people: tuple[PersonMention, ...]
    organizations: tuple[EntityMention, ...]
    places: tuple[EntityMention, ...]


def _added_english(view: TextView, kind: str, name: str) -> str | None:
    """The English name of an entity the tagger adds: pinyin for a Chinese personal name, the
    glossary's composition for a body or place, else None."""
    if kind == "person":
        return english_name(name)
    return view.glossary.translate_name(name)


def extract_entities(view: TextView) -> Entities:
    """People, organizations and places of ``view.text``.

    Without POS tags (``view.tagged`` None) every rule that needs them is skipped: people then come
    only from titles, bylines and name lists, bodies and places only from the glossary.
    The finders call ``view.checkpoint`` between their rules.
    """
    # 米勒-塔巴克|资产管理公司: a foreign name that starts a firm's is the firm's, not a person's
    people, firms = firms_named_by_people(view, find_people(view))
    organizations, places = find_bodies(view, people, firms)
    if view.tagged is not None and crf_enabled():
        # the trained tagger's votes (crf_vote), where validation data showed they help
        people, organizations, places = apply_votes(
            view.text,
            view.tagged,
            chosen_votes(),
            people,
            organizations,
            places,
            lambda kind, name: _added_english(view, kind, name),
        )
    # 南通新机场, 南通高新区: a place + an airport or zone word is a named place.
    organizations, places = sites.with_sites(view, organizations, places)
    # 中国女排, 荷兰队: a place + a team word is a team.
    organizations, places = teams.with_teams(view, organizations, places)
    # 区委 in an article that names one district, 通州: the Tongzhou District Party Committee.
    organizations, people = local_bodies.resolve(
        view.text, organizations, places, people, view.glossary
    )
    return Entities(tuple(people), tuple(organizations), tuple(places))
