"""A freshly started service loads its text tools off the first job's deadline (real process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_service_batches import free_port, wait_ready

import summarizer

ROOT = Path(summarizer.__file__).resolve().parents[1]


def test_the_first_job_of_a_fresh_service_keeps_its_deadline_for_the_article(
    tmp_path: Path,
) -> None:
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("SUMMARIZER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        environment.pop(name, None)
    command = [sys.executable, "-m", "summarizer", "serve", "--no-auth", "--engine", "offline"]
    command += ["--port", str(port), "--db", str(tmp_path / "service.db")]
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=log)
    try:
        client = wait_ready(port, process)
        body = {"text": "区委召开会议。张建华出席会议并讲话。", "options": {"deadline": 0.5}}
        answer = client.request("POST", "/v1/summaries", body)
        assert answer.status == 200, answer.body
        assert answer.json()["people"][0]["name_as_written"] == "张建华"
    finally:
        process.terminate()
        process.wait(timeout=30)
