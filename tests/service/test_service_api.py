"""The HTTP API over real HTTP: summaries, normalize, errors, health, readiness and metrics."""

from __future__ import annotations

import time

from service_helpers import (
    DraftingModel,
    RunningService,
    ServiceFactory,
    article_text,
    model_settings,
)

from summarizer.schema import ArticleSummary
from summarizer.service import EngineSettings
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer
from summarizer.text import prepare


def test_seed_article_as_json_gives_a_valid_article_summary(
    service: RunningService, seed_bytes: bytes
) -> None:
    response = service.request("POST", "/v1/summaries", {"text": seed_bytes.decode()})

    assert response.status == 200, response.body
    summary = ArticleSummary.model_validate(response.json())
    assert summary.meta.engine == "offline"
    assert summary.key_points
    assert all(point.evidence in summary.source.normalized_text for point in summary.key_points)
    # The pinyin annotations of the scraped original were repaired on the way.
    assert summary.source.repairs
    assert response.headers["location"].startswith("/v1/summaries/sum_")
    job = service.request("GET", response.headers["location"]).json()
    assert job["status"] == "ok"
    assert ArticleSummary.model_validate(job["result"]) == summary


def test_raw_bytes_with_declared_or_detected_encoding(
    service: RunningService, seed_bytes: bytes
) -> None:
    gb18030 = seed_bytes.decode("utf-8").encode("gb18030")

    declared = service.request(
        "POST", "/v1/summaries", gb18030, headers={"Content-Type": "text/plain; charset=gb18030"}
    )
    detected = service.request(
        "POST", "/v1/summaries", gb18030, headers={"Content-Type": "application/octet-stream"}
    )

    assert declared.status == detected.status == 200, (declared.body, detected.body)
    by_declared = ArticleSummary.model_validate(declared.json())
    by_detection = ArticleSummary.model_validate(detected.json())
    # The declared charset reads these bytes as detection does: the encoding used is reported.
    assert by_declared.source.encoding.lower().replace("-", "") in ("gb18030", "gbk", "gb2312")
    assert by_detection.source.encoding.lower().replace("-", "") in ("gb18030", "gbk", "gb2312")
    assert by_declared.source.normalized_text == by_detection.source.normalized_text


def test_bad_input_is_a_typed_400(service: RunningService) -> None:
    cases = {
        "empty text": service.request(
            "POST", "/v1/summaries", b"   ", headers={"Content-Type": "text/plain"}
        ),
        "unknown charset": service.request(
            "POST", "/v1/summaries", b"abc", headers={"Content-Type": "text/plain; charset=nope"}
        ),
        "undecodable": service.request(
            "POST",
            "/v1/summaries",
            b"\xff\xfe\xfa",
            headers={"Content-Type": "text/plain; charset=utf-8"},
        ),
        "duplicate ids": service.request(
            "POST", "/v1/batches", [{"id": "a", "text": "新闻。"}, {"id": "a", "text": "新闻。"}]
        ),
        "batch not JSON": service.request(
            "POST", "/v1/batches", b"{not json", headers={"Content-Type": "application/json"}
        ),
    }
    kinds = {}
    for name, response in cases.items():
        assert response.status == 400, (name, response.body)
        kinds[name] = response.json()["error"]["kind"]
    assert kinds["empty text"] == "input.empty"
    # In JSON, blank text breaks the documented schema (minLength, a non-space): a 422.
    blank_json = service.request("POST", "/v1/summaries", {"text": "   "})
    assert blank_json.status == 422, blank_json.body
    assert blank_json.json()["error"]["kind"] == "input.validation"
    assert kinds["undecodable"] == "input.undecodable"
    assert kinds["duplicate ids"] == "input.record.duplicate_id"


def test_invalid_request_and_unknown_option_are_422(service: RunningService) -> None:
    missing = service.request("POST", "/v1/summaries", {"txt": "新闻。"})
    unknown_option = service.request(
        "POST", "/v1/summaries", {"text": "新闻。", "options": {"max_reask": 3}}
    )
    out_of_range = service.request(
        "POST", "/v1/summaries", {"text": "新闻。", "options": {"max_reasks": 99}}
    )

    for response in (missing, unknown_option, out_of_range):
        assert response.status == 422, response.body
        assert response.json()["error"]["kind"] == "input.validation"
    assert "max_reask" in unknown_option.json()["error"]["message"]


def test_bodies_over_the_limit_are_413_by_length_or_by_counting(
    service_factory: ServiceFactory,
) -> None:
    service = service_factory(engines=EngineSettings(engine="offline"), max_body_bytes=4096)
    big = {"text": "新闻" * 2000}

    declared = service.request("POST", "/v1/summaries", big)
    chunked = service.request(
        "POST",
        "/v1/summaries",
        ("x" * 10_000).encode(),
        headers={"Content-Type": "text/plain"},
        chunked=True,
    )
    small = service.request("POST", "/v1/summaries", {"text": "南京市召开会议。会议部署了工作。"})

    assert declared.status == chunked.status == 413
    assert declared.json()["error"]["kind"] == chunked.json()["error"]["kind"] == "input.too_large"
    assert small.status == 200


def test_async_mode_and_an_exceeded_deadline_give_202_and_a_job_url(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer, seed_bytes: bytes
) -> None:
    openai_server.set_handler(DraftingModel(delay=1.0))
    service = service_factory(engines=model_settings(openai_server.base_url))

    asked = service.request("POST", "/v1/summaries", {"text": seed_bytes.decode(), "mode": "async"})
    too_slow = service.request(
        "POST", "/v1/summaries", {"text": seed_bytes.decode(), "wait_seconds": 0.1}
    )

    for response in (asked, too_slow):
        assert response.status == 202, response.body
        job = response.json()
        assert job["status"] == "queued"
        assert response.headers["location"] == job["url"]
    assert asked.json()["accepted_because"] == "asked"
    assert too_slow.json()["accepted_because"] == "deadline_reached"
    deadline = time.monotonic() + 30
    while (job := service.request("GET", too_slow.json()["url"]).json())["status"] != "ok":
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    # Now the pace is known (about 1 s per article): a 0.3 s deadline is refused up front.
    predicted = service.request(
        "POST", "/v1/summaries", {"text": seed_bytes.decode(), "wait_seconds": 0.3}
    )
    assert predicted.status == 202
    assert predicted.json()["accepted_because"] == "deadline_predicted"
    summary = ArticleSummary.model_validate(job["result"])
    assert summary.meta.engine == "openai"
    assert summary.translation is not None


def test_model_engine_path_and_a_model_failure_is_502(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer, seed_bytes: bytes
) -> None:
    model = DraftingModel()
    openai_server.set_handler(model)
    service = service_factory(engines=model_settings(openai_server.base_url))

    good = service.request("POST", "/v1/summaries", {"text": seed_bytes.decode()})
    after_good = service.request("GET", "/metrics").body.decode()
    model.refuse = True
    refused = service.request("POST", "/v1/summaries", {"text": seed_bytes.decode()})

    assert good.status == 200, good.body
    summary = ArticleSummary.model_validate(good.json())
    assert (summary.meta.engine, summary.meta.model) == ("openai", "test-model")
    assert summary.meta.usage.total_tokens == 200
    assert 'summarizer_tokens_total{kind="prompt"} 120.0' in after_good
    assert 'summarizer_tokens_total{kind="completion"} 80.0' in after_good
    assert refused.status == 502
    assert refused.json()["error"]["kind"] == "model_output.refusal"
    metrics = service.request("GET", "/metrics").body.decode()
    assert 'summarizer_items_total{status="error"} 1.0' in metrics


def test_normalize_repairs_text_without_a_model(service: RunningService, seed_bytes: bytes) -> None:
    response = service.request(
        "POST", "/v1/normalize", seed_bytes, headers={"Content-Type": "text/plain"}
    )

    assert response.status == 200, response.body
    body = response.json()
    assert body["repairs"]
    assert body["script"] == "traditional"
    assert "(qū)" in seed_bytes.decode() and "(qū)" not in body["text"]
    assert body["text"] == prepare(seed_bytes).text
    assert any(repair["kind"] == "pinyin_annotation" for repair in body["repairs"])


def test_health_readiness_and_metrics(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    offline = service_factory(engines=EngineSettings(engine="offline"))
    with_model = service_factory(engines=model_settings(openai_server.base_url))
    unreachable = service_factory(engines=model_settings("http://127.0.0.1:9/v1"))

    assert offline.request("GET", "/healthz").json() == {"status": "ok"}
    assert offline.request("GET", "/readyz").status == 200
    ready = with_model.request("GET", "/readyz")
    assert (ready.status, ready.json()["checks"]) == (200, {"store": "ok", "model": "ok"})
    not_ready = unreachable.request("GET", "/readyz")
    assert not_ready.status == 503
    assert not_ready.json()["checks"]["model"].startswith("unreachable")

    offline.request("POST", "/v1/summaries", {"text": "南京市召开会议。会议部署了工作。"})
    metrics = offline.request("GET", "/metrics")
    text = metrics.body.decode()
    assert metrics.headers["content-type"].startswith("text/plain")
    assert (
        'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="200"} 1.0'
        in text
    )
    assert "summarizer_http_request_seconds_bucket" in text
    assert "summarizer_queue_depth 0.0" in text


def test_openapi_documents_the_routes_and_models(service: RunningService) -> None:
    document = service.request("GET", "/openapi.json").json()

    assert {"/v1/summaries", "/v1/batches", "/v1/batches/{batch_id}/results"} <= set(
        document["paths"]
    )
    schemas = document["components"]["schemas"]
    assert {"SummaryRequest", "BatchRequest", "ResultLine", "ErrorBody", "BatchStatus"} <= set(
        schemas
    )
    # Every hand-written $ref resolves.
    text = service.request("GET", "/openapi.json").body.decode()
    import re

    for name in set(re.findall(r'"#/components/schemas/([^"]+)"', text)):
        assert name in schemas, name


def test_reasks_and_provider_429s_are_counted(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    model = DraftingModel()
    script = iter(
        [
            Reply.error(429, "slow down", headers={"Retry-After": "0"}),
            Reply.json({"headline_en": "incomplete"}),
        ]
    )

    def handler(request: RecordedRequest) -> Reply:
        return next(script, None) or model(request)

    openai_server.set_handler(handler)
    service = service_factory(engines=model_settings(openai_server.base_url))

    response = service.request("POST", "/v1/summaries", {"text": article_text(7)})

    assert response.status == 200, response.body
    assert response.json()["meta"]["reasks"] == 1
    metrics = service.request("GET", "/metrics").body.decode()
    assert "summarizer_reasks_total 1.0" in metrics
    assert "summarizer_provider_429s_total 1.0" in metrics


def test_request_options_reach_the_engine(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    model = DraftingModel()
    broken_first = iter([Reply.json({"headline_en": "incomplete"})] * 2)

    def handler(request: RecordedRequest) -> Reply:
        return next(broken_first, None) or model(request)

    openai_server.set_handler(handler)
    service = service_factory(engines=model_settings(openai_server.base_url))

    no_reasks = service.request(
        "POST", "/v1/summaries", {"text": article_text(3), "options": {"max_reasks": 0}}
    )
    unknown_prompt = service.request(
        "POST", "/v1/summaries", {"text": article_text(4), "options": {"prompt_version": "v99"}}
    )
    reasked = service.request("POST", "/v1/summaries", {"text": article_text(5)})

    assert no_reasks.status == 502
    assert no_reasks.json()["error"]["kind"] == "model_output.invalid"
    assert unknown_prompt.status == 422
    assert unknown_prompt.json()["error"]["kind"] == "config"
    assert "v99" in unknown_prompt.json()["error"]["message"]
    # The same broken first answer, with the default max_reasks: re-asked, then fine.
    assert reasked.status == 200, reasked.body
    assert reasked.json()["meta"]["reasks"] == 1
