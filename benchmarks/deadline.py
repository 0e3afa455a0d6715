"""``deadline=6`` per article, against a scripted server: a hung endpoint, and slow wrong answers.

Before issue 9 the deadline was per client call: two re-asks of 4 s answers finished after 12 s,
and the CLI had no deadline (a hung endpoint took 628 s). Now one deadline covers the article.

    PYTHONPATH=$PWD python benchmarks/deadline.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

import summarizer
from summarizer.config import ModelConfig
from summarizer.engines.openai import OpenAIEngine
from summarizer.errors import SummarizerError
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer
from summarizer.testing.answers import good_answer

ARTICLE = "区委召开务虚会。\n区委书记张建华主持会议并讲话。\n会议指出，明年要继续推动高质量发展。"


def hung(request: RecordedRequest) -> Reply:
    return Reply.delay(600, Reply.json(good_answer(request)))


def slow_and_wrong(request: RecordedRequest) -> Reply:
    answer = good_answer(request)
    answer["key_points"][0]["evidence"] = "not in the article"
    return Reply.delay(4.0, Reply.json(answer))


def run(server: ScriptedOpenAIServer, handler: Callable[[RecordedRequest], Reply]) -> str:
    server.reset()
    server.set_handler(handler)
    config = ModelConfig(model="test-model", base_url=server.base_url, deadline=6.0)
    started = time.perf_counter()
    try:
        summarizer.summarize(ARTICLE, engine=OpenAIEngine(config))
        outcome = "summary"
    except SummarizerError as error:
        outcome = type(error).__name__
    elapsed = time.perf_counter() - started
    return f"{elapsed:.2f} s, {outcome}, {len(server.chat_requests)} request(s)"


def main() -> None:
    summarizer.summarize(ARTICLE, engine="offline")  # load dictionaries: not per-article time
    with ScriptedOpenAIServer() as server:
        print("hung endpoint, deadline=6:              ", run(server, hung))
        print("4 s wrong answers + re-asks, deadline=6:", run(server, slow_and_wrong))


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("deadline"):
        main()
