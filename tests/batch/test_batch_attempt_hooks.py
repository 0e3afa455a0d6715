"""Every HTTP attempt of a batch passes through the rate limiter, retries included, as it happens.

The limiter, the scripted server's rate-limit window and the waits share one fake clock, so a
server's ``Retry-After`` of a minute costs no real time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import DraftingModel, article_rows, read_output

from summarizer.batch import BatchStats, asummarize_many
from summarizer.batch.limiter import RateLimiter
from summarizer.cli.batch import progress_line
from summarizer.config import ModelConfig, Secret
from summarizer.engines.client import ChatClient, estimate_request_tokens, use_attempt_hooks
from summarizer.engines.openai import OpenAIEngine
from summarizer.schema import AttemptRecord
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


class RecordingLimiter(RateLimiter):
    """A limiter that writes what reaches it into a shared event list."""

    def __init__(self, events: list[tuple[Any, ...]], fake: FakeTime, **options: Any) -> None:
        super().__init__(clock=fake.clock, sleep=fake.sleep, **options)
        self.events = events
        self.live: BatchStats | None = None

    async def acquire(self, tokens: int = 0) -> float:
        retrying = self.live.retrying if self.live is not None else None
        self.events.append(("acquire", tokens, retrying))
        return await super().acquire(tokens)

    def rate_limited(
        self, retry_after: float | None = None, *, started_at: float | None = None
    ) -> None:
        self.events.append(("rate_limited", retry_after))
        super().rate_limited(retry_after, started_at=started_at)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def server(fake: FakeTime) -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer(clock=fake.clock) as scripted:
        yield scripted


async def _no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


def engine_on(server: ScriptedOpenAIServer, **options: Any) -> OpenAIEngine:
    config = ModelConfig(
        model="test-model",
        base_url=server.base_url,
        api_key=Secret("sk-test-SECRET123456"),
        **options,
    )
    return OpenAIEngine(config, client_factory=lambda c: ChatClient(c, sleep=_no_wait))


async def test_a_429_reaches_the_limiter_before_the_retry_and_before_the_article_ends(
    tmp_path: Path, fake: FakeTime, server: ScriptedOpenAIServer
) -> None:
    events: list[tuple[Any, ...]] = []
    model = DraftingModel()
    calls = {"n": 0}

    def handler(request: RecordedRequest) -> Reply:
        calls["n"] += 1
        if calls["n"] == 1:
            events.append(("server", 429))
            return Reply.error(429, "slow down", headers={"retry-after": "7"})
        events.append(("server", 200))
        return model(request)

    server.set_handler(handler)
    limiter = RecordingLimiter(events, fake, rpm=600)

    shown: list[str] = []

    def progress(stats: BatchStats) -> None:
        limiter.live = stats
        shown.append(progress_line(stats))
        if stats.done:
            events.append(("written", stats.done))

    started = fake.now
    report = await asummarize_many(
        article_rows(1),
        engine=engine_on(server, max_transport_attempts=3),
        cache=False,
        output=tmp_path / "out.jsonl",
        limiter=limiter,
        concurrency=1,
        on_progress=progress,
    )

    assert [event[0] for event in events] == [
        "acquire",
        "server",
        "rate_limited",
        "acquire",
        "server",
        "written",
    ]
    assert events[2] == ("rate_limited", 7.0)
    # The retry waited in the limiter for the server's Retry-After, and showed as retrying.
    assert fake.now - started >= 7.0
    assert events[0][2] == 0 and events[3][2] == 1
    assert report.stats.retrying == 0
    # The progress display heard of the retry while it was pending, not only at the end.
    assert any("retrying 1)" in line and "done" in line for line in shown[:-1])
    assert "retrying 0)" in shown[-1]
    assert (report.stats.ok, report.stats.retries, report.stats.rate_limited) == (1, 1, 1)
    assert limiter.stats.acquired == 2 and limiter.stats.rate_limited == 1
    # Each acquire charged the request's estimated tokens.
    first, second = server.requests
    assert isinstance(first.json, dict)
    assert events[0][1] == events[3][1] == estimate_request_tokens(first.json)
    assert first.json == second.json


async def test_limiter_slows_to_the_servers_limit_and_no_article_fails(
    tmp_path: Path, fake: FakeTime, server: ScriptedOpenAIServer
) -> None:
    # The server allows 5 requests per minute; the client believes 600: 429s must slow it down,
    # and their Retry-After (fed to the limiter live) lets every article through in the end.
    server.set_handler(DraftingModel())
    server.rate_limit(requests_per_minute=5)
    events: list[tuple[Any, ...]] = []
    limiter = RecordingLimiter(events, fake, rpm=600)
    report = await asummarize_many(
        article_rows(8),
        engine=engine_on(server, max_transport_attempts=1),
        cache=False,
        output=tmp_path / "out.jsonl",
        limiter=limiter,
        concurrency=4,
    )
    # (The factor recovers while the limiter waits out a minute, so count the decreases.)
    assert limiter.stats.rate_limited >= 1 and limiter.stats.decreases >= 1
    assert report.stats.rate_limited == limiter.stats.rate_limited
    assert report.stats.ok == 8 and report.stats.failed == 0, report.stats.errors_by_kind
    assert all(line["status"] == "ok" for line in read_output(tmp_path / "out.jsonl"))
    # Every 429 carried the server's wait, and the limiter honoured it.
    asked = [event[1] for event in events if event[0] == "rate_limited"]
    assert asked and all(wait is not None and wait > 0 for wait in asked)
    assert limiter.stats.waited_seconds >= min(w for w in asked if w is not None)
    assert len(server.chat_requests) == 8 + report.stats.rate_limited


class StartTimeLimiter(RateLimiter):
    """A limiter that keeps the start times it gave and the ones outcomes handed back."""

    def __init__(self, fake: FakeTime, **options: Any) -> None:
        super().__init__(clock=fake.clock, sleep=fake.sleep, **options)
        self.given: list[float] = []
        self.handed_back: list[float | None] = []

    async def acquire(self, tokens: int = 0) -> float:
        started_at = await super().acquire(tokens)
        self.given.append(started_at)
        return started_at

    def succeeded(self, started_at: float | None = None) -> None:
        self.handed_back.append(started_at)
        super().succeeded(started_at)

    def rate_limited(
        self, retry_after: float | None = None, *, started_at: float | None = None
    ) -> None:
        self.handed_back.append(started_at)
        super().rate_limited(retry_after, started_at=started_at)


async def test_each_attempts_outcome_hands_back_its_own_start_time(
    fake: FakeTime, server: ScriptedOpenAIServer
) -> None:
    # A discovered limit counts a success at its start (when the server counted it), so the
    # runner must tell the limiter which attempt answered: answers come back out of order.
    model = DraftingModel()

    def slow_odds(request: RecordedRequest) -> Reply:
        reply = model(request)
        odd = int(request.user_text.split("art-")[1][:5]) % 2
        return Reply.delay(0.05, reply) if odd else reply

    server.set_handler(slow_odds)
    server.rate_limit(requests_per_minute=6)  # a few 429s among the answers
    limiter = StartTimeLimiter(fake, rpm=600)
    report = await asummarize_many(
        article_rows(8),
        engine=engine_on(server, max_transport_attempts=1),
        cache=False,
        limiter=limiter,
        concurrency=4,
    )
    assert report.stats.ok == 8 and report.stats.rate_limited >= 1
    assert len(limiter.given) == 8 + report.stats.rate_limited
    assert sorted(limiter.handed_back, key=str) == sorted(limiter.given, key=str)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    async def before_attempt(self, estimated_tokens: int) -> None:
        self.events.append(("before", estimated_tokens))

    def after_attempt(self, record: AttemptRecord, retry_after: float | None) -> None:
        self.events.append(("after", (record.status_code, record.error, retry_after)))


async def test_hooks_see_each_attempt_only_inside_their_block(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.push(
        Reply.error(503, "busy", headers={"retry-after-ms": "1500"}),
        Reply.json({"ok": True}),
        Reply.json({"ok": True}),
    )
    config = ModelConfig(
        model="test-model", base_url=openai_server.base_url, api_key=Secret("sk-test")
    )
    recorder = Recorder()
    async with ChatClient(config, sleep=_no_wait) as client:

        def build(capability: str) -> list[dict[str, Any]]:
            return [{"role": "user", "content": "通州区 news"}]

        with use_attempt_hooks(recorder):
            await client.complete(build, schema_name="S", schema={"type": "object"})
        await client.complete(build, schema_name="S", schema={"type": "object"})

    assert [kind for kind, _ in recorder.events] == ["before", "after", "before", "after"]
    assert recorder.events[1][1] == (503, "ServerError", 1.5)
    assert recorder.events[3][1] == (200, None, None)
    assert openai_server.request_count == 3  # the last call ran without hooks


def test_request_token_estimate_counts_cjk_text_and_the_output_cap() -> None:
    messages = [{"role": "user", "content": "通州区" + "abcd" * 10}]
    assert estimate_request_tokens({"messages": messages}) == 2 * (4 + 3 + 10)
    assert estimate_request_tokens({"messages": messages, "max_tokens": 100}) == 17 + 100


async def test_time_waiting_in_a_hook_does_not_count_against_the_deadline(
    openai_server: ScriptedOpenAIServer, fake: FakeTime
) -> None:
    class SlowGate(Recorder):
        async def before_attempt(self, estimated_tokens: int) -> None:
            await super().before_attempt(estimated_tokens)
            fake.now += 100.0  # queued behind our own limiter for longer than the deadline

    openai_server.push(Reply.json({"ok": True}))
    config = ModelConfig(
        model="test-model",
        base_url=openai_server.base_url,
        api_key=Secret("sk-test"),
        deadline=30.0,
    )
    async with ChatClient(config, sleep=_no_wait, clock=fake.clock) as client:
        with use_attempt_hooks(SlowGate()):
            completion = await client.complete(
                lambda capability: [{"role": "user", "content": "hi"}],
                schema_name="S",
                schema={"type": "object"},
            )
    assert completion.content == '{"ok": true}'
