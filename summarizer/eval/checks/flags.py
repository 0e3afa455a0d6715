"""The one result type of every reference-free check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    """One suspicious stretch of an English output."""

    #: ``number.unsupported``, ``date.unsupported``, ``name.unsupported``, ``name.misspelled``,
    #: ``length.outlier``, ``sentence.unsupported``, ``translation.paragraph_count``,
    #: ``english.untranslated``.
    code: str
    #: Index of the English paragraph (None when it concerns the whole text).
    paragraph: int | None
    #: The offending text, as it appears in the English.
    text: str
    message: str
    #: Weak evidence (round 8): a length or sentence-coverage flag that free and split renderings
    #: raise too (more sentences than the source; a sentence that still renders some of it).
    #: ``summarizer.eval.grounding.strong_evidence`` counts it only where another check agrees.
    weak: bool = False
