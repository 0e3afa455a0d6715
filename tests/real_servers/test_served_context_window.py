"""llama-server's own context window, read from the running server (``-c``, per slot).

Before, ``GET /models`` said ``meta.n_ctx`` and the library ignored it: an article no chunking
could fit was sent anyway and rejected by the server, with advice to shrink chunks that could not
help. Now the window comes from the server and such an article is refused before sending.
"""

from __future__ import annotations

import httpx2 as httpx
import pytest
from conftest import CONTEXT, RunningServer

import summarizer
from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient
from summarizer.engines.profiles import window_from_props
from summarizer.errors import PromptTooLongError


def chat_posts(server: RunningServer) -> int:
    return server.chat_requests()


@pytest.mark.parametrize("kind", ["auto", "llama-server"])
async def test_the_window_is_the_one_the_server_runs_with(
    llama_server: RunningServer, kind: str
) -> None:
    client = ChatClient(ModelConfig(model="tiny", base_url=llama_server.base_url, server=kind))
    await client.detect_server()
    await client.aclose()
    assert client.profile.name == "llama-server"
    assert client.context_window == CONTEXT  # not the model's n_ctx_train


def test_props_says_the_same_window(llama_server: RunningServer) -> None:
    root = llama_server.base_url.removesuffix("/v1")
    assert window_from_props(httpx.get(f"{root}/props", timeout=5).json()) == CONTEXT


def test_an_article_no_chunk_can_fit_is_refused_before_sending(
    llama_server: RunningServer,
) -> None:
    before = chat_posts(llama_server)
    one_paragraph = "会议强调要推动高质量发展。" * (CONTEXT // 12)  # about 35,000 tokens
    with pytest.raises(PromptTooLongError) as raised:
        summarizer.summarize(one_paragraph, model="tiny", base_url=llama_server.base_url)
    message = str(raised.value)
    assert f"context window of {CONTEXT:,} tokens (as the server reports it)" in message
    assert "longest paragraph" in message and "smaller --chunk-chars" not in message
    assert chat_posts(llama_server) == before
