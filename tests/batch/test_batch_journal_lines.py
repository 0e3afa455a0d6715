"""Result lines on disk: one compact UTF-8 JSON object per line that reads back as written."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch.journal import OutputJournal, scan_output
from summarizer.errors import OutputFileError


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


def test_periodic_syncs_in_the_background_lose_no_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    journal = OutputJournal(path, fsync_interval=0.0)  # every write asks for an fsync
    journal.open()
    for number in range(300):
        journal.write({"id": str(number), "status": "ok", "result": {"n": number}})
    journal.close()
    assert scan_output(path).ok == {f"id:{number}" for number in range(300)}
    assert not [t for t in threading.enumerate() if t.name.startswith("summarizer-journal-sync")]


def test_a_failed_background_sync_is_reported_as_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_error(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    journal = OutputJournal(tmp_path / "out.jsonl", fsync_interval=0.0)
    journal.open()
    monkeypatch.setattr(os, "fsync", disk_error)
    journal.write({"id": "1", "status": "ok", "result": {}})
    with pytest.raises(OutputFileError, match="Input/output error"):
        journal.sync()
    monkeypatch.undo()
    journal.close()
