"""Review 7, finding 6: a key sent in the URL never reaches the server's access log.

Before: ``GET /v1/batches/ID?api_key=sk-sum-...`` was refused (401, keys go in the header) but
``summarizer serve`` printed the whole key on uvicorn's access line. A real ``serve`` process,
real HTTP; its whole output is read after it stops.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from service_helpers import RunningService, make_key

from summarizer.service.access_log import redact_path
from summarizer.testing.local_services import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/v1/batches/b?api_key=sk-sum-abc-0123456789", "/v1/batches/b?api_key=***"),
        ("/v1/summaries?deadline=30&key=k1&token=t2",
         "/v1/summaries?deadline=30&key=***&token=***"),
        ("/v1/x?access_token=abc&Authorization=Bearer%20abcdefghijklmnopqrstu",
         "/v1/x?access_token=***&Authorization=***"),
        ("/v1/x?note=sk-proj-abcdefghijkl", "/v1/x?note=***"),
        ("/?job=sum_1&wait=5", "/?job=sum_1&wait=5"),
        ("/v1/summaries?max_reasks=1&few_shot=false", "/v1/summaries?max_reasks=1&few_shot=false"),
        ("/healthz", "/healthz"),
    ],
)  # fmt: skip
def test_credential_query_values_are_redacted(path: str, logged: str) -> None:
    assert redact_path(path) == logged


def test_serve_never_logs_a_key_sent_in_the_url(tmp_path: Path) -> None:
    database = str(tmp_path / "service.sqlite3")
    key = make_key(database)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["SUMMARIZER_LOG"] = "0"
    command = [sys.executable, "-m", "summarizer", "serve", "--port", str(port), "--db", database]
    command += ["--engine", "offline", "--workers", "1"]
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        service = RunningService.for_port(port)
        try:
            deadline = time.monotonic() + 90
            while True:
                assert process.poll() is None, log_path.read_text()
                with contextlib.suppress(OSError):
                    if service.request("GET", "/healthz", key=None).status == 200:
                        break
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
            refused = service.request("GET", f"/v1/batches/nosuch?api_key={quote(key)}", key=None)
            assert refused.status == 401
            token = service.request("GET", f"/v1/batches/nosuch?access_token={key}", key=None)
            assert token.status == 401
            in_the_header_too = service.request("GET", f"/v1/batches/nosuch?token={key}", key=key)
            assert in_the_header_too.status == 401  # a key in the URL is refused, not ignored
            unknown = service.request("GET", "/v1/batches/nosuch?view=1", key=key)
            assert unknown.status == 422  # an unknown query parameter, logged as it is
        finally:
            process.terminate()
            process.wait(timeout=30)
    output = log_path.read_text()
    assert "/v1/batches/nosuch?api_key=*** HTTP/1.1" in output  # the line is there, redacted
    assert "?view=1" in output
    assert key not in output
    assert key.split("-")[-1] not in output
