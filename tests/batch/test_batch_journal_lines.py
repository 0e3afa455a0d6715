"""Result lines on disk: one compact UTF-8 JSON object per line that reads back as written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer.batch.journal import OutputJournal, scan_output


def write_lines(path: Path, lines: list[dict[str, Any]]) -> bytes:
    journal = OutputJournal(path)
    journal.open()
    for line in lines:
        journal.write(line)
    journal.close()
    return path.read_bytes()


def test_lines_are_compact_utf8_json_that_read_back_as_written(tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = [
        {
            "id": "新闻-1",
            "status": "ok",
            "metadata": {"source": "人民网", "rank": 3, "score": 0.1, "big": 1e16, "none": None},
            "cached": False,
            "result": {"headline_en": 'A "quoted" line\nwith a break', "key_points": [1, 2.5]},
        },
        {"id": None, "status": "error", "record": "line 2", "error": {"kind": "input.empty"}},
    ]
    raw = write_lines(tmp_path / "out.jsonl", lines)
    assert raw.count(b"\n") == 2 and raw.endswith(b"\n")
    assert "人民网".encode() in raw  # written as UTF-8, not \\u escapes
    assert b", " not in raw and b": " not in raw  # compact
    assert [json.loads(text) for text in raw.decode().splitlines()] == lines
    state = scan_output(tmp_path / "out.jsonl")
    assert state.ok == {"id:新闻-1"} and state.failed == {"record:line 2"}


def test_text_utf8_cannot_carry_is_written_escaped(tmp_path: Path) -> None:
    line = {"id": "a", "status": "ok", "result": {"headline_en": "bad \ud800 half"}}
    raw = write_lines(tmp_path / "out.jsonl", [line])
    assert raw.isascii()
    assert json.loads(raw) == line
    assert scan_output(tmp_path / "out.jsonl").ok == {"id:a"}
