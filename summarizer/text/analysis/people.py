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

Foreign names after a title are read whole where jieba cuts them (州长|哈里斯|特莲), a full name
before 先生/女士 is a person, a name in Latin letters after a title is one (its own English), and
the place a peerage is named for (X公爵夫人) is none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from summarizer.text.analysis.gazetteer import foreign_countries, foreign_places
from summarizer.text.analysis.glossary import TITLE_KINDS, Glossary, Match, trie_regex
from summarizer.text.analysis.jieba_setup import dictionary_tag, word_frequency
from summarizer.text.analysis.lac_vote import lac_enabled, lac_people, lac_reads_as_person
from summarizer.text.analysis.occupancy import Occupancy
from summarizer.text.analysis.romanize import (
    TRANSLITERATION,
    full_known_names,
    known_names,
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
    "回应", "透露", "曾经", "坦言", "直言", "感叹", "谈及", "举例", "告诉", "解释", "补充",
    "称", "说", "在", "和", "与", "及", "等", "对", "向", "到", "的", "也",
    "就", "是", "将", "率", "于", "已", "还", "则", "又", "并", "兼", "任", "以", "被", "把", "从",
    "同",
)
# fmt: on
#: Characters that cannot start a given name in running text.
_NOT_GIVEN_START = set("的了们是在和与及等说也都就对将要把被从向于并兼、，,。；;：:")
#: Characters that are surnames but, right after a title, are nearly always function words.
_FUNCTION_CHARS = set("和与及同向于从在对把被将为以但都也就还又由自给所其该各本那这来")
#: Characters that close a phrase after a name, never a name's last character (记者张三|摄。).
_NOT_LAST_NAME_CHARS = frozenset("摄说称讲问答道笑等们报讯曾")
#: Conjunctions and prepositions that jieba glues to the first part of a dotted foreign name
#: (和凯山·丰威汉, 与安娜·贝尔): never its first character when the part is longer than two.
_JOINING_CHARS = frozenset("和与及同跟或")
#: Characters rare in given names but common in the nouns jieba mistakes for names.
#: 也 ends many Japanese given names (裕也 Yuya, 拓也 Takuya), where it is not "also".
_YA = "也"
#: Second characters of two-character Japanese surnames (石井, 安藤, 中岛, 山本, 佐藤, 渡边).
_JAPANESE_SURNAME_ENDS = frozenset("井藤岛本田村木野川山原泽口崎部谷松濑冈桥边仓森")
#: What says a name in the same sentence is Japanese.
_JAPAN_CUES = ("日本", "日籍", "日方", "东京")
_NOT_GIVEN_CHARS = set("赛期空会局部省市县区厂场队院处室站社网报")
_BYLINE_ROLES = ("特约记者", "见习记者", "通讯员", "实习生", "记者", "摄影")
_BYLINE = re.compile(
    rf"(?:{'|'.join(_BYLINE_ROLES)})[{HAN_RANGES}]{{2,4}}"
    rf"(?:[\s、]+(?:{'|'.join(_BYLINE_ROLES)})?[{HAN_RANGES}]{{2,4}})*(?=[)）])"
)
#: A byline on a line of its own or in a source line: ``总台记者 杨洪``, ``作者：于晓 责任编辑：…``
#: (the name is followed by a space or the end of the line).
_LINE_BYLINE = re.compile(
    rf"(?:记者|通讯员|摄影|作者[：:]|编辑[：:])[ \u3000]*([{HAN_RANGES}]{{2,3}})(?=[ \u3000]|$)",
    re.MULTILINE,
)
#: Reporters' names in brackets after a dateline: ``电 (杨伏山 张舒姗 许靖熠)``.
_DATELINE_BYLINE = re.compile(
    rf"电\s*[（(]\s*([{HAN_RANGES}]{{2,3}}(?:[ \u3000]+[{HAN_RANGES}]{{2,3}}){{1,4}})\s*[)）]"
)
#: A transliterated name followed by its Latin form in brackets: ``沙普斯（Grant Shapps）``.
_LATIN_GLOSS = re.compile(r"[（(]([A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3})[)）]")
#: Latin words that make a bracketed gloss a place or a body, not a person's name.
# fmt: off
_NOT_PERSON_WORDS = frozenset((
    "Islands", "Island", "River", "Lake", "Mountains", "Mountain", "Sea", "Bay", "Strait", "City",
    "County", "State", "Province", "Republic", "Kingdom", "Party", "University", "College",
    "Company", "Group", "Bank", "Agency", "Council", "Ministry", "Department", "Office", "Times",
    "News", "Post", "Daily", "Street", "Square", "Park",
))
# fmt: on
#: Foreign names are written with a middle dot between their parts: 安本·皮莱, 穆罕默德·本·萨勒曼.
_DOTTED_NAME = re.compile(f"[{HAN_RANGES}]{{1,8}}(?:[·•‧・][{HAN_RANGES}]{{1,8}})+")
#: A foreign name's parts joined by a dash instead of a middle dot (昆汀—塔伦蒂诺).
_DASH = re.compile("[—－-]")
_NAME_LIST = re.compile(f"[{HAN_RANGES}]{{2,4}}(?:、[{HAN_RANGES}]{{2,4}}){{2,}}")
_LIST_SEPARATOR = "、"
#: What a foreign person does right after their name (拜登表示, 莱希政府): an untitled
#: transliteration followed by one of these is a person.
_FOREIGN_NAME_CUES = (
    "表示",
    "说",
    "称",
    "指出",
    "强调",
    "认为",
    "宣布",
    "还说",
    "会见",
    "会晤",
    "会谈",
    "访问",
    "签署",
    "政府",
    "当局",
    "发表",
    "透露",
    "回应",
    "承诺",
    "警告",
    "呼吁",
    "总统",
    "总理",
)
#: A personal name in Latin letters: two to four capitalised words (Ana Souza), then no letter.
_LATIN_PERSON = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,3}(?![A-Za-z ])")
#: jieba tags of the tokens a foreign name after a title is cut into (哈里斯|特莲 nr nr).
_NAME_RUN_TAGS = frozenset(("nr", "nrt", "nrfg", "ns", "nz"))
#: Honorifics written after a full name (莫里先生): the run before them is a person's name.
_HONORIFICS = ("先生", "女士", "小姐")
#: Where a name before an honorific may start: after these or at a clause's start.
_BEFORE_HONORED_NAME = frozenset("和与及同、，,。；;：:“‘（( \n")
#: Peerages written after the place they are named for (格洛斯特公爵夫人): that place is no person.
_PEERAGES = ("公爵", "伯爵", "侯爵", "子爵", "男爵")
#: Words before a name that make it a storm's (飓风汉娜), not a person's.
_STORM_WORDS = ("飓风", "台风", "热带风暴", "风暴")
#: A character right after a "name" that makes it the start of a body or a place (楚家|军).
_BODY_OR_PLACE_AFTER = frozenset("军队村镇乡县市省州岛河湖山寺馆院社帮派族")
#: A place's level written after its name (德克萨斯州): the name is then a place's.
_PLACE_LEVEL = "[州市省县区镇乡村岛国]"
#: Words after a name that make it a virus variant's (德尔塔变种).
_VARIANT_WORDS = "变种|变异株|毒株|病毒"
#: Endings of a form of address, not a name (李氏, 江女士), or of a descent (韩裔, 华裔).
_NOT_NAME_ENDINGS = ("氏", "女士", "先生", "小姐", "夫人", "裔")
#: A quoted phrase of four characters, alone or in a series (“明德济世，修齐治平”): a motto, a
#: slogan or an idiom, whose first characters can read as a name (明德).
_QUOTED_FOUR = re.compile(f"(?<=[“「『‘，、])[{HAN_RANGES}]{{4}}(?=[”」』’，、])")
#: Last characters of the nouns of a quantity (颜值, 效率, 容量, 弹性): after 高/低/大 they make an
#: attribute (高颜值), not a given name.
_QUANTITY_ENDINGS = tuple("值率量性")
#: Last characters of transliterated names that Chinese given names hardly use (桑德斯, 波特,
#: 米勒尔): a "surname + given name" made of transliteration characters and ending in one of them
#: is a foreign name, which pinyin would garble (Sang Desi for Sanders).
_TRANSLITERATION_ENDINGS = frozenset("斯尔克特夫兹茨姆逊")
#: A brand's Latin name or @handle written right against its Chinese name (@Rosenthal卢臣泰,
#: 卢臣泰Rosenthal). A mixed-case word only: an upper-case one is a title or a body (CEO, NBA).
_LATIN_NAME_BEFORE = re.compile(r"(?:@[A-Za-z0-9_.-]+|(?<![A-Za-z])[A-Z][a-z]{2,})[（(]?$")
_LATIN_NAME_AFTER = re.compile(r"[A-Z][a-z]{2,}")
#: The two sides of a simile: 像 (好比, 如同, 犹如, 宛如, 仿佛) … 一样 (一般, 般, 似的).
_SIMILE_BEFORE = re.compile("(?:像|如|好比|好像|如同|犹如|宛如|仿佛|恰似)是?$")
_SIMILE_AFTER = re.compile("一样|一般|般|似的")
#: jieba frequency from which a given name that is a plain word marks no name (伊|核, 陆|海空).
_COMMON_LAC_GIVEN = 50
_LAC_NAME = re.compile(f"[{HAN_RANGES}]{{2,8}}(?:[·•‧・][{HAN_RANGES}]{{1,8}})*")
#: jieba frequency above which a two-character word is too common to be a given name (水平).
_COMMON_GIVEN_WORD = 5000
#: Frequency above which a word starting at a name's last character wins over the name (张华|明天).
_COMMON_NEXT_WORD = 1000
#: How frequent an ``nr`` word of jieba's dictionary is when it is a plain word (文明 6,584).
_PLAIN_NAME_WORD = 3000
# fmt: off
#: Characters of transliterated foreign names (Xinhua's transliteration tables use few others);
#: a foreign name is a run of them, and needs two of the rarer ones in ``TRANSLITERATION_STRONG``.
TRANSLITERATION_STRONG = frozenset(
    "阿斯尔克特波尼亚娜丝莎奥普夫姆兹茨罗拉雷登默萨曼森基泽蒂迪希莱维瓦耶埃伊奇科库卡塔纳"
    "诺佩里利洛鲁贾詹佐赫霍丘逊"
)
FOREIGN_NAME_CHARS = frozenset(
    "阿埃艾安奥巴拜班贝本比彼波伯博布查达戴丹德登迪蒂丁东杜多厄恩尔法凡菲费芬丰佛弗福盖冈"
    "戈格贡古圭哈海汉豪赫亨洪胡华霍基吉加贾杰金卡凯坎康考柯科克肯库夸奎拉莱赖兰朗劳勒雷蕾"
    "黎里理利丽莉连林琳卢鲁路伦罗洛吕马玛迈麦曼梅门蒙米敏明莫墨默姆穆纳娜奈南内尼宁纽努"
    "诺欧帕潘佩彭皮珀普齐奇乔切琴丘让萨塞桑瑟森沙莎尚舍什施史斯松苏索塔泰坦汤唐特滕图托"
    "瓦万威韦维温文沃乌伍西希锡谢辛休雅亚扬耶伊因英尤约泽扎詹兹佐翰逊瑞赛琼芙茜龙道肖"
) | TRANSLITERATION_STRONG | TRANSLITERATION
# fmt: on


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


def _is_common_word(word: str, threshold: int) -> bool:
    """A dictionary word that is not a name and at least ``threshold`` frequent in jieba's data."""
    tag = dictionary_tag(word)
    return tag is not None and not tag.startswith("nr") and word_frequency(word) >= threshold


def _is_plain_name_word(word: str) -> bool:
    """A two-character word jieba's dictionary tags ``nr`` but that is one of the language's
    frequent plain words (明白, 文明, 道德, 阳光): never the start of a longer name."""
    return dictionary_tag(word) == "nr" and word_frequency(word) >= _PLAIN_NAME_WORD


def _plausible_untitled_name(word: str) -> bool:
    """A jieba ``nr`` token that does not read as a plain word (季后赛, 国庆期 are tagged nr).

    jieba's dictionary also lists phrases such as 高水平 as names; a "given name" that is one of
    the language's most frequent plain words (水平) marks them.
    """
    if any(char in _NOT_GIVEN_CHARS for char in word[1:]):
        return False
    parts = split_name(word)
    if parts is not None and _is_common_word(parts[1], _COMMON_GIVEN_WORD):
        return False
    if sum(char in TRANSLITERATION for char in word) >= 2:
        return False  # 阿波罗, 古特雷
    return not is_word(word[:2])


class _PeopleFinder:
    def __init__(self, view: TextView) -> None:
        self.index = view.matches
        self.text = view.text
        self.people: dict[int, _Person] = {}
        #: Characters already given to a person: a later, less certain rule cannot take them.
        self.claimed = Occupancy(len(self.text))
        #: Names found as transliterations: pinyin would be wrong for them.
        self.foreign: set[str] = set()
        #: LAC's person spans, read once when a rule first asks (``_lac_trimmed``).
        self._lac_spans: list[tuple[int, int]] | None = None

    def add(self, start: int, end: int, titles: list[Title]) -> None:
        """Record a person unless an earlier rule already claimed that stretch of text."""
        if self._starts_longer_word(start, end):
            return  # 高抬贵|手: the "name" is the start of an idiom
        if self.text[start:end] in foreign_countries():
            return  # 布隆迪表示: jieba's dictionary calls some countries personal names
        if end - start == 3 and self.text[end : end + 1] == _YA and self._reads_japanese(start):
            end += 1  # 日本导演石井裕|也: a given name in -ya (Yuya), not 也 "also"
            self.foreign.add(self.text[start:end])  # no pinyin: not a Chinese name
        if self.claimed.is_free(start, end):
            self.claimed.claim(start, end)
            self.people[start] = _Person(start, end, list(titles))

    def _starts_longer_word(self, start: int, end: int) -> bool:
        """Whether the text from ``start`` reads on past ``end`` as one dictionary word."""
        return any(
            is_word(self.text[start : end + extra])
            for extra in (1, 2)
            if end + extra <= len(self.text) and end + extra - start >= 4
        )

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
            and (self._name_ends_before(end + 1) or not self._next_word_wins(end))
        ):
            end += 1
        if is_word(text[position:end]) or is_word(text[position : position + len(parts[0]) + 1]):
            return None  # 强调, 国庆(期): a dictionary word that is not a name
        if end - position > 2 and _is_plain_name_word(text[position : position + 2]):
            return None  # 文明|素养: jieba's dictionary files 文明 "civilisation" as a name
        return end

    def _next_word_wins(self, position: int) -> bool:
        """张华|明天出发, 王刚|强调: a verb or a frequent word starts at ``position``.

        The caller lets the name keep that character anyway when a word that ends names follows
        it (王伟超|出席: 超出 is a verb; 张丽华|表示: 华表 is a word).
        """
        return _starts_verb(self.text, position) or _is_common_word(
            self.text[position : position + 2], _COMMON_NEXT_WORD
        )

    def foreign_name_at(self, position: int) -> tuple[int, bool] | None:
        """A transliterated foreign name starting at ``position`` (泽连斯基, 拜登): (end, sure).

        The name is the run of transliteration characters there (2 to 8 of them), stopped by a
        word that ends names, and must not start a glossary term. It is ``sure`` with two of the
        rarer transliteration characters; with one, only when it is three characters long or a
        word that ends names follows it (莱希表示), and no Chinese name reads there instead.
        """
        text = self.text
        end = position
        while (
            end < len(text)
            and end - position < 8
            and text[end] in FOREIGN_NAME_CHARS
            and (end == position or not text.startswith(_AFTER_NAME, end))
        ):
            end += 1
        if end - position < 2 or self.index.starting_at(position) is not None:
            return None
        strong = sum(char in TRANSLITERATION_STRONG for char in text[position:end])
        if strong >= 2:
            return end, True
        if strong == 1 and (end - position >= 3 or self._name_ends_before(end)):
            return end, False
        return None

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

    def find_dateline_bylines(self) -> None:
        """``7月26日电 (杨伏山 张舒姗 许靖熠)``: the names in brackets after a dateline's 电, each a
        whole Chinese name, separated by spaces."""
        for match in _DATELINE_BYLINE.finditer(self.text):
            names = list(re.finditer(f"[{HAN_RANGES}]+", match.group(1)))
            if not all(self._is_exact_name(match.start(1) + n.start(), n.group()) for n in names):
                continue
            reporter = ("记者", self.index.glossary.english("记者") or "reporter")
            for name in names:
                start = match.start(1) + name.start()
                self.add(start, start + len(name.group()), [reporter])

    def find_line_bylines(self) -> None:
        """``总台记者 杨洪`` at a line's end, ``作者：于晓 责任编辑：…``: a reporter or author whose
        name a space or the line's end closes (no bracket, unlike ``find_bylines``)."""
        for match in _LINE_BYLINE.finditer(self.text):
            word, start = match.group(1), match.start(1)
            parts = split_name(word)
            if parts is None or not 1 <= len(parts[1]) <= 2 or is_word(word):
                continue
            if self.index.starting_at(start) is not None:
                continue
            role = match.group()[: match.start(1) - match.start()].strip(" \u3000：:")
            self.add(start, start + len(word), [(role, self.index.glossary.english(role) or "")])

    def find_known(self) -> None:
        """Full names listed in ``data/known_names.tsv`` (乔·拜登, 岸田文雄), wherever written.

        Short forms (拜登) get their English only when another rule finds them as persons: written
        alone they also name a government or an era (拜登政府, 普京时代).

        Not where the name runs on into more transliteration or a middle dot (萨|卢拉|斯:
        another name), unless a glossary term (a title) borders it there.
        """
        text = self.text
        for match in _known_names_pattern().finditer(text):
            start, end = match.span()
            before, after = text[start - 1 : start], text[end : end + 1]
            if before in _NAME_RUN_ON and self.index.ending_at(start) is None:
                continue  # not after a term (总理|莫迪 is a title, then the name)
            if after in _NAME_RUN_ON and self.index.starting_at(end) is None:
                continue
            self.add(start, end, self.titles_before(start))

    def find_glossed(self) -> None:
        """``沙普斯（Grant Shapps）``: transliteration characters right before a bracketed Latin
        name of two to four capitalised words (not a place or body: Islands, Ministry ...)."""
        for match in _LATIN_GLOSS.finditer(self.text):
            if any(word in _NOT_PERSON_WORDS for word in re.split("[ -]", match.group(1))):
                continue
            end = start = match.start()
            while start > 0 and end - start < 8 and self.text[start - 1] in FOREIGN_NAME_CHARS:
                start -= 1
            if end - start < 2 or self.text[start:end] in foreign_countries():
                continue
            if self.text[start - 1 : start] in "·•‧・":
                continue  # the last part of a dotted name
            if sum(char in TRANSLITERATION_STRONG for char in self.text[start:end]) < 1:
                continue
            if self.index.starting_at(start) is not None:
                continue
            self.add(start, end, self.titles_before(start))
            self.foreign.add(self.text[start:end])

    def find_titled(self, tagged: Sequence[Tagged] | None = None) -> None:
        """Names right after a title chain, and the names listed after them."""
        tokens = {start: (word, flag) for start, word, flag in tagged or ()}
        for match in self.index.matches:
            if match.entry.kind not in TITLE_KINDS:
                continue
            end = self.name_at(match.end)
            if end is not None and (longer := self._longer_than_chinese(match.end, end)) > end:
                end = longer
                self.foreign.add(self.text[match.end : end])  # no pinyin: not a Chinese name
            foreign = self.foreign_name_at(match.end)
            if foreign is not None and (end is None or (foreign[1] and foreign[0] >= end)):
                end = foreign[0]  # 总统泽连斯基, not 泽 + 连斯基
                self.foreign.add(self.text[match.end : end])
            tagged_end = self._transliterated_tokens(tokens, match.end)
            if tagged_end is not None and (end is None or tagged_end > end):
                end = tagged_end  # 总统根哥布, 局长阿卜杜拉哈米德: jieba's nrt tokens
                self.foreign.add(self.text[match.end : end])
            latin = _LATIN_PERSON.match(self.text, match.end)
            if latin is not None and end is None and match.entry.term not in _BYLINE_ROLES:
                self.add(match.end, latin.end(), self.titles_before(match.end))
                self.foreign.add(latin.group())
                continue  # 主席Ana Souza: a name written in Latin letters after the title
            run_end = self._name_tokens_after_title(tokens, match)
            if run_end is not None and (end is None or run_end > end):
                end = run_end  # 州长|哈里斯|特莲: one name jieba cut in two
                self.foreign.add(self.text[match.end : end])
            if end is None:
                continue
            titles = self.titles_before(match.end)
            self.add(match.end, end, titles)
            self._follow_list(end, titles)

    def _longer_than_chinese(self, start: int, end: int) -> int:
        """``end``, or one character further for a titled name longer than a Chinese one, that
        the surname rule cut short (主席安藤裕|康、, 演员吉日木|图、: Japanese and Mongolian names;
        ``add`` keeps the 也 of 石井裕|也): only a three-character reading, and only when the
        next character is no function word and starts no word that ends names, and the name ends
        right after it (punctuation, a word that ends names, a verb)."""
        text = self.text
        if end - start != 3 or split_name(text[start:end]) is None:
            return end
        if all(c in FOREIGN_NAME_CHARS for c in text[start:end]):
            return end  # 戴维斯|曾: a whole transliterated name
        char = text[end : end + 1]
        if not is_han(char) or char in _NOT_GIVEN_START or char in _FUNCTION_CHARS:
            return end
        if char in _NOT_LAST_NAME_CHARS or self._name_ends_before(end):
            return end
        if is_word(text[end : end + 2]) or is_word(text[start : end + 1]):
            return end
        after = end + 1
        if is_han(text[after : after + 1]) and not (
            text.startswith(_AFTER_NAME, after) or _starts_verb(text, after)
        ):
            return end
        return after

    def _reads_japanese(self, start: int) -> bool:
        """A name at ``start`` with a two-character Japanese surname (石井, 安藤: its second
        character is one Japanese surnames end in) in a sentence that says Japan before it."""
        if self.text[start + 1 : start + 2] not in _JAPANESE_SURNAME_ENDS:
            return False
        sentence_start = max(self.text.rfind(mark, 0, start) for mark in "。！？\n")
        return any(cue in self.text[sentence_start + 1 : start] for cue in _JAPAN_CUES)

    def _transliterated_tokens(self, tokens: dict[int, tuple[str, str]], start: int) -> int | None:
        """End of the jieba tokens from ``start`` that make one foreign name written without a
        middle dot: at least one ``nrt`` (transliterated name) token, joined by ``nrt`` tokens or
        ``nr`` tokens of transliteration characters (or any ``nr`` first token right before an
        ``nrt`` one), eight characters at most."""
        end, seen_nrt = start, False
        while end in tokens and end - start < 8:
            word, flag = tokens[end]
            if self.index.starting_at(end) is not None or is_word(word):
                break
            following = tokens.get(end + len(word), ("", ""))[1]
            if flag == "nrt":
                seen_nrt = True
            elif flag != "nr":
                break
            elif not all(char in FOREIGN_NAME_CHARS for char in word) and not (
                end == start and following == "nrt"
            ):
                break  # 鲍里斯|约翰逊 joins (a given name before a transliterated one); 王刚 not
            end += len(word)
        if not seen_nrt or end - start < 2 or end - start > 8:
            return None
        if self.text[start:end] in foreign_countries():
            return None
        return end

    def _name_tokens_after_title(
        self, tokens: dict[int, tuple[str, str]], title: Match
    ) -> int | None:
        """End of a foreign name written without a dot right after a title, where jieba cuts it
        into name or place tokens (哈里斯|特莲 nr nr) or reads it as one proper
        noun (nz): three to eight characters, all of them transliteration characters but the last
        (莲, 治 end names too), one of the rarer ones among them, and a speech verb or a
        non-name token after it. Not after a byline role (记者 may precede a city), not a
        glossary term or a country."""
        if title.entry.kind != "title" or title.entry.term in _BYLINE_ROLES:
            return None
        start = end = title.end
        while end in tokens and end - start < 8:
            word, flag = tokens[end]
            if flag not in _NAME_RUN_TAGS or not all(is_han(char) for char in word):
                break
            if self.index.starting_at(end) is not None:
                break
            end += len(word)
        if end > start and tokens.get(end, ("", ""))[1].startswith("n") and self._closes_name(end):
            end += 1  # 沃尔德|莲|表示: jieba leaves the name's last character alone (a noun)
        run = self.text[start:end]
        if not 3 <= len(run) <= 8 or run in foreign_countries():
            return None
        if not all(char in FOREIGN_NAME_CHARS for char in run[:-1]):
            return None
        if not any(char in TRANSLITERATION_STRONG for char in run):
            return None
        if split_name(run) is not None and len(run) <= 3 and run[-1] not in FOREIGN_NAME_CHARS:
            return None  # a Chinese name the other rules read
        return end

    def _closes_name(self, position: int) -> bool:
        """Whether the one character at ``position`` ends the name before it: a Han character
        that is no function word and starts no word that ends names, with such a word or
        punctuation right after it."""
        text = self.text
        char = text[position : position + 1]
        if not is_han(char) or char in _NOT_GIVEN_START or text.startswith(_AFTER_NAME, position):
            return False
        after = text[position + 1 : position + 2]
        return not is_han(after) or text.startswith((*_AFTER_NAME, "曾"), position + 1)

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
            if start == first_dot:
                start = self._place_named_first_part(tagged, ends.get(first_dot), first_dot)
            start, end = self._lac_trimmed(start, end, first_dot, last_dot + 1)
            if first_dot - start >= 3 and self.text[start] in _JOINING_CHARS:
                start += 1  # 胡志明主席和|凯山·丰威汉: jieba reads 和凯山 as one name
            if start < first_dot and end > last_dot + 1:
                self.add(start, end, self.titles_before(start))

    def _place_named_first_part(
        self, tagged: Sequence[Tagged], index: int | None, first_dot: int
    ) -> int:
        """Where a dotted name starts whose first part jieba reads as a place (亚历山大·阿科斯塔:
        亚历山大 is also Alexandria): the place word, when a transliterated name (``nrt``)
        follows the dot; else ``first_dot`` (no first part)."""
        if index is None:
            return first_dot
        start, word, flag = tagged[index]
        after = next((t for t in tagged[index + 1 : index + 3] if t[0] > first_dot), None)
        if flag != "ns" or not 2 <= len(word) <= 5 or not all(is_han(c) for c in word):
            return first_dot
        if after is None or after[2] != "nrt" or word in foreign_countries():
            return first_dot
        return start

    def _lac_trimmed(self, start: int, end: int, first: int, last: int) -> tuple[int, int]:
        """``[start, end)`` cut to the name LAC reads inside it across the dots at ``first`` and
        ``last``: jieba's pieces run into the words around a name (迈希|希为: 为 is "as";
        顾问|凯莉安: a role noun). LAC only trims here, never extends."""
        if not lac_enabled():
            return start, end
        if self._lac_spans is None:
            self._lac_spans = lac_people(self.text)
        for begin, stop in self._lac_spans:
            if start <= begin < first and last < stop <= end:
                return begin, stop
        return start, end

    def find_dashed(self, tagged: Sequence[Tagged]) -> None:
        """Foreign names whose two parts a dash joins (昆汀—塔伦蒂诺, 乔治-卢卡斯).

        A dash joins many things (中国-东盟, 2020-2021), so each side is grown only over name
        tokens (jieba ``nr``/``nrt``, or transliterations and ``ns`` words the glossary does not
        know), and the whole needs two of the rarer transliteration characters.
        """
        starts = {start: index for index, (start, _, _) in enumerate(tagged)}
        ends = {start + len(word): index for index, (start, word, _) in enumerate(tagged)}
        for dash in _DASH.finditer(self.text):
            left = self._grow_name(tagged, ends.get(dash.start()), step=-1, limit=dash.start())
            right = self._grow_name(tagged, starts.get(dash.end()), step=1, limit=dash.end())
            if left == dash.start() or right == dash.end():
                continue
            name = self.text[left : dash.start()] + self.text[dash.end() : right]
            if sum(char in TRANSLITERATION_STRONG for char in name) < 2:
                continue
            if self.claimed.is_free(left, right):
                self.add(left, right, self.titles_before(left))
                self.foreign.add(self.text[left:right])

    def _grow_name(self, tagged: Sequence[Tagged], index: int | None, step: int, limit: int) -> int:
        """The outer edge of the name tokens from ``index`` on (at most six characters)."""
        edge = limit
        while index is not None and 0 <= index < len(tagged) and abs(edge - limit) < 6:
            start, word, flag = tagged[index]
            transliterated = all(char in FOREIGN_NAME_CHARS for char in word)
            named = flag.startswith("nr") or transliterated or flag == "ns"
            if not named or not all(is_han(char) for char in word):
                break
            if self.index.starting_at(start) is not None or word in foreign_countries():
                break  # 中国-东盟: a place or term of the glossary, not a name
            edge = start if step < 0 else start + len(word)
            index += step
        return edge

    def _grow(self, tagged: Sequence[Tagged], index: int | None, step: int, limit: int) -> int:
        """The outer edge of a name part: tokens from ``index`` on that are not ordinary words."""
        edge = limit
        taken = 0
        while index is not None and 0 <= index < len(tagged) and taken < 6:
            start, word, flag = tagged[index]
            transliterated = all(char in FOREIGN_NAME_CHARS for char in word)
            ordinary = is_word(word) and not flag.startswith("nr") and not transliterated
            if ordinary or not all(is_han(char) for char in word):
                break
            if self.index.starting_at(start, *TITLE_KINDS) is not None:
                break
            taken += len(word)
            edge = start if step < 0 else start + len(word)
            index += step
        return edge

    def find_honored(self) -> None:
        """A full name right before 先生/女士 (莫里先生, 王家明女士), starting after a conjunction,
        a comma or a quote: two to five characters, all transliteration characters or a Chinese
        surname and given name (陈先生, a surname alone, is no name)."""
        text = self.text
        for honorific in re.finditer("|".join(_HONORIFICS), text):
            end = honorific.start()
            start = end
            while start > 0 and end - start < 5 and text[start - 1] not in _BEFORE_HONORED_NAME:
                start -= 1
            if start > 0 and text[start - 1] not in _BEFORE_HONORED_NAME:
                continue
            run = text[start:end]
            if len(run) < 2 or not all(is_han(char) for char in run) or "某" in run:
                continue  # 张某先生: a name the text withholds
            if self.index.starting_at(start) is not None or run in foreign_countries():
                continue
            parts = split_name(run)
            chinese = parts is not None and 1 <= len(parts[1]) <= 2 and not is_word(run)
            foreign = all(char in FOREIGN_NAME_CHARS for char in run) and not is_word(run[:2])
            if not chinese and not foreign:
                continue
            self.add(start, end, self.titles_before(start))
            if not chinese:
                self.foreign.add(run)

    def find_tagged(self, tagged: Iterable[Tagged]) -> None:
        """jieba nr/nrfg tokens of three characters (four with a compound surname), and
        transliterated names (jieba's ``nrt``, or ``nr`` made of transliteration characters)."""
        tagged = list(tagged)
        tokens = {start: (word, flag) for start, word, flag in tagged}
        dotted_parts = {
            part
            for person in self.people.values()
            for part in re.split("[·•‧・]", self.text[person.start : person.end])[1:]
        }
        for index, (start, word, flag) in enumerate(tagged):
            if self._is_tagged_foreign(start, word, flag):
                begin = self._foreign_start(tagged, index)
                if self.text[begin : start + len(word)] not in dotted_parts:
                    self.add(begin, start + len(word), self.titles_before(begin))
                    self.foreign.add(self.text[begin : start + len(word)])
                continue
            following = tokens.get(start + len(word), ("", ""))[1]
            if flag == "nr" and following == "nrt" and dictionary_tag(word) is None:
                end = self._transliterated_tokens(tokens, start)
                if end is not None and end - start > len(word):
                    self.add(start, end, self.titles_before(start))
                    self.foreign.add(self.text[start:end])
                continue  # 叶夫梅|诺夫: the start of a foreign name, not a Chinese one
            if flag not in ("nr", "nrfg") or not 3 <= len(word) <= 4:
                continue
            parts = split_name(word)
            if parts is None or not 1 <= len(parts[1]) <= 2:
                continue
            if self.index.starting_at(start) is not None or not _plausible_untitled_name(word):
                continue  # 伊朗核 starts with a place
            self.add(start, start + len(word), self.titles_before(start))

    def _foreign_start(self, tagged: Sequence[Tagged], index: int) -> int:
        """Where a tagged foreign name starts: jieba cuts some in two (杜特|尔特, 安达|纳尔), so
        name tokens of transliteration characters right before it belong to it."""
        begin = tagged[index][0]
        if len(tagged[index][1]) > 2:
            return begin  # 彼得大帝: whole (沙皇 before it is a title)
        while index > 0 and begin - tagged[index - 1][0] + len(tagged[index][1]) <= 8:
            start, word, flag = tagged[index - 1]
            if not flag.startswith("nr") or not all(char in FOREIGN_NAME_CHARS for char in word):
                break
            if self.index.starting_at(start) is not None:
                break
            begin, index = start, index - 1
        return begin

    def _is_tagged_foreign(self, start: int, word: str, flag: str) -> bool:
        """拜登 (nrt): a transliterated name jieba tags; not a glossary term or a plain word."""
        if flag not in ("nrt", "nr") or not 2 <= len(word) <= 6:
            return False
        if not all(char in FOREIGN_NAME_CHARS for char in word):
            return False
        if self.index.starting_at(start) is not None or is_word(word):
            return False
        if not self.text.startswith(_FOREIGN_NAME_CUES, start + len(word)):
            return False  # 阿波罗号, 德尔塔毒株: transliterated, but not said to act as a person
        strong = sum(char in TRANSLITERATION_STRONG for char in word)
        return strong >= 2 or (strong == 1 and flag == "nrt")

    def find_lac_named(self, spans: Iterable[tuple[int, int]]) -> None:
        """Names only LAC reads as persons (``lac_vote.lac_people``), the last and least sure rule.

        This finds names no rule can see: 普京 (a place in jieba's dictionary), names after a role
        noun (武士楚魂, 巡视员白金海), a byline name alone on its line. Longest first; a span that
        is part of a name already found (一龙 of 东一龙) or that fails
        ``_plausible_lac_name`` is skipped.
        """
        for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
            word = self.text[start:end]
            if not self._plausible_lac_name(start, end):
                continue
            known = {self.text[p.start : p.end] for p in self.people.values()}
            if any(word in name and word != name for name in known):
                continue
            before = len(self.people)
            self.add(start, end, self.titles_before(start))
            if len(self.people) > before and split_name(word) is None:
                self.foreign.add(word)  # 彼得大帝, 东一龙: no pinyin

    def _plausible_lac_name(self, start: int, end: int) -> bool:
        """Whether LAC's "name" at ``[start, end)`` can stand as a person's.

        Chinese characters (a middle dot allowed), no 某 and no 氏/女士/裔 ending; not a storm
        (飓风汉娜) or a virus variant (德尔塔变种); not the start of a body or place (楚家|军), a
        foreign place, or a name the text also writes with a place's level (德克萨斯州); not at,
        inside or running into a glossary term (穆罕默德王|储) or a gazetteer place (萨斯|卡通).
        A Chinese name's given part must not be a common plain word (伊核, 董秘, 陆海空; 普京's 京
        is a place word and passes), nor three characters after a one-character surname (明德济世,
        a motto) or a quantity (高颜值); nothing inside a quoted four-character phrase (“明德济世，
        修齐治平”: 明德). A name without a known surname must be a transliteration or follow a
        title (沙皇彼得大帝). Transliterations (安东尼奥) are exempt from the surname rules.
        """
        text, word = self.text, self.text[start:end]
        if not _LAC_NAME.fullmatch(word) or "某" in word or word.endswith(_NOT_NAME_ENDINGS):
            return False
        if text.endswith(_STORM_WORDS, 0, start) or text[end : end + 1] in _BODY_OR_PLACE_AFTER:
            return False
        if word in foreign_countries() or foreign_places().get(word) is not None:
            return False
        if re.search(re.escape(word) + f"(?:{_PLACE_LEVEL}|{_VARIANT_WORDS})", text):
            return False  # 德克萨斯 where the text also writes 德克萨斯州; 德尔塔变种
        if self.index.starting_at(start) is not None or self._inside_term(start):
            return False
        if self._in_quoted_four(start, end):
            return False
        if self._inside_term(end) or self._in_foreign_place(start, end):
            return False
        tag = dictionary_tag(word)
        if tag is not None and tag[:2] not in ("nr", "ns"):
            return False
        parts = split_name(word)
        if parts is None:
            letters = word.replace("·", "")
            foreign = all(char in FOREIGN_NAME_CHARS for char in letters)
            return foreign or bool(self.titles_before(start))
        given = parts[1]
        foreign = all(char in FOREIGN_NAME_CHARS for char in word)
        if len(given) >= 3 and len(parts[0]) == 1 and not foreign:
            return False  # 明德济世: a motto or an idiom, not a surname and three characters
        if given.endswith(_QUANTITY_ENDINGS) and not foreign:
            return False  # 高颜值: an attribute
        given_tag = dictionary_tag(given)
        return not (
            given_tag is not None
            and given_tag[:2] not in ("nr", "ns", "g")
            and word_frequency(given) >= _COMMON_LAC_GIVEN
        )

    def _in_quoted_four(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies in a four-character phrase of a quotation (a motto)."""
        for match in _QUOTED_FOUR.finditer(
            self.text, max(0, start - 4), min(len(self.text), end + 4)
        ):
            if match.start() <= start and end <= match.end() and self._quoted(match.start()):
                return True
        return False

    def _quoted(self, position: int) -> bool:
        """Whether an opening quotation mark comes before ``position`` in its sentence, unclosed."""
        before = re.split("[。！？!?\n]", self.text[max(0, position - 40) : position])[-1]
        opened = max(before.rfind(mark) for mark in "“「『‘")
        closed = max(before.rfind(mark) for mark in "”」』’")
        return opened > closed

    def _in_foreign_place(self, start: int, end: int) -> bool:
        """Whether a gazetteer place covers part of ``[start, end)`` (萨斯 of 萨斯卡通)."""
        places = foreign_places()
        for begin in range(max(0, start - 8), end):
            entry = places.match_at(self.text, begin)
            if entry is not None and begin + len(entry.term) > start:
                return True
        return False

    def _inside_term(self, position: int) -> bool:
        """Whether a glossary term starting before ``position`` runs past it."""
        for back in range(1, 12):
            match = self.index.starting_at(position - back) if position - back >= 0 else None
            if match is not None and match.end > position:
                return True
        return False

    # --- mentions -----------------------------------------------------------------------------

    def mentions(self, vote: bool = False) -> list[PersonMention]:
        """Every mention of every person found, each carrying the person's merged titles.

        With ``vote``, untitled Chinese names that LAC does not read as names are dropped
        (``lac_vote``).
        """
        by_name = self._titles_by_name()
        if vote:
            self._drop_unconfirmed(by_name)
        spans = self._full_name_spans(by_name)
        self._drop_non_persons(by_name, spans)
        self._add_surname_title_spans(by_name, spans)
        listed_foreign = foreign_by_list(self.text, spans, self.foreign)
        mentions = []
        for start in sorted(spans):
            end, name = spans[start]
            titles = by_name[name]
            mentions.append(
                PersonMention(
                    start,
                    end,
                    self.text[start:end],
                    name_en=known_names().get(name)
                    or ("" if name in listed_foreign else self._english(name)),
                    titles=tuple(written for written, _ in titles),
                    titles_en=tuple(english for _, english in titles),
                )
            )
        return mentions

    def _english(self, name: str) -> str:
        """A Latin name as written, none for a transliteration, pinyin for a Chinese name."""
        if name.isascii():
            return name
        return "" if name in self.foreign else english_name(name)

    def _drop_non_persons(
        self, by_name: dict[str, list[Title]], spans: dict[int, tuple[int, str]]
    ) -> None:
        """Untitled "names" the text shows to be things: a brand or a simile's object.

        A name written right against a Latin name or an @handle is that name's Chinese form
        (@Rosenthal卢臣泰: a brand), and a name found only as what something is likened to
        (就像马卡龙一样可爱) is a thing; a person likened to (像雷锋一样) is lost with it, a
        price worth paying, as news rarely likens to a person it does not otherwise name.
        """
        occurrences: dict[str, list[int]] = {}
        for start, (_, name) in spans.items():
            occurrences.setdefault(name, []).append(start)
        dropped = set()
        for name, starts in occurrences.items():
            if all(self.text.startswith(_PEERAGES, start + len(name)) for start in starts):
                dropped.add(name)  # 格洛斯特|公爵夫人: the place a peerage is named for
                continue
            if by_name.get(name):
                continue
            brand = any(self._beside_latin_name(start, start + len(name)) for start in starts)
            if brand or all(self._simile_object(start, start + len(name)) for start in starts):
                dropped.add(name)
        for name in dropped:
            del by_name[name]
        for start in [start for start, (_, name) in spans.items() if name in dropped]:
            del spans[start]

    def _beside_latin_name(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` touches a capitalised Latin word or an @handle (a brand)."""
        return bool(
            _LATIN_NAME_BEFORE.search(self.text, max(0, start - 40), start)
            or _LATIN_NAME_AFTER.match(self.text, end)
        )

    def _simile_object(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` is what a simile likens to: 像|X|一样, 如同|X|般."""
        return bool(
            _SIMILE_BEFORE.search(self.text, max(0, start - 3), start)
            and _SIMILE_AFTER.match(self.text, end)
        )

    def _drop_unconfirmed(self, by_name: dict[str, list[Title]]) -> None:
        """Untitled Chinese names (no title anywhere, not foreign) LAC does not tag as persons."""
        starts: dict[str, list[int]] = {}
        for person in self.people.values():
            starts.setdefault(self.text[person.start : person.end], []).append(person.start)
        for name, titles in list(by_name.items()):
            if titles or name in self.foreign or _written_foreign(name):
                continue  # a transliteration only guessed from its characters is still voted on
            if not lac_reads_as_person(self.text, name, starts.get(name, ())):
                del by_name[name]  # 马兰头: jieba's dictionary calls the vegetable a name

    def _titles_by_name(self) -> dict[str, list[Title]]:
        by_name: dict[str, list[Title]] = {}
        for person in sorted(self.people.values(), key=lambda p: p.start):
            titles = by_name.setdefault(self.text[person.start : person.end], [])
            titles.extend(title for title in person.titles if title not in titles)
        untitled = [name for name, titles in by_name.items() if not titles]
        for name, title in self._titles_after(untitled).items():
            by_name[name].append(title)
        return by_name

    def _titles_after(self, names: list[str]) -> dict[str, Title]:
        """A title written right after each name (习近平总书记, 李克强总理), first occurrence.

        One scan of the text for all names together: the cost grows with the text, not with the
        text times the number of people (a multi-megabyte input has thousands).
        """
        found: dict[str, Title] = {}
        for match in _alternation(names).finditer(self.text):
            name = match.group()
            if name in found:
                continue
            title = self.index.starting_at(match.end(), "title")
            if title is not None:
                found[name] = (title.entry.term, title.entry.english)
        return found

    def _full_name_spans(self, by_name: dict[str, list[Title]]) -> dict[int, tuple[int, str]]:
        """start -> (end, name) for every occurrence of every name (the longest name at a place).

        One left-to-right scan with all names as one pattern, longest first: linear in the text.
        """
        spans: dict[int, tuple[int, str]] = {}
        for match in _alternation(list(by_name)).finditer(self.text):
            spans[match.start()] = (match.end(), match.group())
        return spans

    def _add_surname_title_spans(
        self, by_name: dict[str, list[Title]], spans: dict[int, tuple[int, str]]
    ) -> None:
        """张书记 -> 张建华, when 张建华 is the only person of that surname in the article."""
        by_surname: dict[str, list[str]] = {}
        for name in by_name:
            parts = split_name(name)
            if parts:
                by_surname.setdefault(parts[0], []).append(name)
        single = {surname: names[0] for surname, names in by_surname.items() if len(names) == 1}
        taken = Occupancy(len(self.text), ((start, end) for start, (end, _) in spans.items()))
        for match in _alternation(list(single)).finditer(self.text):
            title = self.index.starting_at(match.end(), *TITLE_KINDS)
            if title is not None and taken.is_free(match.start(), title.end):
                taken.claim(match.start(), title.end)
                spans[match.start()] = (title.end, single[match.group()])


#: Characters that continue a transliterated name past a known one (萨|卢拉|斯).
_NAME_RUN_ON = FOREIGN_NAME_CHARS | frozenset("·•‧・")


@cache
def _known_names_pattern() -> re.Pattern[str]:
    return _alternation(sorted(full_known_names()))


def _alternation(words: list[str]) -> re.Pattern[str]:
    """One pattern matching any of ``words``, the longest where several start at a place.

    Shaped as a trie (``glossary.trie_regex``), so a scan costs the same with thousands of names.
    """
    return re.compile(trie_regex(words))


def is_surname_with_title(mention: PersonMention, glossary: Glossary) -> bool:
    """Whether a mention is the short form 张书记 rather than a name as written (张建华)."""
    parts = split_name(mention.text)
    if parts is None:
        return False
    entry = glossary.get(parts[1])
    return entry is not None and entry.kind in TITLE_KINDS


def reads_as_transliteration(name: str) -> bool:
    """Whether an undotted name is a foreign one in transliteration characters: three or more
    such characters, and the last one that Chinese given names hardly end with (桑德斯, 米勒尔);
    or five or more (斯皮尔伯格), longer than a Chinese name runs; or no Chinese surname first
    (尼科尔); or four after a one-character surname (索洛里奥), as a Chinese given name has at
    most two. A real surname and a two-character given name (艾福梅, 鲁金博) stay Chinese."""
    if len(name) < 3 or not all(char in FOREIGN_NAME_CHARS for char in name):
        return False
    if len(name) >= 5 or name[-1] in _TRANSLITERATION_ENDINGS:
        return True
    parts = split_name(name)
    return parts is None or len(parts[1]) > 2


def foreign_by_list(text: str, spans: dict[int, tuple[int, str]], foreign: set[str]) -> set[str]:
    """Names of transliteration characters (three or four, 安德鲁) listed right beside a foreign
    name (、 和 与 及 between them): in 特朗普、安德鲁 both are foreign, although 安德鲁 alone
    could read as the surname 安 and a given name. ``spans`` is start -> (end, name)."""
    by_end = {end: name for end, name in spans.values()}

    def is_foreign(name: str | None) -> bool:
        return name is not None and (
            name in foreign
            or name in found
            or _written_foreign(name)
            or reads_as_transliteration(name)
        )

    found: set[str] = set()
    grown = True
    while grown:  # 特朗普、安德鲁、欧金妮: 欧金妮 is foreign through 安德鲁
        grown = False
        for start, (end, name) in spans.items():
            if name in found or not 3 <= len(name) <= 4:
                continue
            if not all(char in FOREIGN_NAME_CHARS for char in name):
                continue
            before = by_end.get(start - 1) if text[start - 1 : start] in _LIST_JOINS else None
            after = spans.get(end + 1) if text[end : end + 1] in _LIST_JOINS else None
            if any(is_foreign(beside) for beside in (before, after[1] if after else None)):
                found.add(name)
                grown = True
    return found


#: What joins the names of a list: 特朗普、安德鲁, 特朗普和安德鲁.
_LIST_JOINS = frozenset("、和与及")


def _written_foreign(name: str) -> bool:
    """A foreign name by how it is written: its parts joined by a middle dot or a dash."""
    return bool(_DOTTED_NAME.fullmatch(name) or _DASH.search(name))


def english_name(name: str) -> str:
    """Pinyin for a Chinese name; empty for a foreign one (a transliteration is not pinyin)."""
    return "" if _written_foreign(name) or reads_as_transliteration(name) else romanize_name(name)


def find_people(view: TextView) -> list[PersonMention]:
    """Every person mention in ``view.text``, rules applied from most to least certain.

    Without ``view.tagged`` (a hints analysis) the two rules that read jieba's POS tags are
    skipped: foreign names with middle dots and untitled names jieba tags as names.
    """
    tagged = view.tagged
    finder = _PeopleFinder(view)
    view.check()
    finder.find_bylines()
    finder.find_dateline_bylines()
    finder.find_known()
    if tagged is not None:
        finder.find_dotted(tagged)
        finder.find_dashed(tagged)
    view.check()
    finder.find_titled(tagged)
    finder.find_name_lists()
    finder.find_line_bylines()
    finder.find_glossed()
    finder.find_honored()
    view.check()
    if tagged is not None:
        finder.find_tagged(tagged)
    vote = tagged is not None and lac_enabled()
    view.check()
    if vote:
        finder.find_lac_named(lac_people(view.text))
    view.check()
    mentions = finder.mentions(vote=vote)
    return joined_lac_pieces(view, mentions) if vote else mentions


#: Dots that join the parts of a foreign name (穆罕默德·本·萨尔曼).
_PIECE_DOTS = "·•‧・"
#: The longest name pieces are joined into.
_LONGEST_JOINED = 12


def _lac_chains(view: TextView) -> list[tuple[int, int]]:
    """LAC's person spans joined where they touch or a middle dot parts them (莫哈末|阿迪,
    穆罕默热|·|本·萨尔曼): LAC cuts long transliterated names into pieces. A piece that is a
    title of the glossary (王储) joins nothing."""
    chains: list[tuple[int, int]] = []
    for start, end in lac_people(view.text):
        if view.matches.starting_at(start, *TITLE_KINDS) is not None:
            continue
        if chains:
            last_start, last_end = chains[-1]
            gap = view.text[last_end:start]
            if gap == "" or (len(gap) == 1 and gap in _PIECE_DOTS):
                chains[-1] = (last_start, end)
                continue
        chains.append((start, end))
    return chains


#: The share of a joined name's characters that must be transliteration's (瓜哈尔多: 瓜 is
#: not among them, 哈尔多 are).
_TRANSLITERATED_SHARE = 0.6


def _is_transliterated(written: str) -> bool:
    """Han characters and middle dots only, most of them characters of transliteration."""
    chars = [char for char in written if char not in _PIECE_DOTS]
    if not chars or not all(is_han(char) for char in chars):
        return False
    foreign = sum(1 for char in chars if char in FOREIGN_NAME_CHARS)
    return foreign >= _TRANSLITERATED_SHARE * len(chars)


def joined_lac_pieces(view: TextView, mentions: list[PersonMention]) -> list[PersonMention]:
    """Mentions grown to the whole transliterated name LAC reads around them: the rules read
    a piece of it (莫哈末 and 阿迪 for 莫哈末阿迪, 索斯盖 for 索斯盖特). A name grows only where
    the chain is mostly characters of transliteration, holds a rule's mention, is longer and
    holds no title (安德鲁王子); every mention of the short name written inside the long one
    grows with it, and pieces inside one long name become one mention."""
    text = view.text
    grown: dict[str, str] = {}
    for start, end in _lac_chains(view):
        written = text[start:end]
        if end - start > _LONGEST_JOINED or not _is_transliterated(written):
            continue
        if any(view.matches.starting_at(at, *TITLE_KINDS) for at in range(start, end)):
            continue  # 安德鲁王子: a title LAC read into the name
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        if inside and all(len(m.text) < len(written) for m in inside):
            grown.update((m.text, written) for m in inside)
    if not grown:
        return mentions
    kept: list[PersonMention] = []
    taken: list[tuple[int, int]] = []
    for mention in mentions:
        long_name = grown.get(mention.text)
        begin = _start_of_around(text, long_name, mention) if long_name else None
        if long_name is None or begin is None:
            kept.append(mention)
        elif not any(b <= begin < e for b, e in taken):  # 阿迪 inside 莫哈末阿迪: one mention
            taken.append((begin, begin + len(long_name)))
            end = begin + len(long_name)
            kept.append(replace(mention, start=begin, end=end, text=long_name, name_en=""))
    return kept


def _start_of_around(text: str, long_name: str, mention: PersonMention) -> int | None:
    """Where ``long_name`` is written around ``mention``, or None (a mention elsewhere)."""
    for begin in range(max(0, mention.end - len(long_name)), mention.start + 1):
        if text.startswith(long_name, begin):
            return begin
    return None
