"""The call log's writer thread: every recorded call is written (flush, normal exit, many threads),
a row that cannot be built loses no other, and no text it stores holds the key."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from summarizer import calllog
from summarizer.config import Secret

KEY = "sk-calllog-writer-test-0123456789"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "calls.db"
    monkeypatch.setenv("SUMMARIZER_LOG_PATH", str(path))
    monkeypatch.delenv("SUMMARIZER_LOG", raising=False)
    return path


def call(number: int, **fields: object) -> calllog.CallRecord:
    values: dict[str, object] = {
        "id": calllog.new_call_id() + f"-{number}",
        "started_at": time.time(),
        "status": "ok",
        "model": "test-model",
        "endpoint_host": "127.0.0.1:1",
        "messages": [{"role": "user", "content": f"article {number}"}],
        "answer": f'{{"n": {number}}}',
        "secret": Secret(KEY),
    }
    values.update(fields)
    return calllog.CallRecord(**values)  # type: ignore[arg-type]


def stored_ids(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT id FROM calls")]


def test_flush_writes_every_call_recorded_from_many_threads(log_file: Path) -> None:
    def record_some(first: int) -> None:
        for number in range(first, first + 150):
            calllog.record(call(number))

    threads = [threading.Thread(target=record_some, args=(150 * n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    calllog.flush()
    ids = stored_ids(log_file)
    assert len(ids) == len(set(ids)) == 600


def test_a_flush_right_after_one_call_finds_it_written(log_file: Path) -> None:
    for number in range(5):  # the writer may be asleep, gathering, or writing: each time
        calllog.record(call(number))
        calllog.flush()
        assert len(stored_ids(log_file)) == number + 1


def test_nothing_is_lost_on_a_normal_exit_without_flush(tmp_path: Path) -> None:
    path = tmp_path / "exit.db"
    script = textwrap.dedent(
        f"""
        import time
        from summarizer import calllog
        from summarizer.config import Secret
        for number in range(700):
            calllog.record(calllog.CallRecord(
                id=f"call-{{number:04d}}", started_at=time.time(), status="ok", model="m",
                endpoint_host="h", messages=[], messages_json='[{{"role": "user"}}]',
                answer="a", secret=Secret({KEY!r}),
            ))
        """
    )
    environment = {**os.environ, "SUMMARIZER_LOG_PATH": str(path), "PYTHONPATH": str(ROOT)}
    environment.pop("SUMMARIZER_LOG", None)
    subprocess.run([sys.executable, "-c", script], check=True, env=environment, timeout=120)
    ids = stored_ids(path)
    assert sorted(ids) == [f"call-{number:04d}" for number in range(700)]


def test_a_row_that_cannot_be_built_loses_no_other(log_file: Path) -> None:
    def broken() -> list[dict[str, object]]:
        raise ValueError("cannot render")

    calllog.record(call(1))
    calllog.record(call(2, messages=broken))
    calllog.record(call(3))
    calllog.flush()
    assert len(stored_ids(log_file)) == 2
    assert "cannot render" in (calllog.write_problem() or "")


def test_no_stored_text_holds_the_key(log_file: Path) -> None:
    leaky = f"the key is {KEY} and Bearer {KEY}"
    with calllog.call_context(engine="openai", options={"note": leaky}):
        calllog.record(
            call(
                1,
                messages_json=f'[{{"role": "user", "content": "{leaky}"}}]',
                answer=leaky,
                status="error",
                error_message=leaky,
            )
        )
        calllog.record(call(2, messages=[{"role": "user", "content": leaky}]))
    calllog.flush()
    with sqlite3.connect(log_file) as connection:
        dump = "\n".join(connection.iterdump())
    assert "the key is" in dump  # the texts are there...
    assert KEY not in dump  # ...without the key


@pytest.mark.parametrize("kind", ["directory", "not sqlite", "unwritable"])
def test_a_log_that_cannot_be_written_is_said_once_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "calls.db"
    if kind == "directory":
        path.mkdir()
    elif kind == "not sqlite":
        path.write_text("this is not a database\n" * 100)
    else:
        path = Path("/proc/summarizer-no-such-dir/calls.db")
    monkeypatch.setenv("SUMMARIZER_LOG_PATH", str(path))
    monkeypatch.delenv("SUMMARIZER_LOG", raising=False)
    for number in range(3):
        calllog.record(call(number))
        calllog.flush()
    warnings = [line for line in capfd.readouterr().err.splitlines() if "call log" in line]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("summarizer: warning: cannot write the call log")
    assert str(path) in warnings[0] and "Traceback" not in warnings[0]
    assert calllog.write_problem() is not None
