"""Teams named by their country or city: 中国女排, 荷兰队, 塞尔维亚二队, 北京女篮.

Sports reports name a side by its place and a team word. LAC reads some of them as bodies
(``bodies.widely_voted_bodies``), but not 中国队 nor any place + 女排. A place the glossary or the
gazetteer knows, right before a team word, is a team (an organization); the place inside it is
part of its name, as 河北省 is in 河北省政府. A word that goes on after the team word (中国队员,
美国队长) is not a team.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.text.analysis.view import TextView
from summarizer.text.document import EntityMention

#: Team words after a place, and their English (the longest first where one ends another).
TEAM_WORDS = {
    "国家队": "national team",
    "奥运队": "Olympic team",
    "女排": "women's volleyball team",
    "男排": "men's volleyball team",
    "女篮": "women's basketball team",
    "男篮": "men's basketball team",
    "女足": "women's football team",
    "男足": "men's football team",
    "二队": "second team",
    "队": "team",
}
_TEAM = re.compile("|".join(sorted(TEAM_WORDS, key=len, reverse=True)))
#: Characters that make the team word part of a longer word (队员, 队长, 队伍, 队列, 队友).
_GOES_ON = frozenset("员长伍列友形旗服")
#: Places that name no one team (全国队, 各国队).
_NOT_TEAM_PLACES = frozenset(("全国", "各国", "国内", "国外", "境外", "本地"))


def find_teams(view: TextView) -> list[EntityMention]:
    """Every place + team word of ``view.text`` (see the module docstring)."""
    text = view.text
    teams = []
    for match in _TEAM.finditer(text):
        if text[match.end() : match.end() + 1] in _GOES_ON:
            continue
        place = view.matches.ending_at(match.start(), "place") or view.foreign.ending_at(
            match.start()
        )
        if place is None or place.entry.term in _NOT_TEAM_PLACES:
            continue
        written = text[place.start : match.end()]
        english = (
            f"{place.entry.english} {TEAM_WORDS[match.group()]}" if place.entry.english else None
        )
        teams.append(
            EntityMention(place.start, match.end(), written, kind="organization", name_en=english)
        )
    return teams


def with_teams(
    view: TextView, organizations: Sequence[EntityMention], places: Sequence[EntityMention]
) -> tuple[list[EntityMention], list[EntityMention]]:
    """``organizations`` with the teams of ``view.text`` that overlap none of them (a body the
    rules read already wins), and ``places`` without the places the teams' names start with."""
    teams = [
        team
        for team in find_teams(view)
        if not any(org.start < team.end and team.start < org.end for org in organizations)
    ]
    if not teams:
        return list(organizations), list(places)
    kept_places = [
        place
        for place in places
        if not any(team.start <= place.start and place.end <= team.end for team in teams)
    ]
    merged = sorted([*organizations, *teams], key=lambda m: (m.start, m.end))
    return merged, kept_places
