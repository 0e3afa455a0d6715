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
