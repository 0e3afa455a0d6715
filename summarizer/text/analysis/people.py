"""People in Chinese news text: names, the titles written with them, and every later mention.

jieba's POS tags miss most names that follow a title (吴瑕 comes out as 吴 + 瑕) and tag plain
words as names (蓝图, 季后赛), so people are found mainly by rules that Chinese news follows:

* a title chain right before a name: ``市委常委、区委书记张建华`` -> 张建华 with both titles;
* names listed after a titled name share its titles (``副市长王刚、李娜``);
* reporter bylines: ``(通讯员施伟办 瞿镇辅 记者葛燕 宋金平)``;
* lists of bare names (``刘遵义、陈凯先、李兰娟``) and jieba ``nr`` names of three characters with a
  known surname that do not read as ordinary words;
* a title right after a name when none came before it (习近平总书记);
* later mentions: the same name again (张建华指出) or surname + title (张书记) when only one person
  has that surname.

A name is a known surname (compound ones first) plus one or two characters; it ends early before
words that typically follow names (主持, 参加, 指出, ...), a title, punctuation, or a verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from summarizer.text.analysis.glossary import TITLE_KINDS, Glossary
from summarizer.text.analysis.jieba_setup import dictionary_tag
from summarizer.text.analysis.romanize import (
    TRANSLITERATION,
    romanize_name,
    split_name,
    surname_table,
)
from summarizer.text.analysis.view import Tagged, TextView
from summarizer.text.chars import HAN_RANGES, HAN_RUN, is_han
from summarizer.text.document import PersonMention

#: A title as written and in English.
Title = tuple[str, str]

# fmt: off
#: Words that commonly follow a name: a name ends before them.
_AFTER_NAME = (
    "主持", "参加", "出席", "指出", "强调", "表示", "介绍", "讲话", "陪同", "致辞", "宣布", "宣读",
    "会见", "会谈", "调研", "带队", "代表", "要求", "认为", "率领", "率团", "一行", "同志", "先生",
    "女士", "担任", "当选", "出任", "作为", "结合", "发表", "提出", "希望", "分别", "获颁", "颁授",
    "回应", "透露", "曾经", "称", "说", "在", "和", "与", "及", "等", "对", "向", "到", "的", "也",
    "就", "是", "将", "率", "于", "已", "还", "则", "又", "并", "兼", "任", "以", "被", "把", "从",
    "同",
)
# fmt: on
#: Characters that cannot start a given name in running text.
_NOT_GIVEN_START = set("的了们是在和与及等说也都就对将要把被从向于并兼、，,。；;：:")
#: Characters that are surnames but, right after a title, are nearly always function words.
_FUNCTION_CHARS = set("和与及同向于从在对把被将为以但都也就还又由自给所其该各本那这")
#: Characters rare in given names but common in the nouns jieba mistakes for names.
_NOT_GIVEN_CHARS = set("赛期空会局部省市县区厂场队院处室站社网报")
_BYLINE_ROLES = ("特约记者", "见习记者", "通讯员", "实习生", "记者", "摄影")
_BYLINE = re.compile(
    rf"(?:{'|'.join(_BYLINE_ROLES)})[{HAN_RANGES}]{{2,4}}"
    rf"(?:[\s、]+(?:{'|'.join(_BYLINE_ROLES)})?[{HAN_RANGES}]{{2,4}})*(?=[)）])"
)
#: Foreign names are written with a middle dot between their parts: 安本·皮莱, 穆罕默德·本·萨勒曼.
_DOTTED_NAME = re.compile(f"[{HAN_RANGES}]{{1,8}}(?:[·•‧・][{HAN_RANGES}]{{1,8}})+")
_NAME_LIST = re.compile(f"[{HAN_RANGES}]{{2,4}}(?:、[{HAN_RANGES}]{{2,4}}){{2,}}")
_LIST_SEPARATOR = "、"


@dataclass
class _Person:
    start: int
    end: int
    titles: list[Title] = field(default_factory=list)


@cache
def _max_surname() -> int:
    return max(len(surname) for surname in surname_table())


def is_word(candidate: str) -> bool:
    """Whether jieba's dictionary knows ``candidate`` as something other than a person's name."""
    tag = dictionary_tag(candidate)
    return tag is not None and not tag.startswith("nr")


def _starts_verb(text: str, position: int) -> bool:
    """Whether a two-character verb or preposition starts at ``position`` (陈新|宣读)."""
    tag = dictionary_tag(text[position : position + 2])
    return tag is not None and tag[0] in "vp"


def _plausible_untitled_name(word: str) -> bool:
    """A jieba ``nr`` token that does not read as a plain word (季后赛, 国庆期 are tagged nr)."""
    if any(char in _NOT_GIVEN_CHARS for char in word[1:]):
        return False
    if sum(char in TRANSLITERATION for char in word) >= 2:
        return False  # 阿波罗, 古特雷
    return not is_word(word[:2])


class _PeopleFinder:
    def __init__(self, view: TextView) -> None:
        self.index = view.matches
        self.text = view.text
        self.people: dict[int, _Person] = {}
        #: One byte per character, 1 where a person found so far lies: an overlap check costs the
        #: name's length, not the number of people found (which made long texts quadratic).
        self._claimed = bytearray(len(view.text))

    def add(self, start: int, end: int, titles: list[Title]) -> None:
        """Record a person unless an earlier rule already claimed that stretch of text."""
        if _free(self._claimed, start, end):
            self.people[start] = _Person(start, end, list(titles))
            _claim(self._claimed, start, end)

    # --- where a name ends --------------------------------------------------------------------

    def _name_ends_before(self, position: int) -> bool:
        char = self.text[position : position + 1]
        return (
            not is_han(char)
            or self.text.startswith(_AFTER_NAME, position)
            or self.index.starting_at(position, *TITLE_KINDS) is not None
        )

    def name_at(self, position: int) -> int | None:
        """End of a Chinese personal name starting at ``position``, or None."""
        text = self.text
        parts = split_name(text[position : position + _max_surname() + 2])
        if parts is None or parts[0] in _FUNCTION_CHARS:
            return None  # 医生和医疗专家: 和 is a conjunction here, not the surname He
        if self.index.starting_at(position, "place", "org", "term", "topic") is not None:
            return None  # 江苏, 南通, 高新区 ... start with surname characters
        end = position + len(parts[0])
        first = text[end : end + 1]
        if not is_han(first) or first in _NOT_GIVEN_START:
            return None
        end += 1
        if (
            not self._name_ends_before(end)
            and not is_word(text[position : end + 1])
            and not _starts_verb(text, end)
        ):
            end += 1
        if is_word(text[position:end]) or is_word(text[position : position + len(parts[0]) + 1]):
            return None  # 强调, 国庆(期): a dictionary word that is not a name
        return end

    def _is_exact_name(self, start: int, item: str) -> bool:
        """``item`` is a whole name: known surname, one or two more characters, not a term."""
        parts = split_name(item)
        return (
            parts is not None and 1 <= len(parts[1]) <= 2 and self.index.starting_at(start) is None
        )

    # --- titles -------------------------------------------------------------------------------

    def _title_unit_ending_at(self, end: int) -> tuple[int, Title] | None:
        """Bodies + a title/role ending at ``end`` (南通高新区党工委常务副书记): (start, title)."""
        last = self.index.ending_at(end, *TITLE_KINDS)
        if last is None:
            return None
        start = last.start
        while (body := self.index.ending_at(start, "org", "place")) is not None:
            start = body.start
        written = self.text[start:end]
        english = self.index.glossary.translate_title(written) or last.entry.english
        return start, (written, english)

    def titles_before(self, position: int) -> list[Title]:
        """The 、-joined title chain that ends right at ``position`` (nearest last)."""
        chain: list[Title] = []
        end = position
        while (unit := self._title_unit_ending_at(end)) is not None:
            start, title = unit
            chain.insert(0, title)
            if start == 0 or self.text[start - 1] not in "、兼":
                break
            end = start - 1
        return chain

    def titles_after(self, name: str) -> list[Title]:
        """A title written right after the name (习近平总书记, 李克强总理), first occurrence."""
        for match in re.finditer(re.escape(name), self.text):
            title = self.index.starting_at(match.end(), "title")
            if title is not None:
                return [(title.entry.term, title.entry.english)]
        return []

    # --- rules --------------------------------------------------------------------------------

    def find_bylines(self) -> None:
        """``(通讯员施伟办 瞿镇辅 记者葛燕 宋金平)``: each name takes the role written before it."""
        for match in _BYLINE.finditer(self.text):
            role = ""
            for token in HAN_RUN.finditer(match.group()):
                word, start = token.group(), token.start() + match.start()
                for candidate in _BYLINE_ROLES:
                    if word.startswith(candidate):
                        role, word = candidate, word[len(candidate) :]
                        start += len(candidate)
                        break
                parts = split_name(word)
                if role and parts is not None and 1 <= len(parts[1]) <= 2:
                    english = self.index.glossary.english(role) or ""
                    self.add(start, start + len(word), [(role, english)])

    def find_titled(self) -> None:
        """Names right after a title chain, and the names listed after them."""
        for match in self.index.matches:
            if match.entry.kind not in TITLE_KINDS:
                continue
            end = self.name_at(match.end)
            if end is None:
                continue
            titles = self.titles_before(match.end)
            self.add(match.end, end, titles)
            self._follow_list(end, titles)

    def _follow_list(self, end: int, titles: list[Title]) -> None:
        """Names joined by 、 after a titled name share its titles (区领导张三、李四)."""
        while self.text[end : end + 1] == _LIST_SEPARATOR:
            start = end + 1
            if self.index.starting_at(start, *TITLE_KINDS, "org", "place") is not None:
                return  # 、区长吴瑕: the next person has titles of their own
            next_end = self.name_at(start)
            if next_end is None or not self._name_ends_before(next_end):
                return
            self.add(start, next_end, titles)
            end = next_end

    def find_name_lists(self) -> None:
        """Bare names joined by 、: most inner items must be whole Chinese names."""
        text = self.text
        for run in _NAME_LIST.finditer(text):
            items = run.group().split(_LIST_SEPARATOR)
            offsets = [run.start()]
            for item in items[:-1]:
                offsets.append(offsets[-1] + len(item) + 1)
            inner = list(zip(offsets[1:-1], items[1:-1], strict=True))
            names = [(start, item) for start, item in inner if self._is_exact_name(start, item)]
            if len(names) < 2 or 3 * len(names) < 2 * len(inner):
                continue  # a foreign name may sit among them, but not many other words
            for start, item in names:
                self.add(start, start + len(item), [])
            self._first_list_item(offsets[0], items[0])
            position = offsets[-1]
            while (end := self.name_at(position)) is not None:
                self.add(position, end, [])
                if text[end : end + 1] not in ("及", "和", "与"):
                    break
                position = end + 1  # 朱丽兰及江朝晖

    def _first_list_item(self, start: int, item: str) -> None:
        """The first item may carry words before the name (向刘遵义): try its tail first."""
        for length in (3, 2):
            tail = start + len(item) - length
            if len(item) > length and self._is_exact_name(tail, item[-length:]):
                self.add(tail, tail + length, [])
                return
        if self._is_exact_name(start, item):
            self.add(start, start + len(item), [])

    def find_dotted(self, tagged: Sequence[Tagged]) -> None:
        """Foreign names written with middle dots (安本·皮莱), with any title before them.

        The regular expression cannot see where the name starts and ends, so the outer parts are
        grown token by token (jieba's) and stop at ordinary words: 总监|安本·皮莱|医生.
        """
        starts = {start: index for index, (start, _, _) in enumerate(tagged)}
        ends = {start + len(word): index for index, (start, word, _) in enumerate(tagged)}
        for match in _DOTTED_NAME.finditer(self.text):
            first_dot = match.start() + len(re.split("[·•‧・]", match.group())[0])
            last_dot = match.end() - len(re.split("[·•‧・]", match.group())[-1]) - 1
            start = self._grow(tagged, ends.get(first_dot), step=-1, limit=first_dot)
            end = self._grow(tagged, starts.get(last_dot + 1), step=1, limit=last_dot + 1)
            if start < first_dot and end > last_dot + 1:
                self.add(start, end, self.titles_before(start))

    def _grow(self, tagged: Sequence[Tagged], index: int | None, step: int, limit: int) -> int:
        """The outer edge of a name part: tokens from ``index`` on that are not ordinary words."""
        edge = limit
        taken = 0
        while index is not None and 0 <= index < len(tagged) and taken < 6:
            start, word, flag = tagged[index]
            ordinary = is_word(word) and not flag.startswith("nr")
            if ordinary or not all(is_han(char) for char in word):
                break
            if self.index.starting_at(start, *TITLE_KINDS) is not None:
                break
            taken += len(word)
            edge = start if step < 0 else start + len(word)
            index += step
        return edge

    def find_tagged(self, tagged: Iterable[Tagged]) -> None:
        """jieba nr/nrfg tokens of three characters (four with a compound surname)."""
        for start, word, flag in tagged:
            if flag not in ("nr", "nrfg") or not 3 <= len(word) <= 4:
                continue
            parts = split_name(word)
            if parts is None or not 1 <= len(parts[1]) <= 2:
                continue
            if self.index.starting_at(start) is not None or not _plausible_untitled_name(word):
                continue  # 伊朗核 starts with a place
            self.add(start, start + len(word), self.titles_before(start))

    # --- mentions -----------------------------------------------------------------------------

    def mentions(self) -> list[PersonMention]:
        """Every mention of every person found, each carrying the person's merged titles."""
        by_name = self._titles_by_name()
        claimed = bytearray(len(self.text))
        spans = self._full_name_spans(by_name, claimed)
        self._add_surname_title_spans(by_name, spans, claimed)
        mentions = []
        for start in sorted(spans):
            end, name = spans[start]
            titles = by_name[name]
            mentions.append(
                PersonMention(
                    start,
                    end,
                    self.text[start:end],
                    name_en=english_name(name),
                    titles=tuple(written for written, _ in titles),
                    titles_en=tuple(english for _, english in titles),
                )
            )
        return mentions

    def _titles_by_name(self) -> dict[str, list[Title]]:
        by_name: dict[str, list[Title]] = {}
        for person in sorted(self.people.values(), key=lambda p: p.start):
            titles = by_name.setdefault(self.text[person.start : person.end], [])
            titles.extend(title for title in person.titles if title not in titles)
        for name, titles in by_name.items():
            if not titles:
                titles.extend(self.titles_after(name))
        return by_name

    def _full_name_spans(
        self, by_name: dict[str, list[Title]], claimed: bytearray
    ) -> dict[int, tuple[int, str]]:
        """start -> (end, name) for every occurrence of every name (longer names first)."""
        spans: dict[int, tuple[int, str]] = {}
        for name in sorted(by_name, key=len, reverse=True):
            for match in re.finditer(re.escape(name), self.text):
                if _free(claimed, match.start(), match.end()):
                    spans[match.start()] = (match.end(), name)
                    _claim(claimed, match.start(), match.end())
        return spans

    def _add_surname_title_spans(
        self,
        by_name: dict[str, list[Title]],
        spans: dict[int, tuple[int, str]],
        claimed: bytearray,
    ) -> None:
        """张书记 -> 张建华, when 张建华 is the only person of that surname in the article."""
        by_surname: dict[str, list[str]] = {}
        for name in by_name:
            parts = split_name(name)
            if parts:
                by_surname.setdefault(parts[0], []).append(name)
        for surname, names in by_surname.items():
            if len(names) != 1:
                continue
            for match in re.finditer(re.escape(surname), self.text):
                title = self.index.starting_at(match.end(), *TITLE_KINDS)
                if title is not None and _free(claimed, match.start(), title.end):
                    spans[match.start()] = (title.end, names[0])
                    _claim(claimed, match.start(), title.end)


def is_surname_with_title(mention: PersonMention, glossary: Glossary) -> bool:
    """Whether a mention is the short form 张书记 rather than a name as written (张建华)."""
    parts = split_name(mention.text)
    if parts is None:
        return False
    entry = glossary.get(parts[1])
    return entry is not None and entry.kind in TITLE_KINDS


def english_name(name: str) -> str:
    """Pinyin for a Chinese name; empty for a foreign one (a transliteration is not pinyin)."""
    return "" if _DOTTED_NAME.fullmatch(name) else romanize_name(name)


def _free(claimed: bytearray, start: int, end: int) -> bool:
    """Whether no claimed character lies in ``[start, end)``."""
    return claimed.find(1, start, end) < 0


def _claim(claimed: bytearray, start: int, end: int) -> None:
    claimed[start:end] = b"\x01" * (end - start)


def find_people(view: TextView) -> list[PersonMention]:
    """Every person mention in ``view.text``, rules applied from most to least certain.

    Without ``view.tagged`` (a hints analysis) the two rules that read jieba's POS tags are
    skipped: foreign names with middle dots and untitled names jieba tags as names.
    """
    tagged = view.tagged
    finder = _PeopleFinder(view)
    finder.find_bylines()
    if tagged is not None:
        finder.find_dotted(tagged)
    finder.find_titled()
    finder.find_name_lists()
    if tagged is not None:
        finder.find_tagged(tagged)
    return finder.mentions()
