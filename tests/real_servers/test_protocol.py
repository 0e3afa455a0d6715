"""Protocol facts against real OpenAI-compatible servers (llama-cpp-python's and llama.cpp's).

The model has random weights, so answers are nonsense; what is asserted is what the servers do
with our requests: each profile's request is accepted, ``auto`` steps down on the real rejection in
at most two requests, grammar-constrained answers parse, per-request counts are enforced by the
server's grammar, an over-long prompt is refused before sending, usage is recorded, and every
failure is a typed error. ``TERSE`` biases the tiny model towards closing strings and arrays (its
byte-level vocabulary puts byte ``b`` at token ``3 + b``), so answers finish in well under a second.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CONTEXT, RunningServer
from typer.testing import CliRunner

import summarizer
from summarizer.cli import app
from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient, Completion
from summarizer.engines.openai import request_schema
from summarizer.engines.parsing import parse
from summarizer.errors import (
    DeadlineExceededError,
    EndpointUnreachableError,
    OutputValidationError,
    PromptTooLongError,
    RequestRejectedError,
    SummarizerError,
    TruncatedOutputError,
)
from summarizer.schema import ChunkTranslation, SummaryDraft

#: Token ids of '"' and ']' in the tiny model's byte vocabulary, made likelier: short answers.
TERSE = {"logit_bias": {str(3 + ord('"')): 6, str(3 + ord("]")): 4}}

ARTICLE = "通州区召开会议。\n会议研究了明年的工作。\n区长吴瑕出席。"

#: Each server, the rung its own profile starts at, and what ``generic`` ends up using.
SERVERS = {
    "llama-cpp-python": ("llama_cpp_python_server", "json_object_schema", "json_object_schema"),
    "llama-server": ("llama_server", "json_schema", "json_schema"),
}


@pytest.fixture(params=sorted(SERVERS))
def server(request: pytest.FixtureRequest) -> RunningServer:
    running: RunningServer = request.getfixturevalue(SERVERS[request.param][0])
    return running


def config_for(running: RunningServer, **options: Any) -> ModelConfig:
    options.setdefault("extra_body", TERSE)
    options.setdefault("max_transport_attempts", 2)
    return ModelConfig(model="tiny", base_url=running.base_url, **options)


def messages(capability: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": "Translate: 你好"}]


async def ask(client: ChatClient, paragraphs: int = 2, **kwargs: Any) -> Completion:
    schema = request_schema(SummaryDraft, paragraphs).schema
    try:
        return await client.complete(
            messages, schema_name="SummaryDraft", schema=schema, max_output_tokens=600, **kwargs
        )
    finally:
        await client.aclose()


def posts(server: RunningServer) -> int:
    """Chat requests the server has logged so far."""
    return server.chat_requests()


async def test_the_servers_own_profile_is_accepted_at_its_first_rung(
    server: RunningServer,
) -> None:
    first_rung = SERVERS[server.name][1]
    completion = await ask(ChatClient(config_for(server, server=server.name)))
    assert completion.capability == first_rung
    assert [attempt.status_code for attempt in completion.attempts] == [200]


async def test_auto_steps_down_on_the_real_rejection_in_at_most_two_requests(
    server: RunningServer,
) -> None:
    client = ChatClient(config_for(server, server="generic"))
    completion = await ask(client)
    assert completion.capability == SERVERS[server.name][2]
    assert len(completion.attempts) <= 2
    if server.name == "llama-cpp-python":  # its real rejection: a 500 naming response_format
        assert [a.status_code for a in completion.attempts] == [500, 200]


async def test_a_fixed_capability_the_server_lacks_is_a_typed_rejection(
    llama_cpp_python_server: RunningServer,
) -> None:
    config = config_for(llama_cpp_python_server, server="generic", capability="json_schema")
    with pytest.raises(RequestRejectedError, match="capability 'auto'") as raised:
        await ask(ChatClient(config))
    assert len(raised.value.attempts) == 1  # not retried like an ordinary 500


@pytest.mark.parametrize("paragraphs", [1, 3, 6])
async def test_grammar_constrained_answers_parse_with_the_requested_count(
    server: RunningServer, paragraphs: int
) -> None:
    completion = await ask(ChatClient(config_for(server, server=server.name)), paragraphs)
    draft, problems = parse(completion.content, SummaryDraft)
    assert problems == [] and draft is not None
    assert len(draft.translation.paragraphs_en) == paragraphs  # the grammar's minItems=maxItems
    assert 1 <= len(draft.key_points) <= 7


async def test_chunk_translation_counts_are_enforced_without_a_bias(
    server: RunningServer,
) -> None:
    """Random bytes until the string closes: slower, but nothing nudges the count."""
    client = ChatClient(config_for(server, server=server.name, extra_body=None, temperature=1.0))
    schema = request_schema(ChunkTranslation, 3).schema
    completion = await client.complete(
        messages, schema_name="ChunkTranslation", schema=schema, max_output_tokens=3000
    )
    await client.aclose()
    chunk, problems = parse(completion.content, ChunkTranslation)
    assert problems == [] and chunk is not None
    assert len(chunk.paragraphs_en) == 3


async def test_usage_is_recorded(server: RunningServer) -> None:
    before = posts(server)
    completion = await ask(ChatClient(config_for(server, server=server.name)))
    assert posts(server) == before + 1  # the request counter the refusal tests rely on works
    assert completion.usage.prompt_tokens > 0 and completion.usage.completion_tokens > 0
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


async def test_an_over_long_prompt_is_refused_before_sending(server: RunningServer) -> None:
    client = ChatClient(config_for(server, server=server.name, context_window=CONTEXT))
    before = posts(server)

    def long_messages(capability: str) -> list[dict[str, Any]]:
        return [{"role": "user", "content": "会议。" * CONTEXT}]

    with pytest.raises(PromptTooLongError, match="context window of 32,768 tokens"):
        await client.complete(long_messages, schema_name="x", schema={"type": "object"})
    await client.aclose()
    assert posts(server) == before


def test_default_settings_reach_a_supported_mode_in_at_most_two_requests(
    server: RunningServer,
) -> None:
    """The library with defaults (server auto, capability auto), re-asks off to count requests."""
    with pytest.raises(SummarizerError) as raised:
        summarizer.summarize(
            ARTICLE, model="tiny", base_url=server.base_url, max_reasks=0, extra_body=TERSE
        )
    # Random words fail the content checks; the protocol part is what matters here.
    assert isinstance(raised.value, OutputValidationError)
    attempts = raised.value.attempts
    assert len(attempts) <= 2 and attempts[-1].status_code == 200
    assert attempts[-1].capability == SERVERS[server.name][2]


def test_the_cli_with_default_settings_fails_typed(
    server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``summarizer summarize`` as a new user runs it: a one-line error with its exit code."""
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("SUMMARIZER_MODEL", "tiny")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = CliRunner().invoke(app, ["summarize", str(article), "--max-reasks", "0"])
    if result.exit_code == 0:  # possible in principle: random text that passes every check
        assert json.loads(result.stdout)["meta"]["capability"] == SERVERS[server.name][2]
    else:
        assert result.exit_code == 5, result.output
        assert result.output.count("\n") == 1 and "internal error" not in result.output


async def test_every_failure_is_typed(server: RunningServer) -> None:
    name = server.name
    with pytest.raises(TruncatedOutputError, match="max_output_tokens"):
        client = ChatClient(config_for(server, server=name, max_output_tokens=3))
        await client.complete(
            messages, schema_name="x", schema=request_schema(SummaryDraft, 1).schema
        )
    with pytest.raises(RequestRejectedError):  # a wrong path: 404
        await ask(
            ChatClient(
                config_for(server, server=name).with_options(
                    base_url=server.base_url[:-3] + "/nope"
                )
            )
        )
    with pytest.raises(DeadlineExceededError):
        await ask(ChatClient(config_for(server, server=name, extra_body=None, deadline=0.05)))
    closed = ModelConfig(model="tiny", base_url="http://127.0.0.1:9/v1", max_transport_attempts=2)
    with pytest.raises(EndpointUnreachableError):
        await ask(ChatClient(closed))
