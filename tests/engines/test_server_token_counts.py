"""The server's own token count beats the library's estimate.

Found against llama-server (round-8 review): a model whose tokenizer spends three tokens on a CJK
character (the tests' byte-level GGUF; Llama-2-style vocabularies spend two or three) had the
seed article's request refused by a server with an 8,192-token window, "request (11617 tokens)
exceeds the available context size (8192 tokens)", and the run stopped with advice to set
``--context-window`` to the window it already knew. The fake server counted tokens exactly as the
library estimates them, so no test could see it. Now the refusal's numbers size every later
request, the article is planned again once (in chunks), and it is refused only if it still cannot
fit, in the server's numbers.
"""

from __future__ import annotations

from typing import Any

import pytest

import summarizer
from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient
from summarizer.errors import PromptTooLongError
from summarizer.testing import Reply, ScriptedOpenAIServer, answering, counting_tokens

#: Server tokens per estimated token: the tiny GGUF's byte vocabulary, as measured on the seed.
BYTE_VOCABULARY = 3.0


def llama_server_models(n_ctx: int) -> dict[str, Any]:
    meta = {"n_ctx_train": 131072, "n_vocab": 259, "n_ctx": n_ctx}
    return {"object": "list", "data": [{"id": "tiny", "owned_by": "llamacpp", "meta": meta}]}


def chat_posts(server: ScriptedOpenAIServer) -> list[Any]:
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


@pytest.mark.parametrize("window_known", [True, False], ids=["window-from-server", "no-window"])
def test_an_article_refused_for_its_real_size_is_planned_again_in_chunks(
    openai_server: ScriptedOpenAIServer, seed_text: str, window_known: bool
) -> None:
    window = 8192
    if window_known:  # llama-server tells its window; the estimate still undercounts
        openai_server.add_route(
            "GET", "/v1/models", lambda request: Reply.custom(200, llama_server_models(window))
        )
    limited = counting_tokens(answering(), window=window, tokens_per_estimate=BYTE_VOCABULARY)
    refused: list[Reply] = []

    def handler(request: Any) -> Reply:
        reply = limited(request)
        if reply.status != 200:
            refused.append(reply)
        return reply

    openai_server.set_handler(handler)
    result = summarizer.summarize(
        seed_text,
        model="tiny",
        base_url=openai_server.base_url,
        server="auto" if window_known else "generic",
        max_reasks=0,
    )
    assert len(refused) == 1  # one refusal teaches the count; nothing is refused after it
    assert result.meta.chunks > 1 and result.translation is not None
    assert len(result.translation.paragraphs_en) == len(result.source.paragraphs)


async def test_the_refusal_sets_the_ratio_and_a_too_long_prompt_is_refused_before_sending(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(
        counting_tokens(answering(), window=4096, tokens_per_estimate=BYTE_VOCABULARY)
    )
    client = ChatClient(
        ModelConfig(model="tiny", base_url=openai_server.base_url, server="generic")
    )

    def long_prompt(capability: str) -> list[dict[str, Any]]:
        return [{"role": "user", "content": "会议。" * 1000}]  # ~2,000 estimated, ~6,000 real

    with pytest.raises(PromptTooLongError):
        await client.complete(long_prompt, schema_name="x", schema={"type": "object"})
    assert client.context_window == 4096 and client.token_ratio == pytest.approx(3.06, abs=0.05)
    sent = len(chat_posts(openai_server))
    with pytest.raises(PromptTooLongError, match="as the server counts them") as raised:
        await client.complete(long_prompt, schema_name="x", schema={"type": "object"})
    await client.aclose()
    assert len(chat_posts(openai_server)) == sent  # refused before sending, in the server's units
    assert "context window of 4,096 tokens" in str(raised.value)


@pytest.mark.parametrize("server", ["vllm", "llama-cpp-python"])
async def test_other_servers_wordings_teach_the_same(
    openai_server: ScriptedOpenAIServer, server: str
) -> None:
    openai_server.set_handler(
        counting_tokens(answering(), window=4096, tokens_per_estimate=2.0, server=server)
    )
    client = ChatClient(
        ModelConfig(model="tiny", base_url=openai_server.base_url, server="generic")
    )

    def long_prompt(capability: str) -> list[dict[str, Any]]:
        return [{"role": "user", "content": "会议。" * 1200}]

    with pytest.raises(PromptTooLongError):
        await client.complete(long_prompt, schema_name="x", schema={"type": "object"})
    await client.aclose()
    assert client.context_window == 4096 and client.token_ratio > 1.9
