"""Model options given to the offline engine change nothing, and the library says so as the CLI
does: in ``meta.status["options"]``, in the same words (one function writes both)."""

from __future__ import annotations

import warnings
from pathlib import Path

from typer.testing import CliRunner

import summarizer
from summarizer.cli import app

ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
SAID = "few_shot, temperature only tune a model; the offline engine ignores them"


def test_summarize_with_the_offline_engine_says_the_options_change_nothing() -> None:
    result = summarizer.summarize(ARTICLE, engine="offline", temperature=0.3, few_shot=False)
    assert result.meta.status["options"] == SAID
    plain = summarizer.summarize(ARTICLE, engine="offline", deadline=30, year_hint=2024)
    assert "options" not in plain.meta.status  # what the offline engine honours is no note


def test_auto_falling_back_to_offline_says_it_too() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", summarizer.OfflineFallbackWarning)
        result = summarizer.summarize(ARTICLE, engine="auto", max_reasks=1)
    assert result.meta.status["options"] == (
        "max_reasks only tune a model; the offline engine ignores them"
    )


def test_a_batch_line_says_it() -> None:
    report = summarizer.summarize_many(
        [{"id": "a", "text": ARTICLE}], engine="offline", temperature=0.3, few_shot=False
    )
    [line] = report.results
    assert line["result"]["meta"]["status"]["options"] == SAID


def test_the_cli_says_the_same_words_with_its_flags(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["summarize", str(article), "--engine", "offline", "--temperature", "0.3", "--no-few-shot"],
    )
    assert result.exit_code == 0, result.output
    assert (
        "summarizer: warning: --few-shot, --temperature only tune a model; the offline engine "
        "ignores them" in result.stderr
    )
    assert f'"options": "{SAID}"' in result.stdout
