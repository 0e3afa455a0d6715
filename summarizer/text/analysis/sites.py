"""Airports and development zones named after their place: 南通新机场, 南通高新区, 南京经开区.

A place followed by an airport or a zone word names a site of its own, whatever the place: the
glossary cannot list every city's airport and zone. A zone is a place ("Nantong High-tech Zone"),
also where it opens a body's name (南通高新区 in 南通高新区党工委, the zone the committee runs);
an airport is an organization, as the glossary's airports are (白云机场, Baiyun Airport: the
airport and the body that runs it). The place before it stays a place too, except inside a
body's name, where it is part of the body (as 河北省 in 河北省政府).

A park named for its industry (空天产业园, the aerospace industrial park a district builds) is a
site too, without a place before it: the park word after a word jieba's dictionary does not know
as a frequent one (空天) or a glossary term that ends with it. A frequent word before it is a
kind of park, not a name (大学科技园, 重点产业园, 各类产业园). A place before the name opens it
(南通空天产业园).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.text.analysis.gazetteer import foreign_countries
from summarizer.text.analysis.jieba_setup import word_frequency
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
    "产业园区": "Industrial Park",
    "产业园": "Industrial Park",
    "科技园": "Science Park",
    "软件园": "Software Park",
    "物流园": "Logistics Park",
}
_SITE = re.compile("|".join(sorted(SITE_WORDS, key=len, reverse=True)))
#: Park words that also name a park after its industry (空天产业园), and their English.
PARK_WORDS = {
    word: SITE_WORDS[word] for word in ("产业园区", "产业园", "科技园", "软件园", "物流园")
}
_PARK = re.compile("|".join(sorted(PARK_WORDS, key=len, reverse=True)))
#: A word before a park word at least this frequent in jieba's dictionary says what kind of park
#: it is (大学, 重点, 现代农业), not which one; an industry named by a rare word names the park.
_KIND_OF_PARK_FREQUENCY = 100
#: Characters of the name before a park word.
_PARK_NAME = (2, 4)
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


def _park_name_start(view: TextView, start: int, end: int) -> int | None:
    """Where the name of the park whose park word is ``text[start:end]`` starts, or None when
    the word before it says only what kind of park it is."""
    term = next(
        (
            match
            for match in view.matches.matches
            if match.end == end and match.start < start and match.entry.kind != "place"
        ),
        None,
    )
    if term is not None:
        return term.start
    for offset, word, _flag in view.tagged or ():
        if offset + len(word) == start:
            low, high = _PARK_NAME
            if not (low <= len(word) <= high and all("\u4e00" <= c <= "\u9fff" for c in word)):
                return None
            if word_frequency(word) >= _KIND_OF_PARK_FREQUENCY:
                return None
            return offset
        if offset >= start:
            return None
    return None


def find_parks(view: TextView) -> list[EntityMention]:
    """Parks named for their industry (空天产业园, 南通空天产业园), as places; see the module
    docstring."""
    text = view.text
    parks = []
    for match in _PARK.finditer(text):
        if text[match.end() : match.end() + 1] in _NOT_AFTER:
            continue
        if view.matches.ending_at(match.start(), "place") is not None:
            continue  # 南通产业园: a place's park, as 南通高新区 (find_sites)
        start = _park_name_start(view, match.start(), match.end())
        if start is None:
            continue
        name = text[start : match.end()]
        entry = view.glossary.get(name) or view.glossary.get(text[start : match.start()])
        english = None
        if entry is not None and entry.english:
            english = entry.english.title()
            if entry.term != name:
                english = f"{english} {PARK_WORDS[match.group()]}"
        place = view.matches.ending_at(start, "place")
        if place is not None and place.entry.term not in _NOT_SITE_PLACES:
            start = place.start
            english = f"{place.entry.english} {english}" if english else None
        written = text[start : match.end()]
        parks.append(EntityMention(start, match.end(), written, kind="place", name_en=english))
    return parks


def with_sites(
    view: TextView, organizations: Sequence[EntityMention], places: Sequence[EntityMention]
) -> tuple[list[EntityMention], list[EntityMention]]:
    """``organizations`` and ``places`` with the sites of ``view.text`` (airports among the
    organizations, zones among the places): a site replaces an organization or a place of the
    same span or one inside it (南京经开区 read as a district); the place its name starts with
    stays."""
    sites = find_sites(view)
    parks = [
        park
        for park in find_parks(view)
        if not any(org.start < park.end and park.start < org.end for org in organizations)
    ]
    if parks:
        places = [
            place
            for place in places
            if not any(p.start <= place.start and place.end <= p.end for p in parks)
        ]
        places = sorted([*places, *parks], key=_position)
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
