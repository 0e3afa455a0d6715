"""The call log: every model call lands in SQLite (never a key), results name their calls, and
``summarizer logs`` lists, filters and shows them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import calllog, summarize
from summarizer.cli import app
from summarizer.errors import AuthenticationError, ConfigError, TruncatedOutputError
from summarizer.testing import TEST_API_KEY, Reply, ScriptedOpenAIServer, answering

SEED = Path(__file__).resolve().parent.parent / "examples" / "tongzhou_2025-12-13_scraped.txt"
runner = CliRunner()


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "calls.db"
    monkeypatch.setenv("SUMMARIZER_LOG_PATH", str(path))
    return path


def _summarize(server: ScriptedOpenAIServer, **options: object) -> object:
    return summarize(
        SEED.read_bytes(),
        model="test-model",
        base_url=server.base_url,
        api_key=TEST_API_KEY,
        **options,
    )


def _rows(path: Path) -> list[dict[str, object]]:
    calllog.flush()
    with calllog.CallLog(path) as log:
        return log.calls(calllog.CallQuery(limit=None))


def test_a_call_is_logged_with_prompt_answer_usage_and_settings(
    openai_server: ScriptedOpenAIServer, log_file: Path
) -> None:
    openai_server.set_handler(answering())
    result = _summarize(openai_server, prompt_version="v1", few_shot=False)
    rows = _rows(log_file)
    assert len(rows) == 1
    call = rows[0]
    assert result.meta.call_ids == [call["id"]]  # type: ignore[attr-defined]
    assert call["status"] == "ok" and call["error_kind"] is None
    assert call["model"] == "test-model"
    assert call["endpoint_host"] == f"127.0.0.1:{openai_server.port}"
    assert (call["prompt_template"], call["prompt_version"]) == ("summarize", "v1")
    assert call["options"]["few_shot"] == "False"
    sent = openai_server.chat_requests[0]
    assert call["messages"] == sent.messages  # exactly what went over the wire
    answer = json.loads(str(call["answer"]))  # the raw answer, as the model wrote it
    assert answer["headline_en"] == "District committee holds a planning meeting"
    assert answer["translation"]["paragraphs_en"] == result.translation.paragraphs_en  # type: ignore[attr-defined]
    assert (call["prompt_tokens"], call["completion_tokens"]) == (100, 40)
    assert call["latency_ms"] > 0
    assert call["schema_name"] == "SummaryDraft"


def test_the_api_key_is_never_stored(openai_server: ScriptedOpenAIServer, log_file: Path) -> None:
    openai_server.set_handler(answering())
    _summarize(openai_server)
    calllog.flush()
    with sqlite3.connect(log_file) as connection:
        dump = "\n".join(connection.iterdump())
    assert "test-model" in dump  # the dump does hold the call
    assert TEST_API_KEY not in dump
    assert "Bearer" not in dump and "authorization" not in dump.lower()


def test_failed_calls_are_logged_with_their_error_kind(
    openai_server: ScriptedOpenAIServer, log_file: Path
) -> None:
    openai_server.push(Reply.truncated())
    with pytest.raises(TruncatedOutputError) as truncated:
        _summarize(openai_server)
    openai_server.push(Reply.error(401, "bad key"))
    with pytest.raises(AuthenticationError) as refused:
        _summarize(openai_server)
    rows = {row["id"]: row for row in _rows(log_file)}
    assert len(rows) == 2
    (first,) = truncated.value.call_ids
    (second,) = refused.value.call_ids
    assert rows[first]["status"] == "error"
    assert rows[first]["error_kind"] == "model_output.truncated"
    assert rows[second]["error_kind"] == "transport.auth"
    assert "401" in str(rows[second]["error_message"])
    assert rows[second]["messages"]  # the prompt that failed is there to read


def test_reasks_log_one_call_each(openai_server: ScriptedOpenAIServer, log_file: Path) -> None:
    def drop_headline(answer: dict[str, object]) -> None:
        answer["headline_en"] = "标题"  # untranslated Chinese: invalid, re-asked

    from summarizer.testing.answers import bad_then_good

    openai_server.set_handler(bad_then_good(drop_headline, times=1))
    result = _summarize(openai_server)
    rows = _rows(log_file)
    assert len(rows) == 2
    assert sorted(result.meta.call_ids) == sorted(row["id"] for row in rows)  # type: ignore[attr-defined]
    reask = max(rows, key=lambda row: len(row["messages"]))  # type: ignore[arg-type]
    assert any("标题" in str(message["content"]) for message in reask["messages"])  # type: ignore[union-attr]


@pytest.mark.parametrize("switch", ["0", "off"])
def test_the_environment_switch_turns_the_log_off(
    openai_server: ScriptedOpenAIServer,
    log_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    switch: str,
) -> None:
    monkeypatch.setenv("SUMMARIZER_LOG", switch)
    openai_server.set_handler(answering())
    result = _summarize(openai_server)
    calllog.flush()
    assert result.meta.call_ids == []  # type: ignore[attr-defined]
    assert not log_file.exists()


def test_a_misspelt_environment_switch_is_a_config_error_and_logs_nothing(
    openai_server: ScriptedOpenAIServer, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``SUMMARIZER_LOG=offf`` meant "off": it must not leave prompts and answers being logged."""
    monkeypatch.setenv("SUMMARIZER_LOG", "offf")
    openai_server.set_handler(answering())
    with pytest.raises(ConfigError, match="SUMMARIZER_LOG"):
        _summarize(openai_server)
    args = ["summarize", str(SEED), "--model", "m", "--base-url", openai_server.base_url]
    result = runner.invoke(app, args)
    assert result.exit_code == ConfigError.exit_code
    assert result.stderr.strip().splitlines() == [
        "summarizer: error: SUMMARIZER_LOG must be one of 1, on, true, yes or 0, off, false, no; "
        "got 'offf'"
    ]
    assert openai_server.chat_requests == []
    calllog.flush()
    assert not log_file.exists()
    # --no-log states the choice on the command line: the environment is not read then.
    assert runner.invoke(app, ["--no-log", *args]).exit_code == 0


def test_the_cli_switch_turns_the_log_off(
    openai_server: ScriptedOpenAIServer, log_file: Path
) -> None:
    openai_server.set_handler(answering())
    args = ["summarize", str(SEED), "--model", "m", "--base-url", openai_server.base_url]
    result = runner.invoke(app, ["--no-log", *args])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["meta"]["call_ids"] == []
    calllog.flush()
    assert not log_file.exists()


# --- summarizer logs ----------------------------------------------------------------------------


@pytest.fixture
def two_calls(openai_server: ScriptedOpenAIServer, log_file: Path) -> tuple[str, str]:
    """One good call with model a, one failed call with model b."""
    base = ["summarize", str(SEED), "--base-url", openai_server.base_url]
    openai_server.set_handler(answering())
    good = runner.invoke(app, [*base, "--model", "model-a"])
    assert good.exit_code == 0, good.stderr
    openai_server.set_handler(None)
    openai_server.push(Reply.refusal("I will not summarize this."))
    bad = runner.invoke(app, [*base, "--model", "model-b"])
    assert bad.exit_code == 5
    calllog.flush()
    ok_id = json.loads(good.stdout)["meta"]["call_ids"][0]
    error_id = next(row["id"] for row in _rows(log_file) if row["id"] != ok_id)
    return ok_id, error_id


def _listed(*args: str) -> list[str]:
    result = runner.invoke(app, ["logs", *args])
    assert result.exit_code == 0, result.stderr
    return [line.split()[0] for line in result.stdout.splitlines() if line.strip()]


def test_logs_lists_newest_first_and_filters(two_calls: tuple[str, str]) -> None:
    ok_id, error_id = two_calls
    assert _listed() == [error_id, ok_id]
    assert _listed("-n", "1") == [error_id]
    assert _listed("--model", "model-a") == [ok_id]
    assert _listed("--status", "error") == [error_id]
    assert _listed("--error-kind", "model_output") == [error_id]
    assert _listed("--since", "1h") == [error_id, ok_id]
    assert _listed("--since", "2999-01-01") == []
    assert _listed("-q", "will not summarize") == [error_id]
    assert _listed("-q", "通州日报讯") == [error_id, ok_id]  # the article is in both prompts


def test_logs_json_and_show(two_calls: tuple[str, str]) -> None:
    ok_id, error_id = two_calls
    listed = runner.invoke(app, ["logs", "--json"])
    assert [call["id"] for call in json.loads(listed.stdout)] == [error_id, ok_id]
    shown = runner.invoke(app, ["logs", "show", ok_id[:16]])
    assert shown.exit_code == 0, shown.stderr
    assert f"call {ok_id}" in shown.stdout
    assert "--- system ---" in shown.stdout and "--- answer ---" in shown.stdout
    assert "通州日报讯" in shown.stdout
    error = json.loads(runner.invoke(app, ["logs", "show", "last", "--json"]).stdout)
    assert error["id"] == error_id
    assert error["error_kind"] == "model_output.refusal"
    assert "I will not summarize this." in error["error_message"]


def test_logs_errors_are_one_line(two_calls: tuple[str, str], tmp_path: Path) -> None:
    for args, fragment in (
        (["show", "ffff"], "no call 'ffff'"),
        (["--since", "yesterday"], "--since 'yesterday'"),
        (["--path", str(tmp_path / "none.db")], "no call log at"),
    ):
        result = runner.invoke(app, ["logs", *args])
        assert result.exit_code != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("summarizer: error: "), result.stderr
        assert fragment in lines[0]


def test_the_cli_can_log_elsewhere(openai_server: ScriptedOpenAIServer, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.db"
    openai_server.set_handler(answering())
    args = ["summarize", str(SEED), "--model", "m", "--base-url", openai_server.base_url]
    result = runner.invoke(app, ["--log-path", str(elsewhere), *args])
    assert result.exit_code == 0, result.stderr
    (call_id,) = json.loads(result.stdout)["meta"]["call_ids"]
    assert [row["id"] for row in _rows(elsewhere)] == [call_id]
    shown = runner.invoke(app, ["logs", "show", call_id, "--path", str(elsewhere), "--json"])
    assert json.loads(shown.stdout)["model"] == "m"


def test_answers_that_fail_validation_are_logged_invalid_and_found_as_errors(
    openai_server: ScriptedOpenAIServer, log_file: Path
) -> None:
    from summarizer.errors import OutputValidationError
    from summarizer.testing.answers import bad_then_good

    def untranslated_headline(answer: dict[str, object]) -> None:
        answer["headline_en"] = "标题"

    openai_server.set_handler(bad_then_good(untranslated_headline, times=10))
    with pytest.raises(OutputValidationError) as failed:
        _summarize(openai_server, max_reasks=1)
    rows = _rows(log_file)
    assert sorted(row["id"] for row in rows) == sorted(failed.value.call_ids)
    assert [row["status"] for row in rows] == ["invalid", "invalid"]
    assert all(row["error_kind"] == "model_output.invalid" for row in rows)
    assert all("failed validation" in str(row["error_message"]) for row in rows)
    assert sorted(_listed("--status", "error")) == sorted(failed.value.call_ids)
    assert _listed("--status", "ok") == []
