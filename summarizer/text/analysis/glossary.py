"""A termbase of Chinese official titles, bodies, places and news terms with their English names.

The shipped entries live in ``data/glossary.tsv`` (``term<TAB>English<TAB>kind``). Users add or
override entries with files in the same format, named in ``SUMMARIZER_GLOSSARY`` (separated by the
OS path separator) or passed to ``load_glossary(extra_files=...)``. Matching is leftmost-longest
over the text, so 区委副书记 is one title and not 区委 + 副书记.

Titles compose when no full entry exists: bodies and places before a role become "role of the body"
(南通高新区党工委 + 常务副书记 -> "Executive Deputy Secretary of the Nantong High-tech Zone Party
Working Committee").
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from summarizer.errors import ConfigError

#: Kinds an entry may have (the third column).
KINDS = ("title", "role", "org", "place", "term", "topic")
ENV_VAR = "SUMMARIZER_GLOSSARY"
#: Administrative levels written after a place name, and how they read in English.
PLACE_LEVELS = {"省": "Province", "市": "", "县": "County", "区": "District"}


#: Entry kinds that name a position a person holds: titles (区委书记) and roles (记者).
TITLE_KINDS = ("title", "role")
#: A state-level new area written after its place (浦东|新区, Pudong New Area); alone, 新区 is
#: any new district and no place.
_NEW_AREA = "新区"
#: Words that start with a level character but do not make it the place's level.
_NOT_LEVEL_WORDS = ("市中心", "市民", "市场", "区域", "县城")


@dataclass(frozen=True)
class Entry:
    term: str
    english: str
    kind: str


class Match(NamedTuple):
    """One glossary term found in a text (a tuple: hundreds are made per article, cheaply)."""

    start: int
    end: int
    entry: Entry


class Glossary:
    """Entries by term, with leftmost-longest matching and title composition."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        for entry in entries:
            self.entries[entry.term] = entry  # later entries (user files) override shipped ones

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        """All terms as one trie-shaped regular expression that matches the longest term.

        Built once per glossary: the regex engine then scans a text in C, instead of a dictionary
        lookup per position and candidate length in Python.
        """
        return re.compile(trie_regex(term for term in self.entries if term))

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, term: str) -> Entry | None:
        return self.entries.get(term)

    def english(self, term: str) -> str | None:
        entry = self.entries.get(term)
        return entry.english if entry else None

    def match_at(self, text: str, start: int) -> Entry | None:
        """The longest entry that starts at ``start``, if any."""
        found = self._pattern.match(text, start)
        return self.entries[found.group()] if found else None

    def entry_at(self, text: str, start: int) -> Entry | None:
        """``match_at``, plus a place written with its level: 四川 + 省 -> 四川省, Sichuan Province.

        The level character joins the place only when no entry starts there (南通市委 stays
        南通 + 市委).
        """
        entry = self.match_at(text, start)
        return entry if entry is None else self._with_level(text, start, entry)

    def _with_level(self, text: str, start: int, entry: Entry) -> Entry:
        """``entry`` (found at ``start``) joined with a place level written right after it; or
        a place written with its level cut back to its name where the level character starts a
        body or a title (通州区委书记: 通州 + 区委书记, although 通州区 is an entry)."""
        if entry.kind != "place":
            return entry
        entry = self._level_yielded(text, start, entry)
        end = start + len(entry.term)
        if text.startswith(_NEW_AREA, end) and self._pattern.match(text, end) is None:
            return Entry(entry.term + _NEW_AREA, f"{entry.english} New Area", "place")  # 浦东新区
        level = text[end : end + 1]
        if level not in PLACE_LEVELS or self._pattern.match(text, end) is not None:
            return entry
        if text.startswith(_NOT_LEVEL_WORDS, end):
            return entry  # 圣彼得堡|市中心, 上海|市民: the level starts another word
        label = PLACE_LEVELS[level]
        english = f"{name_before_level(entry.english)} {label}" if label else entry.english
        return Entry(entry.term + level, english, "place")

    def _level_yielded(self, text: str, start: int, entry: Entry) -> Entry:
        """The place ``entry`` without its last character, a level, where that character starts
        a longer body or title entry and the place's name alone is an entry (``_with_level``)."""
        stem = self.entries.get(entry.term[:-1])
        if entry.term[-1:] not in PLACE_LEVELS or stem is None or stem.kind != "place":
            return entry
        following = self._pattern.match(text, start + len(stem.term))
        if following is None or len(following.group()) < 2:
            return entry
        kind = self.entries[following.group()].kind
        return stem if kind in ("org", *TITLE_KINDS) else entry

    def finditer(self, text: str) -> Iterator[Match]:
        """Non-overlapping leftmost-longest matches over ``text``."""
        search = self._pattern.search
        position = 0
        while (found := search(text, position)) is not None:
            start = found.start()
            entry = self._with_level(text, start, self.entries[found.group()])
            position = start + len(entry.term)
            yield Match(start, position, entry)

    def segment(self, text: str) -> list[Match] | None:
        """``text`` as consecutive glossary entries, or None if it is not.

        Longest entries first, backing off to a shorter one where the longest leaves a rest that
        does not segment: 通州区委 is 通州 + 区委, although 通州区 (Tongzhou District) is an entry.
        """
        if not text:
            return []
        candidates = []
        longest = self.entry_at(text, 0)
        if longest is not None:
            candidates.append(longest)
            for length in range(len(longest.term) - 1, 0, -1):
                entry = self.entries.get(text[:length])
                if entry is not None:
                    candidates.append(entry)
        for entry in candidates:
            rest = self.segment(text[len(entry.term) :])
            if rest is not None:
                shift = len(entry.term)
                return [
                    Match(0, shift, entry),
                    *(Match(m.start + shift, m.end + shift, m.entry) for m in rest),
                ]
        return None

    def translate_title(self, title: str) -> str | None:
        """A person's title in English: a full entry, else composed from bodies + a role."""
        entry = self.entries.get(title)
        if entry is not None and entry.kind in TITLE_KINDS:
            return entry.english
        pieces = self.segment(title)
        if not pieces or pieces[-1].entry.kind not in TITLE_KINDS:
            return None
        *bodies, role = pieces
        if any(piece.entry.kind not in ("org", "place") for piece in bodies):
            return None
        return compose_title(role.entry, [piece.entry for piece in bodies])

    def title_body(self, title: str) -> str | None:
        """The English name of the body a title belongs to: 区委书记 -> District Party Committee."""
        pieces = self.segment(title)
        if pieces and len(pieces) > 1 and pieces[-1].entry.kind in TITLE_KINDS:
            return self.translate_name(title[: pieces[-1].start])
        for length in range(len(title) - 1, 1, -1):
            entry = self.entries.get(title[:length])
            if entry is not None and entry.kind == "org":
                return entry.english
        return None

    def translate_name(self, name: str) -> str | None:
        """An organization or place name in English: a full entry, else composed from its parts."""
        entry = self.entries.get(name)
        if entry is not None:
            return entry.english
        pieces = self.segment(name)
        if not pieces or any(piece.entry.kind not in ("org", "place") for piece in pieces):
            return None
        return compose_name([piece.entry for piece in pieces])


class MatchIndex:
    """The glossary matches of one text, looked up by where they start or end.

    ``keep`` (when given) drops matches that are not the term in this text, e.g. 重庆 inside
    隆重庆祝 (see ``view.TextView``).
    """

    def __init__(
        self, text: str, glossary: Glossary, keep: Callable[[str, Match], bool] | None = None
    ) -> None:
        self.text = text
        self.glossary = glossary
        self.matches = [
            match for match in glossary.finditer(text) if keep is None or keep(text, match)
        ]
        self._by_start = {match.start: match for match in self.matches}
        self._by_end = {match.end: match for match in self.matches}

    def starting_at(self, position: int, *kinds: str) -> Match | None:
        """The match that starts at ``position`` (of one of ``kinds``, when given)."""
        match = self._by_start.get(position)
        return match if match is not None and (not kinds or match.entry.kind in kinds) else None

    def ending_at(self, position: int, *kinds: str) -> Match | None:
        """The match that ends at ``position`` (of one of ``kinds``, when given)."""
        match = self._by_end.get(position)
        return match if match is not None and (not kinds or match.entry.kind in kinds) else None


def trie_regex(terms: Iterable[str]) -> str:
    """A regex matching any of ``terms``, the longest one where several start at a position.

    Terms sharing a prefix share a branch (区委 / 区委书记 -> 区委(?:书记)?), and every optional
    continuation is greedy, so the engine tries the longer term first and backs off to a shorter
    one only when the longer does not match.
    """
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[_END] = True

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + render(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if _END in node else body

    # A glossary with no terms gets a pattern that never matches.
    return render(trie) or r"(?!)"


#: Trie key marking that a term ends at this node (no real character is empty).
_END = ""


#: 总理 is the head of government, whose English title depends on the country: China's is the
#: Premier (the glossary's rendering), Germany's and Austria's the Chancellor, and the others'
#: (the UK, Japan, India, Canada, Australia, ...) the Prime Minister.
_HEAD_OF_GOVERNMENT = {"总理": "Prime Minister", "副总理": "Deputy Prime Minister"}
_CHANCELLOR = {"总理": "Chancellor", "副总理": "Vice Chancellor"}
_CHANCELLOR_COUNTRIES = frozenset({"Germany", "Austria"})
_PREMIER_COUNTRIES = frozenset({"China", "People's Republic of China"})


def _head_of_government(role: Entry, country: str) -> str | None:
    """The English of 总理/副总理 for ``country``'s government; None for other titles."""
    if role.term not in _HEAD_OF_GOVERNMENT or country in _PREMIER_COUNTRIES:
        return None
    if country in _CHANCELLOR_COUNTRIES:
        return _CHANCELLOR[role.term]
    return _HEAD_OF_GOVERNMENT[role.term]


#: Country names English writes with "the": the plural and descriptive ones ("President of the
#: United States", "Prime Minister of the Netherlands"), unlike "President of France".
_THE_ENDINGS = ("Republic", "Islands", "Kingdom", "States", "Emirates", "Union")
_THE_NAMES = frozenset({"Netherlands", "Philippines", "Bahamas", "Gambia", "Maldives", "Vatican"})


def _with_article(place: str) -> str:
    """``place`` with "the" where English writes one before it."""
    needs_the = (
        place in _THE_NAMES
        or place.endswith(_THE_ENDINGS)
        or place.startswith(("Republic of ", "Kingdom of ", "State of "))
    )
    return f"the {place}" if needs_the else place


#: The English of a local body named by its level alone (the Municipal Party Committee, the
#: District People's Congress): the last one in a title, where a place's name goes.
_LOCAL_BODY = re.compile(
    r"(?:^|\bof the )((?:Provincial|Municipal|District|County|Township|Town) [A-Z][^,;]*)$"
)
#: Level words a place's English may end with that a local body's English starts with.
_LEVEL_WORDS = ("Province", "District", "County", "Township", "Town", "City")


def with_place(body_english: str, place_english: str) -> str:
    """A local body's English (or a title ending in one) tied to its place: "Municipal Party
    Committee" + Nantong -> "Nantong Municipal Party Committee"; "Secretary of the District
    Party Committee" + Tongzhou -> "Secretary of the Tongzhou District Party Committee". A level
    both sides write is said once (Tongzhou District + District Party Committee)."""
    local = _LOCAL_BODY.search(body_english)
    if local is None:
        return f"{place_english} {body_english}"
    body = local.group(1)
    for level in _LEVEL_WORDS:
        if place_english.endswith(f" {level}") and body.startswith(f"{level} "):
            place_english = place_english[: -len(level) - 1]
    return f"{body_english[: local.start(1)]}{place_english} {body}"


#: Natural features whose name an administrative area takes without the feature's word:
#: 天山 is the Tianshan Mountains, 天山区 the Tianshan District.
_FEATURE_WORDS = (" Mountains", " Mountain", " River", " Lake")


def name_before_level(place_english: str) -> str:
    """A place's English as a level word follows it: "Tianshan Mountains" -> "Tianshan"."""
    for feature in _FEATURE_WORDS:
        if place_english.endswith(feature) and " " not in place_english.removesuffix(feature):
            return place_english.removesuffix(feature)
    return place_english


def compose_name(pieces: list[Entry]) -> str:
    """The English of a name made of places and bodies, read left to right.

    Places before a body name it as English does: a local body takes the place inside "of the"
    (西宁 + 市委宣传部: "Publicity Department of the Xining Municipal Party Committee"); a
    country's body is the body "of" it (中国 + 外交部: "Ministry of Foreign Affairs of China");
    a province's body is "Provincial" (江西省 + 财政厅: "Jiangxi Provincial Finance Department").
    """
    english = pieces[0].english
    written = pieces[0].term
    places_only = pieces[0].kind == "place"
    for piece in pieces[1:]:
        if places_only and piece.kind == "org":
            english = body_of_places(english, written, piece.english)
        else:
            english = f"{english} {piece.english}"
        places_only = places_only and piece.kind == "place"
        written += piece.term
    return english


def body_of_places(places_en: str, places_written: str, body_en: str) -> str:
    """The English of a body written after places (``places_written``, in English
    ``places_en``): see ``compose_name``."""
    if _LOCAL_BODY.search(body_en) and not body_en.startswith(_LOCAL_LEVELS):
        return with_place(body_en, places_en)
    if _is_country(places_written) and body_en.startswith("the "):
        return body_en  # 美国|白宫: the White House names its country already
    if _is_country(places_written) and body_en.split(" ", 1)[0].lower() in _STATE_BODY_WORDS:
        return f"{body_en[:1].upper()}{body_en[1:]} of {_with_article(places_en)}"
    if places_en.endswith(" Province") and not body_en.startswith("Provincial "):
        return f"{places_en.removesuffix(' Province')} Provincial {body_en}"
    return f"{places_en} {body_en}"


#: First words of a state's bodies, which English names "of" their country ("Ministry of
#: Foreign Affairs of China", "Government of Spain"); a firm keeps its country first (Qatar
#: Airways).
_STATE_BODY_WORDS = frozenset((
    "ministry", "department", "government", "parliament", "presidential", "president's",
    "air", "navy", "army", "armed", "national", "embassy", "consulate", "senate", "house",
    "cabinet", "supreme", "federal", "state", "office", "prime", "foreign", "defense",
    "defence", "military", "police", "coast", "customs", "central",
))  # fmt: skip
#: Level words a local body's English starts with when it is the body itself (市委: Municipal
#: Party Committee): the place goes before it as it is ("Nantong Municipal Party Committee").
_LOCAL_LEVELS = ("Provincial ", "Municipal ", "District ", "County ", "Township ", "Town ")


def _is_country(term: str) -> bool:
    """Whether a place of the glossary or gazetteer is a country (中国, 法国, 美国)."""
    from summarizer.text.analysis.gazetteer import foreign_countries  # gazetteer imports this

    return term in _CHINA or term in foreign_countries()


_CHINA = frozenset(("中国", "中华人民共和国"))


def compose_title(role: Entry, bodies: list[Entry]) -> str:
    """``role`` held in ``bodies``: "Secretary of the District Party Committee", "Mayor of X"."""
    if not bodies:
        return role.english
    if role.kind == "title":
        # A complete title names its body already (副区长: Deputy District Mayor); a place adds,
        # and so does a body where the title names none (联合国|秘书长: Secretary-General of the
        # United Nations; 市人大常委会|秘书长).
        places = [body.english for body in bodies if body.kind == "place"]
        if any(body.kind == "org" for body in bodies) and not _names_a_body(role.english):
            return _role_of(role.english, bodies)
        if not places:
            return role.english
        local = _LOCAL_BODY.search(role.english)
        if local is not None:
            # 南通 + 市委书记: the place names the committee, "Secretary of the Nantong
            # Municipal Party Committee", not "... of the Municipal Party Committee of Nantong".
            return with_place(role.english, " ".join(places))
        english = _head_of_government(role, places[-1]) or role.english
        return f"{english} of {_with_article(' '.join(places))}"
    return _role_of(role.english, bodies)


def _role_of(role_english: str, bodies: list[Entry]) -> str:
    """The role held in the bodies ("Director of the X"), named as ``compose_name`` does."""
    body = compose_name(bodies)
    minister = _MINISTERS.get(role_english)
    if minister is not None and body.startswith("Ministry of "):
        return f"{minister} {body.removeprefix('Ministry ')}"  # 外交部|副部长: Vice Minister of…
    article = "" if bodies[-1].kind == "place" or body.startswith(("the ", "The ")) else "the "
    return f"{role_english} of {article}{body}"


#: 部长 and 副部长 heading a ministry are its Minister and Vice Minister, not its "Head".
_MINISTERS = {"Head": "Minister", "Deputy Head": "Vice Minister"}


def _names_a_body(title_english: str) -> bool:
    """Whether a complete title's English names its body (Secretary of the District Party
    Committee, Deputy District Mayor)."""
    return " of " in title_english or any(
        word in title_english.split() for word in ("Provincial", "Municipal", "District", "County")
    )


def parse_entries(text: str, source: str) -> list[Entry]:
    """Entries of one glossary file; a malformed line is a ``ConfigError`` naming file and line."""
    entries: list[Entry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = [column.strip() for column in line.split("\t")]
        if len(columns) < 2 or not columns[0] or not columns[1]:
            raise ConfigError(
                f"{source}:{number}: a glossary line needs term<TAB>English[<TAB>kind]; "
                f"got {line!r}"
            )
        kind = columns[2] if len(columns) > 2 and columns[2] else "term"
        if kind not in KINDS:
            raise ConfigError(
                f"{source}:{number}: unknown glossary kind {kind!r}; use one of {', '.join(KINDS)}"
            )
        entries.append(Entry(columns[0], columns[1], kind))
    return entries


def _shipped_entries() -> list[Entry]:
    data = (
        resources.files("summarizer.text.analysis").joinpath("data/glossary.tsv").read_text("utf-8")
    )
    return parse_entries(data, "summarizer/text/analysis/data/glossary.tsv")


def _read_user_file(path: str | Path) -> list[Entry]:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError(
            f"cannot read glossary file {str(path)!r} ({error.strerror}); fix the path in "
            f"{ENV_VAR} or the extra_files argument"
        ) from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{path}:{line}: the glossary file is not UTF-8; save it as UTF-8"
        ) from None
    return parse_entries(text, str(path))


def env_glossary_files() -> tuple[str, ...]:
    value = os.environ.get(ENV_VAR, "")
    return tuple(part for part in value.split(os.pathsep) if part.strip())


def load_glossary(extra_files: Iterable[str | Path] = (), extra: Iterable[Entry] = ()) -> Glossary:
    """The shipped glossary plus files in ``SUMMARIZER_GLOSSARY``, ``extra_files`` and ``extra``.

    Later sources override earlier ones for the same term.
    """
    entries = _shipped_entries()
    for path in (*env_glossary_files(), *extra_files):
        entries.extend(_read_user_file(path))
    entries.extend(extra)
    return Glossary(entries)


@cache
def _default_glossary(env_files: tuple[str, ...]) -> Glossary:
    return load_glossary()


def default_glossary() -> Glossary:
    """The glossary analysis uses, loaded once per value of ``SUMMARIZER_GLOSSARY``."""
    return _default_glossary(env_glossary_files())
