"""Shared fixtures: the scripted OpenAI-compatible server and a clean model environment.

Every model test talks to ``openai_server`` (a real HTTP server on 127.0.0.1) through the real SDK.
An autouse fixture strips any real ``OPENAI_*``/``SUMMARIZER_*`` variables so that no test can ever
reach a real endpoint or pick up a developer's key.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from summarizer import calllog
from summarizer.testing import TEST_API_KEY, ScriptedOpenAIServer

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
FAKE_API_KEY = TEST_API_KEY
TEST_MODEL = "test-model"
MODEL_ENV_PREFIXES = ("OPENAI_", "SUMMARIZER_")


@pytest.fixture(autouse=True)
def _isolated_model_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test sees the developer's real endpoint, key or summarizer settings, and no test writes
    to the developer's call log (tests share one log in the session's temporary directory)."""
    for name in list(os.environ):
        if name.startswith(MODEL_ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_LOG_PATH", str(tmp_path_factory.getbasetemp() / "calls.db"))
    yield
    calllog.reset_configuration()


@pytest.fixture(scope="session")
def _scripted_server() -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer() as server:
        yield server


@pytest.fixture
def openai_server(_scripted_server: ScriptedOpenAIServer) -> Iterator[ScriptedOpenAIServer]:
    """A started scripted server, empty at the start of each test (shared across the session)."""
    _scripted_server.reset()
    _scripted_server.clear_routes()
    yield _scripted_server
    _scripted_server.reset()
    _scripted_server.clear_routes()


@pytest.fixture
def openai_env(openai_server: ScriptedOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the environment at the scripted server; returns the fake API key."""
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("SUMMARIZER_MODEL", TEST_MODEL)
    return FAKE_API_KEY


@pytest.fixture
def no_model_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No model endpoint configured at all (the offline engine's world)."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The real scraped article (traditional script, pinyin annotations, damage and all)."""
    return SEED_PATH.read_text(encoding="utf-8")


#: Longer than the deadlines the clock tests give, so preparation alone uses the deadline up.
SLOW_PREPARATION_SECONDS = 0.3


@pytest.fixture
def slow_preparation(monkeypatch: pytest.MonkeyPatch) -> Callable[[ModuleType], Callable[..., Any]]:
    """``slow_preparation(module)`` makes ``module.prepare_article`` take 0.3 s longer (for the
    "one deadline per article, preparation included" tests) and returns the real one."""

    def slow_down(module: ModuleType) -> Callable[..., Any]:
        real_prepare: Callable[..., Any] = module.prepare_article

        def slow_prepare(*args: Any, **kwargs: Any) -> Any:
            prepared = real_prepare(*args, **kwargs)
            time.sleep(SLOW_PREPARATION_SECONDS)
            return prepared

        monkeypatch.setattr(module, "prepare_article", slow_prepare)
        return real_prepare

    return slow_down
