"""Bodies named by plain words and their ending: 选举委员会, 雇员再培训局, 全国警察刑事调查局.

The other rules need a proper part in a body's name (a place, a brand, a jieba ``nt`` word) or
LAC's vote. A state's agencies abroad and a city's boards are often named by plain nouns alone
("the Employees Retraining Board"), so those rules missed them. A run of nouns before a body
ending is one body when

* the ending is a committee or council (委员会, 理事会, 议会, 管委会): those endings name one body;
* the ending is a bureau, agency or ministry (局, 署, 部) and the text treats the run as one
  body: its head's title follows (…局局长, …署代理署长, …部长), a person or a title follows
  (…调查局拿督…), it speaks (…局表示), or it is written on its own twice.

A run starts after a verb, a preposition, punctuation or a person, never after a generic word
(各区|市场监管局 names every district's bureau) and never with a head's prefix alone (副|部长).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.text.analysis.body_words import ENDING_ENGLISH, NOT_BODY_WORDS, STATES
from summarizer.text.analysis.glossary import TITLE_KINDS
from summarizer.text.analysis.view import Tagged, TextView
from summarizer.text.chars import is_han
from summarizer.text.document import EntityMention

#: Nouns that name a kind of body (医院, 公司): a run starting with one is that body's part.
_BODY_NOUNS = frozenset((
    "医院", "公司", "学校", "大学", "学院", "银行", "集团", "企业", "机构", "部门", "单位", "政府",
    "内阁",  # 内阁|部长: a cabinet minister
))  # fmt: skip
#: Endings that name one body after plain nouns.
_COUNCILS = ("委员会", "理事会", "议会", "管委会")
#: Endings that need the text to treat the run as one body.
_AGENCIES = ("局", "署", "部")
_ENDING = re.compile("委员会|理事会|议会|管委会|局|署|部")
#: Tags of the words a plain body's name is made of.
_NAME_TAGS = frozenset(
    ("n", "vn", "nz", "b", "nt", "ns", "j", "ng", "l", "an", "nw", "nr", "nrt", "nrfg")
)  # a name jieba reads as a person's is a brand here unless a person was found there
#: Words that join two fields inside one name (劳工及福利局).
_JOINERS = frozenset(("及",))
#: Adverbs that sit inside a name between two of its nouns (雇员|再|培训局).
_INNER_ADVERBS = frozenset(("再",))
#: Nouns jieba tags ``n`` that are verbs starting what a body does, not part of its name.
_LEAD_VERBS = frozenset((
    "委托", "利用", "包括", "经过", "通过", "根据", "联合", "组织", "成立", "设立", "要求", "建议",
    "支持", "邀请", "主办", "承办", "指导", "批准", "任命", "宣布", "表示", "认为", "指出",
    "时任", "现任", "前任", "出任", "担任", "曾任", "兼任", "升任", "改任",
))  # fmt: skip
#: What makes the word before a run generic (各区, 该, 本, 我们): every body, or one unnamed.
_GENERIC_STARTS = tuple("各全本该我两三多这那每某")
#: What a name's last character may not be: the prefix of a head's title (副|部长, 代|局长).
_HEAD_PREFIXES = frozenset("副正总代原前")
#: Words that say what kind of committee a body is, not whose (成立|专业委员会, 常务委员会): alone
#: before the ending they name no one body.
_KIND_WORDS = frozenset((
    "专业", "专门", "常务", "咨询", "执行", "顾问", "学术", "技术", "监督", "管理", "筹备", "组织",
    "工作", "领导", "伦理", "审计", "薪酬", "提名", "战略",
))  # fmt: skip
#: What the text writes right after an agency it treats as one body, besides its head's title:
#: a head or spokesperson, or a statement (the statement verbs both body rules share). Not a colon
#: or 说 as ``bodies`` allows after a proper name: a plain noun phrase before 部 or 局 is often a
#: list heading (项目部：) or opens 说明, and nothing else here says it names one body.
_BODY_CUE = re.compile(f"(?:主席|主任|发言人|官员|负责人|首长)|{STATES}")
#: A title of one to four characters between a body and the person who heads it.
_TITLE_BEFORE_PERSON = re.compile("[^\\W\\d和与及的向对从在为、]{1,4}")
#: English of the endings, for names whose words the glossary knows: the shared table's, except
#: 议会, which after plain nouns is a city's or a school's council (学生议会), not a state's
#: parliament, and 局, 署, 部 alone, which the shared table leaves to the glossary because after a
#: country they are ministries (国防部) while after plain nouns they are a bureau or department.
_ENDING_ENGLISH = {ending: ENDING_ENGLISH[ending] for ending in ("委员会", "理事会", "管委会")} | {
    "议会": "Council", "局": "Bureau", "署": "Department", "部": "Department",
}  # fmt: skip
_LONGEST_NAME = 16
#: A name written twice counts only from this length: 项目部 twice is a kind of department.
_SHORTEST_REPEATED = 4
_MOST_TOKENS = 6


def plain_body_english(view: TextView, written: str) -> str | None:
    """The glossary's name, else the glossary's words for every part before the ending in title
    case and the ending's English (选举委员会: Election Committee), else None."""
    known = view.glossary.translate_name(written)
    if known is not None:
        return known
    ending = max((e for e in _ENDING_ENGLISH if written.endswith(e)), key=len, default="")
    pieces = view.glossary.segment(written[: len(written) - len(ending)]) if ending else None
    if not pieces:
        return None
    words = " ".join(piece.entry.english for piece in pieces).split()
    titled = [word if word.isupper() else word[:1].upper() + word[1:] for word in words]
    return " ".join([*titled, _ENDING_ENGLISH[ending]])


def plain_word_bodies(view: TextView, person_starts: set[int]) -> list[EntityMention]:
    """Bodies named by plain nouns and a committee's, council's, bureau's or agency's ending."""
    tagged = view.tagged
    if tagged is None:
        return []
    text = view.text
    by_position = _token_at(tagged, len(text))
    seen: dict[str, list[tuple[int, int, bool]]] = {}
    for match in _ENDING.finditer(text):
        found = _run_before(view, tagged, by_position, match, person_starts)
        if found is None:
            continue
        begin, end = found
        cued = match.group() in _COUNCILS or _is_cued(view, end, match.group(), person_starts)
        seen.setdefault(text[begin:end], []).append((begin, end, cued))
    mentions: list[EntityMention] = []
    for written, spans in seen.items():
        repeated = len(spans) >= 2 and len(written) >= _SHORTEST_REPEATED
        if not (repeated or any(cued for _, _, cued in spans)):
            continue
        english = plain_body_english(view, written)
        mentions.extend(
            EntityMention(begin, end, written, kind="organization", name_en=english)
            for begin, end, _ in spans
        )
    return _outermost(mentions)


def _outermost(mentions: list[EntityMention]) -> list[EntityMention]:
    """Mentions not inside a longer one (中建八局 inside 中建八局…项目部), in text order."""
    kept: list[EntityMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if not any(other.start <= mention.start and mention.end <= other.end for other in kept):
            kept.append(mention)
    return kept


def _token_at(tagged: Sequence[Tagged], length: int) -> list[int]:
    """The index of the token that holds each character."""
    owner = [0] * length
    for index, (start, word, _flag) in enumerate(tagged):
        for position in range(start, min(start + len(word), length)):
            owner[position] = index
    return owner


def _run_before(
    view: TextView,
    tagged: Sequence[Tagged],
    by_position: list[int],
    match: re.Match[str],
    person_starts: set[int],
) -> tuple[int, int] | None:
    """(start, end) of the plain-word name that ends with ``match``, or None."""
    ending_start, end = match.span()
    index = by_position[ending_start]
    start, word, flag = tagged[index]
    token_end = start + len(word)
    ending = match.group()
    if token_end > end:
        rest = view.text[end:token_end]
        if not (rest in ("长", ending + "长") and ending in _AGENCIES):
            return None  # 部分, 局面, 委员会议: the ending opens another word
    if word in NOT_BODY_WORDS or (
        view.text[max(0, end - 2) : end] in NOT_BODY_WORDS and not (len(word) > 2 and flag == "nt")
    ):
        return None  # 全部, 干部; not 安全部, a ministry jieba reads whole
    if start < ending_start and flag not in _NAME_TAGS and not word.endswith("长"):
        return None
    begin = start if start < ending_start else ending_start
    first = index
    tokens = 0
    while first > 0 and tokens < _MOST_TOKENS:
        before_start, before, before_flag = tagged[first - 1]
        if before_start in person_starts or view.matches.starting_at(before_start, *TITLE_KINDS):
            break
        if before in _LEAD_VERBS or not all(is_han(char) for char in before):
            break
        inner = before in _JOINERS or before in _INNER_ADVERBS
        if not inner and before_flag not in _NAME_TAGS:
            break
        if ending_start - before_start > _LONGEST_NAME:
            break
        first -= 1
        tokens += 1
        begin = before_start
    while begin < ending_start and (
        view.text[begin] in _JOINERS or view.text[begin] in _INNER_ADVERBS
    ):
        begin += 1  # a name never starts with its joiner
    while first < index and len(tagged[first][1]) == 1 and tagged[first][2] in ("n", "ng"):
        first += 1  # 5|名|内阁部长: a counted noun's classifier starts no name
        begin = tagged[first][0]
    name = view.text[begin:ending_start]
    if view.text[ending_start - 1 : ending_start] == ending:
        return None  # 组织部|部长: the second 部 starts the head's title
    if name in _KIND_WORDS or tagged[first][1] in _BODY_NOUNS:
        return None  # 专业委员会, 医院|咨询委员会: a kind of committee, or a body's own part
    if len(name) < 2 or name.endswith(("代理", "常务")) or name[-1] in _HEAD_PREFIXES:
        return None  # 副|部长, …署代理|署长: the head's title, not the body
    if name[-1] in _JOINERS or name[-1] in _INNER_ADVERBS:
        return None
    if first > 0 and tagged[first - 1][1].startswith(_GENERIC_STARTS):
        return None
    return begin, end


def _is_cued(view: TextView, end: int, ending: str, person_starts: set[int]) -> bool:
    """Whether the text treats the agency ending at ``end`` as one body."""
    text = view.text
    after = text[end:]
    if re.match(f"(?:副|代理|常务副)?{ending}?长", after):
        return True  # …局局长, …署代理署长, 劳工部|长 (jieba read the head's title)
    if end in person_starts or view.matches.starting_at(end, *TITLE_KINDS) is not None:
        return True
    titled = _TITLE_BEFORE_PERSON.match(text, end)
    if titled is not None and any(end + n in person_starts for n in range(1, len(titled[0]) + 1)):
        return True  # …调查局|拿督|胡兹尔: a title jieba does not know, then its head
    return _BODY_CUE.match(text, end) is not None
