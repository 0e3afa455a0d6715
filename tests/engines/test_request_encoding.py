"""What the client sends is exactly the request it means, however much of it is reused.

The client encodes each request once (retries resend the same bytes), rewrites a schema into the
server's dialect once per schema object and splices a ``response_format`` seen before in as the
JSON text it was encoded to then; the answer is read as plain JSON. These tests hold the wire
body against ``request_body`` (built fresh, the reference) at every rung, through the real SDK and
a real HTTP server.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from summarizer.config import ModelConfig, Secret
from summarizer.engines.client import ChatClient
from summarizer.engines.openai import request_schema
from summarizer.errors import ServerError
from summarizer.schema import SummaryDraft
from summarizer.testing import TEST_API_KEY, Reply, ScriptedOpenAIServer

SCHEMA = request_schema(SummaryDraft, 2).schema


def messages_for(capability: str) -> list[dict[str, Any]]:
    return [
        {"role": "system", "content": f"Answer in JSON ({capability}). 说中文也可以。"},
        {"role": "user", "content": "杭州市召开交通工作会议。"},
    ]


async def no_wait(seconds: float) -> None:
    return None


@pytest.fixture
async def make_client(openai_server: ScriptedOpenAIServer) -> AsyncIterator[Callable[..., Any]]:
    clients: list[ChatClient] = []

    def make(**options: Any) -> ChatClient:
        config = ModelConfig(
            model="test-model",
            base_url=openai_server.base_url,
            api_key=Secret(TEST_API_KEY),
            request_timeout=5.0,
            **options,
        )
        client = ChatClient(config, sleep=no_wait)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


#: (server, capability) -> the rung it sends at, covering every rung.
RUNGS = {
    ("openai", "json_schema"): "json_schema",
    ("ollama", "json_schema"): "ollama_format",
    ("llama-cpp-python", "json_schema"): "json_object_schema",
    ("generic", "json_object"): "json_object",
    ("generic", "prompt"): "prompt",
}


@pytest.mark.parametrize(("server", "capability"), sorted(RUNGS))
async def test_the_wire_body_is_the_request_at_every_rung(
    openai_server: ScriptedOpenAIServer, make_client: Any, server: str, capability: str
) -> None:
    openai_server.set_handler(lambda request: Reply.json({"answer": "ok"}))
    client = make_client(server=server, capability=capability, max_output_tokens=300)
    assert client.capability == RUNGS[(server, capability)]
    for name in ("SummaryDraft", "SummaryDraft", "Other"):  # reused, then a new name
        await client.complete(messages_for, schema_name=name, schema=SCHEMA)
        expected = client.request_body(
            messages_for(client.capability), schema_name=name, schema=SCHEMA
        )
        expected[client.profile.max_tokens_field] = 300
        assert openai_server.requests[-1].json == expected
    if client.capability in ("json_schema", "ollama_format"):
        names = [r.json["response_format"]["json_schema"]["name"] for r in openai_server.requests]
        assert names == ["SummaryDraft", "SummaryDraft", "Other"]


async def test_the_schema_is_sent_in_the_servers_dialect_however_often_it_is_reused(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.set_handler(lambda request: Reply.json({"answer": "ok"}))
    client = make_client(server="ollama")
    for _ in range(3):
        await client.complete(messages_for, schema_name="SummaryDraft", schema=SCHEMA)
    sent = [request.json["format"] for request in openai_server.requests]
    assert sent[0] == sent[1] == sent[2] == client.profile.schema_for(SCHEMA)
    assert "$defs" not in json.dumps(sent[0])  # ollama gets its references inlined
    assert "$defs" in json.dumps(SCHEMA)  # and the caller's schema is left as it was


async def test_a_body_from_request_body_is_the_callers_to_change(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.set_handler(lambda request: Reply.json({"answer": "ok"}))
    client = make_client(server="openai")
    await client.complete(messages_for, schema_name="SummaryDraft", schema=SCHEMA)
    body = client.request_body(messages_for("json_schema"), schema_name="x", schema=SCHEMA)
    body["response_format"]["json_schema"]["schema"]["properties"].clear()
    await client.complete(messages_for, schema_name="SummaryDraft", schema=SCHEMA)
    first, second = (request.json for request in openai_server.requests)
    assert first == second
    assert second["response_format"]["json_schema"]["schema"]["properties"]


async def test_a_retry_resends_the_same_bytes(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    openai_server.push(Reply.error(503), Reply.error(502), Reply.json({"answer": "ok"}))
    client = make_client(server="openai")
    completion = await client.complete(messages_for, schema_name="SummaryDraft", schema=SCHEMA)
    assert len(completion.attempts) == 3
    first, second, third = (request.body for request in openai_server.requests)
    assert first == second == third
    assert completion.messages_json is not None
    assert json.loads(completion.messages_json) == openai_server.requests[0].json["messages"]


async def test_schemas_kept_for_reuse_stay_bounded(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    """A caller that passes a fresh schema object every time must not grow the client."""
    openai_server.set_handler(lambda request: Reply.json({"answer": "ok"}))
    client = make_client(server="openai")
    for number in range(150):
        schema = {**SCHEMA, "description": f"schema {number}"}
        await client.complete(messages_for, schema_name="SummaryDraft", schema=schema)
        sent = openai_server.requests[-1].json["response_format"]["json_schema"]["schema"]
        assert sent["description"] == f"schema {number}"
    assert len(client._dialect_schemas) <= 64
    assert len(client._encoded_formats) <= 64


async def test_json_with_another_content_type_is_still_an_answer(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    body = {
        "choices": [{"message": {"role": "assistant", "content": '{"answer": "ok"}'}}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
        "model": "served-model",
    }
    openai_server.push(Reply.raw(json.dumps(body).encode(), content_type="text/plain"))
    client = make_client(server="openai")
    completion = await client.complete(messages_for, schema_name="SummaryDraft", schema=SCHEMA)
    assert completion.content == '{"answer": "ok"}'
    assert completion.model == "served-model"
    assert completion.usage.total_tokens == 7


async def test_plain_text_instead_of_json_is_named_as_such(
    openai_server: ScriptedOpenAIServer, make_client: Any
) -> None:
    busy = Reply.raw(b"upstream busy", content_type="text/plain")
    openai_server.set_handler(lambda request: busy)
    client = make_client(server="openai", max_transport_attempts=2)
    with pytest.raises(ServerError, match="plain text instead of JSON") as failed:
        await client.complete(messages_for, schema_name="SummaryDraft", schema=SCHEMA)
    assert [attempt.status_code for attempt in failed.value.attempts] == [200, 200]
