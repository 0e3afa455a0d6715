"""Airports and development zones named after their place: 南通新机场, 南通高新区, 南京经开区.

A place followed by an airport or a zone word names a site of its own, whatever the place: the
glossary cannot list every city's airport and zone. A zone is a place ("Nantong High-tech Zone"),
also where it opens a body's name (南通高新区 in 南通高新区党工委, the zone the committee runs);
an airport is an organization, as the glossary's airports are (白云机场, Baiyun Airport: the
airport and the body that runs it). The place before it stays a place too, except inside a
body's name, where it is part of the body (as 河北省 in 河北省政府).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.text.analysis.gazetteer import foreign_countries
from summarizer.text.analysis.view import TextView
from summarizer.text.document import EntityMention

#: Airport words after a place: the site is an organization.
AIRPORT_WORDS = frozenset(("国际机场", "新机场", "机场"))
#: Airport and zone words after a place, and their English (the pattern tries the longest
#: first where one word ends another: 国际机场 before 机场).
SITE_WORDS = {
    "国际机场": "International Airport",
    "新机场": "New Airport",
    "机场": "Airport",
    "高新技术产业开发区": "High-tech Industrial Development Zone",
    "经济技术开发区": "Economic and Technological Development Zone",
    "经济开发区": "Economic Development Zone",
    "高新区": "High-tech Zone",
    "经开区": "Economic Development Zone",
    "开发区": "Development Zone",
    "工业园区": "Industrial Park",
    "综合保税区": "Comprehensive Bonded Zone",
    "保税区": "Bonded Zone",
}
_SITE = re.compile("|".join(sorted(SITE_WORDS, key=len, reverse=True)))
#: What after an airport word makes it part of another name (机场路, 机场线, 机场站).
_NOT_AFTER = frozenset("路街道线站")
#: Places whose airport or zone is no one site: 中国机场 is China's airports.
_NOT_SITE_PLACES = frozenset(("中国", "全国", "国内", "国外", "境外"))


def find_sites(view: TextView) -> list[tuple[EntityMention, int]]:
    """Every place + airport/zone word of ``view.text``: (the site as a place or organization
    mention, where the place it starts with ends)."""
    text = view.text
    found = []
    for match in _SITE.finditer(text):
        if text[match.end() : match.end() + 1] in _NOT_AFTER:
            continue
        place = view.matches.ending_at(match.start(), "place")
        if place is None or place.entry.term in _NOT_SITE_PLACES:
            continue
        if place.entry.term in foreign_countries():
            continue  # 日本机场: a country's airports, not one
        written = text[place.start : match.end()]
        english = f"{place.entry.english} {SITE_WORDS[match.group()]}"
        kind = "organization" if match.group() in AIRPORT_WORDS else "place"
        site = EntityMention(place.start, match.end(), written, kind=kind, name_en=english)
        found.append((site, place.end))
    return found


def with_sites(
    view: TextView, organizations: Sequence[EntityMention], places: Sequence[EntityMention]
) -> tuple[list[EntityMention], list[EntityMention]]:
    """``organizations`` and ``places`` with the sites of ``view.text`` (airports among the
    organizations, zones among the places): a site replaces an organization or a place of the
    same span or one inside it (南京经开区 read as a district); the place its name starts with
    stays."""
    sites = find_sites(view)
    if not sites:
        return list(organizations), list(places)

    def replaced(mention: EntityMention) -> bool:
        return any(
            site.start <= mention.start
            and mention.end <= site.end
            and (mention.start, mention.end) != (site.start, place_end)
            for site, place_end in sites
        )

    kept_orgs = [org for org in organizations if not replaced(org)]
    kept_places = [place for place in places if not replaced(place)]
    spans = {(place.start, place.end) for place in kept_places}
    merged = [*kept_places, *(site for site, _ in sites if site.kind == "place")]
    bodies = [*kept_orgs, *(site for site, _ in sites if site.kind == "organization")]
    for site, place_end in sites:
        if any(org.start <= site.start and site.end < org.end for org in kept_orgs):
            continue  # 南通高新区|党工委: the zone is named, its place stays part of the body
        if (site.start, place_end) not in spans:  # 南京 in 南京经开区 is a place of its own
            spans.add((site.start, place_end))
            match = view.matches.ending_at(place_end, "place")
            english = match.entry.english if match is not None else None
            written = view.text[site.start : place_end]
            merged.append(
                EntityMention(site.start, place_end, written, kind="place", name_en=english)
            )
    if len(bodies) > len(kept_orgs):
        bodies.sort(key=_position)
    return bodies, sorted(merged, key=_position)


def _position(mention: EntityMention) -> tuple[int, int]:
    return mention.start, mention.end
