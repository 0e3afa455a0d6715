"""Batch fixtures: a scripted model on the shared server, and engines that never back off."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import DraftingModel

from summarizer.config import ModelConfig, Secret
from summarizer.engines.client import ChatClient
from summarizer.engines.openai import OpenAIEngine
from summarizer.testing import ScriptedOpenAIServer


@pytest.fixture(autouse=True)
def _test_model_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scripted model's price comes from a user price file, as a user's would."""
    monkeypatch.setenv("SUMMARIZER_PRICES", str(Path(__file__).with_name("prices.toml")))


@pytest.fixture
def drafting_model(openai_server: ScriptedOpenAIServer) -> DraftingModel:
    model = DraftingModel()
    openai_server.set_handler(model)
    return model


async def _no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


@pytest.fixture
def make_engine(openai_server: ScriptedOpenAIServer) -> Iterator[Callable[..., OpenAIEngine]]:
    """An engine on the scripted server whose retry waits are skipped (tests never back off)."""

    def build(**options: Any) -> OpenAIEngine:
        config = ModelConfig(
            model="test-model",
            base_url=openai_server.base_url,
            api_key=Secret("sk-test-SECRET123456"),
            **options,
        )
        return OpenAIEngine(config, client_factory=lambda c: ChatClient(c, sleep=_no_wait))

    yield build
