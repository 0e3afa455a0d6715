"""A request timeout is not a dropped connection: a slow generation is not started six times.

Found against llama-cpp-python's real server (round-8 review): a generation that took longer than
``request_timeout`` was retried up to ``max_transport_attempts`` times, each retry starting the
answer again (and the server finishing every abandoned one), until the 600 s deadline ended it with
advice to raise ``--deadline``. Now timeouts may use a third of the attempts (at least two: with
the default six, a second timeout ends the call), and the message names ``--request-timeout``.
"""

from __future__ import annotations

from typing import Any

import httpx2
import openai
import pytest

from summarizer.config import ModelConfig, Secret
from summarizer.engines.client import (
    MAX_TIMED_OUT_ATTEMPTS,
    ChatClient,
    _answer_timed_out,
    timed_out_attempts_allowed,
)
from summarizer.errors import DeadlineExceededError
from summarizer.testing import TEST_API_KEY, Reply, ScriptedOpenAIServer

SCHEMA: dict[str, Any] = {"type": "object", "properties": {"answer": {"type": "string"}}}


def messages_for(capability: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": "answer"}]


def client_for(server: ScriptedOpenAIServer, **options: Any) -> ChatClient:
    async def no_wait(seconds: float) -> None:
        return None

    config = ModelConfig(
        model="test-model", base_url=server.base_url, api_key=Secret(TEST_API_KEY), **options
    )
    return ChatClient(config, sleep=no_wait)


async def test_a_generation_slower_than_the_timeout_is_tried_twice_not_six_times(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(lambda request: Reply.delay(2.0, Reply.json({"answer": "late"})))
    client = client_for(openai_server, request_timeout=0.2, max_transport_attempts=6)
    with pytest.raises(DeadlineExceededError) as raised:
        await client.complete(messages_for, schema_name="answer", schema=SCHEMA)
    await client.aclose()
    assert len(raised.value.attempts) == MAX_TIMED_OUT_ATTEMPTS == 2
    assert openai_server.request_count == 2
    message = str(raised.value)
    assert "within the request timeout of 0.2 s, 2 time(s)" in message
    assert "--request-timeout" in message and "raise it with --deadline" not in message
    assert raised.value.exit_code == 4


async def test_more_attempts_allowed_means_more_patience_with_stalls(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """``--max-transport-attempts 12``: four stalls may be retried through, not twelve."""
    assert timed_out_attempts_allowed(6) == 2 and timed_out_attempts_allowed(1) == 2
    openai_server.set_handler(lambda request: Reply.delay(2.0, Reply.json({"answer": "late"})))
    client = client_for(openai_server, request_timeout=0.2, max_transport_attempts=12)
    with pytest.raises(DeadlineExceededError, match="4 time"):
        await client.complete(messages_for, schema_name="answer", schema=SCHEMA)
    await client.aclose()
    assert openai_server.request_count == timed_out_attempts_allowed(12) == 4


async def test_a_timeout_next_to_other_failures_still_gets_its_retry(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """A 500, a stalled connection, then an answer: the one timeout is retried as before."""
    openai_server.push(
        Reply.error(500),
        Reply.delay(2.0, Reply.json({"answer": "late"})),
        Reply.json({"answer": "ok"}),
    )
    client = client_for(openai_server, request_timeout=0.2)
    completion = await client.complete(messages_for, schema_name="answer", schema=SCHEMA)
    await client.aclose()
    assert [attempt.error for attempt in completion.attempts] == [
        "ServerError",
        "DeadlineExceededError",
        None,
    ]


async def test_the_deadline_after_a_timeout_names_the_request_timeout(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """The deadline ends the loop after one timeout: the advice still names what to raise."""
    openai_server.set_handler(lambda request: Reply.delay(2.0, Reply.json({"answer": "late"})))
    client = client_for(openai_server, request_timeout=0.3, deadline=0.4)
    with pytest.raises(DeadlineExceededError) as raised:
        await client.complete(messages_for, schema_name="answer", schema=SCHEMA)
    await client.aclose()
    message = str(raised.value)
    assert "--request-timeout" in message and "--deadline" in message
    assert message.count("\n") == 0


def test_a_connection_that_could_not_be_opened_in_time_is_not_a_slow_answer() -> None:
    """Only a read timeout ends the retries early; a connect timeout keeps its ordinary ones."""
    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")

    def timeout_from(cause: BaseException) -> openai.APITimeoutError:
        try:
            raise openai.APITimeoutError(request=request) from cause
        except openai.APITimeoutError as error:
            return error

    assert _answer_timed_out(timeout_from(httpx2.ReadTimeout("slow", request=request)))
    assert not _answer_timed_out(timeout_from(httpx2.ConnectTimeout("no route", request=request)))
    assert not _answer_timed_out(httpx2.ReadTimeout("not through the SDK", request=request))
