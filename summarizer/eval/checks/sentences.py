"""English sentence boundaries for the coverage and length checks.

A regular expression that ends a sentence at every full stop breaks "until 4:30 a.m. and then",
"JD.com to begin", "the U.S. Department" and a quotation's closing mark into sentences of their
own, and a fragment of a faithful sentence then looks unsupported. ``pysbd`` (rule-based
sentence boundary disambiguation, the Golden Rules of English segmentation) knows these cases.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:
    import pysbd
except ModuleNotFoundError as missing:  # the core install has no eval dependencies
    from summarizer.extras import MissingExtraError

    raise MissingExtraError("eval", missing.name) from None


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


#: A sentence end inside a quotation that is never closed: pysbd keeps an open quotation in one
#: piece, and a paragraph that opens a quote carried on into the next paragraph ("“for a very long
#: time, the U.S. has ...") would then be one sentence however many it holds. A full stop after a
#: lowercase letter or digit, before a capital, still ends a sentence there ("U.S. Department"
#: and "a.m. and" do not match).
_END_IN_OPEN_QUOTE = re.compile(r"(?<=[a-z0-9][.!?])\s+(?=[A-Z])")


#: What makes a piece a sentence: a letter or digit. A stray full stop ("in limited numbers. .")
#: or a lone closing quote left by the segmenter is punctuation, not a sentence of its own.
_SENTENCE_CONTENT = re.compile(r"[^\W_]")


#: A number sign and its number ("the No.3 Flood", "Vol.2 Chapter"): pysbd ends a sentence after
#: it when a capital follows, but it ends none.
_NUMBER_SIGN_END = re.compile(r"\b(?:No|Nos|Vol|Art|Fig)\.\s?\d+[A-Za-z]?\s*$")


def _open_quote(text: str) -> bool:
    return text.count("“") != text.count("”") or text.count('"') % 2 == 1


@lru_cache(maxsize=65536)
def english_sentences(text: str) -> tuple[str, ...]:
    """The sentences of an English paragraph, stripped; pieces without a letter or digit are
    left out (remembered: the meta-evaluation checks each reference paragraph many times)."""
    parts: list[str] = []
    for part in _segmenter().segment(text):
        if parts and _NUMBER_SIGN_END.search(parts[-1]):
            parts[-1] += part  # "the No.3" + "Flood ...": one sentence
        else:
            parts.append(part)
    pieces: list[str] = []
    for part in parts:
        pieces.extend(_END_IN_OPEN_QUOTE.split(part) if _open_quote(part) else [part])
    return tuple(piece.strip() for piece in pieces if _SENTENCE_CONTENT.search(piece))
