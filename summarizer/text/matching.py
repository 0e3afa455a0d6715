"""Matching model output against the article up to copying noise (but not paraphrase).

Evidence spans and names a model copies from the article are compared on a normalized form of both
texts: NFKC (full-width and half-width forms match), quote, dash and full-stop variants unified,
all whitespace and ``[P<n>]`` paragraph markers removed, case folded. Used by the validation
checks and by eval's grounding metrics.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from summarizer.text.chars import FIRST_HAN, HAN_RUN

_HAN = HAN_RUN
_WHITESPACE_AND_MARKERS = re.compile(r"\s+|\[P\d+\]")
_PUNCTUATION_VARIANTS = str.maketrans(
    {
        "。": ".",
        "｡": ".",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "〝": '"',
        "〞": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "—": "-",
        "–": "-",
        "‒": "-",
        "―": "-",
        "－": "-",
        "、": ",",
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "《": "<",
        "》": ">",
        "〈": "<",
        "〉": ">",
    }
)
ELLIPSIS = re.compile(r"\.\.\.|…|⋯")


def normalize_for_match(text: str) -> str:
    """The form in which evidence and source are compared (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_VARIANTS)
    return _WHITESPACE_AND_MARKERS.sub("", text).casefold()


@lru_cache(maxsize=256)
def normalized_source(text: str) -> str:
    """``normalize_for_match`` of an article, cached: one article is matched many times."""
    return normalize_for_match(text)


def occurs_in(fragment: str, source_text: str) -> bool:
    """Whether ``fragment`` occurs in ``source_text`` up to copying noise (not paraphrase)."""
    needle = normalize_for_match(fragment)
    return bool(needle) and needle in normalized_source(source_text)


def han_runs(text: str) -> list[str]:
    """The runs of Chinese (Han) characters in ``text``."""
    if text.isascii() or max(text) < FIRST_HAN:  # no Han possible: skip the (slower) regex
        return []
    return _HAN.findall(text)
