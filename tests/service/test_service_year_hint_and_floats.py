"""The service's options: ``year_hint`` reaches the analysis, NaN and infinity are refused."""

from __future__ import annotations

import json

from service_helpers import RunningService, ServiceFactory, model_settings

from summarizer.testing import RecordedRequest, ScriptedOpenAIServer, answering

ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
DATE_NOTE = "some dates have no year"


def prompt_text(request: RecordedRequest) -> str:
    return json.dumps(request.messages, ensure_ascii=False)


def test_the_service_takes_year_hint_in_options(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    service: RunningService = service_factory(engines=model_settings(openai_server.base_url))
    given = service.request(
        "POST", "/v1/summaries", {"text": ARTICLE, "options": {"year_hint": 2024}}
    )
    assert given.status == 200, given.body
    (request,) = openai_server.chat_requests
    assert DATE_NOTE not in prompt_text(request)
    for bad in (99, "2024", 2024.5):
        refused = service.request(
            "POST", "/v1/summaries", {"text": ARTICLE, "options": {"year_hint": bad}}
        )
        assert refused.status == 422, (bad, refused.body)


def test_the_service_refuses_non_finite_floats(service: RunningService) -> None:
    for field, where in (("deadline", "options"), ("wait_seconds", "top")):
        for literal in ("NaN", "Infinity"):
            options = f'"options": {{"{field}": {literal}}}' if where == "options" else None
            body = (
                f'{{"text": "新闻。", {options}}}'
                if options
                else f'{{"text": "新闻。", "{field}": {literal}}}'
            )
            response = service.request("POST", "/v1/summaries", body)
            assert response.status == 422, (field, literal, response.body)
