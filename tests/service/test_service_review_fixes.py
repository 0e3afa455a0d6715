"""Defects found by a user review of ``summarizer serve``: every answer is typed, never a 500."""

from __future__ import annotations

import logging

import pytest
from service_helpers import RunningService, ServiceFactory, model_settings

from summarizer.testing import TEST_API_KEY, Reply, ScriptedOpenAIServer

JSONL = {"Content-Type": "application/x-ndjson"}
GOOD = b'{"id": "a", "text": "\xe6\x9d\x8e\xe5\xbc\xba\xe4\xbc\x9a\xe8\xa7\x81"}\n'


@pytest.mark.parametrize(
    ("second_line", "status", "kind"),
    [
        (b'{"id": "b", "text": ""}', 422, "input.validation"),
        (b'{"id": "b", "text": "  \\n "}', 422, "input.validation"),
        (b'{"id": "b", "text": ', 400, "input.record.invalid_json"),
        (b'["b", "text"]', 400, "input.record.invalid_json"),
        (b'{"text": "x"}', 400, "input.record.missing_id"),
        (b'{"id": "a", "text": "x"}', 400, "input.record.duplicate_id"),
        (b'{"id": "b", "text": "\xff\xfe bad"}', 400, "input.record.invalid_json"),
        (b'{"id": "b", "text": 5}', 400, "input.record.missing_text"),
    ],
)
def test_every_bad_jsonl_line_is_a_typed_error_naming_the_line(
    service: RunningService, second_line: bytes, status: int, kind: str
) -> None:
    response = service.request("POST", "/v1/batches", GOOD + second_line + b"\n", headers=JSONL)

    assert response.status == status, response.body
    error = response.json()["error"]
    assert error["kind"].startswith(kind), error
    assert "line 2" in error["message"], error


@pytest.mark.parametrize("path", ["/v1/summaries", "/v1/batches", "/v1/normalize"])
def test_a_form_body_is_refused_with_415_not_read_as_text(
    service: RunningService, path: str
) -> None:
    form = service.request(
        "POST",
        path,
        "text=李强会见",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert form.status == 415, form.body
    error = form.json()["error"]
    assert error["kind"] == "input.media_type"
    assert "application/json" in error["message"]
    documented = service.request("GET", "/openapi.json").json()["paths"][path]["post"]
    assert "415" in documented["responses"]


@pytest.mark.parametrize("path", ["/v1/summaries", "/v1/batches", "/v1/normalize"])
def test_unparseable_json_is_400_and_schema_mismatch_is_422(
    service: RunningService, path: str
) -> None:
    json_type = {"Content-Type": "application/json"}
    unparseable = service.request("POST", path, b'{"text": "x"', headers=json_type)
    wrong_shape = service.request("POST", path, b'{"txt": "x"}', headers=json_type)

    assert unparseable.status == 400, unparseable.body
    assert unparseable.json()["error"]["kind"] == "input.bad_json"
    assert wrong_shape.status == 422, wrong_shape.body
    assert wrong_shape.json()["error"]["kind"] == "input.validation"


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (Reply.error(401, "Incorrect API key provided"), "transport.auth"),
        (Reply.error(400, "model not found", param="model"), "transport.rejected"),
    ],
)
def test_upstream_failures_tell_clients_a_generic_message_and_the_log_the_details(
    service_factory: ServiceFactory,
    openai_server: ScriptedOpenAIServer,
    caplog: pytest.LogCaptureFixture,
    reply: Reply,
    kind: str,
) -> None:
    openai_server.set_handler(lambda _request: reply)
    service = service_factory(engines=model_settings(openai_server.base_url))
    endpoint = f"127.0.0.1:{openai_server.port}"

    with caplog.at_level(logging.WARNING, logger="summarizer.service"):
        response = service.request("POST", "/v1/summaries", {"text": "李强会见了代表团。"})

    assert response.status == 502, response.body
    error = response.json()["error"]
    assert error["kind"] == kind
    assert "model endpoint" in error["message"] and "operator" in error["message"]
    for internal in (endpoint, "OPENAI_", "--", str(openai_server.port)):
        assert internal not in error["message"], error
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert endpoint in logged and kind in logged
    assert TEST_API_KEY not in logged


def test_a_declared_charset_is_reported_as_the_encoding_not_str(service: RunningService) -> None:
    article = "国务院总理李强会见了来访的代表团，双方就经贸合作交换了意见。"
    gbk = {"Content-Type": "text/plain; charset=gbk"}

    normalized = service.request("POST", "/v1/normalize", article.encode("gbk"), headers=gbk)
    summarized = service.request("POST", "/v1/summaries", article.encode("gbk"), headers=gbk)
    # Declared latin-1 reads these bytes otherwise than detection: the declaration wins.
    latin = service.request(
        "POST",
        "/v1/normalize",
        "Café au lait".encode("latin-1"),
        headers={"Content-Type": "text/plain; charset=latin-1"},
    )

    assert normalized.status == 200, normalized.body
    assert normalized.json()["encoding"] == "gbk"
    assert normalized.json()["text"].startswith("国务院总理李强")
    assert summarized.status == 200, summarized.body
    assert summarized.json()["source"]["encoding"] == "gbk"
    assert latin.status == 200, latin.body
    assert latin.json()["text"] == "Café au lait"
    assert latin.json()["encoding"] == "iso8859-1"
