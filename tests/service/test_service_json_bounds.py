"""JSON bodies nested too deeply, or holding a lone surrogate escape: a 400 saying so, not 500."""

from __future__ import annotations

import pytest
from service_helpers import RunningService

from summarizer.jsonl import MAX_JSON_DEPTH

JSON = {"Content-Type": "application/json"}
JSONL = {"Content-Type": "application/x-ndjson"}
GOOD_LINE = '{"id": "a", "text": "李强会见了外国代表团。"}'


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(
    ("path", "body", "headers"),
    [
        ("/v1/summaries", '{"text": "李强会见", "id": ' + _deep(3000) + "}", JSON),
        ("/v1/batches", '{"items": [{"id": "a", "text": "x", "m": ' + _deep(3000) + "}]}", JSON),
        ("/v1/batches", '[{"id": "a", "text": "x", "m": ' + _deep(MAX_JSON_DEPTH) + "}]", JSON),
        ("/v1/batches", GOOD_LINE + '\n{"id": "b", "text": "x", "m": ' + _deep(3000) + "}", JSONL),
    ],
    ids=["summary", "batch-object", "batch-list-just-over", "batch-ndjson"],
)
def test_a_body_nested_too_deeply_is_a_400_naming_the_limit(
    service: RunningService, path: str, body: str, headers: dict[str, str]
) -> None:
    response = service.request("POST", path, body.encode(), headers=headers)

    assert response.status == 400, response.body
    error = response.json()["error"]
    assert error["kind"] in ("input.bad_json", "input.record.invalid_json"), error
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in error["message"], error
    if headers is JSONL:
        assert "line 2" in error["message"]


def test_nesting_at_the_limit_is_accepted(service: RunningService) -> None:
    # The record object is one level; its metadata fills the rest up to the limit exactly.
    body = '[{"id": "a", "text": "李强会见", "m": ' + _deep(MAX_JSON_DEPTH - 2) + "}]"
    response = service.request("POST", "/v1/batches", body.encode(), headers=JSON)

    assert response.status == 202, response.body


@pytest.mark.parametrize(
    ("path", "body", "headers"),
    [
        ("/v1/summaries", '{"text": "李强\\ud800会见"}', JSON),
        ("/v1/normalize", '{"text": "李强\\ud800会见"}', JSON),
        ("/v1/batches", '[{"id": "a", "text": "李强\\udc00会见"}]', JSON),
        ("/v1/batches", GOOD_LINE + '\n{"id": "b", "text": "李强\\ud800会见"}', JSONL),
    ],
    ids=["summary", "normalize", "batch-json", "batch-ndjson"],
)
def test_a_lone_surrogate_escape_is_a_400_that_says_so(
    service: RunningService, path: str, body: str, headers: dict[str, str]
) -> None:
    response = service.request("POST", path, body.encode(), headers=headers)

    assert response.status == 400, response.body
    message = response.json()["error"]["message"]
    assert "unpaired UTF-16 surrogate escape" in message, message
    assert "text" in message and "hex escape" not in message


def test_a_surrogate_pair_escape_is_one_character(service: RunningService) -> None:
    body = '{"text": "李强会见了外国代表团 \\ud83d\\ude00。", "options": {"deadline": 30}}'
    response = service.request("POST", "/v1/summaries", body.encode(), headers=JSON)

    assert response.status == 200, response.body
