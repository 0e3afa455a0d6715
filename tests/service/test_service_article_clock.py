"""The service's workers: an article's ``options.deadline`` covers its preparation, and
``options.year_hint`` dates year-less days with the offline engine too."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from service_helpers import RunningService, ServiceFactory, model_settings

from summarizer.service import workers as workers_module
from summarizer.service.workers import INLINE_MAX_CHARS
from summarizer.testing import ScriptedOpenAIServer, answering

ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"


def _dates(body: dict[str, Any]) -> dict[str, str | None]:
    return {event["date_as_written"]: event["date_iso"] for event in body["events"]}


@pytest.mark.parametrize("length", ["inline", "off_loop"])
def test_preparation_counts_against_the_articles_deadline(
    length: str,
    service_factory: ServiceFactory,
    openai_server: ScriptedOpenAIServer,
    slow_preparation: Callable[[ModuleType], Callable[..., Any]],
) -> None:
    slow_preparation(workers_module)
    openai_server.set_handler(answering())
    service: RunningService = service_factory(engines=model_settings(openai_server.base_url))
    text = ARTICLE
    if length == "off_loop":  # prepared in a worker thread
        paragraph = "会议要求各部门切实抓好落实，推动各项工作取得实效。"
        text = "\n".join([ARTICLE, *[paragraph] * (INLINE_MAX_CHARS // len(paragraph) + 1)])
        assert len(text) > INLINE_MAX_CHARS
    ran_out = service.request(
        "POST", "/v1/summaries", {"text": text, "options": {"deadline": 0.05}}
    )
    error = ran_out.json()["error"]
    assert error["kind"] == "transport.deadline", ran_out.body
    assert error["message"].startswith("the article's deadline ran out before any model call")
    assert "--deadline" not in error["message"]  # the API client has no command line
    assert openai_server.chat_requests == []
    # With time to spare, the same article reaches the model.
    answered = service.request("POST", "/v1/summaries", {"text": text, "options": {"deadline": 30}})
    assert answered.status == 200, answered.body
    assert len(openai_server.chat_requests) >= 1


def test_the_offline_engine_takes_year_hint_from_options(service: RunningService) -> None:
    plain = service.request("POST", "/v1/summaries", {"text": ARTICLE})
    hinted = service.request(
        "POST", "/v1/summaries", {"text": ARTICLE, "options": {"year_hint": 2024}}
    )
    assert plain.status == hinted.status == 200, (plain.body, hinted.body)
    assert _dates(plain.json())["12月13日"] is None
    assert _dates(hinted.json())["12月13日"] == "2024-12-13"
    codes = {warning["code"] for warning in hinted.json()["source"]["warnings"]}
    assert "date_year_unknown" not in codes


def test_the_offline_engine_takes_year_hint_in_a_batch(service: RunningService) -> None:
    items = [{"id": name, "text": ARTICLE} for name in "ab"]
    submitted = service.request(
        "POST", "/v1/batches", {"items": items, "options": {"year_hint": 2024}}
    )
    assert submitted.status == 202, submitted.body
    created = submitted.json()
    assert service.wait_for_batch(created["id"])["counts"] == {"ok": 2}
    lines = service.request("GET", created["results_url"]).lines()
    assert [_dates(line["result"])["12月13日"] for line in lines] == ["2024-12-13"] * 2
