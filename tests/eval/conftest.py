"""Fixtures for the eval harness tests: the shared fake model (``summarizer.testing.answers``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from summarizer.testing import RecordedRequest, Reply, answering

USAGE = (120, 60)


@pytest.fixture
def fake_model() -> Callable[[RecordedRequest], Reply]:
    """Answers every engine request well, grounded in the request's own article."""
    return answering(usage=USAGE)
