"""The context window: taken from the server when not configured, and an honest message when the
window is too small for any request of the article.

"Use a smaller --chunk-chars" was said whatever the chunk size (the fixed prompt and the answer's
reserve alone filled a 3,000-token window, and chunks below 200 characters were raised to 200);
llama-server's own ``n_ctx`` in ``GET /models`` was ignored.
"""

from __future__ import annotations

from typing import Any

import pytest

import summarizer
from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient
from summarizer.engines.openai import OpenAIEngine
from summarizer.engines.profiles import profile_from_models, window_from_props
from summarizer.errors import PromptTooLongError
from summarizer.testing.answers import answering
from summarizer.testing.server import Reply, ScriptedOpenAIServer


def config(scripted: ScriptedOpenAIServer, **options: Any) -> ModelConfig:
    return ModelConfig(model="test-model", base_url=scripted.base_url, **options)


def llama_server_models(n_ctx: int | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"n_ctx_train": 131072, "n_vocab": 32000}
    if n_ctx is not None:
        meta["n_ctx"] = n_ctx
    return {"object": "list", "data": [{"id": "m", "owned_by": "llamacpp", "meta": meta}]}


def test_llama_server_tells_its_served_window_not_the_trained_one() -> None:
    assert profile_from_models(llama_server_models(4096)) == ("llama-server", 4096)
    assert profile_from_models(llama_server_models(None)) == ("llama-server", None)
    assert window_from_props({"default_generation_settings": {"n_ctx": 2048}}) == 2048
    assert window_from_props({"default_generation_settings": {}}) is None
    assert window_from_props("<html>") is None


@pytest.mark.parametrize("server", ["auto", "llama-server", "generic"])
async def test_the_window_is_asked_of_a_self_hosted_server(
    openai_server: ScriptedOpenAIServer, server: str
) -> None:
    openai_server.add_route(
        "GET", "/v1/models", lambda request: Reply.custom(200, llama_server_models(4096))
    )
    client = ChatClient(config(openai_server, server=server))
    assert client.context_window is None and client.may_detect
    await client.detect_server()
    await client.aclose()
    assert client.context_window == 4096
    # The kind is only taken over when the user left it to detection.
    assert client.profile.name == ("llama-server" if server != "generic" else "generic")


async def test_an_older_llama_server_is_asked_for_props(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.add_route(
        "GET", "/v1/models", lambda request: Reply.custom(200, llama_server_models(None))
    )
    openai_server.add_route(
        "GET",
        "/props",
        lambda request: Reply.custom(200, {"default_generation_settings": {"n_ctx": 3072}}),
    )
    client = ChatClient(config(openai_server))
    await client.detect_server()
    await client.aclose()
    assert client.context_window == 3072


async def test_a_configured_window_is_never_asked(openai_server: ScriptedOpenAIServer) -> None:
    client = ChatClient(config(openai_server, server="llama-server", context_window=8192))
    assert not client.may_detect
    await client.detect_server()
    await client.aclose()
    assert client.context_window == 8192 and openai_server.requests == []


def test_a_long_article_is_cut_to_the_window_the_server_reports(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """Before: one request of about 7,800 tokens went to a server of 4,096."""
    openai_server.add_route(
        "GET", "/v1/models", lambda request: Reply.custom(200, llama_server_models(4096))
    )
    openai_server.set_handler(answering())
    paragraph = "会议强调，要坚持稳中求进工作总基调，推动经济高质量发展，确保各项任务落到实处。"
    article = "\n".join(f"第{index}段。{paragraph * 4}" for index in range(40))
    summarizer.summarize(article, engine=OpenAIEngine(config(openai_server)))
    chats = openai_server.chat_requests
    assert len(chats) > 2
    assert all(sum(len(m["content"]) for m in r.messages) < 4096 for r in chats)


@pytest.mark.parametrize("chunk_chars", [6000, 400, 100])
def test_a_window_too_small_for_the_fixed_prompt_says_so_with_numbers(
    openai_server: ScriptedOpenAIServer, seed_text: str, chunk_chars: int
) -> None:
    engine = OpenAIEngine(config(openai_server, context_window=3000, chunk_chars=chunk_chars))
    with pytest.raises(PromptTooLongError) as raised:
        summarizer.summarize(seed_text, engine=engine)
    message = str(raised.value)
    assert "context window of 3,000 tokens (--context-window)" in message
    assert "smaller --chunk-chars" not in message and "--chunk-chars cannot help" in message
    assert "tokens kept for the answer" in message and "fixed part" in message
    assert openai_server.chat_requests == []


def test_a_window_too_small_for_even_the_instructions(
    openai_server: ScriptedOpenAIServer,
) -> None:
    engine = OpenAIEngine(config(openai_server, context_window=1024))
    article = "\n".join(["通州区召开会议。", "会议研究了明年的工作。"] * 3)
    with pytest.raises(PromptTooLongError, match="cannot hold even the fixed part") as raised:
        summarizer.summarize(article, engine=engine)
    assert "whatever --chunk-chars is" in str(raised.value)
    assert openai_server.chat_requests == []


def test_a_chunk_size_below_the_floor_is_taken_when_the_window_is_known(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    paragraph = "会议强调，要推动经济高质量发展，确保各项任务落到实处。"
    paragraphs = [f"第{index}段。{paragraph}" for index in range(8)]
    assert {len(text) for text in paragraphs} == {31}
    engine = OpenAIEngine(config(openai_server, context_window=16384, chunk_chars=100))
    result = summarizer.summarize("\n".join(paragraphs), engine=engine)
    # Three 31-character paragraphs per chunk of at most 100 (the old floor of 200 made two).
    assert result.meta.chunks == 3


def test_a_short_article_whose_answer_would_overflow_learns_the_window_first(
    openai_server: ScriptedOpenAIServer, seed_text: str
) -> None:
    """The seed's prompt alone fits 4,096 tokens, its whole request (prompt and answer) does not:
    the window is asked before the article is cut, so it is chunked instead of refused."""
    openai_server.add_route(
        "GET", "/v1/models", lambda request: Reply.custom(200, llama_server_models(4096))
    )
    openai_server.set_handler(answering())
    result = summarizer.summarize(seed_text, engine=OpenAIEngine(config(openai_server)))
    assert result.meta.chunks > 1
    models = [r for r in openai_server.requests if r.path == "/v1/models"]
    assert len(models) == 1 and openai_server.requests[0].path == "/v1/models"
