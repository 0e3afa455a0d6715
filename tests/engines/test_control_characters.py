"""Review 7, finding 7: terminal control sequences in a model's answer never reach a terminal.

Before: a ``headline_en`` holding ``ESC [31m`` and an OSC title sequence passed validation with no
re-ask, and ``summarizer summarize --format markdown`` printed the raw bytes (the terminal turned
red and changed its title). Now control characters in any English field are a validation problem
(re-asked), and the Markdown renderer writes any that reach it as visible ``\\xNN`` text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from engine_runs import run

from summarizer.config import ModelConfig
from summarizer.engines.validation.fields import english
from summarizer.render import summary_to_markdown
from summarizer.schema import ArticleSummary, KeyPoint, RunMeta, SourceInfo
from summarizer.testing import ScriptedOpenAIServer
from summarizer.testing.answers import answering, bad_then_good

ARTICLE = "区委召开会议。张建华讲话。"
ESCAPES = "Head \x1b[31mRED\x1b[0m \x1b]0;PWNED\x07 title\x9b"
ROOT = Path(__file__).resolve().parents[2]


def with_headline(headline: str) -> Any:
    def change(answer: dict[str, Any]) -> None:
        answer["headline_en"] = headline

    return change


@pytest.mark.parametrize("character", ["\x1b", "\x07", "\x00", "\x7f", "\x9b", "\x08"])
def test_control_characters_in_an_english_field_are_a_problem(character: str) -> None:
    problems = english("headline_en", f"A{character}B")
    assert [(p.code, p.severity) for p in problems] == [("english.control_characters", "error")]
    assert f"U+{ord(character):04X}" in problems[0].message


def test_tabs_and_line_breaks_are_text() -> None:
    assert english("summary_en", "One.\nTwo.\tThree.") == []


def test_the_model_is_reasked_and_its_clean_answer_kept(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    openai_server.set_handler(bad_then_good(with_headline(ESCAPES)))
    summary = run(config, ARTICLE)
    assert summary.meta.reasks == 1
    assert "headline_en: contains control characters (U+0007, U+001B, U+009B)" in str(
        openai_server.chat_requests[1].messages[-1]["content"]
    )
    assert summary.headline_en == "District committee holds a planning meeting"


def make_summary(headline: str) -> ArticleSummary:
    source = SourceInfo(
        language="zh", script="simplified", encoding="str", normalized_text=ARTICLE,
        paragraphs=[ARTICLE],
    )  # fmt: skip
    return ArticleSummary(
        headline_en=headline,
        summary_en="Summary \x1b[2J here.",
        key_points=[KeyPoint(text_en="A point\x07.", evidence=ARTICLE)],
        people=[],
        organizations=[],
        places=[],
        events=[],
        topics=["topic\x1b]0;x\x07"],
        translation=None,
        source=source,
        meta=RunMeta(engine="offline"),
    )


def test_markdown_writes_control_characters_out_visibly() -> None:
    markdown = summary_to_markdown(make_summary(ESCAPES))
    assert not any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in markdown)
    assert "\\\\x1b\\[31mRED" in markdown  # backslash escaped for Markdown: renders as \x1b[31mRED
    assert "\\\\x9b" in markdown


def test_the_cli_prints_no_escape_sequence_from_a_model_that_insists(
    openai_server: ScriptedOpenAIServer, tmp_path: Path
) -> None:
    """The real command: the answer stays bad through every re-ask, so the article fails (exit 5)
    and nothing the model wrote reaches stdout or stderr raw."""
    openai_server.set_handler(answering(with_headline(ESCAPES)))
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(article), "--format", "markdown",
         "--model", "m", "--base-url", openai_server.base_url, "--max-reasks", "1"],
        capture_output=True, cwd=ROOT, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "OPENAI_API_KEY": "sk-test",
             "SUMMARIZER_LOG": "0", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert completed.returncode == 5, completed.stderr
    assert b"\x1b" not in completed.stdout + completed.stderr
    assert b"\x07" not in completed.stdout + completed.stderr
    assert b"control characters" in completed.stderr
