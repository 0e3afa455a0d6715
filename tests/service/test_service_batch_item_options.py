"""An item's ``options`` in ``POST /v1/batches`` is refused (as an unknown key of
``/v1/summaries`` is), never kept as metadata and left unapplied; batch options still apply."""

from __future__ import annotations

import json

from service_helpers import RunningService, article_text


def _items() -> list[dict[str, object]]:
    return [
        {"id": "x", "text": article_text(1), "options": {"deadline": "abc"}},
        {"id": "y", "text": article_text(2)},
    ]


def test_item_options_in_a_json_list_or_object_are_a_422(service: RunningService) -> None:
    for body in (_items(), {"items": _items(), "options": {"deadline": 30}}):
        answer = service.request("POST", "/v1/batches", body)
        assert answer.status == 422, answer.body
        message = answer.json()["error"]["message"]
        assert 'items.0: Value error, per-record "options" are not supported' in message
        assert "the whole batch" in message
    assert service.request("POST", "/v1/batches", [_items()[1]]).status == 202


def test_item_options_in_jsonl_are_refused_with_the_line(service: RunningService) -> None:
    jsonl = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in _items())
    answer = service.request(
        "POST", "/v1/batches", jsonl, headers={"Content-Type": "application/x-ndjson"}
    )
    assert answer.status in (400, 422), answer.body
    assert 'line 1: per-record "options" are not supported' in answer.json()["error"]["message"]


def test_the_openapi_document_says_items_take_no_options(service: RunningService) -> None:
    schema = service.request("GET", "/openapi.json").json()
    item = schema["components"]["schemas"]["BatchItem"]
    assert item["not"] == {"required": ["options"]}
