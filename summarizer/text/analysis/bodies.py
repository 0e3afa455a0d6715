"""Organizations and places in Chinese text, with their English names where they can be known.

In order of trust, each span claimed once (people are claimed first, by ``people``):

1. names that end like a body (研究院, 学会, 公司, 管理局 ...) with the nouns written before them
   (澳大人文学院, 交通运输部长江航务管理局);
2. runs of glossary places and bodies: a run ending in a body is one organization
   (南通高新区党工委), a run of places stays separate places (四川省 泸州);
3. the body inside a complete title (区人大常委会 in 区人大常委会主任);
4. jieba ``nt`` tokens that end like a body, and ``ns`` tokens that are dictionary place words with
   a place-like ending or carry an administrative level (海门区).

English comes from the glossary (composed from parts where needed), else pinyin for Chinese place
names, else None: a guessed translation is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from summarizer.text.analysis.glossary import TITLE_KINDS, Match
from summarizer.text.analysis.jieba_setup import dictionary_tag
from summarizer.text.analysis.occupancy import Occupancy
from summarizer.text.analysis.romanize import TRANSLITERATION, romanize_place
from summarizer.text.analysis.view import Tagged, TextView
from summarizer.text.document import EntityMention, PersonMention

# fmt: off
#: Endings of jieba ``nt`` tokens that are organizations.
_ORG_SUFFIXES = (
    "委员会", "政府", "法院", "检察院", "公司", "集团", "大学", "学院", "银行", "协会", "研究院",
    "中心", "组织", "委", "局", "厅", "部", "院", "署", "办", "会", "社", "所",
)
#: Endings that make a noun phrase a named body, together with the nouns before it.
_NAMED_BODY_SUFFIXES = (
    "学会", "协会", "学院", "研究院", "研究所", "科学院", "大学", "中心", "公司", "集团", "医院",
    "银行", "管理局", "委员会", "基金会", "联合会",
)
#: Meetings and events end like bodies (党代会, 峰会) but are not organizations.
_EVENT_SUFFIXES = ("大会", "代会", "全会", "年会", "峰会", "会议", "论坛", "晚会", "博览会")
_NOT_PLACES = {
    "城市", "全市", "全区", "全省", "全县", "本市", "该市", "我市", "我区", "各区", "市区", "城区",
    "辖区", "园区", "社区", "景区", "小区", "片区", "地区", "山区", "郊区", "新区",
}
# fmt: on
_ADMIN_LEVELS = {
    "省": "Province",
    "市": "",
    "县": "County",
    "区": "District",
    "镇": "Town",
    "乡": "Township",
    "村": "Village",
    "州": "",
}
_NAME_PART_TAGS = {"n", "nz", "ns", "nt", "j", "nw", "ng"}
_PLACE_ENDINGS = set("州县市省区镇乡山江河湖岛港湾")
_BODY_KINDS = ("org", "place")


class _BodyFinder:
    def __init__(self, view: TextView, people: list[PersonMention]) -> None:
        self.index = view.matches
        self.text = view.text
        self.glossary = view.glossary
        self.people_starts = {person.start for person in people}

    def suffix_organizations(self, tagged: Sequence[Tagged]) -> list[EntityMention]:
        """Names ending in 研究院, 学会, 公司 ... with up to four nouns before them."""
        found = []
        for index, (start, word, _flag) in enumerate(tagged):
            if not word.endswith(_NAMED_BODY_SUFFIXES):
                continue
            first = index
            while first > 0 and index - first < 4 and self._continues_name(tagged[first - 1]):
                first -= 1
            begin, end = tagged[first][0], start + len(word)
            if word.endswith("中心") and self.index.starting_at(begin, *_BODY_KINDS) is None:
                continue  # 国际科技创新中心 is a goal; 省疾控中心 names a body
            if end - begin >= 4:
                written = self.text[begin:end]
                found.append(
                    EntityMention(
                        begin,
                        end,
                        written,
                        kind="organization",
                        name_en=self.glossary.translate_name(written),
                    )
                )
        return found

    def _continues_name(self, token: Tagged) -> bool:
        start, _word, flag = token
        return (
            flag in _NAME_PART_TAGS
            and start not in self.people_starts
            and self.index.starting_at(start, *TITLE_KINDS) is None
        )

    def glossary_runs(self) -> list[EntityMention]:
        """Runs of glossary places/bodies: 南通高新区党工委 is one body; 四川省 泸州 two places."""
        found: list[EntityMention] = []
        run: list[Match] = []

        def flush() -> None:
            if run and run[-1].entry.kind == "org":
                found.append(self._mention(run, "organization"))
            else:
                found.extend(self._mention([match], "place") for match in run)
            run.clear()

        for match in self.index.matches:
            if match.entry.kind not in _BODY_KINDS:
                if run:
                    flush()
                continue
            if run and (
                run[-1].end != match.start
                or (run[-1].entry.kind == "org" and match.entry.kind == "place")
            ):
                flush()
            run.append(match)
        flush()
        return found

    def _mention(self, run: list[Match], kind: str) -> EntityMention:
        start, end = run[0].start, run[-1].end
        written = self.text[start:end]
        english = self.glossary.translate_name(written) or " ".join(m.entry.english for m in run)
        return EntityMention(start, end, written, kind=kind, name_en=english)

    def bodies_in_titles(self) -> list[EntityMention]:
        """The body a complete title names: 区人大常委会 in 区人大常委会主任, 区委 in 区委书记."""
        found = []
        for match in self.index.matches:
            if match.entry.kind != "title":
                continue
            term = match.entry.term
            for length in range(len(term) - 1, 1, -1):
                entry = self.glossary.get(term[:length])
                if entry is not None and entry.kind == "org":
                    found.append(
                        EntityMention(
                            match.start,
                            match.start + length,
                            entry.term,
                            kind="organization",
                            name_en=entry.english,
                        )
                    )
                    break
        return found

    def tagged_bodies(self, tagged: Iterable[Tagged]) -> list[EntityMention]:
        """jieba ``nt`` bodies and ``ns`` places the glossary does not know."""
        found = []
        for start, word, flag in tagged:
            if self.glossary.get(word) is not None:
                continue
            end = start + len(word)
            if flag == "nt" and len(word) >= 3 and word.endswith(_ORG_SUFFIXES):
                if not word.endswith(_EVENT_SUFFIXES):
                    found.append(EntityMention(start, end, word, kind="organization"))
            elif flag == "ns" and _looks_like_place(word):
                english = self._place_en(word)
                found.append(EntityMention(start, end, word, kind="place", name_en=english))
        return found

    def _place_en(self, word: str) -> str | None:
        """Glossary English, else pinyin (Chinese places only; a transliteration gets None)."""
        known = self.glossary.english(word)
        if known:
            return known
        stem, level = (word[:-1], word[-1]) if word[-1] in _ADMIN_LEVELS else (word, "")
        stem_en = self.glossary.english(stem)
        if stem_en is None:
            if any(char in TRANSLITERATION for char in stem):
                return None
            stem_en = romanize_place(stem)
        label = _ADMIN_LEVELS.get(level, "")
        return f"{stem_en} {label}" if label else stem_en


def _looks_like_place(word: str) -> bool:
    """A dictionary place word with a place-like ending (jieba also tags 青春 ns), or X县/X区."""
    if len(word) < 2 or word in _NOT_PLACES or word[-2:] in _NOT_PLACES:
        return False
    if dictionary_tag(word) == "ns" and word[-1] in _PLACE_ENDINGS:
        return True
    return len(word) >= 3 and word[-1] in _ADMIN_LEVELS


def find_bodies(
    view: TextView, people: list[PersonMention]
) -> tuple[list[EntityMention], list[EntityMention]]:
    """(organizations, places) of ``view.text``, in text order; spans of people are excluded.

    Without ``view.tagged`` (a hints analysis) only the glossary rules run (2 and 3 above).
    """
    tagged = view.tagged
    finder = _BodyFinder(view, people)
    taken = Occupancy(len(view.text), ((person.start, person.end) for person in people))
    organizations: list[EntityMention] = []
    places: list[EntityMention] = []
    candidates = [
        *(finder.suffix_organizations(tagged) if tagged is not None else ()),
        *finder.glossary_runs(),
        *finder.bodies_in_titles(),
        *(finder.tagged_bodies(tagged) if tagged is not None else ()),
    ]
    for mention in candidates:
        if taken.is_free(mention.start, mention.end):
            taken.claim(mention.start, mention.end)
            (organizations if mention.kind == "organization" else places).append(mention)
    organizations.sort(key=lambda mention: mention.start)
    places.sort(key=lambda mention: mention.start)
    return organizations, places
