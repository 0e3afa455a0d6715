"""Batch input kinds: one article file is one article (not JSONL), a folder reads Markdown as
text and reports the files it does not read; and a record's ``options`` key is refused with a
typed error line instead of being kept as metadata and silently not applied."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from summarizer.batch import ignored_files, read_input, summarize_many
from summarizer.batch.records import Article, BadRecord
from summarizer.cli import app

runner = CliRunner()
SEED = Path(__file__).resolve().parents[2] / "examples" / "tongzhou_2025-12-13_scraped.txt"


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_article_file_is_one_article(tmp_path: Path) -> None:
    article = tmp_path / "000_article.txt"
    shutil.copy(SEED, article)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(article), "-o", str(out), "--engine", "offline"])
    assert result.exit_code == 0, result.stderr
    [line] = _lines(out)
    assert (line["id"], line["status"]) == ("000_article.txt", "ok")
    assert "not valid JSON" not in result.stderr
    records = list(read_input(article))
    assert len(records) == 1 and isinstance(records[0], Article)
    assert records[0].text == SEED.read_bytes()


def test_a_folder_reads_markdown_and_reports_what_it_does_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(SEED, folder / "b.md")
    (folder / "c.jsonl").write_text('{"id": "x", "text": "北京"}\n', encoding="utf-8")
    (folder / "d.dat").write_bytes(b"\x00\x01")
    (folder / "sub" / "noext").write_text("北京", encoding="utf-8")
    assert ignored_files(folder) == ["c.jsonl", "d.dat", "sub/noext"]
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    command = ["batch", str(folder), "-o", str(out), "--engine", "offline"]
    result = runner.invoke(app, [*command, "--summary-json", str(summary)])
    assert result.exit_code == 0, result.stderr
    assert sorted(str(line["id"]) for line in _lines(out)) == ["a.txt", "b.md"]
    assert all(line["status"] == "ok" for line in _lines(out))
    reported = json.loads(summary.read_text(encoding="utf-8"))
    assert (reported["ok"], reported["ignored_files"]) == (2, 3)
    [note] = [line for line in result.stderr.splitlines() if "ignored 3 file(s)" in line]
    assert note.endswith(": c.jsonl, d.dat, sub/noext"), note
    assert "  ignored: 3 file(s) in the folder that are not articles" in result.stderr


def test_a_record_with_options_is_a_typed_error_line_not_metadata(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    source = tmp_path / "in.jsonl"
    rows = [
        {"id": "x", "text": text, "options": {"deadline": "abc"}},
        {"id": "y", "text": text, "source": "feed"},
    ]
    source.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--engine", "offline"])
    assert result.exit_code == 1, result.stderr  # a record failed
    by_id = {line["id"]: line for line in _lines(out)}
    assert by_id["x"]["status"] == "error" and "metadata" not in by_id["x"]
    error = by_id["x"]["error"]
    assert isinstance(error, dict) and error["kind"] == "input.record"
    assert 'line 1: per-record "options" are not supported' in error["message"]
    assert by_id["y"]["status"] == "ok" and by_id["y"]["metadata"] == {"source": "feed"}
    # The library's own input (mappings) is held to the same rule.
    report = summarize_many([{"id": "z", "text": text, "options": {}}], engine="offline")
    [line] = report.results
    assert line["status"] == "error" and "per-record" in line["error"]["message"]
    [record] = list(read_input(source))[:1]
    assert isinstance(record, BadRecord) and record.id == "x"
