"""The offline engine: an extractive summary from the text alone, no model and no network.

What it fills, and how:

* ``key_points``: the article's own headline first (when its first paragraph is a title line),
  then the top TextRank sentences (lead-biased) in article order. ``evidence`` is always an exact
  span of ``document.text`` (a leading news-agency dateline/byline is trimmed off). ``text_en`` is
  null for Chinese (writing English needs a model) and the sentence itself for English input.
* ``people``/``organizations``/``places``: from the analysis (pinyin names, glossary English).
* ``events``: dated sentences with an explicit month or year (not bare 明年); description null.
* ``topics``: only keywords the glossary can render in English (no Chinese labels).
* ``headline_en``/``summary_en``/``translation``: null for Chinese with the reason in
  ``meta.status``; for English input the title line, the top key points and the text itself.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from summarizer._version import __version__
from summarizer.engines.options import OfflineOptions
from summarizer.schema import (
    ArticleSummary,
    Event,
    KeyPoint,
    NamedEntity,
    Person,
    RunMeta,
    Translation,
)
from summarizer.text.analysis.analyze import is_chinese
from summarizer.text.analysis.glossary import Glossary, default_glossary
from summarizer.text.analysis.people import is_surname_with_title
from summarizer.text.analysis.rank import rank_sentences
from summarizer.text.analysis.romanize import surname_table
from summarizer.text.document import Analysis, Document, EntityMention, Span

ENGINE_VERSION = "1"
MODEL_NEEDED = "needs a model; set SUMMARIZER_MODEL and OPENAI_BASE_URL (see README)"
_TERMINAL = tuple("。！？!?.…；;")
#: "通州日报讯 (通讯员... 记者...)" / "新华社北京12月1日电（记者 ...）": not part of any key point.
_DATELINE = re.compile(r"^[^\s，。,]{1,24}?[讯电](?=[\s（(])\s*(?:[（(][^（()）]{0,60}[)）])?\s*")
_MAX_TOPICS = 6


@dataclass(frozen=True)
class Extract:
    """The ranked extract: the title line (if any) and the chosen sentences, in article order."""

    title: Span | None
    sentences: tuple[Span, ...]


def title_line(document: Document) -> Span | None:
    """The first paragraph when it reads as a headline: one line, short, no closing punctuation."""
    if len(document.paragraphs) < 2:
        return None
    first = document.paragraphs[0]
    text = first.text.strip()
    if not text or len(text) > 80 or text.endswith(_TERMINAL):
        return None
    return first


def trim_dateline(span: Span) -> Span:
    """``span`` without a leading dateline/byline; still an exact span of the document."""
    match = _DATELINE.match(span.text)
    if match is None or match.end() == 0 or match.end() >= len(span.text) - 4:
        return span
    return Span(span.start + match.end(), span.end, span.text[match.end() :])


def key_point_count(sentence_count: int) -> int:
    """3 to 7 points, about one per five sentences; never more than there are sentences."""
    return min(sentence_count, max(3, min(7, round(sentence_count / 5))))


def extract(
    document: Document,
    limit: int | None = None,
    lead_bias: float = 1.0,
    budget_chars: int | None = None,
) -> Extract:
    """The title and the top-ranked sentences of ``document``, in article order.

    ``limit`` overrides the number of sentences; ``budget_chars`` instead takes sentences in rank
    order while they fit in that many characters (always at least one): an extractive summary of
    a given length.
    """
    title = title_line(document)
    body = [
        trim_dateline(sentence)
        for sentence in document.sentences
        if (title is None or sentence.start >= title.end) and len(sentence.text.strip()) > 1
    ]
    chinese = is_chinese(document)
    scores = rank_sentences([sentence.text for sentence in body], chinese, lead_bias)
    ranked = sorted(range(len(body)), key=lambda index: (-scores[index], index))
    if budget_chars is not None:
        best: list[int] = []
        used = 0
        for index in ranked:
            length = len(body[index].text)
            if best and used + length > budget_chars:
                continue
            best.append(index)
            used += length
    else:
        count = key_point_count(len(body)) if limit is None else min(limit, len(body))
        best = ranked[:count]
    return Extract(title, tuple(body[index] for index in sorted(best)))


def _unique(mentions: tuple[EntityMention, ...]) -> list[NamedEntity]:
    seen: dict[str, NamedEntity] = {}
    for mention in mentions:
        if mention.text not in seen:
            seen[mention.text] = NamedEntity(name_as_written=mention.text, name_en=mention.name_en)
    return list(seen.values())


def people(analysis: Analysis, glossary: Glossary) -> list[Person]:
    """One entry per person (by romanized name), written as their full name, not 张书记."""
    found: dict[str, Person] = {}
    short: set[str] = set()
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
            organization_en=_affiliation(mention.titles, glossary),
        )
    return list(found.values())


def _affiliation(titles: tuple[str, ...], glossary: Glossary) -> str | None:
    """The body of the title written nearest the name (usually the principal post)."""
    for title in reversed(titles):
        body = glossary.title_body(title)
        if body:
            return body
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
        label = glossary.english(keyword) if chinese else keyword
        if label and label not in labels:
            labels.append(label)
    return labels[:_MAX_TOPICS]


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


class OfflineEngine:
    """Extraction only: deterministic, instant, no network (see the module docstring)."""

    name = "offline"
    Options = OfflineOptions

    #: Extraction is this engine's output, so it needs the full (POS-tagged) analysis; model
    #: engines need only the cheap hints (``analyze(..., thorough=False)``).
    thorough_analysis = True

    def __init__(self, glossary: Glossary | None = None) -> None:
        self._glossary = glossary

    @property
    def glossary(self) -> Glossary:
        return self._glossary or default_glossary()

    def fingerprint(self) -> dict[str, str]:
        """Engine version plus digests of the data that shapes the output (glossary, surnames)."""
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
        }

    async def summarize(self, document: Document, analysis: Analysis) -> ArticleSummary:
        return self.summarize_sync(document, analysis)

    def summarize_sync(self, document: Document, analysis: Analysis) -> ArticleSummary:
        """The same as ``summarize``, for callers without an event loop (benchmarks, batch)."""
        started = time.perf_counter()
        chinese = is_chinese(document)
        chosen = extract(document)
        status: dict[str, str] = {}
        key_points = []
        if chosen.title is not None:
            key_points.append(
                KeyPoint(text_en=None if chinese else chosen.title.text, evidence=chosen.title.text)
            )
        key_points.extend(
            KeyPoint(text_en=None if chinese else span.text, evidence=span.text)
            for span in chosen.sentences
        )
        if chinese:
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
            headline_en = chosen.title.text if chosen.title else None
            summary_en = " ".join(span.text.strip() for span in chosen.sentences[:3]) or None
            translation = Translation(paragraphs_en=[p.text for p in document.paragraphs])
            status["summary_en"] = "extractive: the top-ranked sentences of the article"
            status["translation"] = "the source is English; the text is given as is"
            status["people"] = "offline entity extraction covers Chinese text only"
            if headline_en is None:
                status["headline_en"] = f"the article has no title line; headline_en {MODEL_NEEDED}"
        source = document.source_info()
        source.warnings = [*source.warnings, *analysis.warnings]
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
            people=people(analysis, self.glossary),
            organizations=_unique(analysis.organizations),
            places=_unique(analysis.places),
            events=events(document, analysis),
            topics=topics(analysis, self.glossary, chinese),
            translation=translation,
            source=source,
            meta=meta,
        )
        summary.meta.latency_ms = (time.perf_counter() - started) * 1000
        return summary
