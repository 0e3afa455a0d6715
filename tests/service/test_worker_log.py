"""The worker logs at INFO by default, where the HTTP library logs every request's URL: a model
endpoint's credentials (``http://user:pw@host/v1``, ``?api-key=...``) must not reach that log."""

from __future__ import annotations

import subprocess
import sys

from summarizer.testing import ScriptedOpenAIServer

PROGRAM = """
import logging, sys
import httpx2
from summarizer.cli.worker import configure_logging

configure_logging(logging.INFO)
httpx2.get(sys.argv[1], headers={"Authorization": "Bearer sk-abcdefghijklmnopqrstuvwx"})
"""


def test_the_worker_log_shows_no_endpoint_credentials(openai_server: ScriptedOpenAIServer) -> None:
    url = openai_server.base_url.replace("http://", "http://gateway:pw-in-url@")
    completed = subprocess.run(
        [sys.executable, "-c", PROGRAM, url + "/models?api-key=key-in-query"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    assert "HTTP Request: GET" in completed.stderr  # the request line is still logged
    assert "pw-in-url" not in completed.stderr
    assert "key-in-query" not in completed.stderr
    assert "/models" in completed.stderr
