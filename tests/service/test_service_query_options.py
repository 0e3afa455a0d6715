"""Options in the query string (raw-text summaries, JSONL and JSON-list batches) are parsed as
their fields' types, like the JSON body's numbers and booleans, and checked the same way: a bad
value is a 422 naming the field, never a 500. A real service on a real socket, with the scripted
model behind it."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from service_helpers import RunningService, ServiceFactory, model_settings

from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer, answering

ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
DATE_NOTE = "some dates have no year"
TEXT = {"Content-Type": "text/plain; charset=utf-8"}
JSONL = {"Content-Type": "application/x-ndjson"}


@pytest.fixture
def model_service(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> RunningService:
    return service_factory(engines=model_settings(openai_server.base_url))


def _summarize(service: RunningService, query: dict[str, str]) -> tuple[int, dict[str, object]]:
    response = service.request(
        "POST", f"/v1/summaries?{urlencode(query)}", ARTICLE.encode(), headers=TEXT
    )
    return response.status, response.json()


def _prompt(request: RecordedRequest) -> str:
    return json.dumps(request.messages, ensure_ascii=False)


def test_numbers_and_booleans_in_the_query_take_effect(
    model_service: RunningService, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    status, body = _summarize(
        model_service,
        {"deadline": "30", "max_reasks": "1", "year_hint": "2024", "few_shot": "false"},
    )
    assert status == 200, body
    [request] = openai_server.chat_requests
    assert DATE_NOTE not in _prompt(request)  # year_hint=2024 reached the analysis
    assert "Example 1 article" not in _prompt(request)  # few_shot=false reached the prompt
    status, body = _summarize(model_service, {"few_shot": "true", "wait_seconds": "20"})
    assert status == 200, body
    assert "Example 1 article" in _prompt(openai_server.chat_requests[-1])


def test_a_query_deadline_bounds_the_article(
    model_service: RunningService, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(lambda request: Reply.delay(5, answering()(request)))
    status, body = _summarize(model_service, {"deadline": "0.5"})
    assert status == 504, body
    assert body["error"]["kind"] == "transport.deadline"  # type: ignore[index]


def test_a_query_max_reasks_bounds_the_reasks(
    model_service: RunningService, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(lambda request: Reply.text("Sorry, no JSON today."))
    status, body = _summarize(model_service, {"max_reasks": "0"})
    assert status == 502, body
    assert len(openai_server.chat_requests) == 1  # the default (2 re-asks) would make 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("deadline", "abc"),
        ("deadline", "0"),
        ("deadline", "601"),
        ("deadline", "nan"),
        ("deadline", "inf"),
        ("deadline", ""),
        ("max_reasks", "2.5"),
        ("max_reasks", "-1"),
        ("max_reasks", "9"),
        ("year_hint", "99"),
        ("year_hint", "20245"),
        ("few_shot", "maybe"),
        ("wait_seconds", "-1"),
        ("capability", "telepathy"),
    ],
)
def test_a_bad_query_value_is_a_422_naming_the_field(
    service: RunningService, field: str, value: str
) -> None:
    status, body = _summarize(service, {field: value})
    assert status == 422, body
    error = body["error"]
    assert error["kind"] == "input.validation"  # type: ignore[index]
    assert f"query.{field}: " in error["message"]  # type: ignore[index]


def test_an_option_given_twice_in_the_query_is_refused(service: RunningService) -> None:
    response = service.request(
        "POST", "/v1/summaries?deadline=30&deadline=5", ARTICLE.encode(), headers=TEXT
    )
    assert response.status == 422, response.body
    assert "query.deadline: given more than once" in response.json()["error"]["message"]


def test_query_options_beside_a_json_object_are_refused_not_ignored(
    service: RunningService,
) -> None:
    summary = service.request("POST", "/v1/summaries?deadline=30", {"text": ARTICLE})
    assert summary.status == 422, summary.body
    assert "query.deadline: not taken with a JSON object body" in summary.json()["error"]["message"]
    batch = service.request(
        "POST", "/v1/batches?max_reasks=1", {"items": [{"id": "a", "text": ARTICLE}]}
    )
    assert batch.status == 422, batch.body
    assert "query.max_reasks" in batch.json()["error"]["message"]


@pytest.mark.parametrize("shape", ["jsonl", "json-list"])
def test_batches_take_numeric_options_in_the_query(
    model_service: RunningService, openai_server: ScriptedOpenAIServer, shape: str
) -> None:
    openai_server.set_handler(lambda request: Reply.text("Sorry, no JSON today."))
    items = [{"id": "a", "text": ARTICLE}, {"id": "b", "text": "3月5日，市里召开会议。"}]
    if shape == "jsonl":
        body: bytes | list[dict[str, str]] = "".join(
            json.dumps(item, ensure_ascii=False) + "\n" for item in items
        ).encode()
        headers: dict[str, str] | None = JSONL
    else:
        body, headers = items, None
    created = model_service.request(
        "POST", "/v1/batches?max_reasks=0&deadline=20&year_hint=2024", body, headers=headers
    )
    assert created.status == 202, created.body
    status = model_service.wait_for_batch(created.json()["id"])
    assert status["counts"].get("error") == 2, status
    assert len(openai_server.chat_requests) == 2  # one per article: max_reasks=0 took effect
    assert all(DATE_NOTE not in _prompt(request) for request in openai_server.chat_requests)
    bad = model_service.request("POST", "/v1/batches?deadline=soon", body, headers=headers)
    assert bad.status == 422, bad.body
    assert "query.deadline: " in bad.json()["error"]["message"]


def test_unknown_query_parameters_are_refused_on_every_route_not_ignored(
    service: RunningService,
) -> None:
    created = service.request("POST", "/v1/batches", {"items": [{"id": "a", "text": ARTICLE}]})
    assert created.status == 202, created.body
    batch = created.json()
    service.wait_for_batch(batch["id"])
    # ?status=error looked like a filter, and every line came back as if it had matched.
    for method, path in [
        ("GET", f"{batch['results_url']}?status=error"),
        ("GET", f"{batch['url']}?verbose=1"),
        ("POST", f"{batch['url']}/cancel?force=true"),
        ("GET", "/v1/summaries/sum_0?wait=5"),
        ("GET", "/healthz?probe=1"),
        ("GET", "/readyz?probe=1"),
        ("GET", "/metrics?name=x"),
    ]:
        response = service.request(method, path)
        assert response.status == 422, (path, response.body)
        error = response.json()["error"]
        assert error["kind"] == "input.validation"
        assert "unknown query parameter (this operation takes none)" in error["message"], path
    # POST routes: names they do not take, whether the body is raw, JSONL or JSON.
    summary = service.request(
        "POST", "/v1/summaries?mode=sync&lang=en", ARTICLE.encode(), headers=TEXT
    )
    assert summary.status == 422, summary.body
    message = summary.json()["error"]["message"]
    assert "query.lang: unknown query parameter" in message and "query.mode" not in message
    jsonl = service.request(
        "POST", "/v1/batches?priority=1", b'{"id": "b", "text": "x"}\n', headers=JSONL
    )
    assert jsonl.status == 422 and "query.priority: unknown" in jsonl.json()["error"]["message"]
    normalized = service.request("POST", "/v1/normalize?strict=1", {"text": ARTICLE})
    assert normalized.status == 422, normalized.body
    # A key in the URL is a 401 (never read, and the access log redacts it), with a header too.
    keyed = service.request("GET", f"{batch['url']}?api_key=sk-sum-in-the-url")
    assert keyed.status == 401 and keyed.json()["error"]["kind"] == "auth.missing"
    assert "sk-sum-in-the-url" not in keyed.body.decode()
    # What the routes take still works, with no query or with the parameters they know.
    assert service.request("GET", batch["results_url"]).status == 200
    assert service.request("GET", batch["url"]).status == 200
    assert service.request("GET", "/healthz").status == 200
    known = service.request(
        "POST", "/v1/summaries?mode=sync&deadline=30", ARTICLE.encode(), headers=TEXT
    )
    assert known.status == 200, known.body
