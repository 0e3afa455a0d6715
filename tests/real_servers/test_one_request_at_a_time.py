"""Many requests at once to a server that answers one at a time (round-9 review).

llama-cpp-python's server runs one generation at a time; ``llama-server -np 1`` has one slot.
Both queue the rest, and a queued request's ``request_timeout`` runs while it waits. Before,
``batch --concurrency 8`` sent eight at once: later articles timed out while waiting, were sent
again behind the same queue, and failed after the second timeout (F1's cap) without being slow.
Now a batch asks the server how many it serves (llama-server's ``/props``; llama-cpp-python is
known to serve one) and sends no more than that and one more, which waits in the server's queue
(round 10: a server that idles between our requests is slower, see
``benchmarks/single_slot_batch.py``); a server that does not say is found out: a
request that times out behind others of ours is retried without counting as a slow answer, and
the process sends fewer at once from then on.

Timings are never asserted: the checks compare the servers' answers with each other (requests
that overlapped at the server, timeouts, lines written), and the one timeout used is a multiple
of a generation measured alone just before.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import pytest
from conftest import RunningServer

import summarizer
from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient
from summarizer.engines.openai import request_schema
from summarizer.engines.slots import WAITING_AT_SERVER
from summarizer.errors import DeadlineExceededError, SummarizerError, TruncatedOutputError
from summarizer.schema import SummaryDraft

#: Answer cap of the timed requests: the zero-output model writes to it (grammar-constrained),
#: a second or two of work for the server, so a queue of several takes many times one of them.
LONG_ANSWER = 1000


def articles(count: int) -> list[dict[str, str]]:
    """Distinct short articles (distinct: the servers cannot reuse one prompt for the next)."""
    return [
        {
            "id": f"a{number}",
            "text": f"通州区召开第{number}次工作会议。\n会议研究了第{number}季度的工作安排。\n"
            f"区长吴瑕出席会议并讲话，要求各部门在{number}月底前完成任务。",
        }
        for number in range(1, count + 1)
    ]


def attempts_of(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for line in lines:
        if line["status"] == "ok":
            found += line["result"]["meta"]["ledger"]
        else:
            found += line["error"].get("attempts", [])
    return found


@pytest.mark.parametrize("name", ["llama-server", "llama-cpp-python"])
def test_a_batch_sends_no_more_at_once_than_the_server_serves_and_one_waiting(
    name: str, request: pytest.FixtureRequest
) -> None:
    """Six articles at ``concurrency=6`` to a one-slot server. Before round 9: six requests at
    once, each answer's latency holding the wait behind the ones before it, so the latencies
    added up to about 3.5 times the batch's wall time. Now one works and one waits in the
    server's queue (so that the server never idles between ours): the latencies add up to no
    more than twice the wall time, since never more than two were at the server at once.
    Nothing lost or written twice."""
    fixture = "llama_server" if name == "llama-server" else "llama_cpp_python_server"
    server: RunningServer = request.getfixturevalue(fixture)
    items = articles(6)
    started = time.perf_counter()
    report = summarizer.summarize_many(
        items,
        engine="openai",
        model="tiny",
        base_url=server.base_url,
        concurrency=6,
        cache=False,
        max_output_tokens=20,
        max_reasks=0,
        few_shot=False,
    )
    wall = time.perf_counter() - started
    per_id = Counter(line["id"] for line in report.results)
    assert per_id == Counter(item["id"] for item in items)  # each once, none lost
    answered = [a for a in attempts_of(report.results) if a["status_code"] == 200]
    assert len(answered) == len(items)  # the random model writes to the cap: truncated answers
    at_once = 1 + WAITING_AT_SERVER  # the server's one slot, and one waiting in its queue
    assert sum(a["latency_ms"] for a in answered) / 1000 <= at_once * wall


async def test_a_timeout_behind_our_own_requests_is_retried_and_fewer_are_sent(
    llama_server: RunningServer,
) -> None:
    """Eight calls at once through one client to the one-slot llama-server, told nothing about
    it (``server="generic"``: no ``/props``), with a request timeout of 2.5 generations.
    Before: the calls behind the second timed out, were sent again together, queued again and
    failed on their second timeout. Now a timeout behind other requests of ours lowers how
    many are sent at once and does not count as a slow answer: every call is answered."""
    schema = request_schema(SummaryDraft, 2).schema

    def prompt(number: int) -> Any:
        # A different first token each: the server cannot reuse the previous prompt's work.
        return lambda capability: [
            {"role": "user", "content": f"{number} {time.time()} Translate: 你好"}
        ]

    async def call(client: ChatClient, number: int) -> str:
        try:
            await client.complete(
                prompt(number),
                schema_name="SummaryDraft",
                schema=schema,
                max_output_tokens=LONG_ANSWER,
            )
        except TruncatedOutputError:
            return "answered"  # the zero-output model writes to the cap: an answer all the same
        except SummarizerError as error:
            return type(error).__name__
        return "answered"

    alone = ChatClient(ModelConfig(model="tiny", base_url=llama_server.base_url))
    assert await call(alone, 0) == "answered"  # the first one also sets things up: not timed
    took = []
    for number in (-1, -2):
        started = time.perf_counter()
        assert await call(alone, number) == "answered"
        took.append(time.perf_counter() - started)
    one_generation = max(took)
    await alone.aclose()

    config = ModelConfig(
        model="tiny",
        base_url=llama_server.base_url,
        server="generic",
        request_timeout=round(2.5 * one_generation, 2),
    )
    client = ChatClient(config)
    try:
        outcomes = await asyncio.gather(*(call(client, number) for number in range(1, 9)))
    finally:
        await client.aclose()
    assert outcomes == ["answered"] * 8, (one_generation, outcomes)
    assert DeadlineExceededError.__name__ not in outcomes
