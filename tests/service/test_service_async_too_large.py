"""Review 7, finding 8: an article over ``max_input_chars`` is a 413 in every mode.

Before: the same 4 MB body was a 413 ``input.too_large`` when sent synchronously but a 202 with
``mode=async`` (JSON or query), stored as a job that failed later with the same error. A real
service over real HTTP, offline engine.
"""

from __future__ import annotations

from service_helpers import RunningService, ServiceFactory

from summarizer.service import EngineSettings

ARTICLE = "区委召开会议，张建华主持会议并讲话。" * 20  # 360 characters


def started(service_factory: ServiceFactory) -> RunningService:
    return service_factory(engines=EngineSettings(engine="offline", max_input_chars=300))


def test_async_json_over_the_limit_is_refused_at_once(service_factory: ServiceFactory) -> None:
    service = started(service_factory)
    response = service.request("POST", "/v1/summaries", {"text": ARTICLE, "mode": "async"})
    assert response.status == 413, response.body
    assert response.json()["error"]["kind"] == "input.too_large"


def test_async_raw_text_over_the_limit_is_refused_at_once(service_factory: ServiceFactory) -> None:
    service = started(service_factory)
    response = service.request(
        "POST",
        "/v1/summaries?mode=async",
        ARTICLE.encode(),
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    assert response.status == 413, response.body


def test_under_the_limit_async_is_still_queued(service_factory: ServiceFactory) -> None:
    service = started(service_factory)
    response = service.request("POST", "/v1/summaries", {"text": ARTICLE[:200], "mode": "async"})
    assert response.status == 202, response.body
