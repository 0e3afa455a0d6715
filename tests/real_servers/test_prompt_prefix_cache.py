"""llama-server reuses the summarize system message from one article to the next (summarize/v3).

Its prompt cache (``cache_prompt``, on by default) keeps the tokens of the previous prompt in the
slot and evaluates only what follows the longest shared prefix; the response's ``timings`` say how
many prompt tokens were evaluated (``prompt_n``) and how many were reused (``cache_n``).
"""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
from conftest import RunningServer

from summarizer.api import prepare_article
from summarizer.config import ModelConfig
from summarizer.engines.openai import OpenAIEngine

FIRST = (
    "北京市通州区周二召开区委全会，总结今年工作，部署明年任务。\n\n"
    "区委书记张建华主持会议并讲话。\n\n"
    "会议指出，全区经济运行稳中有进。\n"
)
SECOND = (
    "上海市政府周三举行新闻发布会，介绍城市更新计划。\n\n"
    "副市长王立新表示，全市将改造老旧小区一百二十个，惠及居民五万户，年底前完成。\n\n"
    "发布会还公布了新建公园和绿道的计划。\n\n"
    "市民代表在会上提出了意见和建议。\n\n"
    "有关部门表示将认真研究。\n"
)


def timings(server: RunningServer, messages: list[dict[str, Any]]) -> dict[str, Any]:
    response = httpx.post(
        f"{server.base_url}/chat/completions",
        json={"model": "tiny", "messages": messages, "max_tokens": 1, "temperature": 0},
        timeout=300,
    )
    response.raise_for_status()
    return dict(response.json()["timings"])


def test_the_second_article_reuses_the_cached_system_message(llama_server: RunningServer) -> None:
    config = ModelConfig(model="tiny", base_url=llama_server.base_url, server="llama-server")
    engine = OpenAIEngine(config, prompt_version="v3")
    rendered = []
    for text in (FIRST, SECOND):
        document, analysis = prepare_article(text.encode(), thorough=False)
        rendered.append(engine.render_messages(document, analysis, "json_object"))
    assert rendered[0][0] == rendered[1][0]  # the same system message

    timings(llama_server, rendered[0])
    second = timings(llama_server, rendered[1])

    root = llama_server.base_url.removesuffix("/v1")
    tokenized = httpx.post(
        f"{root}/tokenize", json={"content": rendered[1][0]["content"]}, timeout=30
    )
    system_tokens = len(tokenized.json()["tokens"])
    assert second["cache_n"] >= system_tokens  # the whole system message was reused
    total = second["cache_n"] + second["prompt_n"]
    assert second["prompt_n"] < total / 2  # evaluated: the user message only


def test_before_v3_the_next_article_evaluated_almost_its_whole_prompt(
    llama_server: RunningServer,
) -> None:
    """The contrast that motivated v3: v2 put the fence code in the system message's first rule."""
    config = ModelConfig(model="tiny", base_url=llama_server.base_url, server="llama-server")
    engine = OpenAIEngine(config, prompt_version="v2")
    results = []
    for text in (FIRST, SECOND):
        document, analysis = prepare_article(text.encode(), thorough=False)
        results.append(timings(llama_server, engine.render_messages(document, analysis)))
    second = results[1]
    assert second["prompt_n"] > 0.8 * (second["cache_n"] + second["prompt_n"])
