"""Review 7, finding 9: no request asks for more tokens than the context window holds.

Before: with ``context_window=2048`` a short article's summary request carried ``max_tokens``
1736 beside a prompt of about a thousand tokens; the check only kept ``min(cap, window / 2)``
for the answer, so the request's total passed the window and llama-cpp-python (a real one, tiny
random GGUF, ``--n_ctx 2048``) refused it with 400 "you requested 4779 tokens". Now the cap is
lowered to what the window leaves beside the prompt. Scripted server, real SDK.
"""

from __future__ import annotations

from summarizer import summarize
from summarizer.engines.client import estimate_prompt_tokens
from summarizer.testing.answers import answering
from summarizer.testing.server import ScriptedOpenAIServer

ARTICLE = "区委召开会议。张建华主持会议并讲话。"


def test_prompt_and_cap_fit_the_window(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.set_handler(answering())
    summarize(
        ARTICLE,
        model="test-model",
        base_url=openai_server.base_url,
        api_key="sk-test",
        context_window=2048,
        few_shot=False,
        prompt_version="v1",
    )
    assert openai_server.chat_requests
    for request in openai_server.chat_requests:
        body = request.json
        cap = body.get("max_tokens") or body.get("max_completion_tokens")
        assert isinstance(cap, int) and cap > 0
        assert estimate_prompt_tokens(body) + cap <= 2048, (estimate_prompt_tokens(body), cap)


def test_a_window_with_room_keeps_the_cap(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.set_handler(answering())
    caps = []
    for window in (None, 32768):
        openai_server.reset()
        openai_server.set_handler(answering())
        summarize(
            ARTICLE,
            model="test-model",
            base_url=openai_server.base_url,
            api_key="sk-test",
            context_window=window,
        )
        [request] = openai_server.chat_requests
        caps.append(request.json.get("max_tokens"))
    assert caps[0] is not None and caps[0] == caps[1]
