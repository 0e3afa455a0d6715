"""The offline engine: an extractive summary from the text alone, no model and no network.

What it fills, and how:

* ``key_points``: the article's own headline first (when its first paragraph is a title line, not a
  source or date line, including a short question or exclamation on its own line, or a
  【bracketed】 headline opening the text), then sentences in article order: the lead sentence
  of a short item; for a long article the lead sentences within 150 characters (at least two),
  a lead sentence after the first giving way only to a sentence twice as central by TextRank,
  discounted by position (``lead_weighted``), that says something new (``select_from_lead``).
  Editor's notes, photo captions, bylines, source lines and a page's date and source line
  ("2023-05-20 10:32 来源：人民网") are never points; a sentence that only says who chaired,
  attended or spoke ("张三主持会议并讲话。", ``is_procedural``) ranks below every sentence of
  substance; no point repeats another or the headline. Measured against Lead-1/Lead-3 with
  ``benchmarks/offline_rouge.py`` (designed on the tune split only). ``evidence`` is always an
  exact span of ``document.text`` (a leading dateline or byline, "香港——" on the first sentence,
  and a trailing source note are trimmed off). ``text_en`` is null for Chinese (writing English
  needs a model) and the sentence itself for English input, unless the sentence holds Han, kana,
  Hangul or U+FFFD (``as_english``): no English field ever carries those.
* ``people``/``organizations``/``places``: from the analysis (pinyin names, glossary English).
* ``events``: dated sentences with an explicit month or year (not bare 明年); description null.
* ``topics``: only keywords the glossary can render in English (no Chinese labels).
* ``headline_en``/``summary_en``/``translation``: null for Chinese with the reason in
  ``meta.status``; for English input the title line, the top key points and the text itself
  (the translation null, with an ``english.withheld`` warning, when a paragraph is not all
  English); for
  any other language (Japanese, Korean, Russian, ...) null, with a ``language.unsupported``
  warning in ``source.warnings``: the engine cannot translate it and does not pretend to.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from summarizer._version import __version__
from summarizer.config import DEFAULT_DEADLINE, check_deadline, deadline_from_environment
from summarizer.engines.deadline import ArticleDeadline
from summarizer.engines.options import EngineOptions, OfflineOptions
from summarizer.schema import (
    ArticleSummary,
    Event,
    InputWarning,
    KeyPoint,
    NamedEntity,
    Person,
    RunMeta,
    Translation,
)
from summarizer.text.analysis.analyze import is_chinese
from summarizer.text.analysis.glossary import Glossary, default_glossary
from summarizer.text.analysis.local_bodies import Resolution, resolution_note, resolved_bodies
from summarizer.text.analysis.people import is_surname_with_title
from summarizer.text.analysis.rank import rank_sentences, units
from summarizer.text.analysis.romanize import surname_table
from summarizer.text.chars import HAN_RANGES
from summarizer.text.document import Analysis, Document, EntityMention, Span
from summarizer.text.published import with_publication_year

ENGINE_VERSION = "9"
MODEL_NEEDED = "needs a model; set SUMMARIZER_MODEL and OPENAI_BASE_URL (see README)"
_TERMINAL = tuple("。！？!?.…；;")
#: "通州日报讯 (通讯员... 记者...)" / "新华社北京12月1日电（记者 ...）": not part of any key point.
_DATELINE = re.compile(r"^[^\s，。,]{1,24}?[讯电](?=[\s（(])\s*(?:[（(][^（()）]{0,60}[)）])?\s*")
_MAX_TOPICS = 6
#: What no English field may carry: Han, kana and Hangul (text the engine cannot translate) and
#: U+FFFD (characters whose bytes were lost). An English source holding them (a code listing with
#: Chinese comments, an English text quoting Chinese) gives null for those fields, not the text.
_NOT_ENGLISH = re.compile(f"[{HAN_RANGES}\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\ufffd]")


@dataclass(frozen=True)
class Extract:
    """The ranked extract: the title line (if any) and the chosen sentences, in article order."""

    title: Span | None
    sentences: tuple[Span, ...]


#: A first line that names the source, author or date rather than the story is no headline.
_NOT_A_HEADLINE = re.compile(
    r"^(?:来源|作者|记者|编辑|责任编辑|通讯员|发布时间|时间|日期|原标题|原文|文|图)[:：/]"
    r"|^[\d\s年月日时分秒:：./-]+$|[讯电]\s*[（(]"
)
#: Whole sentences that are not the story: editor's and source notes, photo captions, sign-offs.
_EDITOR_NOTE = re.compile(
    r"^[\s(（【\[]*(?:本文来自|本文系|本文首发|原题为|原标题|来源[:：]|转载|责任编辑|编辑[:：]|"
    r"图片来源|图片[:：]|图[:：/]|图为|摄影[:：]|视频[:：]|点击|扫码|更多.{0,20}请(?:下载|关注)|"
    r"完[)）]?$)"
    r"|^[(（]?(?:[\u4e00-\u9fff]{0,6}(?:记者|通讯员))?\s*[\u4e00-\u9fff]{2,4}\s*摄\s*[)）]?$"
)
#: A field of a page's metadata line: "来源：人民网", "发布时间：", "作者：张三", "阅读量：".
_METADATA_FIELD = (
    r"(?:来源|作者|编辑|责任编辑|记者|通讯员|发布时间|发布日期|更新时间|时间|日期"
    r"|浏览(?:量|次数)?|阅读(?:量|数)?|点击(?:量|数)?)"
)
#: A whole line of page metadata, not the story: dates, times and fields only, no sentence.
#: "2023-05-20 10:32 来源：人民网", "发布时间：2023年5月20日  作者：张三".
_METADATA_LINE = re.compile(
    r"^\s*(?:(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"|\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)\s*"
    rf"|{_METADATA_FIELD}\s*[:：]\s*[^\s，,。；;！？!?]{{0,24}}\s*)+$"
)
#: A photo caption names who stands where: "里图（左）和拉克西米参加……活动。".
_CAPTION_POSITION = re.compile(r"[（(](?:左|右|中|前排|后排)[一二三四五六七八九十\d]?[)）]")
#: A whole sentence that only names the reporters: "（本报记者 张三 李四）", "记者 王五 摄".
_BYLINE = re.compile(
    r"^[（(]?(?:本报|本台|本刊|新华社)?(?:特约)?(?:记者|通讯员)"
    r"(?:\s*[\u4e00-\u9fff]{2,4}(?:\s+|[、，,])){0,5}\s*[\u4e00-\u9fff]{2,4}"
    r"\s*(?:报道|摄|采写)?[)）]?[。]?$"
)
#: A leading byline before the story: "本报记者 张三 报道 ", "文/李四 ", "记者 王五 摄影报道：".
_LEADING_BYLINE = re.compile(
    r"^(?:(?:本报|本台|本刊)?(?:特约)?记者(?:\s*[\u4e00-\u9fff]{2,4}){1,4}\s*(?:摄影)?报道[:：\s]\s*"
    r"|文\s*[/／|｜]\s*[\u4e00-\u9fff]{2,4}\s+)"
)
#: The dateline of a story's first sentence in the style "香港——" / "BEIJING — ": a short place
#: name and a dash, with no second dash in the sentence (that would be an aside: "甲——乙——").
_DASH_DATELINE = re.compile(
    r"^(?:[\u4e00-\u9fff·]{2,10}——"
    r"|[A-Z][A-Z .'-]{1,30}(?:,\s*[A-Z][A-Za-z.]+)?\s+[—–]{1,2}\s+)(?=\S)"
)
#: A trailing note inside the last sentence: "……。（原题为《……》）".
_TRAILING_NOTE = re.compile(
    r"\s*[（(](?:原题为|原标题|本文来自|本文首发|来源|责任编辑|编辑)[^（）()]{0,120}[)）]\s*$"
)


#: A headline asked or exclaimed ("这些地方为何频频停电？") is a title line when it is one short
#: sentence on its own line: at most this many characters.
QUESTION_HEADLINE_CHARS = 40
_ASKED_OR_EXCLAIMED = tuple("？！?!")
#: A headline in square brackets opening the text ("【南通港吞吐量创新高】南通港今年……"), as
#: Weibo items and news apps write them.
_BRACKET_HEADLINE = re.compile(r"^(\s*【)([^【】\n]{2,60})(】\s*)(?=\S)")


def title_line(document: Document) -> Span | None:
    """The first paragraph when it reads as a headline.

    One line, short, no closing punctuation, and not a source, byline or date line (those are
    not what the story says). A question or exclamation ("……为何频频停电？") is a headline too
    when it is one sentence of at most ``QUESTION_HEADLINE_CHARS`` characters and the story after
    it is at least twice as long.
    """
    if len(document.paragraphs) < 2:
        return None
    first = document.paragraphs[0]
    text = first.text.strip()
    if not text or len(text) > 80 or _NOT_A_HEADLINE.search(text):
        return None
    if text.endswith(_ASKED_OR_EXCLAIMED):
        in_first = [s for s in document.sentences if s.start < first.end]
        rest = sum(len(paragraph.text) for paragraph in document.paragraphs[1:])
        asked = (
            len(in_first) == 1 and len(text) <= QUESTION_HEADLINE_CHARS and rest >= 2 * len(text)
        )
        return first if asked else None
    if text.endswith(_TERMINAL):
        return None
    return first


def headline(document: Document) -> tuple[Span | None, int]:
    """The article's own headline (``title_line``, or a 【bracketed】 one opening the text) and
    the offset of ``document.text`` where the story starts after it (0 without a headline).

    The bracketed headline's span is its text inside the brackets, so the evidence is exact.
    """
    title = title_line(document)
    if title is not None:
        return title, title.end
    if not document.paragraphs:
        return None, 0
    first = document.paragraphs[0]
    match = _BRACKET_HEADLINE.match(first.text)
    if match is None or len(first.text) - match.end() < 10:
        return None, 0
    start = first.start + match.end(1)
    inner = match.group(2)
    return Span(start, start + len(inner), inner), first.start + match.end()


def trim_dateline(span: Span, first: bool = False) -> Span:
    """``span`` without a leading dateline/byline or a trailing source note; still exact.

    ``first``: the story's first sentence, which alone may open with a dash dateline ("香港——");
    later in a story such a dash opens an aside ("蚂蚁集团和其他公司——包括……").
    """
    for pattern in (_DATELINE, _LEADING_BYLINE):
        match = pattern.match(span.text)
        if match is not None and 0 < match.end() < len(span.text) - 4:
            span = Span(span.start + match.end(), span.end, span.text[match.end() :])
    if first:
        match = _DASH_DATELINE.match(span.text)
        rest = span.text[match.end() :] if match is not None else ""
        if match is not None and len(rest) > 4 and "——" not in rest and " — " not in rest:
            span = Span(span.start + match.end(), span.end, rest)
    note = _TRAILING_NOTE.search(span.text)
    if note is not None and note.start() > 4:
        span = Span(span.start, span.start + note.start(), span.text[: note.start()])
    return span


def is_editor_note(text: str) -> bool:
    """A sentence that is about the article (source, caption, byline, sign-off, a page's date and
    source line), not the story."""
    text = text.strip()
    return (
        _EDITOR_NOTE.search(text) is not None
        or _BYLINE.match(text) is not None
        or _CAPTION_POSITION.search(text) is not None
        or _METADATA_LINE.match(text) is not None
    )


#: Who attended, chaired or spoke, as the whole of a sentence: "区委书记张三主持会议并讲话。"
_ROLE = r"(?:主持|出席|参加|列席|陪同|参会)了?"
_OCCASION = (
    r"(?:会议|活动|仪式|开幕式|闭幕式|座谈会|签约仪式|调研|考察"
    r"|[\u4e00-\u9fff]{1,8}(?:会议|大会|座谈会|仪式|活动))?"
)
_SPEECH = r"(?:(?:作|发表)?(?:了)?(?:重要|总结|主旨)?(?:讲话|致辞|发言))"
_PROCEDURAL_ZH = re.compile(
    r"^(?:(?:会上|会议上|活动上|仪式上|会前|会后|当天|同日)[，,]\s*)?"
    r"(?P<who>[^：:“”\"。！？；;]{2,100}?)(?:分别|一同|共同|先后|也|还|等)?"
    rf"(?:{_ROLE}{_OCCASION}(?:并{_SPEECH})?|{_SPEECH})[。！!.]?$"
)
#: Words that make a sentence say what happened or what was said, not only who was there.
_SUBSTANCE = re.compile(r"召开|举行|举办|指出|强调|表示|要求|提出|认为|宣布|介绍|部署|通过|签署")
#: "没有参加" is news: someone stayed away.
_NEGATION = ("没有", "没", "未", "不", "拒绝", "缺席")
_PROCEDURAL_EN = re.compile(
    r"^[^.;:!?]{2,120}?\b(?:chaired|presided over|attended|hosted|spoke at|addressed)"
    r"(?: the)? (?:meeting|session|event|ceremony|conference|forum|symposium)"
    r"(?: and (?:spoke|delivered a speech|gave a speech|made a speech))?\.?$",
    re.IGNORECASE,
)


def is_procedural(text: str) -> bool:
    """A sentence that only says who chaired, attended or spoke ("张三主持会议并讲话。").

    Meeting reports name their officials in such sentences; they say nothing a reader of the key
    points needs, so the selection ranks them below every sentence of substance. A sentence that
    also says what was held or said ("张三主持召开……会议，研究部署……") is substance.
    """
    text = text.strip()
    match = _PROCEDURAL_ZH.match(text)
    if match is not None:
        who = match.group("who")
        return _SUBSTANCE.search(text) is None and not who.endswith(_NEGATION)
    return _PROCEDURAL_EN.match(text) is not None


#: A body this short (a Weibo item, a brief) has one point: its lead; more only adds repetition.
SHORT_ARTICLE_CHARS = 300
#: How much a candidate's overlap with the points already chosen counts against it (MMR).
REDUNDANCY_WEIGHT = 0.7
#: A sentence sharing this much of its bigrams with a chosen point says the same thing again.
DUPLICATE_OVERLAP = 0.8
#: Characters the key points of a long article fill (the title aside). Editors' summaries of
#: long news articles run to 60-80 characters (CLTS); about two lead sentences of that length
#: keep recall without the three-to-five points that mostly repeated or digressed.
KEY_POINT_BUDGET_CHARS = 150
#: A long article has at least this many key points besides its title, even when its lead
#: sentence alone fills the budget.
MIN_LONG_ARTICLE_POINTS = 2
#: A later sentence replaces the weakest lead sentence only when it is this many times as central:
#: news is lead-heavy, so the lead is kept unless it is clearly worse (background, a quote).
SWAP_MARGIN = 2.0
#: A swapped-in sentence sharing this much of its bigrams with a kept one adds little: skipped.
REDUNDANT_OVERLAP = 0.5
#: Swaps at most (each swap raises the total centrality, so this is only a guard).
_MAX_SWAPS = 8

#: Weight of the position prior against TextRank centrality (both scaled to a maximum of 1).
POSITION_WEIGHT = 0.5
#: Exponent of the position discount on centrality when lead sentences are swapped: sentence ``i``
#: (from 0) counts ``1/(i+1)**LEAD_DISCOUNT`` of its centrality. Plain centrality rewards what
#: an article repeats most, and long features repeat their background deep down; with the
#: discount a late sentence must be far more central than an early one to replace it. Chosen on
#: the tune split (CLTS and CATAMARAN): 0.5 beat no discount at every budget and margin tried.
LEAD_DISCOUNT = 0.5


def with_position_prior(scores: list[float], weight: float = POSITION_WEIGHT) -> list[float]:
    """Centrality blended with a lead prior ``1/sqrt(position + 1)``.

    Used by the budgeted extract (``extract(..., budget_chars=N)``): TextRank's teleport bias alone
    let central sentences deep in a long feature outrank the lead.
    """
    top = max(scores, default=0.0) or 1.0
    return [
        (1 - weight) * score / top + weight / (index + 1) ** 0.5
        for index, score in enumerate(scores)
    ]


def lead_weighted(scores: list[float], exponent: float = LEAD_DISCOUNT) -> list[float]:
    """``scores`` discounted by position: the ``i``-th (from 0) divided by ``(i + 1) ** exponent``.

    What ``select_from_lead`` compares when it considers swapping a lead sentence out, so that news
    stays lead-heavy: a sentence deep in a long article replaces an early one only when it is far
    more central, not merely twice as central.
    """
    return [score / (index + 1) ** exponent for index, score in enumerate(scores)]


def _overlap(units: set[str], other: set[str]) -> float:
    """The share of ``units`` that ``other`` also has (0 when ``units`` is empty)."""
    return len(units & other) / len(units) if units else 0.0


def select_diverse(
    scores: list[float], unit_sets: list[set[str]], order: list[int], count: int | None
) -> list[int]:
    """Maximal marginal relevance: take candidates by score minus their overlap with the chosen.

    ``order`` lists candidates by plain rank; ``count`` None means take all that are not
    duplicates (the caller then applies a character budget). A candidate that repeats a chosen
    sentence (``DUPLICATE_OVERLAP`` of its bigrams, or the same text) is never taken.
    """
    top = max(scores) if scores else 1.0
    top = top or 1.0
    chosen: list[int] = []
    remaining = list(order)
    while remaining and (count is None or len(chosen) < count):
        best_index, best_value = -1, float("-inf")
        for position, candidate in enumerate(remaining):
            redundancy = max(
                (_overlap(unit_sets[candidate], unit_sets[taken]) for taken in chosen), default=0.0
            )
            value = scores[candidate] / top - REDUNDANCY_WEIGHT * redundancy
            if value > best_value:
                best_index, best_value = position, value
        candidate = remaining.pop(best_index)
        if any(
            _overlap(unit_sets[candidate], unit_sets[taken]) >= DUPLICATE_OVERLAP
            for taken in chosen
        ):
            continue
        chosen.append(candidate)
    return chosen


def select_from_lead(
    centrality: list[float],
    lengths: list[int],
    unit_sets: list[set[str]],
    candidates: list[int],
    budget_chars: int,
    margin: float = SWAP_MARGIN,
    minimum: int = 1,
) -> list[int]:
    """Lead sentences up to ``budget_chars``, each swapped out only for a clearly better one.

    The lead fills the budget first (always at least ``minimum`` sentences; a sentence repeating one
    already taken is passed over). Then, while some sentence outside the selection is ``margin``
    times as central (plain TextRank) as the weakest selected one other than the first (the
    story's lead sentence stays: centrality alone favours whatever the article repeats most),
    says something new (under ``REDUNDANT_OVERLAP`` of its bigrams in any other selected
    sentence) and fits the budget, it takes that one's place. Returns indices in article order.
    """
    chosen: list[int] = []
    used = 0
    for index in candidates:
        if len(chosen) >= minimum and used + lengths[index] > budget_chars:
            break
        if any(_overlap(unit_sets[index], unit_sets[t]) >= DUPLICATE_OVERLAP for t in chosen):
            continue
        chosen.append(index)
        used += lengths[index]
    for _ in range(_MAX_SWAPS):
        swappable = chosen[1:]  # the first sentence of the story is never swapped out
        weakest = min(swappable, key=lambda index: (centrality[index], -index), default=None)
        if weakest is None:
            break
        kept = [index for index in chosen if index != weakest]
        room = max(budget_chars, sum(lengths[index] for index in chosen)) - sum(
            lengths[index] for index in kept
        )
        replacement = next(
            (
                index
                for index in sorted(candidates, key=lambda i: (-centrality[i], i))
                if index not in chosen
                and centrality[index] > margin * centrality[weakest]
                and (lengths[index] <= room or not kept)
                and all(_overlap(unit_sets[index], unit_sets[t]) < REDUNDANT_OVERLAP for t in kept)
            ),
            None,
        )
        if replacement is None:
            break
        chosen = [*kept, replacement]
    return sorted(chosen)


def _from(sentence: Span, start: int) -> Span:
    """``sentence`` without what precedes ``start`` (a bracketed headline glued to the lead)."""
    if sentence.start >= start:
        return sentence
    cut = start - sentence.start
    return Span(start, sentence.end, sentence.text[cut:])


def extract(
    document: Document,
    limit: int | None = None,
    lead_bias: float = 1.0,
    budget_chars: int | None = None,
    position_weight: float = POSITION_WEIGHT,
) -> Extract:
    """The title and the key sentences of ``document``, in article order.

    By default: the lead, within ``KEY_POINT_BUDGET_CHARS`` but at least
    ``MIN_LONG_ARTICLE_POINTS`` sentences (one sentence for a short item),
    with a lead sentence swapped for a clearly more central one, centrality discounted by
    position (``lead_weighted``, ``select_from_lead``). Editor's
    notes, captions and datelines never count, and no sentence repeats the title or another.
    ``limit`` instead takes that many sentences by TextRank score (with a lead prior) and maximal
    marginal relevance; ``budget_chars`` takes sentences in that order while they fit (always at
    least one): an extractive summary of a given length. ``lead_bias`` 0 and
    ``position_weight`` 0 give plain TextRank there.
    """
    title, story_start = headline(document)
    story = [
        _from(sentence, story_start)
        for sentence in document.sentences
        if sentence.end > story_start and len(sentence.text.strip()) > 1
    ]
    sentences = [trim_dateline(sentence, first=index == 0) for index, sentence in enumerate(story)]
    body = [sentence for sentence in sentences if not is_editor_note(sentence.text)] or sentences
    chinese = is_chinese(document)
    texts = [sentence.text for sentence in body]
    unit_sets = [units(text, chinese) for text in texts]
    candidates = list(range(len(body)))
    if title is not None:
        title_units = units(title.text, chinese)
        candidates = [
            index
            for index in candidates
            if _overlap(unit_sets[index], title_units) < DUPLICATE_OVERLAP
            and body[index].text.strip() != title.text.strip()
        ] or candidates
    # Who chaired or attended ranks below every sentence of substance; a repeat of an earlier
    # sentence's exact text (which may share no bigram, "OK!") is never a second point.
    seen: set[str] = set()
    distinct = []
    for index in candidates:
        text = body[index].text.strip()
        if text not in seen:
            seen.add(text)
            distinct.append(index)
    candidates = [index for index in distinct if not is_procedural(texts[index])] or distinct
    if limit is None and budget_chars is None:
        centrality = rank_sentences(texts, chinese, lead_bias=0.0, unit_sets=unit_sets)
        short = sum(len(text) for text in texts) <= SHORT_ARTICLE_CHARS
        best = select_from_lead(
            lead_weighted(centrality),
            [len(text) for text in texts],
            unit_sets,
            candidates,
            0 if short else KEY_POINT_BUDGET_CHARS,
            minimum=1 if short else MIN_LONG_ARTICLE_POINTS,
        )
        return Extract(title, tuple(body[index] for index in best))
    centrality = rank_sentences(texts, chinese, lead_bias, unit_sets=unit_sets)
    scores = with_position_prior(centrality, position_weight)
    ranked = sorted(candidates, key=lambda index: (-scores[index], index))
    if budget_chars is not None:
        best = []
        used = 0
        for index in select_diverse(scores, unit_sets, ranked, None):
            length = len(body[index].text)
            if best and used + length > budget_chars:
                continue
            best.append(index)
            used += length
    else:
        best = select_diverse(scores, unit_sets, ranked, min(limit or 0, len(ranked)))
    return Extract(title, tuple(body[index] for index in sorted(best)))


def as_english(text: str) -> str | None:
    """``text`` for an English field of an English source, or None when it holds characters that
    are not English (``_NOT_ENGLISH``): the engine cannot translate them, and must not pass them
    off as English."""
    return None if _NOT_ENGLISH.search(text) else text


def extractive_summary(sentences: Sequence[Span], count: int = 3) -> str | None:
    """The first ``count`` chosen sentences that are all English, joined (None without one)."""
    english = [span.text.strip() for span in sentences if as_english(span.text)]
    return " ".join(english[:count]) or None


def not_english_paragraphs(document: Document) -> list[int]:
    """Numbers (from 1) of the paragraphs holding characters no English field may carry."""
    return [
        number
        for number, paragraph in enumerate(document.paragraphs, start=1)
        if _NOT_ENGLISH.search(paragraph.text)
    ]


def withheld_note(numbers: Sequence[int], total: int) -> str:
    """Why an English source's text is not given as its translation."""
    shown = ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")
    return (
        f"the source is English, but {len(numbers)} of its {total} paragraphs ({shown}) hold "
        "Chinese, Japanese or Korean characters or U+FFFD (characters whose bytes were lost), "
        "which the offline engine cannot give as English; fields holding them are null"
    )


def _unique(mentions: tuple[EntityMention, ...]) -> list[NamedEntity]:
    seen: dict[str, NamedEntity] = {}
    for mention in mentions:
        if mention.text not in seen:
            seen[mention.text] = NamedEntity(name_as_written=mention.text, name_en=mention.name_en)
    return list(seen.values())


#: Administrative suffixes a place is written with or without (北京 and 北京市 are one place).
_PLACE_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|街道|[省市区县镇乡州盟旗])$")


def unique_places(mentions: tuple[EntityMention, ...]) -> list[NamedEntity]:
    """Places named once each: one written with and once without an administrative suffix
    (北京, 北京市) is listed once, as first written, unless their English names differ.

    The first mention's English name is kept, else the other's (北京 may have one where 北京市
    has none).
    """
    places: list[NamedEntity] = []
    by_stem: dict[str, int] = {}
    for entity in _unique(mentions):
        name = entity.name_as_written
        stem = _PLACE_SUFFIX.sub("", name) if len(name) > 2 else name
        index = by_stem.get(stem)
        if index is not None:
            first = places[index]
            if None in (first.name_en, entity.name_en) or _same_english(first, entity):
                if first.name_en is None:
                    places[index] = first.model_copy(update={"name_en": entity.name_en})
                continue
        by_stem.setdefault(stem, len(places))
        places.append(entity)
    return places


def _same_english(first: NamedEntity, other: NamedEntity) -> bool:
    return (first.name_en or "").casefold() == (other.name_en or "").casefold()


def people(analysis: Analysis, glossary: Glossary) -> list[Person]:
    """One entry per person (by romanized name), written as their full name, not 张书记."""
    found: dict[str, Person] = {}
    short: set[str] = set()
    resolved = resolved_bodies(analysis.organizations, glossary)
    for mention in analysis.people:
        key = mention.name_en or mention.text
        is_short = is_surname_with_title(mention, glossary)
        if key in found and (is_short or key not in short):
            continue
        if is_short:
            short.add(key)
        else:
            short.discard(key)
        found[key] = Person(
            name_as_written=mention.text,
            name_en=mention.name_en or None,
            role_as_written="、".join(mention.titles) or None,
            role_en="; ".join(mention.titles_en) or None,
            organization_en=_affiliation(mention.titles, glossary, resolved),
        )
    return list(found.values())


def _affiliation(
    titles: tuple[str, ...], glossary: Glossary, resolved: dict[str, Resolution]
) -> str | None:
    """The body of the title written nearest the name (usually the principal post), named for
    its place where the article's bare 区委 was (``local_bodies``)."""
    for title in reversed(titles):
        body = glossary.title_body(title)
        if body:
            return resolved[body].english if body in resolved else body
    return None


def events(document: Document, analysis: Analysis) -> list[Event]:
    """One event per explicit date (month or full year written), relative years left out."""
    found: list[Event] = []
    seen: set[tuple[str, str | None]] = set()
    for date in analysis.dates:
        if not any(marker in date.text for marker in "月日号") and not re.search(
            r"\d{4}", date.text
        ):
            continue
        if (date.text, date.iso) in seen:
            continue
        seen.add((date.text, date.iso))
        found.append(Event(date_as_written=date.text, date_iso=date.iso, description_en=None))
    return found


def topics(analysis: Analysis, glossary: Glossary, chinese: bool) -> list[str]:
    """English topic labels: keywords the glossary can translate (all keywords for English text)."""
    labels: list[str] = []
    for keyword in analysis.keywords:
        label = glossary.english(keyword) if chinese else as_english(keyword)
        if label and label not in labels:
            labels.append(label)
    return labels[:_MAX_TOPICS]


#: Names of the languages ``detect_language`` tells apart, for messages.
_LANGUAGE_NAMES = {"ja": "Japanese", "ko": "Korean"}


def _language_name(code: str) -> str:
    return _LANGUAGE_NAMES.get(code, "neither Chinese nor English")


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def tables_digest(folder: Traversable) -> str:
    """Every table in ``folder`` (places, known names, …): a cached offline result must not
    outlive a change to one of them."""
    digest = hashlib.sha256()
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_file():
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def _shipped_tables_digest() -> str:
    return tables_digest(resources.files("summarizer.text.analysis").joinpath("data"))


#: What the offline engine honours of the model options it accepts; the rest change nothing.
OFFLINE_HONOURED_OPTIONS = frozenset({"deadline", "year_hint"})


def ignored_options(given: Iterable[str]) -> list[str]:
    """The model options among ``given`` that the offline engine ignores, in their usual order."""
    names = set(given)
    return [
        name
        for name in OfflineOptions.model_fields
        if name in names and name not in OFFLINE_HONOURED_OPTIONS
    ]


def ignored_options_note(names: Sequence[str]) -> str:
    """What to say of model options given to the offline engine (``temperature``, or the CLI's
    ``--temperature``): the one wording of the CLI's warning and of ``meta.status["options"]``."""
    return f"{', '.join(names)} only tune a model; the offline engine ignores them"


class OfflineEngine:
    """Extraction only: deterministic, instant, no network (see the module docstring)."""

    name = "offline"
    Options = OfflineOptions

    #: Extraction is this engine's output, so it needs the full (POS-tagged) analysis; model
    #: engines need only the cheap hints (``analyze(..., thorough=False)``).
    thorough_analysis = True

    def __init__(
        self,
        glossary: Glossary | None = None,
        *,
        deadline: float | None = None,
        ignored_options: Sequence[str] = (),
    ) -> None:
        self._glossary = glossary
        #: Model options the caller gave, which change nothing here: ``meta.status`` says so.
        self.ignored_options = tuple(ignored_options)
        #: Seconds for one article, its preparation included (``summarizer.engines.deadline``):
        #: checked before extraction and after ranking, its one long step.
        self.deadline = DEFAULT_DEADLINE if deadline is None else check_deadline(deadline)

    @classmethod
    def from_options(cls, options: EngineOptions) -> OfflineEngine:
        """An offline engine honouring the ``deadline`` of checked ``options`` (else
        ``SUMMARIZER_DEADLINE``); the other options are a model's and change nothing here (each
        result's ``meta.status["options"]`` says which were given)."""
        given = options.given()
        deadline = given.get("deadline")
        return cls(
            deadline=deadline if deadline is not None else deadline_from_environment(),
            ignored_options=ignored_options(given),
        )

    @property
    def glossary(self) -> Glossary:
        return self._glossary or default_glossary()

    def fingerprint(self) -> dict[str, str]:
        """Engine version plus digests of the data that shapes the output (glossary, tables)."""
        entries = sorted(
            f"{entry.term}\t{entry.english}\t{entry.kind}"
            for entry in self.glossary.entries.values()
        )
        surnames = sorted(f"{surname}\t{reading}" for surname, reading in surname_table().items())
        return {
            "engine": self.name,
            "engine_version": ENGINE_VERSION,
            "glossary": _digest(entries),
            "surnames": _digest(surnames),
            "data": _shipped_tables_digest(),
        }

    async def summarize(self, document: Document, analysis: Analysis) -> ArticleSummary:
        return self.summarize_sync(document, analysis)

    def summarize_sync(self, document: Document, analysis: Analysis) -> ArticleSummary:
        """The same as ``summarize``, for callers without an event loop (benchmarks, batch)."""
        started = time.perf_counter()
        deadline = ArticleDeadline(self.deadline)
        deadline.check("while its text was prepared and analyzed, before the offline engine ran")
        analysis = with_publication_year(document, analysis)
        chinese = is_chinese(document)
        english = not chinese and document.language == "en"
        chosen = extract(document)
        deadline.check("while the offline engine ranked its sentences")
        status: dict[str, str] = {}
        unsupported: list[InputWarning] = []
        key_points = []
        if chosen.title is not None:
            key_points.append(
                KeyPoint(
                    text_en=as_english(chosen.title.text) if english else None,
                    evidence=chosen.title.text,
                )
            )
        key_points.extend(
            KeyPoint(text_en=as_english(span.text) if english else None, evidence=span.text)
            for span in chosen.sentences
        )
        if not chinese and not english:
            # Neither Chinese nor English (Russian, Japanese, ...): say so rather than pass the
            # text off as English.
            headline_en = summary_en = None
            translation = None
            reason = (
                f"the offline engine handles Chinese and English only; this text is "
                f"{_language_name(document.language)}, so it is not translated"
            )
            unsupported.append(InputWarning(code="language.unsupported", message=reason))
            status["translation"] = f"{reason}; translation {MODEL_NEEDED}"
            status["headline_en"] = f"headline_en {MODEL_NEEDED}"
            status["summary_en"] = f"summary_en {MODEL_NEEDED}; key points are extracted sentences"
            status["key_points"] = "extracted source sentences; text_en " + MODEL_NEEDED
            status["topics"] = "none: the offline engine has no English labels for this language"
            status["people"] = "offline entity extraction covers Chinese text only"
        elif chinese:
            headline_en = summary_en = None
            translation = None
            status["headline_en"] = f"headline_en {MODEL_NEEDED}" + (
                "; the article's own headline is key point 1" if chosen.title else ""
            )
            status["summary_en"] = f"summary_en {MODEL_NEEDED}; key points are extracted sentences"
            status["key_points"] = "extracted source sentences; text_en " + MODEL_NEEDED
            status["translation"] = f"translation {MODEL_NEEDED}"
            status["events"] = "dates found in the text; description_en " + MODEL_NEEDED
            status["topics"] = "only keywords the glossary renders in English are listed"
        else:
            headline_en = as_english(chosen.title.text) if chosen.title else None
            summary_en = extractive_summary(chosen.sentences)
            translation = Translation(paragraphs_en=[p.text for p in document.paragraphs])
            status["summary_en"] = "extractive: the top-ranked sentences of the article"
            status["translation"] = "the source is English; the text is given as is"
            status["people"] = "offline entity extraction covers Chinese text only"
            if chosen.title is None:
                status["headline_en"] = f"the article has no title line; headline_en {MODEL_NEEDED}"
            withheld = not_english_paragraphs(document)
            if withheld:
                translation = None
                note = withheld_note(withheld, len(document.paragraphs))
                unsupported.append(InputWarning(code="english.withheld", message=note))
                status["translation"] = f"{note}; translation {MODEL_NEEDED}"
                if chosen.title is not None and headline_en is None:
                    status["headline_en"] = (
                        f"the title line is not all English; headline_en {MODEL_NEEDED}"
                    )
                if any(point.text_en is None for point in key_points):
                    status["key_points"] = (
                        "text_en is null where the sentence is not all English; "
                        f"text_en {MODEL_NEEDED}"
                    )
                if summary_en is None:
                    status["summary_en"] = (
                        f"no top-ranked sentence is all English; summary_en {MODEL_NEEDED}"
                    )
        source = document.source_info()
        source.warnings = [*source.warnings, *analysis.warnings, *unsupported]
        found_people = people(analysis, self.glossary)
        unromanized = [person.name_as_written for person in found_people if not person.name_en]
        if unromanized and chinese:
            status["people"] = (
                f"name_en is null for {'、'.join(unromanized)}: a transliterated foreign name "
                f"cannot be romanized by pinyin; name_en {MODEL_NEEDED}"
            )
        found_organizations = _unique(analysis.organizations)
        notes = []
        resolved = resolved_bodies(analysis.organizations, self.glossary).values()
        if resolved:
            notes.append(resolution_note(resolved))
        unnamed = [body.name_as_written for body in found_organizations if not body.name_en]
        if unnamed and chinese:
            notes.append(
                f"name_en is null for {'、'.join(unnamed)}: the glossary has no English name for "
                f"them; name_en {MODEL_NEEDED}"
            )
        if notes:
            status["organizations"] = "; ".join(notes)
        if self.ignored_options:
            status["options"] = ignored_options_note(self.ignored_options)
        meta = RunMeta(
            engine=self.name,
            attempts=0,
            status=status,
            library_version=__version__,
            prompt_version=None,
        )
        summary = ArticleSummary(
            headline_en=headline_en,
            summary_en=summary_en,
            key_points=key_points,
            people=found_people,
            organizations=found_organizations,
            places=unique_places(analysis.places),
            events=events(document, analysis),
            topics=topics(analysis, self.glossary, chinese) if chinese or english else [],
            translation=translation,
            source=source,
            meta=meta,
        )
        summary.meta.latency_ms = (time.perf_counter() - started) * 1000
        return summary
