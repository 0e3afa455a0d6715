"""The shapes that text handling produces and every engine consumes.

``Document`` is the repaired, normalized article with its paragraphs and sentences (all with offsets
into ``Document.text``) and the record of every change made to reach it. ``Analysis`` is what we can
extract from it without a model. Both are plain frozen dataclasses: cheap to build, easy to test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from summarizer.schema import InputWarning, Repair, SourceInfo

#: A cooperative stop for long text handling. ``prepare`` and ``analyze`` call it at the head of
#: their long loops (per repaired run, per paragraph, per tagged block, per entity rule) with a
#: phrase saying what they were doing ("while its text was repaired"); it raises to stop the work
#: (an article's deadline: ``summarizer.engines.deadline.ArticleDeadline.check``), else returns.
Checkpoint = Callable[[str], None]


def run_to_end(stage: str) -> None:
    """The checkpoint of text handling that nobody stops (the default)."""


@dataclass(frozen=True)
class Span:
    """A stretch of ``Document.text``: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence(Span):
    paragraph: int = 0


@dataclass(frozen=True)
class Document:
    #: The decoded input before any repair (what offsets in ``Repair.original_*`` refer to).
    original: str
    #: The normalized text: repaired, simplified script, tidy whitespace, paragraphs split by "\n".
    text: str
    language: str
    script: (
        str  # "traditional" | "simplified" | "mixed" | "latin" | "none" (script of the ORIGINAL)
    )
    encoding: str
    paragraphs: tuple[Span, ...]
    sentences: tuple[Sentence, ...]
    #: Edits of ``original`` that never overlap (in either text) and, each ``replacement`` put
    #: over its ``original[original_start:original_end]``, give ``text``: one per stretch changed.
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[InputWarning, ...] = ()
    #: Normalized text offset -> original text offset, one entry per normalized char plus one for
    #: the end. Empty when the two texts are identical.
    offset_map: tuple[int, ...] = ()
    #: The publication date (ISO ``YYYY-MM-DD``) from the page's metadata or a 发布时间 line.
    published: str | None = None

    def to_original_offset(self, normalized_offset: int) -> int:
        """Where a normalized-text offset points in the original (decoded) text."""
        if not self.offset_map:
            return normalized_offset
        return self.offset_map[min(max(normalized_offset, 0), len(self.offset_map) - 1)]

    def source_info(self) -> SourceInfo:
        return SourceInfo(
            language=self.language,
            script=self.script,  # type: ignore[arg-type]
            encoding=self.encoding,
            normalized_text=self.text,
            paragraphs=[paragraph.text for paragraph in self.paragraphs],
            repairs=list(self.repairs),
            warnings=list(self.warnings),
        )


@dataclass(frozen=True)
class PersonMention(Span):
    name_en: str = ""
    titles: tuple[str, ...] = ()  # as written, e.g. ("市委常委", "区委书记")
    titles_en: tuple[str, ...] = ()  # e.g. ("Member of the Standing Committee of the ...", ...)


@dataclass(frozen=True)
class EntityMention(Span):
    kind: str = ""  # "organization" | "place"
    name_en: str | None = None


@dataclass(frozen=True)
class DateMention(Span):
    iso: str | None = None  # "2025-12-13", "2025-12", or None when undeterminable


@dataclass(frozen=True)
class NumberMention(Span):
    value: float | None = None


@dataclass(frozen=True)
class GlossaryHit(Span):
    english: str = ""


@dataclass(frozen=True)
class Analysis:
    people: tuple[PersonMention, ...] = ()
    organizations: tuple[EntityMention, ...] = ()
    places: tuple[EntityMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    numbers: tuple[NumberMention, ...] = ()
    glossary: tuple[GlossaryHit, ...] = ()
    keywords: tuple[str, ...] = ()
    #: Extra warnings the analysis found (e.g. an ambiguous year).
    warnings: tuple[InputWarning, ...] = field(default_factory=tuple)
