"""Fixtures for the text tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from summarizer.text import prepare
from summarizer.text.document import Document

MakeDocument = Callable[..., Document]


@pytest.fixture
def make_document() -> MakeDocument:
    """Documents through the real ``prepare`` (clean input, so the text stays as written)."""

    def make(text: str, language: str = "zh") -> Document:
        document = prepare(text)
        assert document.language == language
        return document

    return make
