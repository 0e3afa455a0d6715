"""ChatClient against the scripted server, through the real SDK (no test sleeps for backoff)."""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from summarizer.config import ModelConfig, Secret
from summarizer.engines.client import ChatClient, Completion, extract_json_text
from summarizer.errors import (
    AuthenticationError,
    ContentFilterError,
    DeadlineExceededError,
    EndpointUnreachableError,
    OutputValidationError,
    RateLimitedError,
    RefusalError,
    RequestRejectedError,
    RetryAfterTooLongError,
    ServerError,
    SummarizerError,
    TruncatedOutputError,
)
from summarizer.testing import TEST_API_KEY, RecordedRequest, Reply, ScriptedOpenAIServer

SECRET = TEST_API_KEY
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "string"}},
    "required": ["answer"],
    "additionalProperties": False,
}


class FakeTime:
    """An injected sleep that only records, and a clock that moves by what was slept."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.offset = 0.0

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.offset += seconds

    def clock(self) -> float:
        return time.monotonic() + self.offset


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def make_config(base_url: str, **options: Any) -> ModelConfig:
    options.setdefault("request_timeout", 5.0)
    return ModelConfig(model="test-model", base_url=base_url, api_key=Secret(SECRET), **options)


@pytest.fixture
async def make_client(
    openai_server: ScriptedOpenAIServer, fake_time: FakeTime
) -> AsyncIterator[Any]:
    clients: list[ChatClient] = []

    def make(base_url: str | None = None, **options: Any) -> ChatClient:
        config = make_config(base_url or openai_server.base_url, **options)
        client = ChatClient(config, sleep=fake_time.sleep, clock=fake_time.clock)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


def messages_for(capability: str) -> list[dict[str, Any]]:
    prompt = "Answer in JSON." if capability != "json_schema" else "Answer."
    return [
        {"role": "system", "content": f"{prompt} ({capability})"},
        {"role": "user", "content": "What is the answer?"},
    ]


async def complete(client: ChatClient, **kwargs: Any) -> Completion:
    return await client.complete(messages_for, schema_name="answer", schema=SCHEMA, **kwargs)


# --- success and the request we send --------------------------------------------------------------


async def test_success_sends_strict_json_schema_and_reports_usage(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.json({"answer": "42"}, usage=(100, 7)))
    client = make_client(max_output_tokens=500)
    completion = await complete(client)
    assert json.loads(completion.content) == {"answer": "42"}
    assert completion.capability == "json_schema"
    assert completion.finish_reason == "stop"
    assert completion.model == "test-model"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (100, 7)
    assert completion.usage.total_tokens == 107
    assert [a.status_code for a in completion.attempts] == [200]
    assert completion.attempts[0].error is None
    assert completion.latency_ms > 0
    [request] = openai_server.requests
    assert request.response_format == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": SCHEMA, "strict": True},
    }
    assert request.json["model"] == "test-model"
    assert request.json["temperature"] == 0.0
    assert request.json["max_tokens"] == 500
    assert request.messages[0]["content"] == "Answer. (json_schema)"
    assert request.headers["authorization"] == f"Bearer {SECRET}"


async def test_fixed_json_object_and_prompt_capabilities(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.json({"answer": "a"}), Reply.json({"answer": "b"}))
    assert (await complete(make_client(capability="json_object"))).capability == "json_object"
    assert (await complete(make_client(capability="prompt"))).capability == "prompt"
    first, second = openai_server.requests
    assert first.response_format == {"type": "json_object"}
    assert first.messages[0]["content"] == "Answer in JSON. (json_object)"
    assert second.json is not None and "response_format" not in second.json


async def test_one_connection_is_reused_across_calls(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.set_handler(lambda r: Reply.json({"answer": "x"}))
    client = make_client()
    for _ in range(4):
        await complete(client)
    assert len({r.client_port for r in openai_server.requests}) == 1


def test_one_client_survives_several_event_loops(openai_server: ScriptedOpenAIServer) -> None:
    """The sync API runs each call in a fresh loop; pooled connections must not cross loops."""
    openai_server.set_handler(lambda r: Reply.json({"answer": "x"}))
    client = ChatClient(make_config(openai_server.base_url, max_transport_attempts=1))
    for _ in range(3):
        assert asyncio.run(complete(client)).content == '{"answer": "x"}'
    assert openai_server.request_count == 3


# --- transport retries ----------------------------------------------------------------------------


async def test_429_waits_exactly_retry_after_then_succeeds(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime
) -> None:
    openai_server.push(
        Reply.error(429, "Rate limit reached", headers={"Retry-After": "2"}),
        Reply.json({"answer": "ok"}, usage=(10, 2)),
    )
    completion = await complete(make_client())
    assert fake_time.waits == [2.0]
    assert [(a.status_code, a.error) for a in completion.attempts] == [
        (429, "RateLimitedError"),
        (200, None),
    ]
    assert completion.usage.total_tokens == 12


async def test_retry_after_ms_wins_and_http_dates_are_understood(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime
) -> None:
    written = time.time()
    in_30s = email.utils.formatdate(written + 30, usegmt=True)  # whole seconds: up to 1 s less
    openai_server.push(
        Reply.error(429, headers={"retry-after-ms": "1500", "retry-after": "9"}),
        Reply.error(503, headers={"Retry-After": in_30s}),
        Reply.error(429, headers={"Retry-After": "3600"}),
        Reply.json({"answer": "ok"}),
    )
    await complete(make_client(deadline=10_000))
    took = time.time() - written  # a loaded machine reads the date later: that much less to wait
    assert fake_time.waits[0] == 1.5
    assert 29 - took - 0.5 <= fake_time.waits[1] <= 30
    assert fake_time.waits[2] == 3600  # the server's value, not a cap: the deadline allows it


async def test_a_retry_after_past_the_deadline_fails_at_once_quoting_it(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime
) -> None:
    openai_server.set_handler(lambda r: Reply.error(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RetryAfterTooLongError) as raised:
        await complete(make_client(deadline=600))
    assert openai_server.request_count == 1 and fake_time.waits == []
    message = str(raised.value)
    assert "asked to wait 3600 s" in message and "600 s left" in message
    assert "60.0" not in message
    assert raised.value.exit_code == 4


@pytest.mark.parametrize("status", [500, 502, 503, 408, 409])
async def test_retryable_statuses_then_success(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime, status: int
) -> None:
    openai_server.push(Reply.error(status, "temporary"), Reply.json({"answer": "ok"}))
    completion = await complete(make_client())
    assert json.loads(completion.content) == {"answer": "ok"}
    assert [a.status_code for a in completion.attempts] == [status, 200]
    assert len(fake_time.waits) == 1 and 0 < fake_time.waits[0] <= 1.0


async def test_backoff_grows_exponentially(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime
) -> None:
    openai_server.push(*[Reply.error(500)] * 4, Reply.json({"answer": "ok"}))
    await complete(make_client())
    assert len(fake_time.waits) == 4
    # initial 0.5 s doubling, plus up to 0.5 s of jitter
    for n, wait in enumerate(fake_time.waits):
        assert 0.5 * 2**n <= wait <= 0.5 * 2**n + 0.5


async def test_timeout_then_success(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime
) -> None:
    openai_server.push(
        Reply.delay(2.0, Reply.json({"answer": "late"})), Reply.json({"answer": "ok"})
    )
    completion = await complete(make_client(request_timeout=0.2))
    assert json.loads(completion.content) == {"answer": "ok"}
    assert [a.error for a in completion.attempts] == ["DeadlineExceededError", None]
    assert completion.attempts[0].latency_ms >= 150


async def test_dropped_connection_then_success(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.drop(), Reply.json({"answer": "ok"}))
    completion = await complete(make_client())
    assert [a.error for a in completion.attempts] == ["EndpointUnreachableError", None]


async def test_non_json_body_is_retried_then_reported(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.raw(b"<html>proxy</html>"), Reply.json({"answer": "ok"}))
    completion = await complete(make_client())
    assert [a.error for a in completion.attempts] == ["ServerError", None]

    openai_server.set_handler(lambda r: Reply.raw(b"<!DOCTYPE html><p>login</p>"))
    with pytest.raises(ServerError, match="HTML page") as failed:
        await complete(make_client(max_transport_attempts=2))
    assert "OPENAI_BASE_URL" in str(failed.value)
    assert len(failed.value.attempts) == 2


async def test_invalid_json_with_json_content_type_is_retried(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.raw(b'{"choices": [', content_type="application/json"))
    openai_server.push(Reply.json({"answer": "ok"}))
    completion = await complete(make_client())
    assert [a.error for a in completion.attempts] == ["ServerError", None]


async def test_200_carrying_an_error_is_retried_and_reported(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.set_handler(lambda r: Reply.custom(200, {"error": {"message": "overloaded"}}))
    with pytest.raises(ServerError, match="a 200 carrying an error: overloaded") as failed:
        await complete(make_client(max_transport_attempts=2))
    assert [a.status_code for a in failed.value.attempts] == [200, 200]


@pytest.mark.parametrize(
    ("reply", "error_type"),
    [
        (Reply.error(500, "boom"), ServerError),
        (Reply.error(429, "busy"), RateLimitedError),
        (Reply.drop(), EndpointUnreachableError),
    ],
)
async def test_all_attempts_fail_gives_typed_error_with_ledger(
    openai_server: ScriptedOpenAIServer,
    make_client: Any,
    fake_time: FakeTime,
    reply: Reply,
    error_type: type[SummarizerError],
) -> None:
    openai_server.set_handler(lambda r: reply)
    with pytest.raises(error_type) as failed:
        await complete(make_client(max_transport_attempts=3))
    assert len(failed.value.attempts) == 3
    assert all(a.error == error_type.__name__ for a in failed.value.attempts)
    assert "after 3 attempt(s)" in str(failed.value)
    assert len(fake_time.waits) == 2
    assert openai_server.request_count == 3


async def test_timeouts_on_every_attempt(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.set_handler(lambda r: Reply.delay(1.0, Reply.json({})))
    with pytest.raises(DeadlineExceededError, match="request_timeout") as failed:
        await complete(make_client(request_timeout=0.1, max_transport_attempts=2))
    assert len(failed.value.attempts) == 2


async def test_a_wait_past_the_deadline_ends_the_loop(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime
) -> None:
    openai_server.push(Reply.error(429, headers={"Retry-After": "20"}), Reply.json({"answer": "x"}))
    with pytest.raises(DeadlineExceededError, match="deadline of 10 s") as failed:
        await complete(make_client(deadline=10))
    assert fake_time.waits == []
    assert [a.status_code for a in failed.value.attempts] == [429]
    assert failed.value.exit_code == 4


async def test_deadline_spans_all_attempts(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime
) -> None:
    openai_server.set_handler(lambda r: Reply.error(503, headers={"retry-after": "4"}))
    with pytest.raises(DeadlineExceededError) as failed:
        await complete(make_client(deadline=10, max_transport_attempts=10))
    # waits of 4 s at t~0 and t~4; a third would end at ~12 > 10
    assert fake_time.waits == [4.0, 4.0]
    assert len(failed.value.attempts) == 3


async def test_server_side_rate_limit_is_honoured(fake_time: FakeTime) -> None:
    with ScriptedOpenAIServer(clock=fake_time.clock) as server:
        server.set_handler(lambda r: Reply.json({"answer": "ok"}))
        server.rate_limit(requests_per_minute=1)
        client = ChatClient(
            make_config(server.base_url), sleep=fake_time.sleep, clock=fake_time.clock
        )
        try:
            await complete(client)
            completion = await complete(client)
        finally:
            await client.aclose()
    assert len(fake_time.waits) == 1 and 59 <= fake_time.waits[0] <= 60
    assert [a.status_code for a in completion.attempts] == [429, 200]


# --- non-retryable failures -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_errors_are_not_retried(
    openai_server: ScriptedOpenAIServer, make_client: Any, fake_time: FakeTime, status: int
) -> None:
    openai_server.push(Reply.error(status, "Incorrect API key provided"))
    with pytest.raises(AuthenticationError, match="OPENAI_API_KEY") as failed:
        await complete(make_client())
    assert failed.value.exit_code == 3
    assert [a.status_code for a in failed.value.attempts] == [status]
    assert fake_time.waits == []


async def test_other_4xx_are_rejected_without_retry(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.error(404, "The model `test-model` does not exist"))
    with pytest.raises(RequestRejectedError, match="model name") as failed:
        await complete(make_client())
    assert "does not exist" in str(failed.value)
    assert openai_server.request_count == 1


async def test_insufficient_quota_429_is_not_retried(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.error(429, "You exceeded your quota", code="insufficient_quota"))
    with pytest.raises(RateLimitedError, match="billing"):
        await complete(make_client())
    assert openai_server.request_count == 1


async def test_unreachable_endpoint_names_the_host(make_client: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # nothing listens on `port` now
    client = make_client(f"http://127.0.0.1:{port}/v1", max_transport_attempts=2)
    with pytest.raises(EndpointUnreachableError) as failed:
        await complete(client)
    message = str(failed.value)
    assert f"could not connect to 127.0.0.1:{port}" in message
    assert "OPENAI_BASE_URL" in message
    assert len(failed.value.attempts) == 2


# --- capability ladder ----------------------------------------------------------------------------


def reject_response_format(request: RecordedRequest) -> Reply:
    if request.response_format is not None:
        return Reply.error(400, "response_format is not supported", param="response_format")
    return Reply.text('Sure! ```json\n{"answer": "plain"}\n```')


async def test_400_on_response_format_steps_down_and_is_remembered(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(
        Reply.error(400, "Invalid parameter: 'response_format' of type 'json_schema'"),
        Reply.json({"answer": "ok"}),
    )
    client = make_client()
    first = await complete(client)
    assert first.capability == "json_object_schema"
    assert client.capability == "json_object_schema"
    assert [a.capability for a in first.attempts] == ["json_schema", "json_object_schema"]
    openai_server.push(Reply.json({"answer": "again"}))
    second = await complete(client)
    assert second.capability == "json_object_schema"
    formats = [r.response_format for r in openai_server.requests]
    assert [f["type"] if f else None for f in formats] == [
        "json_schema",
        "json_object",
        "json_object",
    ]
    assert formats[1] is not None and formats[1]["schema"]["required"] == ["answer"]
    assert openai_server.requests[1].messages[0]["content"].endswith("(json_object_schema)")


async def test_a_grammar_the_server_cannot_build_steps_down(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    """llama-server's answer when its sampler cannot take the schema's grammar."""
    openai_server.push(
        Reply.error(400, "Failed to initialize samplers: std::exception"),
        Reply.json({"answer": "ok"}),
    )
    completion = await complete(make_client())
    assert completion.capability == "json_object_schema"


@pytest.mark.parametrize("status", [400, 422, 500])
async def test_rejection_is_recognised_by_its_body_whatever_the_status(
    openai_server: ScriptedOpenAIServer, make_client: Any, status: int
) -> None:
    """llama-cpp-python rejects an unknown response_format type with a 500 naming the field."""
    openai_server.push(
        Reply.error(
            status,
            "1 validation error: ('body', 'response_format', 'type') Input should be 'text' or "
            "'json_object'",
        ),
        Reply.json({"answer": "ok"}),
    )
    completion = await complete(make_client())
    assert completion.capability == "json_object_schema"
    assert openai_server.request_count == 2


async def test_a_500_that_does_not_name_the_format_is_retried_not_stepped_down(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.error(500, "CUDA out of memory"), Reply.json({"answer": "ok"}))
    completion = await complete(make_client())
    assert completion.capability == "json_schema"
    assert openai_server.request_count == 2


async def test_steps_down_to_prompt_and_extracts_fenced_json(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.set_handler(reject_response_format)
    client = make_client()
    completion = await complete(client)
    assert completion.capability == "prompt" == client.capability
    assert completion.content == '{"answer": "plain"}'
    assert openai_server.request_count == 4  # json_schema, json_object + schema, json_object


async def test_fixed_capability_does_not_step_down(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.set_handler(reject_response_format)
    with pytest.raises(RequestRejectedError, match="capability 'auto'"):
        await complete(make_client(capability="json_schema"))
    assert openai_server.request_count == 1


async def test_unsupported_max_tokens_parameter_is_renamed(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(
        Reply.error(400, "Unsupported parameter: 'max_tokens'", param="max_tokens"),
        Reply.json({"answer": "ok"}),
        Reply.json({"answer": "ok"}),
    )
    client = make_client()
    await complete(client, max_output_tokens=100)
    await complete(client, max_output_tokens=100)
    sent = [r.json for r in openai_server.requests]
    assert "max_tokens" in sent[0]
    assert sent[1]["max_completion_tokens"] == 100 and "max_tokens" not in sent[1]
    assert sent[2]["max_completion_tokens"] == 100


async def test_rejected_temperature_is_dropped_and_remembered(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(
        Reply.error(
            400, "Unsupported value: 'temperature' does not support 0.0", param="temperature"
        ),
        Reply.json({"answer": "ok"}),
        Reply.json({"answer": "ok"}),
    )
    client = make_client()
    await complete(client)
    await complete(client)
    assert ["temperature" in (r.json or {}) for r in openai_server.requests] == [True, False, False]


async def test_unknown_400_is_rejected_not_stepped_down(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.error(400, "messages too long", param="messages"))
    with pytest.raises(RequestRejectedError, match="messages too long"):
        await complete(make_client())
    assert openai_server.request_count == 1


# --- answers that cannot be used ------------------------------------------------------------------


async def test_truncated_answer(openai_server: ScriptedOpenAIServer, make_client: Any) -> None:
    openai_server.push(Reply.truncated('{"answer": "cu'))
    with pytest.raises(TruncatedOutputError, match="max_output_tokens") as failed:
        await complete(make_client())
    assert "chunk_chars" in str(failed.value)
    assert [a.error for a in failed.value.attempts] == ["TruncatedOutputError"]
    assert failed.value.attempts[0].usage.total_tokens > 0
    assert openai_server.request_count == 1


async def test_content_filter(openai_server: ScriptedOpenAIServer, make_client: Any) -> None:
    openai_server.push(Reply.content_filter())
    with pytest.raises(ContentFilterError, match="content filter"):
        await complete(make_client())
    assert openai_server.request_count == 1


async def test_refusal_carries_the_refusal_text(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.refusal("I cannot summarize this."))
    with pytest.raises(RefusalError, match="I cannot summarize this") as failed:
        await complete(make_client())
    assert failed.value.exit_code == 5


async def test_empty_content_is_an_output_validation_error(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.text("   "))
    with pytest.raises(OutputValidationError, match="empty") as failed:
        await complete(make_client())
    assert failed.value.problems


# --- secrets --------------------------------------------------------------------------------------


async def test_the_api_key_never_leaks(
    openai_server: ScriptedOpenAIServer,
    make_client: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A hostile endpoint echoes the Authorization header in every kind of answer."""

    def echo(kind: str) -> Any:
        def handler(request: RecordedRequest) -> Reply:
            auth = request.headers.get("authorization", "")
            if kind == "refusal":
                return Reply.refusal(f"refused for {auth}")
            if kind == "html":
                return Reply.raw(f"<html>{auth}</html>".encode())
            return Reply.error(int(kind), f"Incorrect API key provided: {auth}")

        return handler

    caplog.set_level(logging.DEBUG)
    raised: list[SummarizerError] = []
    for kind in ("401", "400", "404", "429", "500", "refusal", "html"):
        openai_server.set_handler(echo(kind))
        with pytest.raises(SummarizerError) as failed:
            await complete(make_client(max_transport_attempts=2, capability="json_schema"))
        raised.append(failed.value)
    assert len(raised) == 7
    for error in raised:
        shown = " ".join([str(error), repr(error), *(a.model_dump_json() for a in error.attempts)])
        assert SECRET not in shown
        assert error.__cause__ is None
    assert SECRET not in caplog.text
    assert "Incorrect API key" in str(raised[0])


# --- JSON extraction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"a": 1}', '{"a": 1}'),
        ('  \n{"a": 1}\n', '{"a": 1}'),
        ('```json\n{"a": 1}\n```', '{"a": 1}'),
        ('Here you go:\n```\n{"a": "}"}\n```\nHope it helps', '{"a": "}"}'),
        ('The answer is {"a": {"b": 2}} as requested.', '{"a": {"b": 2}}'),
        ('<think>maybe {"x": 0}</think>\n{"a": 1}', '{"a": 1}'),
        ('Broken {"a": 1', '{"a": 1'),
        ("no json at all", "no json at all"),
    ],
)
def test_extract_json_text(content: str, expected: str) -> None:
    assert extract_json_text(content) == expected
