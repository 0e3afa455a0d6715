"""Topic keywords: TF-IDF over jieba's tagging for Chinese, content-word frequency for English."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from summarizer.text.analysis.jieba_setup import inverse_frequency

#: Parts of speech that make topics (nouns, verbal nouns, places, bodies, other proper nouns).
_TOPIC_POS = ("n", "nz", "vn", "ns", "nt", "nw")
# fmt: off
_ENGLISH_STOP = frozenset((
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "out", "over", "own", "said", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then",
    "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
    "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "would", "you", "your", "yours", "year", "years", "new", "one", "two",
    "three", "says", "say", "told", "according", "people", "mr", "ms", "per", "cent", "percent",
))
# fmt: on


def chinese_keywords(tagged: Iterable[tuple[int, str, str]], limit: int = 10) -> tuple[str, ...]:
    """The ``limit`` most characteristic nouns of a Chinese text, from its POS tagging.

    TF-IDF with jieba's dictionary frequencies standing in for document frequencies
    (``log(total / frequency)``): no extra data file to load, and the text is not segmented twice.
    """
    counts: Counter[str] = Counter(
        word for _, word, flag in tagged if flag in _TOPIC_POS and len(word) > 1
    )
    weights = {word: count * inverse_frequency(word) for word, count in counts.items()}
    ranked = sorted(weights, key=lambda word: (-weights[word], word))
    return tuple(ranked[:limit])


def english_keywords(text: str, limit: int = 10) -> tuple[str, ...]:
    """The ``limit`` most frequent content words of an English text (ties: first seen first)."""
    words = [word.lower() for word in re.findall(r"[A-Za-z][A-Za-z'-]+", text)]
    counts = Counter(word for word in words if word not in _ENGLISH_STOP and len(word) > 2)
    return tuple(word for word, _ in counts.most_common(limit))
