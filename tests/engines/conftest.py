"""Fixtures shared by the engine tests: a model configuration pointing at the scripted server."""

from __future__ import annotations

import pytest

from summarizer.config import ModelConfig, Secret
from summarizer.testing import ScriptedOpenAIServer


@pytest.fixture
def config(openai_server: ScriptedOpenAIServer) -> ModelConfig:
    """One transport attempt, so a test sees each scripted answer exactly once."""
    return ModelConfig(
        model="test-model",
        base_url=openai_server.base_url,
        api_key=Secret("sk-test-SECRET123456"),
        max_transport_attempts=1,
    )
