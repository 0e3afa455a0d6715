"""Batch input that parses but cannot be used: each bad record is one error line naming it, the
other records go on, nothing is lost in silence or done twice (offline engine, real CLI)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from batch_helpers import article_text, read_output
from typer.testing import CliRunner

from summarizer.batch import summarize_many
from summarizer.cli import app
from summarizer.errors import ConfigError
from summarizer.jsonl import MAX_JSON_DEPTH

runner = CliRunner()


def _line(identifier: str, number: int) -> str:
    return json.dumps({"id": identifier, "text": article_text(number)}, ensure_ascii=False)


def _batch(source: Path, output: Path) -> tuple[int, str, list[dict[str, object]]]:
    result = runner.invoke(app, ["batch", str(source), "-o", str(output), "--engine", "offline"])
    return result.exit_code, result.stderr, read_output(output)


def test_a_record_nested_too_deeply_is_an_error_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    deep = '{"id": "deep", "text": "李强会见", "meta": ' + "[" * 5000 + "]" * 5000 + "}"
    good = [_line(f"g{number}", number) for number in range(6)]
    source = tmp_path / "mixdeep.jsonl"
    source.write_text("\n".join([*good[:3], deep, *good[3:]]) + "\n", "utf-8")

    code, stderr, lines = _batch(source, tmp_path / "out.jsonl")

    assert code == 1, stderr  # a failed record, not 70 (a bug)
    assert "internal" not in stderr and "Traceback" not in stderr
    assert sorted(line["id"] for line in lines if line["status"] == "ok") == [
        f"g{number}" for number in range(6)
    ]
    (error,) = [line for line in lines if line["status"] == "error"]
    assert error["record"] == "line 4"
    assert error["error"] == {
        "kind": "input.record.invalid_json",
        "message": f"line 4: nested deeper than {MAX_JSON_DEPTH} levels of arrays and objects",
    }


def test_a_lone_surrogate_is_an_error_line_not_a_silent_replacement(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    half = _line("half", 1).replace("会议", "会\\ud800议", 1)
    source.write_text("\n".join([_line("a", 0), half, _line("pair", 2)]) + "\n", "utf-8")
    pair_escape = source.read_text("utf-8").replace("（art-00002）", "（\\ud83d\\ude00）")
    source.write_text(pair_escape, "utf-8")

    code, _, lines = _batch(source, tmp_path / "out.jsonl")

    assert code == 1
    by_status = {line["status"]: line for line in lines}
    assert sorted(line["id"] for line in lines if line["status"] == "ok") == ["a", "pair"]
    message = by_status["error"]["error"]["message"]
    assert message.startswith("line 2: text holds an unpaired UTF-16 surrogate escape (\\ud800")
    assert "\ufffd" not in json.dumps(lines, ensure_ascii=False)


def test_python_records_with_a_lone_surrogate_fail_the_same_way() -> None:
    report = summarize_many(
        [("a", article_text(0)), {"id": "b", "text": "李强\ud800会见"}, ("c", "李强\udc00会见")],
        engine="offline",
    )
    by_id = {line["id"]: line for line in report.results}
    assert by_id["a"]["status"] == "ok"
    errors = [line for line in report.results if line["status"] == "error"]
    assert len(errors) == 2
    assert all("unpaired UTF-16 surrogate" in line["error"]["message"] for line in errors)


def test_an_empty_text_names_its_line_like_every_other_record_error(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [_line("a", 0), '{"id": "b", "text": ""}', '{"id": "c", "text": " \\n "}', "{}"]
    source.write_text("\n".join(rows) + "\n", "utf-8")

    code, _, lines = _batch(source, tmp_path / "out.jsonl")

    assert code == 1
    messages = {line["id"]: line["error"]["message"] for line in lines if line["status"] == "error"}
    assert messages["b"].startswith("line 2: ") and messages["c"].startswith("line 3: ")
    assert messages[None].startswith("line 4: ")
    kinds = {line["id"]: line["error"]["kind"] for line in lines if line["status"] == "error"}
    assert kinds["b"] == kinds["c"] == "input.empty"


def test_a_folder_reports_broken_links_and_reads_linked_folders_once(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.txt").write_text(article_text(1), "utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text(article_text(0), "utf-8")
    (folder / "sub" / "two.txt").write_text(article_text(2), "utf-8")
    os.symlink(tmp_path / "nowhere.txt", folder / "broken.txt")
    os.symlink(elsewhere, folder / "link")  # os.walk lists it but would not go in
    os.symlink(folder, folder / "sub" / "loop")  # a loop: read once, not forever

    code, stderr, lines = _batch(folder, tmp_path / "out.jsonl")

    assert code == 1, stderr
    statuses = {line["id"]: line["status"] for line in lines}
    assert statuses == {
        "broken.txt": "error",
        "link/linked.txt": "ok",
        "one.txt": "ok",
        "sub/two.txt": "ok",
    }
    (broken,) = [line for line in lines if line["status"] == "error"]
    assert (
        broken["error"]["message"] == "broken.txt: cannot read the file (No such file or directory)"
    )


@pytest.mark.parametrize("limit", [True, 2.5, 0])
def test_max_input_chars_must_be_a_whole_number(limit: object) -> None:
    with pytest.raises(ConfigError, match="max_input_chars must be a positive whole number"):
        summarize_many([("a", article_text(0))], engine="offline", max_input_chars=limit)


@pytest.mark.parametrize(
    ("name", "head", "what"),
    [
        ("articles.jsonl.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 40, "a gzip archive"),
        ("articles.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF file"),
        ("articles.zip", b"PK\x03\x04" + b"\x14\x00" * 20, "a ZIP archive (or .docx/.xlsx)"),
    ],
)
def test_a_binary_file_given_as_jsonl_is_refused_before_the_run(
    tmp_path: Path, name: str, head: bytes, what: str
) -> None:
    """It was read as JSONL: exit 1 and one "not valid JSON" error line per chunk of bytes."""
    source = tmp_path / name
    source.write_bytes(head + bytes(range(256)) * 8)
    output = tmp_path / "out.jsonl"

    result = runner.invoke(app, ["batch", str(source), "-o", str(output), "--engine", "offline"])

    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"summarizer: error: {source} looks like {what}, not JSONL; ")
    assert not output.exists()
