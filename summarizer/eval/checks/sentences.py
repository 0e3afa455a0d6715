"""English sentence boundaries for the coverage and length checks.

A regular expression that ends a sentence at every full stop breaks "until 4:30 a.m. and then",
"JD.com to begin", "the U.S. Department" and a quotation's closing mark into sentences of their
own, and a fragment of a faithful sentence then looks unsupported. ``pysbd`` (rule-based
sentence boundary disambiguation, the Golden Rules of English segmentation) knows these cases.
"""

from __future__ import annotations

from functools import lru_cache

try:
    import pysbd
except ModuleNotFoundError as missing:  # the core install has no eval dependencies
    from summarizer.extras import MissingExtraError

    raise MissingExtraError("eval", missing.name) from None


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


@lru_cache(maxsize=65536)
def english_sentences(text: str) -> tuple[str, ...]:
    """The sentences of an English paragraph, stripped, empty ones left out (remembered: the
    meta-evaluation checks each reference paragraph many times)."""
    return tuple(part.strip() for part in _segmenter().segment(text) if part.strip())
