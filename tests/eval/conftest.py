"""Fixtures for the eval harness tests: a fake model answering from the request's own article."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from summarizer.testing import RecordedRequest, Reply

FENCED = re.compile(r"<<<ARTICLE ([0-9a-f]{16})>>>\n(.*?)\n<<<END ARTICLE \1>>>", re.DOTALL)
PARAGRAPH_LINE = re.compile(r"^\[P(\d+)\] (.*)$", re.MULTILINE)
USAGE = (120, 60)


def article_paragraphs(request: RecordedRequest) -> list[str]:
    first_user = next(m["content"] for m in request.messages if m["role"] == "user")
    fenced = FENCED.search(first_user)
    assert fenced, "the article is not fenced"
    return [text for _, text in PARAGRAPH_LINE.findall(fenced.group(2))]


def summary_answer(request: RecordedRequest) -> dict[str, Any]:
    """A schema-valid answer grounded in the request's article (evidence copied from it)."""
    paragraphs = article_paragraphs(request)
    first = paragraphs[0]
    system = request.messages[0]["content"]
    # Placeholder English of a plausible length (about 2.5 characters per Chinese character).
    translation = [
        f"English paragraph {number}: " + "meeting " * (len(text) * 5 // 16 + 1)
        for number, text in enumerate(paragraphs, start=1)
    ]
    if "translate part of a long news article" in system:
        return {"paragraphs_en": translation}
    answer: dict[str, Any] = {
        "headline_en": "District committee holds a planning meeting",
        "summary_en": "The district committee met to plan next year. Leaders spoke.",
        "key_points": [
            {"text_en": f"Point {index}.", "evidence": first[index : index + 8]}
            for index in range(3)
        ],
        "people": [],
        "organizations": [],
        "places": [],
        "events": [],
        "topics": ["politics", "planning", "local government"],
    }
    if "faithful English translation" in system:
        answer["translation"] = {"paragraphs_en": translation}
    return answer


@pytest.fixture
def fake_model() -> Callable[[RecordedRequest], Reply]:
    def handler(request: RecordedRequest) -> Reply:
        return Reply.json(summary_answer(request), usage=USAGE)

    return handler
