"""Defects found by a user review of ``summarizer serve``: every answer is typed, never a 500."""

from __future__ import annotations

import pytest
from service_helpers import RunningService

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
