"""A batch killed with SIGKILL at any moment resumes: every id exactly once, all ok.

The batch runs in a subprocess (the real CLI) against the scripted server of this test process,
with some latency so that the kills land mid-run with requests in flight.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from batch_helpers import TAG, DraftingModel, article_rows, read_output, write_jsonl

from summarizer.testing import ScriptedOpenAIServer

ARTICLES = 100
CONCURRENCY = 4


def start_batch(
    source: Path, output: Path, cache: Path, server: ScriptedOpenAIServer
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": "sk-test-SECRET123456",
        "SUMMARIZER_MODEL": "test-model",
    }
    command = [
        sys.executable,
        "-m",
        "summarizer",
        "batch",
        str(source),
        "-o",
        str(output),
        "--cache",
        str(cache),
        "-j",
        str(CONCURRENCY),
        "--log-interval",
        "0.2",
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def kill_when(process: subprocess.Popen[bytes], output: Path, lines: int) -> bytes:
    """SIGKILL ``process`` once ``output`` has ``lines`` lines; returns what it wrote on stderr."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if output.exists() and output.read_bytes().count(b"\n") >= lines:
            break
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate(timeout=10)
    return stderr


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_gives_every_id_once(
    tmp_path: Path, openai_server: ScriptedOpenAIServer, drafting_model: DraftingModel
) -> None:
    openai_server.latency = 0.05
    rows = article_rows(ARTICLES)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    output, cache = tmp_path / "out.jsonl", tmp_path / "cache.sqlite3"

    kill_when(start_batch(source, output, cache, openai_server), output, 20)
    after_first_kill = len(read_output(output))
    assert 20 <= after_first_kill < ARTICLES
    # Also what a crash between two writes of one line (or a power loss) could leave behind:
    with output.open("ab") as stream:
        stream.write(b'{"id": "a7", "status": "ok", "result": {"headl')

    final = start_batch(source, output, cache, openai_server)
    _, stderr = final.communicate(timeout=120)
    errors = [line["error"] for line in read_output(output) if line["status"] == "error"]
    assert final.returncode == 0, (stderr.decode(), errors[:2])
    assert b"half-written last line" in stderr

    lines = read_output(output)  # every line parses: no partial line survived
    assert Counter(line["id"] for line in lines) == Counter(row["id"] for row in rows)
    assert all(line["status"] == "ok" for line in lines)
    # Finished articles were skipped: at most what was in flight at the kill was asked again.
    # (A request the killed process was still sending arrives cut short: the server flags it
    # ``incomplete`` and leaves it out of ``chat_requests``, as it is not a call that was made.)
    chat = openai_server.chat_requests
    assert all(r.json is not None for r in chat)
    assert len({TAG.findall(r.user_text)[0] for r in chat}) == ARTICLES
    assert ARTICLES <= len(chat) <= ARTICLES + CONCURRENCY
