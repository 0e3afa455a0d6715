"""Credentials in the base URL travel as headers, and no log shows them, DEBUG included.

The issue this guards: ``http://user:pass@host/v1`` showed the password in httpx's INFO log, and
``?api-key=...`` URLs broke because the SDK appended the path into the query string.
"""

from __future__ import annotations

import base64
import logging

import pytest

import summarizer
from summarizer.testing import ScriptedOpenAIServer
from summarizer.testing.answers import answering

ARTICLE = "区委召开务虚会。\n区委书记张建华主持会议并讲话。"
PASSWORD = "pw-Very-Secret-4242"
URL_KEY = "urlkey-0123456789abcdef"


def test_credentials_and_query_keys_reach_the_server_as_headers_and_never_a_log(
    openai_server: ScriptedOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    openai_server.set_handler(answering())
    host = openai_server.base_url.removeprefix("http://")
    base_url = f"http://alice:{PASSWORD}@{host}?api-version=2024-10-21&api-key={URL_KEY}"
    caplog.set_level(logging.DEBUG)  # every logger, the HTTP libraries' DEBUG output included
    result = summarizer.summarize(ARTICLE, model="test-model", base_url=base_url)

    assert result.meta.engine == "openai"
    (request,) = openai_server.chat_requests
    assert request.path == "/v1/chat/completions"
    assert request.query == {"api-version": "2024-10-21"}
    assert request.headers["api-key"] == URL_KEY
    expected = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "chat/completions" in logged  # the HTTP library did log the request
    assert PASSWORD not in logged and URL_KEY not in logged
    assert PASSWORD not in result.model_dump_json() and URL_KEY not in result.model_dump_json()
