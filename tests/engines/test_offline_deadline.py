"""The offline engine honours the article's deadline, preparation included, like the model engine.

It used to ignore ``deadline``: a 650,000-character article with ``--deadline 0.5`` ran for 25 s
and exited 0. Now the deadline is checked when the engine starts (after preparation and analysis)
and after ranking, its one long step; running out is a ``DeadlineExceededError``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

import summarizer
import summarizer.api
from summarizer.cli import app
from summarizer.engines import offline
from summarizer.engines.offline import OfflineEngine
from summarizer.errors import ConfigError, DeadlineExceededError

ARTICLE = "北京市政府今天宣布，将在明年增加公共交通投资。市长表示，这项计划将惠及数百万市民。"


def test_a_deadline_spent_preparing_fails_typed(
    slow_preparation: Callable[[ModuleType], Any],
) -> None:
    slow_preparation(summarizer.api)
    # The checkpoints inside text handling, or the engine's own check after it, whichever first.
    with pytest.raises(DeadlineExceededError, match="passed while its") as raised:
        summarizer.summarize(ARTICLE, engine="offline", deadline=0.2)
    assert raised.value.kind == "transport.deadline"
    assert "--deadline" in str(raised.value)


def test_the_same_article_meets_a_longer_deadline(
    slow_preparation: Callable[[ModuleType], Any],
) -> None:
    slow_preparation(summarizer.api)
    result = summarizer.summarize(ARTICLE, engine="offline", deadline=30)
    assert result.meta.engine == "offline" and result.key_points


def test_ranking_past_the_deadline_fails_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    document, analysis = summarizer.api.prepare_article(ARTICLE)
    real_extract = offline.extract

    def slow_extract(*args: Any, **kwargs: Any) -> offline.Extract:
        time.sleep(0.3)
        return real_extract(*args, **kwargs)

    monkeypatch.setattr(offline, "extract", slow_extract)
    engine = OfflineEngine(deadline=0.2)
    with pytest.raises(DeadlineExceededError, match="ranked its sentences"):
        engine.summarize_sync(document, analysis)
    assert OfflineEngine(deadline=5).summarize_sync(document, analysis).key_points


def test_the_deadline_comes_from_the_option_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert summarizer.get_engine("offline").deadline == 600.0  # type: ignore[attr-defined]
    assert summarizer.get_engine("offline", deadline=2.5).deadline == 2.5  # type: ignore[attr-defined]
    monkeypatch.setenv("SUMMARIZER_DEADLINE", "7")
    assert summarizer.get_engine("offline").deadline == 7.0  # type: ignore[attr-defined]
    assert summarizer.get_engine("auto").deadline == 7.0  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="deadline"):
        summarizer.get_engine("offline", deadline=0)
    monkeypatch.setenv("SUMMARIZER_DEADLINE", "soon")
    with pytest.raises(ConfigError, match="SUMMARIZER_DEADLINE"):
        summarizer.get_engine("offline")


def test_the_cli_exits_with_the_deadline_code(
    slow_preparation: Callable[[ModuleType], Any], tmp_path: Path
) -> None:
    slow_preparation(summarizer.api)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["summarize", str(article), "--engine", "offline", "--deadline", "0.2"]
    )
    assert result.exit_code == 4, result.output
    assert result.stderr.count("\n") == 1 and "deadline of 0.2 s passed" in result.stderr
    assert "Traceback" not in result.output
