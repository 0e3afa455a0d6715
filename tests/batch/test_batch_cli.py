"""``summarizer batch``: inputs (JSONL, folder, stdin), exit codes, progress and the summary."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from batch_helpers import DraftingModel, article_rows, article_text, read_output, write_jsonl
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.testing import ScriptedOpenAIServer

runner = CliRunner()


def invoke(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_all_ok_exits_0_with_a_summary(
    tmp_path: Path, openai_env: str, drafting_model: DraftingModel
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(4))
    output, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    code, stdout, stderr = invoke(
        "batch", str(source), "-o", str(output), "--no-cache", "--summary-json", str(summary)
    )
    assert code == 0, stderr
    assert stdout == ""  # results go to the file, messages to stderr
    assert "batch: 4 ok, 0 failed" in stderr
    assert "estimated cost: $" in stderr and "throughput:" in stderr
    data = json.loads(summary.read_text())
    assert data["ok"] == 4 and data["exit_code"] == 0 and data["usage"]["total_tokens"] > 0
    # test-model costs $1/M prompt and $2/M completion tokens (tests/batch/prices.toml).
    usage = data["usage"]
    expected = (usage["prompt_tokens"] + 2 * usage["completion_tokens"]) / 1e6
    assert abs(data["cost_usd"] - expected) < 1e-6
    assert len(read_output(output)) == 4
    assert openai_env not in stderr and openai_env not in output.read_text()


def test_bad_records_exit_1_and_are_counted_by_kind(
    tmp_path: Path, openai_env: str, drafting_model: DraftingModel
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in article_rows(3))
        + "not json\n"
        + json.dumps({"id": "a0", "text": "重复的编号"})
        + "\n",
        "utf-8",
    )
    output = tmp_path / "out.jsonl"
    code, _, stderr = invoke("batch", str(source), "-o", str(output), "--no-cache")
    assert code == 1
    assert "batch: 3 ok, 2 failed" in stderr
    assert "error input.record.invalid_json: 1" in stderr
    assert "error input.record.duplicate_id: 1" in stderr
    assert len(read_output(output)) == 5


def test_folder_input_with_an_undecodable_file(
    tmp_path: Path, openai_env: str, drafting_model: DraftingModel
) -> None:
    folder = tmp_path / "articles"
    (folder / "2025").mkdir(parents=True)
    (folder / "one.txt").write_text(article_text(1), "utf-8")
    (folder / "2025" / "two.html").write_text(
        f"<html><body><p>{article_text(2).replace(chr(10), '</p><p>')}</p></body></html>", "utf-8"
    )
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 8)
    output = tmp_path / "out.jsonl"
    code, _, stderr = invoke("batch", str(folder), "-o", str(output), "--no-cache")
    assert code == 1, stderr
    lines = {line["id"]: line for line in read_output(output)}
    assert set(lines) == {"one.txt", "2025/two.html", "broken.txt"}
    assert lines["one.txt"]["status"] == "ok" and lines["2025/two.html"]["status"] == "ok"
    assert lines["broken.txt"]["status"] == "error"
    assert lines["broken.txt"]["error"]["kind"].startswith("input.")


def test_stdin_input_and_plain_progress_lines(
    tmp_path: Path,
    openai_env: str,
    drafting_model: DraftingModel,
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.latency = 0.05
    rows = article_rows(6)
    stdin = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    output = tmp_path / "out.jsonl"
    code, _, stderr = invoke(
        "batch",
        "-",
        "-o",
        str(output),
        "--no-cache",
        "-j",
        "1",
        "--log-interval",
        "0.1",
        stdin=stdin,
    )
    assert code == 0, stderr
    progress = [
        line for line in stderr.splitlines() if line.startswith("batch: ") and "done" in line
    ]
    assert progress, stderr
    assert "articles/s" in progress[-1] and "tokens" in progress[-1] and "ETA" in progress[-1]
    assert sorted(line["id"] for line in read_output(output)) == sorted(r["id"] for r in rows)


def test_quiet_prints_nothing(
    tmp_path: Path, openai_env: str, drafting_model: DraftingModel
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(2))
    code, stdout, stderr = invoke(
        "batch", str(source), "-o", str(tmp_path / "o.jsonl"), "--no-cache", "--quiet"
    )
    assert (code, stdout, stderr) == (0, "", "")


def test_missing_input_is_a_one_line_error(tmp_path: Path) -> None:
    code, _, stderr = invoke("batch", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o"))
    assert code == 2
    assert stderr.startswith("summarizer: error: batch input not found")
    assert len(stderr.strip().splitlines()) == 1


def test_authentication_failure_stops_the_batch_and_leaves_it_resumable(
    tmp_path: Path, openai_env: str, openai_server: ScriptedOpenAIServer
) -> None:
    from summarizer.testing import Reply

    openai_server.set_handler(lambda request: Reply.error(401, "Incorrect API key provided"))
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(5))
    output = tmp_path / "out.jsonl"
    code, _, stderr = invoke("batch", str(source), "-o", str(output), "--no-cache")
    assert code == 3
    ours = [line for line in stderr.splitlines() if line.startswith("summarizer: ")]
    assert len(ours) == 1 and ours[0].startswith("summarizer: error: ") and "401" in ours[0]
    assert not output.exists() or output.read_text() == ""  # nothing recorded as failed


def test_output_that_is_the_input_is_refused_at_once(tmp_path: Path) -> None:
    """Appending to the file being read would read its own lines back forever."""
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(2))
    before = source.read_bytes()
    (tmp_path / "hard.jsonl").hardlink_to(source)
    (tmp_path / "soft.jsonl").symlink_to(source)
    for output in (source, tmp_path / "hard.jsonl", tmp_path / "soft.jsonl"):
        code, _, stderr = invoke("batch", str(source), "-o", str(output), "--engine", "offline")
        assert code == 2, stderr
        assert "is the input file" in stderr and len(stderr.strip().splitlines()) == 1
        assert source.read_bytes() == before


def test_an_unreachable_endpoint_exits_4_as_the_help_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-unreachable")
    monkeypatch.setenv("SUMMARIZER_MODEL", "test-model")
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(3))
    output = tmp_path / "out.jsonl"
    code, _, stderr = invoke(
        "batch", str(source), "-o", str(output), "--no-cache", "--deadline", "5"
    )
    assert code == 4, stderr
    assert "batch: 0 ok, 3 failed" in stderr and "error transport." in stderr
    help_text = " ".join(invoke("batch", "--help")[1].split())
    assert "4 endpoint unreachable" in help_text


def test_an_input_without_records_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    output = tmp_path / "out.jsonl"
    for source, stdin in ((str(empty), None), (str(tmp_path / "no-files"), None), ("-", b"")):
        if source.endswith("no-files"):
            Path(source).mkdir()
        code, _, stderr = invoke(
            "batch", source, "-o", str(output), "--engine", "offline", stdin=stdin
        )
        assert code == 2, stderr
        (line,) = stderr.strip().splitlines()
        assert line.startswith("summarizer: error:") and "has no records" in line


def test_the_options_error_messages_name_exist_on_the_command_line(tmp_path: Path) -> None:
    """input.too_large says --max-input-chars; truncation and context errors say --chunk-chars
    and --max-output-tokens: every command that can meet them takes them."""
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(2))
    output = tmp_path / "out.jsonl"
    code, _, stderr = invoke(
        "batch", str(source), "-o", str(output), "--engine", "offline", "--max-input-chars", "20"
    )
    assert code == 1, stderr
    lines = read_output(output)
    assert [line["error"]["kind"] for line in lines] == ["input.too_large"] * 2
    assert all("--max-input-chars" in line["error"]["message"] for line in lines)
    for command in ("batch", "summarize"):
        help_text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "300"}).stdout
        for option in ("--max-input-chars", "--chunk-chars", "--max-output-tokens"):
            assert option in help_text, (command, option)


def test_an_output_in_a_missing_folder_is_refused_by_batch_and_summarize(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(1))
    article = tmp_path / "article.txt"
    article.write_text(article_text(1), "utf-8")
    missing = tmp_path / "missing"
    for args in (
        ("batch", str(source), "-o", str(missing / "o.jsonl")),
        ("summarize", str(article), "-o", str(missing / "x.json")),
    ):
        code, _, stderr = invoke(*args, "--engine", "offline")
        assert code == 2, stderr
        (line,) = stderr.strip().splitlines()
        assert f"the folder {missing} does not exist" in line
        assert not missing.exists()


def test_a_finished_batch_leaves_no_lock_file(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(2))
    output = tmp_path / "out" / "o.jsonl"
    output.parent.mkdir()
    code, _, stderr = invoke("batch", str(source), "-o", str(output), "--engine", "offline")
    assert code == 0, stderr
    assert [path.name for path in output.parent.iterdir()] == ["o.jsonl"]


def test_ordered_output_puts_a_duplicate_id_error_in_its_input_position(tmp_path: Path) -> None:
    rows = article_rows(4)
    rows.insert(2, {"id": rows[0]["id"], "text": "重复的编号"})  # line 3 repeats line 1's id
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    output = tmp_path / "out.jsonl"
    code, _, stderr = invoke(
        "batch", str(source), "-o", str(output), "--engine", "offline", "--ordered"
    )
    assert code == 1, stderr
    order = [line["id"] or line["record"] for line in read_output(output)]
    assert order == [rows[0]["id"], rows[1]["id"], "line 3", rows[3]["id"], rows[4]["id"]]
    # The library's in-memory results are ordered the same way.
    from summarizer.batch import summarize_many

    report = summarize_many(rows, engine="offline", cache=False, ordered=True)
    assert [line["id"] or line["record"] for line in report.results] == [
        rows[0]["id"],
        rows[1]["id"],
        "item 2",
        rows[3]["id"],
        rows[4]["id"],
    ]
