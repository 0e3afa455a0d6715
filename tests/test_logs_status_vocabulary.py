"""``summarizer logs`` speaks one status vocabulary (what the log stores: ok, error, invalid) in
its table, its JSON and its ``--status`` filter; an id that matches no call is bad input
(exit 2, as the README's exit-code table says), not a configuration error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import calllog, summarize
from summarizer.cli import app
from summarizer.errors import OutputValidationError
from summarizer.testing import TEST_API_KEY, ScriptedOpenAIServer
from summarizer.testing.answers import bad_then_good

SEED = Path(__file__).resolve().parent.parent / "examples" / "tongzhou_2025-12-13_scraped.txt"
runner = CliRunner()


@pytest.fixture
def invalid_calls(
    openai_server: ScriptedOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Two calls whose answers failed validation (an untranslated headline, twice)."""
    monkeypatch.setenv("SUMMARIZER_LOG_PATH", str(tmp_path / "calls.db"))

    def untranslated_headline(answer: dict[str, object]) -> None:
        answer["headline_en"] = "标题"

    openai_server.set_handler(bad_then_good(untranslated_headline, times=10))
    with pytest.raises(OutputValidationError) as failed:
        summarize(
            SEED.read_bytes(),
            model="test-model",
            base_url=openai_server.base_url,
            api_key=TEST_API_KEY,
            max_reasks=1,
        )
    calllog.flush()
    return sorted(failed.value.call_ids)


def _logs(*args: str) -> str:
    result = runner.invoke(app, ["logs", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_invalid_answers_are_invalid_in_the_table_the_json_and_the_filter(
    invalid_calls: list[str],
) -> None:
    table = _logs().splitlines()
    assert sorted(line.split()[0] for line in table) == invalid_calls
    assert all(line.split()[3:5] == ["invalid", "model_output.invalid"] for line in table), table
    assert {call["status"] for call in json.loads(_logs("--json"))} == {"invalid"}
    listed = _logs("--status", "invalid").splitlines()
    assert sorted(line.split()[0] for line in listed) == invalid_calls
    assert sorted(line.split()[0] for line in _logs("--status", "error").splitlines()) == (
        invalid_calls
    )  # failed calls, as the README says
    assert _logs("--status", "ok") == ""
    shown = _logs("show", invalid_calls[0])
    assert "  status:    invalid (model_output.invalid)" in shown.splitlines()


@pytest.mark.parametrize("call_id", ["nosuch", "last"])
def test_an_id_that_matches_no_call_is_bad_input(
    call_id: str, tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    from summarizer.testing import answering

    log = tmp_path / "calls.db"
    if call_id == "nosuch":  # a log with a call in it, just not this one
        openai_server.set_handler(answering())
        article = ["summarize", str(SEED), "--model", "m", "--base-url", openai_server.base_url]
        assert runner.invoke(app, ["--log-path", str(log), *article]).exit_code == 0
        calllog.flush()
    else:
        calllog.open_database(log).close()  # a log with no calls yet
    result = runner.invoke(app, ["logs", "show", call_id, "--path", str(log)])
    assert result.exit_code == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("summarizer: error: ")
    assert ("no call 'nosuch'" if call_id == "nosuch" else "has no calls yet") in line
