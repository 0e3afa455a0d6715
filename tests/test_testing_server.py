"""The scripted OpenAI-compatible server, exercised through the real ``openai`` SDK."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2  # the HTTP library under openai 3.x
import openai
import pytest

from summarizer.schema import SummaryDraft
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer, valid_draft
from summarizer.text.document import Document, Sentence, Span

MESSAGES: list[Any] = [
    {"role": "system", "content": "You summarize."},
    {"role": "user", "content": "通州区 news"},
]


@pytest.fixture
def sdk(openai_server: ScriptedOpenAIServer) -> Iterator[openai.OpenAI]:
    client = openai.OpenAI(
        base_url=openai_server.base_url, api_key="sk-test-abc", max_retries=0, timeout=5.0
    )
    yield client
    client.close()


def ask(sdk: openai.OpenAI, **extra: Any) -> Any:
    return sdk.chat.completions.create(model="test-model", messages=MESSAGES, **extra)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- chat completions -----------------------------------------------------------------------------


def test_json_reply_looks_like_the_real_api(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(Reply.json({"headline_en": "Hi"}))
    completion = ask(sdk)
    assert json.loads(completion.choices[0].message.content) == {"headline_en": "Hi"}
    assert completion.id.startswith("chatcmpl-")
    assert completion.object == "chat.completion"
    assert completion.model == "test-model"
    assert completion.created > 1_700_000_000
    assert completion.choices[0].finish_reason == "stop"
    usage = completion.usage
    assert usage is not None and usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_explicit_usage_and_model_are_sent_as_given(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(Reply.text("```json\n{}\n```", usage=(120, 30), model="gpt-x"))
    completion = ask(sdk)
    assert completion.choices[0].message.content == "```json\n{}\n```"
    assert completion.model == "gpt-x"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (120, 30)


def test_queue_is_fifo_then_handler_then_scripted_500(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(Reply.text("one"), Reply.text("two"))
    assert ask(sdk).choices[0].message.content == "one"
    assert ask(sdk).choices[0].message.content == "two"
    openai_server.set_handler(lambda request: Reply.text(f"echo {request.user_text}"))
    assert ask(sdk).choices[0].message.content == "echo 通州区 news"
    openai_server.set_handler(None)
    with pytest.raises(openai.InternalServerError, match="no reply queued"):
        ask(sdk)


def test_requests_are_recorded_with_helpers(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(Reply.json({}))
    fmt = {"type": "json_object"}
    ask(sdk, response_format=fmt, max_tokens=50)
    [request] = openai_server.requests
    assert openai_server.request_count == 1
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer sk-test-abc"
    assert isinstance(request.json, dict) and request.json["max_tokens"] == 50
    assert request.messages == MESSAGES
    assert request.user_text == "通州区 news"
    assert request.response_format == fmt
    assert request.received_at <= time.monotonic()


def test_finish_reasons_and_refusal(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(Reply.truncated('{"a": "cut'), Reply.content_filter(), Reply.refusal("No."))
    truncated, filtered, refused = ask(sdk), ask(sdk), ask(sdk)
    assert truncated.choices[0].finish_reason == "length"
    assert truncated.choices[0].message.content == '{"a": "cut'
    assert filtered.choices[0].finish_reason == "content_filter"
    assert refused.choices[0].message.refusal == "No."
    assert refused.choices[0].message.content is None


def test_error_reply_carries_openai_error_fields_and_headers(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(
        Reply.error(429, "slow down", headers={"Retry-After": "2"}, code="rate_limit_exceeded"),
        Reply.error(400, "response_format is not supported", param="response_format"),
    )
    with pytest.raises(openai.RateLimitError) as rate_limited:
        ask(sdk)
    assert rate_limited.value.response.headers["retry-after"] == "2"
    assert rate_limited.value.code == "rate_limit_exceeded"
    assert "slow down" in str(rate_limited.value)
    with pytest.raises(openai.BadRequestError) as rejected:
        ask(sdk)
    assert rejected.value.param == "response_format"
    assert rejected.value.type == "invalid_request_error"


def test_raw_body_reaches_the_sdk_as_text(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(Reply.raw(b"<html>Bad gateway</html>"))
    assert ask(sdk) == "<html>Bad gateway</html>"


def test_delay_past_timeout_and_drop_are_transport_failures(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.push(Reply.delay(2.0, Reply.json({})), Reply.drop(), Reply.json({"ok": 1}))
    with openai.OpenAI(
        base_url=openai_server.base_url, api_key="sk-test", max_retries=0, timeout=0.2
    ) as client:
        with pytest.raises(openai.APITimeoutError):
            ask(client)
        with pytest.raises(openai.APIConnectionError):
            ask(client)
        assert json.loads(ask(client).choices[0].message.content) == {"ok": 1}


def test_custom_reply_on_any_status(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.add_route("GET", r"/v1/things", lambda r: Reply.custom(202, {"x": 1}))
    response = sdk.get("/things", cast_to=httpx2.Response)
    assert response.status_code == 202
    assert response.json() == {"x": 1}


# --- other endpoints and protocol errors ----------------------------------------------------------


def test_models_endpoint_lists_a_model(sdk: openai.OpenAI) -> None:
    assert [model.id for model in sdk.models.list()] == ["test-model"]
    assert sdk.models.retrieve("other").id == "other"


def test_unknown_path_is_a_json_404(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError, match="Unknown path"):
        sdk.embeddings.create(model="m", input="x")


def raw_post(server: ScriptedOpenAIServer, path: str, body: bytes) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("POST", path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_malformed_json_and_missing_messages_are_400(openai_server: ScriptedOpenAIServer) -> None:
    status, body = raw_post(openai_server, "/v1/chat/completions", b"{not json")
    assert status == 400 and "parse the JSON" in body["error"]["message"]
    status, body = raw_post(openai_server, "/v1/chat/completions", b'{"model": "m"}')
    assert status == 400 and body["error"]["param"] == "messages"
    assert openai_server.request_count == 2


def test_streaming_is_refused_clearly(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="does not stream"):
        ask(sdk, stream=True)


def test_add_route_passes_path_params_and_query(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    seen: list[RecordedRequest] = []

    def handler(request: RecordedRequest) -> Reply:
        seen.append(request)
        return Reply.custom(200, {"id": request.path_params["file_id"], "object": "file"})

    openai_server.add_route("GET", r"/v1/files/(?P<file_id>[^/]+)", handler)
    response = sdk.get("/files/file-123?purpose=batch", cast_to=httpx2.Response)
    assert response.json() == {"id": "file-123", "object": "file"}
    assert seen[0].query == {"purpose": "batch"}
    assert seen[0].path == "/v1/files/file-123"


def test_a_failing_handler_answers_500_instead_of_hanging(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    def broken(request: RecordedRequest) -> Reply:
        raise KeyError("oops")

    openai_server.set_handler(broken)
    with pytest.raises(openai.InternalServerError, match="handler failed"):
        ask(sdk)


# --- connections, concurrency, latency ------------------------------------------------------------


def test_keep_alive_connection_is_reused(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.set_handler(lambda r: Reply.json({}))
    for _ in range(5):
        ask(sdk)
    ports = {request.client_port for request in openai_server.requests}
    assert len(ports) == 1


async def test_async_sdk_concurrent_requests(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.set_handler(lambda r: Reply.json({"echo": r.user_text}))
    client = openai.AsyncOpenAI(base_url=openai_server.base_url, api_key="sk-test", max_retries=0)
    try:

        async def one(i: int) -> Any:
            messages: Any = [{"role": "user", "content": f"n{i}"}]
            return await client.chat.completions.create(model="m", messages=messages)

        completions = await asyncio.gather(*(one(i) for i in range(20)))
    finally:
        await client.close()
    echoes = sorted(json.loads(c.choices[0].message.content)["echo"] for c in completions)
    assert echoes == sorted(f"n{i}" for i in range(20))
    assert openai_server.request_count == 20


def test_latency_is_added_before_each_reply(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.latency = 0.15
    openai_server.push(Reply.json({}))
    started = time.perf_counter()
    ask(sdk)
    assert time.perf_counter() - started >= 0.15


def test_stop_releases_pending_delays_promptly() -> None:
    server = ScriptedOpenAIServer().start()
    server.push(Reply.delay(30.0, Reply.json({})))
    errors: list[BaseException] = []

    def call() -> None:
        try:
            with openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0) as client:
                ask(client)
        except openai.APIError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    while server.request_count == 0:
        time.sleep(0.01)
    started = time.perf_counter()
    server.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert time.perf_counter() - started < 5
    assert errors and isinstance(errors[0], openai.APIConnectionError)


# --- faults and rate limits -----------------------------------------------------------------------


def test_fault_rate_one_fails_every_request_but_keeps_the_queue(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(Reply.text("kept"))
    openai_server.inject_faults(1.0, ("503",))
    for _ in range(3):
        with pytest.raises(openai.InternalServerError) as failed:
            ask(sdk)
        assert failed.value.status_code == 503
    openai_server.inject_faults(0.0)
    assert ask(sdk).choices[0].message.content == "kept"
    assert [r.fault for r in openai_server.requests] == ["503", "503", "503", None]


def test_faults_are_seeded_and_roughly_the_requested_share(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.set_handler(lambda r: Reply.json({}))

    def run() -> list[str | None]:
        openai_server.inject_faults(0.3, ("429", "500", "502"), seed=7)
        start = openai_server.request_count
        for _ in range(60):
            with contextlib.suppress(openai.APIStatusError):
                ask(sdk)
        return [r.fault for r in openai_server.requests[start:]]

    first, second = run(), run()
    assert first == second
    share = sum(fault is not None for fault in first) / len(first)
    assert 0.1 < share < 0.5
    assert {fault for fault in first if fault} <= {"429", "500", "502"}


def test_timeout_and_drop_faults(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.set_handler(lambda r: Reply.json({}))
    openai_server.inject_faults(1.0, ("timeout",), fault_delay=1.0)
    with openai.OpenAI(
        base_url=openai_server.base_url, api_key="k", max_retries=0, timeout=0.2
    ) as client:
        with pytest.raises(openai.APITimeoutError):
            ask(client)
        openai_server.inject_faults(1.0, ("drop",))
        with pytest.raises(openai.APIConnectionError):
            ask(client)


def test_inject_faults_rejects_unknown_kinds(openai_server: ScriptedOpenAIServer) -> None:
    with pytest.raises(ValueError, match="kinds"):
        openai_server.inject_faults(0.5, ("418",))
    with pytest.raises(ValueError):
        openai_server.inject_faults(1.5)


def test_requests_per_minute_limit_with_headers_and_window() -> None:
    clock = FakeClock()
    with ScriptedOpenAIServer(clock=clock) as server:
        server.set_handler(lambda r: Reply.json({}))
        server.rate_limit(requests_per_minute=2)
        with openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0) as client:
            ask(client)
            clock.now += 10
            ask(client)
            clock.now += 5
            with pytest.raises(openai.RateLimitError) as limited:
                ask(client)
            headers = limited.value.response.headers
            # The first request leaves the window at t=60: 45 s from now.
            assert headers["retry-after"] == "45"
            assert headers["retry-after-ms"] == "45000"
            assert headers["x-ratelimit-limit-requests"] == "2"
            assert headers["x-ratelimit-remaining-requests"] == "0"
            clock.now += 45
            ask(client)
    assert [r.fault for r in server.requests] == [None, None, "rate_limit", None]


def test_tokens_per_minute_limit_counts_prompt_and_max_tokens() -> None:
    clock = FakeClock()
    with ScriptedOpenAIServer(clock=clock) as server:
        server.set_handler(lambda r: Reply.json({}))
        server.rate_limit(tokens_per_minute=1000)
        with openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0) as client:
            ask(client, max_tokens=600)
            with pytest.raises(openai.RateLimitError) as limited:
                ask(client, max_tokens=600)
            assert limited.value.response.headers["x-ratelimit-limit-tokens"] == "1000"
            assert int(limited.value.response.headers["retry-after"]) == 60
            ask(client, max_tokens=100)  # still fits next to the first one


def test_reset_clears_script_records_faults_and_limits(
    openai_server: ScriptedOpenAIServer, sdk: openai.OpenAI
) -> None:
    openai_server.push(Reply.text("stale"))
    openai_server.set_handler(lambda r: Reply.text("handler"))
    openai_server.inject_faults(1.0, ("500",))
    openai_server.rate_limit(requests_per_minute=1)
    with pytest.raises(openai.InternalServerError):
        ask(sdk)
    openai_server.reset()
    assert openai_server.request_count == 0
    openai_server.push(Reply.text("fresh"))
    assert ask(sdk).choices[0].message.content == "fresh"
    with pytest.raises(openai.InternalServerError, match="no reply queued"):
        ask(sdk)  # the handler is gone too


# --- valid_draft ----------------------------------------------------------------------------------


def test_valid_draft_matches_the_schema_and_quotes_the_document() -> None:
    text = "通州区召开会议。会议部署了工作。\n区长讲话。"
    document = Document(
        original=text,
        text=text,
        language="zh",
        script="simplified",
        encoding="str",
        paragraphs=(Span(0, 16, text[:16]), Span(17, 22, text[17:])),
        sentences=(
            Sentence(0, 8, text[0:8], 0),
            Sentence(8, 16, text[8:16], 0),
            Sentence(17, 22, text[17:22], 1),
        ),
    )
    draft = SummaryDraft.model_validate(valid_draft(document))
    assert [point.evidence for point in draft.key_points] == [
        "通州区召开会议。",
        "会议部署了工作。",
        "区长讲话。",
    ]
    assert len(draft.translation.paragraphs_en) == 2
    english = [draft.headline_en, draft.summary_en, *draft.translation.paragraphs_en]
    english += [point.text_en or "" for point in draft.key_points] + draft.topics
    assert all(part.isascii() and not any(ch.isdigit() for ch in part) for part in english)


# --- clients that hang up mid-request -------------------------------------------------------------


def _wait_until_connections_closed(server: ScriptedOpenAIServer) -> None:
    """Wait until the server has finished (and closed) every connection it accepted."""
    deadline = time.monotonic() + 5
    while server._http is not None and server._http.open_sockets:
        assert time.monotonic() < deadline, "the server never finished the connection"
        time.sleep(0.01)


def _wait_until_accepted(server: ScriptedOpenAIServer) -> None:
    deadline = time.monotonic() + 5
    while server._http is None or not server._http.open_sockets:
        assert time.monotonic() < deadline, "the server never accepted the connection"
        time.sleep(0.01)
    time.sleep(0.05)  # and let its handler start reading


def _partial_post(server: ScriptedOpenAIServer, sent: bytes, *, reset: bool) -> None:
    """POST a chat body announced as 1000 bytes but send only ``sent``, then hang up.

    ``reset`` makes the close abortive (RST, as from a killed process) instead of a clean FIN.
    """
    head = (
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(head + sent)
    _wait_until_accepted(server)
    if reset:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@pytest.mark.parametrize("reset", [False, True], ids=["fin", "rst"])
def test_request_cut_short_is_flagged_not_counted_and_not_answered(
    reset: bool, capfd: pytest.CaptureFixture[str]
) -> None:
    with ScriptedOpenAIServer() as server:
        server.push(Reply.json({"first": True}))
        _partial_post(
            server, b'{"model": "m", "messages": [{"role": "user", "content": "cut', reset=reset
        )
        _wait_until_connections_closed(server)
        assert server.request_count == 0 and server.requests == []
        incomplete = server.incomplete_requests
        assert len(incomplete) == 1 and incomplete[0].incomplete
        assert incomplete[0].json is None and len(incomplete[0].body) < 1000
        # The scripted reply was not spent on the dead request: the next client gets it.
        with openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0) as client:
            answer = ask(client)
        assert json.loads(answer.choices[0].message.content) == {"first": True}
        assert server.request_count == 1 and len(server.incomplete_requests) == 1
        server.reset()
        assert server.incomplete_requests == []
    assert "Traceback" not in capfd.readouterr().err


def test_chunked_body_without_its_last_chunk_is_incomplete() -> None:
    with ScriptedOpenAIServer() as server:
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b'Content-Type: application/json\r\n\r\n5\r\n{"mod\r\n'
        )
        _wait_until_accepted(server)
        sock.close()
        _wait_until_connections_closed(server)
        assert server.request_count == 0
        assert [r.body for r in server.incomplete_requests] == [b'{"mod']


def test_client_reset_mid_request_line_or_while_waiting_prints_no_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    linger = struct.pack("ii", 1, 0)
    with ScriptedOpenAIServer() as server:
        # Reset while the server is still reading the request line.
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(b"POST /v1/chat/comp")
        _wait_until_accepted(server)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        sock.close()
        _wait_until_connections_closed(server)
        # Reset while the server holds a complete request and is about to answer it.
        server.push(Reply.delay(0.2, Reply.json({})))
        body = json.dumps({"model": "m", "messages": MESSAGES}).encode()
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        while server.request_count == 0:
            time.sleep(0.01)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        sock.close()
        _wait_until_connections_closed(server)
        # A complete request is a call the client made, even if it left before the answer.
        assert server.request_count == 1 and server.incomplete_requests == []
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ConnectionResetError" not in err
