"""Test doubles that users can reuse: a scripted OpenAI-compatible HTTP server.

``ScriptedOpenAIServer`` answers the real ``openai`` SDK over HTTP on 127.0.0.1 with replies a test
scripts (``Reply``); ``answering()`` is the fake model that answers any engine request well (see
``summarizer.testing.answers``), and ``valid_draft`` builds such an answer for a prepared document,
so tests of the happy path need no hand-written fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from summarizer.testing.answers import (
    answering,
    article_paragraphs,
    asked_for,
    bad_then_good,
    counting_tokens,
    good_answer,
    paragraph_numbers,
)
from summarizer.testing.server import (
    FAULT_KINDS,
    RecordedRequest,
    Reply,
    ScriptedOpenAIServer,
    estimate_tokens,
)

if TYPE_CHECKING:
    from summarizer.text.document import Document

__all__ = [
    "FAULT_KINDS",
    "TEST_API_KEY",
    "RecordedRequest",
    "Reply",
    "ScriptedOpenAIServer",
    "answering",
    "article_paragraphs",
    "asked_for",
    "bad_then_good",
    "counting_tokens",
    "estimate_tokens",
    "good_answer",
    "paragraph_numbers",
    "valid_draft",
]

#: A fake key for tests; assert that it never shows up in errors, logs, caches or reports.
TEST_API_KEY = "sk-test-SECRET123456"

_FILLER = "This paragraph reports what the article says at this point."


def valid_draft(document: Document, *, key_points: int = 3) -> dict[str, Any]:
    """A ``SummaryDraft``-shaped dict that passes semantic validation for ``document``.

    English prose without digits (so no number can be called invented), evidence spans that are
    exact sentences of ``document.text``, and one English paragraph per source paragraph of about
    the source's length. People, organizations, places and events are left empty.
    """
    sentences = [s.text.strip() for s in document.sentences if s.text.strip()]
    if not sentences:
        sentences = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    if not sentences:
        raise ValueError("the document has no text to quote as evidence")
    ordinals = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
    points = [
        {
            "text_en": f"The article's {ordinals[i]} key point is stated in its source sentence.",
            "evidence": sentences[i % len(sentences)],
        }
        for i in range(max(1, min(key_points, len(ordinals))))
    ]
    return {
        "headline_en": "Scripted summary of the article",
        "summary_en": (
            "The article reports a local news event. "
            "This summary was written by the scripted test server."
        ),
        "key_points": points,
        "people": [],
        "organizations": [],
        "places": [],
        "events": [],
        "topics": ["local news", "government", "community"],
        "translation": {
            "paragraphs_en": [_english_like(paragraph.text) for paragraph in document.paragraphs]
        },
    }


def _english_like(source: str) -> str:
    """English filler roughly as long as a translation of ``source`` would be."""
    target_chars = max(len(_FILLER), int(estimate_tokens(source) * 4.5))
    repeats = max(1, round(target_chars / (len(_FILLER) + 1)))
    return " ".join([_FILLER] * repeats)
