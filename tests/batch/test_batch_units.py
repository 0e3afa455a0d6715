"""Unit behaviour of the batch building blocks: limiter, journal, cache, prices, input reading."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch.cache import ResponseCache, key_for
from summarizer.batch.journal import OutputFileError, OutputJournal, scan_output
from summarizer.batch.limiter import RateLimiter, TokenEstimator, parse_reset
from summarizer.batch.pricing import load_prices
from summarizer.batch.records import (
    Article,
    BadRecord,
    count_records,
    read_folder,
    read_input,
    read_jsonl,
)
from summarizer.errors import ConfigError, InputFileError
from summarizer.schema import AttemptRecord, TokenUsage

# --- limiter (fake clock: no real waiting) ---


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def make_limiter(
    fake: FakeTime, rpm: float | None = None, tpm: float | None = None, **options: Any
) -> RateLimiter:
    options.setdefault("headroom", 1.0)  # exact arithmetic below; the default is 0.99
    options.setdefault("probe", False)  # the first-request probe has its own test
    return RateLimiter(rpm, tpm, clock=fake.clock, sleep=fake.sleep, **options)


async def test_requests_are_paced_at_the_configured_rate() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, rpm=600)  # 10 per second, 1 s of burst
    for _ in range(101):
        await limiter.acquire()
    # No burst at start (the server's window may hold a previous run's calls): 10/s from t=0.
    assert fake.now == pytest.approx(10.0, abs=0.01)


async def test_default_headroom_keeps_a_minute_under_the_limit() -> None:
    fake = FakeTime()
    limiter = RateLimiter(1200, clock=fake.clock, sleep=fake.sleep, probe=False)
    starts: list[float] = []
    while fake.now < 180:
        await limiter.acquire()
        starts.append(fake.now)
    for start in starts[::50]:
        assert sum(1 for other in starts if start <= other < start + 60.0) < 1200


async def test_concurrent_acquirers_never_exceed_the_rate() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, rpm=1200, burst_seconds=0.05)
    starts: list[float] = []

    async def one() -> None:
        await limiter.acquire()
        starts.append(fake.now)

    await asyncio.gather(*(one() for _ in range(200)))
    # In any 1-second window at most 20 (+1 for the first slot) starts.
    for start in starts:
        assert sum(1 for other in starts if start <= other < start + 1.0) <= 21


async def test_token_limit_waits_for_tokens_and_settles_real_usage() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, tpm=60_000)  # 1,000 tokens per second
    await limiter.acquire(1000)
    await limiter.acquire(1000)
    assert fake.now == pytest.approx(2.0, abs=0.01)
    # The second call really used 3,000 tokens: the next waits for the extra 2,000 too.
    limiter.settle(1000, 3000)
    await limiter.acquire(1000)
    assert fake.now == pytest.approx(5.0, abs=0.01)


async def test_429_decreases_multiplicatively_then_recovers_additively() -> None:
    fake = FakeTime()
    limiter = make_limiter(
        fake,
        rpm=1200,
        decrease=0.5,
        recovery_per_second=0.01,
        fast_recovery_per_second=0.05,
        cooldown_seconds=2.0,
    )
    limiter.rate_limited()
    assert limiter.factor == 0.5
    assert limiter.effective_rpm == 600
    limiter.rate_limited()  # same burst (within the cool-down): one signal, one decrease
    assert limiter.factor == 0.5
    fake.now += 4.0  # fast recovery below 90% of the ceiling: +0.05/s
    await limiter.acquire()
    assert limiter.factor == pytest.approx(0.7)
    fake.now += 100.0
    await limiter.acquire()
    assert limiter.factor == 1.0
    assert limiter.stats.decreases == 1 and limiter.stats.rate_limited == 2


async def test_retry_after_pauses_everyone() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, rpm=6000)
    limiter.rate_limited(retry_after=3.0)
    await limiter.acquire()
    assert fake.now >= 3.0


async def fill_window(limiter: RateLimiter, fake: FakeTime, count: int, spacing: float) -> None:
    """``count`` requests that succeed, ``spacing`` seconds apart, then a burst of three 429s."""
    for _ in range(count):
        await limiter.acquire()
        limiter.succeeded()
        fake.now += spacing
    for _ in range(3):
        limiter.rate_limited(retry_after=None)


async def test_without_a_limit_two_full_windows_of_one_size_set_it() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    # A burst fills a 600-per-minute window in 7.5 s: the rate over the burst (4,800/min) is not
    # the limit; the number of successes in the window is.
    await fill_window(limiter, fake, 600, 0.0125)
    assert limiter.rpm is None  # one measurement: a pause, not yet a limit
    fake.now += 60.0
    await fill_window(limiter, fake, 600, 0.0125)
    assert limiter.rpm == 600 and limiter.rpm_source == "discovered"


class SlidingWindowServer:
    """A server that admits ``limit`` requests per sliding ``window``, counted on arrival."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.admitted: list[float] = []

    def admit(self, at: float) -> bool:
        if sum(1 for then in self.admitted if then > at - self.window) >= self.limit:
            return False
        self.admitted.append(at)
        return True


async def burst_with_slow_answers(
    limiter: RateLimiter,
    fake: FakeTime,
    server: SlidingWindowServer,
    begin: float,
    count: int,
    latency: float = 5.0,
) -> None:
    """``count`` requests 0.1 s apart from ``begin``, answered in the order of the fake clock:
    an admitted one ``latency`` s after it starts (a slow model), a 429 at once (0.05 s)."""
    answers: list[tuple[float, bool, float]] = []  # (answered at, admitted, started at)
    for number in range(count):
        fake.now = begin + 0.1 * number
        for answer in sorted(answer for answer in answers if answer[0] <= fake.now):
            answers.remove(answer)
            report_answer(limiter, fake, *answer)
        started_at = await limiter.acquire()
        admitted = server.admit(started_at)
        answers.append((started_at + (latency if admitted else 0.05), admitted, started_at))
    for answer in sorted(answers):
        report_answer(limiter, fake, *answer)


def report_answer(
    limiter: RateLimiter, fake: FakeTime, answered_at: float, admitted: bool, started_at: float
) -> None:
    fake.now = answered_at
    if admitted:
        limiter.succeeded(started_at)
    else:
        limiter.rate_limited(None, started_at=started_at)


async def test_answers_in_flight_at_a_burst_count_toward_the_discovered_limit() -> None:
    # The server fills its window with 20 slow requests; the 429s of the next three come back
    # while all 20 are still in flight. Counting successes as their answers arrive measured 0
    # (so 1) twice, which agreed: a discovered limit of 1 per minute for a 20 per minute server.
    fake = FakeTime()
    limiter = make_limiter(fake)
    server = SlidingWindowServer(limit=20, window=60.0)
    await burst_with_slow_answers(limiter, fake, server, begin=0.0, count=23)
    assert limiter.rpm is None  # one measurement: not yet a limit
    await burst_with_slow_answers(limiter, fake, server, begin=100.0, count=23)
    assert (limiter.rpm, limiter.rpm_source) == (20, "discovered")


async def test_answers_slower_than_two_windows_still_count() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)  # waits up to in_flight_patience (600 s) for answers
    server = SlidingWindowServer(limit=20, window=60.0)
    await burst_with_slow_answers(limiter, fake, server, begin=0.0, count=23, latency=150.0)
    await burst_with_slow_answers(limiter, fake, server, begin=400.0, count=23, latency=150.0)
    assert (limiter.rpm, limiter.rpm_source) == (20, "discovered")


async def test_a_request_that_never_answers_holds_a_measurement_back_for_a_while_only() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, in_flight_patience=90.0)
    server = SlidingWindowServer(limit=20, window=60.0)
    await limiter.acquire()  # a request that never reports back (its outcome was lost)
    await burst_with_slow_answers(limiter, fake, server, begin=1.0, count=23)
    await burst_with_slow_answers(limiter, fake, server, begin=50.0, count=23)
    assert limiter.rpm is None  # the first burst still waits for it
    # After the patience the first burst is measured without it; it does not hold up the rest.
    await burst_with_slow_answers(limiter, fake, server, begin=150.0, count=23)
    assert (limiter.rpm, limiter.rpm_source) == (20, "discovered")


def measure_window(limiter: RateLimiter, fake: FakeTime, begin: float, admitted: int) -> None:
    """``admitted`` successes started 0.1 s apart from ``begin``, then a burst of three 429s."""
    for number in range(admitted):
        fake.now = begin + 0.1 * number + 0.05
        limiter.succeeded(started_at=begin + 0.1 * number)
    fake.now = begin + 0.1 * admitted
    for _ in range(3):
        limiter.rate_limited(None, started_at=fake.now)


def test_one_low_measurement_does_not_lower_a_discovered_limit_two_do() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, cooldown_seconds=2.0)
    measure_window(limiter, fake, 0.0, 20)
    measure_window(limiter, fake, 100.0, 20)
    assert limiter.rpm == 20
    measure_window(limiter, fake, 200.0, 12)  # an outlier (requests slow to leave, say)
    measure_window(limiter, fake, 300.0, 20)
    assert limiter.rpm == 20
    measure_window(limiter, fake, 400.0, 10)  # the server's limit really went down
    assert limiter.rpm == 20
    measure_window(limiter, fake, 500.0, 11)
    assert (limiter.rpm, limiter.rpm_source) == (11, "discovered")


def test_a_burst_answered_late_still_finds_the_window_it_met() -> None:
    # The 429s come back after a window has passed (a clock jump, a slow server), and answers of
    # later requests come back before them: the window their starts point at must still be there.
    fake = FakeTime()
    limiter = make_limiter(fake, cooldown_seconds=2.0)
    for begin in (0.0, 200.0):
        for number in range(20):
            fake.now = begin + 0.1 * number + 0.05
            limiter.succeeded(started_at=begin + 0.1 * number)
        fake.now = begin + 65.0
        limiter.succeeded(started_at=begin + 64.0)  # a later request, answered first
        fake.now = begin + 70.0
        for _ in range(3):
            limiter.rate_limited(None, started_at=begin + 2.0)
    assert (limiter.rpm, limiter.rpm_source) == (20, "discovered")


async def test_scattered_429s_do_not_invent_a_limit() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    for number in range(300):
        await limiter.acquire()
        fake.now += 0.05
        if number % 10 == 0:
            limiter.rate_limited(retry_after=None)  # one in ten, never three in a row
        else:
            limiter.succeeded()
    assert limiter.rpm is None and limiter.effective_rpm is None


async def test_configured_limit_holds_in_every_sliding_window_despite_bursts() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, rpm=600, headroom=0.99, burst_seconds=5.0)
    starts: list[float] = []
    for _ in range(2000):
        await limiter.acquire()
        starts.append(fake.now)
        if len(starts) % 100 == 0:
            fake.now += 7.0  # idle spells refill the bucket: bursts follow
    first = 0
    for last, at in enumerate(starts):
        while starts[first] <= at - 60.0:
            first += 1
        assert last - first + 1 <= 594


async def test_rate_limit_headers_set_and_cap_the_limits() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    limiter.observe_headers(
        {
            "x-ratelimit-limit-requests": "500",
            "x-ratelimit-limit-tokens": "90000",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": "1m2.5s",
        }
    )
    assert (limiter.rpm, limiter.tpm, limiter.rpm_source) == (500, 90000, "headers")
    await limiter.acquire()
    assert fake.now == pytest.approx(62.5)  # nothing left: everyone waits for the reset
    configured = make_limiter(fake, rpm=100)
    configured.observe_headers({"x-ratelimit-limit-requests": "500"})
    assert configured.rpm == 100  # a configured limit is never exceeded


def test_reset_durations() -> None:
    assert parse_reset("6m0s") == 360.0
    assert parse_reset("20ms") == pytest.approx(0.02)
    assert parse_reset("1.5") == 1.5
    assert parse_reset("soon") is None


async def test_the_first_request_goes_alone() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, probe=True, probe_timeout=10.0)
    await limiter.acquire()
    second = asyncio.ensure_future(limiter.acquire())
    for _ in range(5):
        await asyncio.sleep(0)
    assert not second.done()  # waits for the first answer
    limiter.succeeded()
    await second
    assert fake.now < 1.0


def test_observe_reads_429s_and_retries_from_an_attempt_ledger() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, rpm=600)
    ledger = [
        AttemptRecord(status_code=429, error="RateLimitedError"),
        AttemptRecord(status_code=200, usage=TokenUsage(total_tokens=500)),
    ]
    limiter.observe(ledger, estimated_tokens=400)
    assert limiter.stats.rate_limited == 1
    assert limiter.factor < 1.0


def test_token_estimator_learns_the_real_ratio() -> None:
    estimator = TokenEstimator()
    raw = estimator.raw_estimate("中文" * 500)
    for _ in range(30):
        estimator.learn(raw, raw * 2)
    assert estimator.estimate("中文" * 500) == pytest.approx(raw * 2, rel=0.05)


# --- journal ---


def test_partial_last_line_is_cut_and_reported(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    good = json.dumps({"id": "a", "status": "ok", "result": {}}) + "\n"
    output.write_text(good + '{"id": "b", "status": "o', "utf-8")
    journal = OutputJournal(output)
    state = journal.open()
    journal.write({"id": "b", "status": "ok", "result": {}})
    journal.close()
    assert state.truncated_bytes == len('{"id": "b", "status": "o')
    assert state.ok == {"id:a"}
    lines = [json.loads(line) for line in output.read_text("utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]


def test_retry_failed_removes_error_lines_before_redoing(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    rows = [
        {"id": "a", "status": "ok", "result": {}},
        {"id": "b", "status": "error", "error": {"kind": "transport", "message": "x"}},
        {"id": None, "record": "line 3", "status": "error", "error": {"kind": "k", "message": "m"}},
    ]
    output.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    assert scan_output(output).failed == {"id:b", "record:line 3"}
    state = OutputJournal(output).open(retry_failed=True)
    assert state.failed == set() and state.ok == {"id:a"} and state.dropped_lines == 2
    assert [json.loads(line)["id"] for line in output.read_text().splitlines()] == ["a"]
    assert not list(tmp_path.glob("*.tmp"))


def test_duplicate_lines_are_compacted_last_wins(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    rows = [
        {"id": "a", "status": "error", "error": {"kind": "k", "message": "m"}},
        {"id": "a", "status": "ok", "result": {}},
    ]
    output.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    state = OutputJournal(output).open()
    assert state.ok == {"id:a"} and state.failed == set()
    assert len(output.read_text().splitlines()) == 1


# --- cache ---


def test_cache_round_trip_and_key_parts(tmp_path: Path) -> None:
    fingerprint = {"model": "m", "prompt_version": "1", "schema_hash": "abc"}
    with ResponseCache(tmp_path / "c.sqlite3") as cache:
        key = key_for(fingerprint, "文章\r\n内容 ")
        assert cache.get(key) is None
        cache.put(key, {"headline_en": "x"})
        assert cache.get(key) == {"headline_en": "x"}
        # Same text modulo newlines/whitespace: same key. Any fingerprint change: another key.
        assert key_for(fingerprint, "文章\n内容") == key
        assert key_for({**fingerprint, "prompt_version": "2"}, "文章\n内容") != key
        assert key_for({**fingerprint, "model": "n"}, "文章\n内容") != key
        assert key_for(fingerprint, "文章\n内容。") != key
    mode = sqlite3.connect(tmp_path / "c.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_unusable_cache_path_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="--no-cache"):
        ResponseCache(blocker / "sub" / "c.sqlite3")


# --- prices ---


def test_prices_prefix_match_and_user_override(tmp_path: Path) -> None:
    table = load_prices(environ={})
    usage = TokenUsage(prompt_tokens=1_000_000, completion_tokens=1_000_000, total_tokens=2_000_000)
    mini = table.price_for("gpt-4o-mini")
    assert mini is not None
    assert table.cost("gpt-4o-mini", usage) == pytest.approx(mini.input + mini.output)
    assert table.cost("gpt-4o-mini-2024-07-18", usage) == table.cost("gpt-4o-mini", usage)
    assert table.cost("gpt-4o-2024-08-06", usage) == table.cost("gpt-4o", usage)
    assert table.cost("no-such-model", usage) is None
    assert table.cost("gpt-4o-mini", usage, batch_api=True) == pytest.approx(
        (mini.input + mini.output) * table.batch_discount
    )
    extra = tmp_path / "prices.toml"
    extra.write_text('[models."my-local"]\ninput = 0.5\noutput = 0.5\n')
    assert load_prices(extra).cost("my-local", usage) == pytest.approx(1.0)
    assert load_prices(environ={"SUMMARIZER_PRICES": str(extra)}).price_for("my-local")
    extra.write_text('[models."broken"]\ninput = "cheap"\n')
    with pytest.raises(ConfigError, match="broken"):
        load_prices(extra)


# --- input reading ---


def test_jsonl_records_and_bad_lines() -> None:
    lines = [
        '\ufeff{"id": 1, "text": "一", "source": "x"}',
        "{not json",
        '{"text": "no id"}',
        '{"id": "b"}',
        "[1, 2]",
        "",
        '{"id": "c", "text": "三"}',
    ]
    stream = io.BytesIO("\n".join(lines).encode("utf-8") + b"\n\xff\xfe\n")
    records = list(read_jsonl(stream))
    assert records[0] == Article("1", "一", {"source": "x"}, "line 1")
    kinds = [r.error.kind if isinstance(r, BadRecord) else "ok" for r in records]
    assert kinds == [
        "ok",
        "input.record.invalid_json",
        "input.record.missing_id",
        "input.record.missing_text",
        "input.record.invalid_json",
        "ok",
        "input.record.invalid_json",
    ]
    assert isinstance(records[3], BadRecord) and records[3].id == "b"
    assert records[5] == Article("c", "三", {}, "line 7")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("123", "a number"),
        ("1.5", "a number"),
        ("true", "a boolean"),
        ('["a"]', "an array"),
        ('{"zh": "一"}', "an object"),
        ("null", "null"),
    ],
)
def test_a_text_that_is_not_a_string_is_named_in_json_terms(text: str, found: str) -> None:
    """The message read 'found a int' / 'found a dict': Python's names for JSON values."""
    stream = io.BytesIO(f'{{"id": "a", "text": {text}}}\n'.encode())
    (record,) = read_jsonl(stream)
    assert isinstance(record, BadRecord) and record.error.kind == "input.record.missing_text"
    assert str(record.error) == f'line 1: "text" must be a string, found {found}'


def test_folder_records_use_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_bytes(b"<p>\xe4\xb8\x80</p>")
    (tmp_path / "a.txt").write_bytes("一".encode("gb18030"))
    (tmp_path / "skip.json").write_text("{}")
    records = list(read_folder(tmp_path))
    assert [r.id for r in records] == ["a.txt", "sub/b.html"]
    assert isinstance(records[0], Article) and isinstance(records[0].text, bytes)
    assert count_records(tmp_path) == 2


def test_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        read_input(tmp_path / "nope.jsonl")


def test_a_second_writer_on_the_same_output_is_refused(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    first = OutputJournal(output)
    first.open()
    with pytest.raises(OutputFileError, match="another batch is writing"):
        OutputJournal(output).open()
    first.close()
    second = OutputJournal(output)  # released on close (and by the kernel if the process dies)
    second.open()
    second.close()
    # A clean close removes the lock file: only the output is left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_run_holding_a_removed_lock_file_starts_over_and_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that opened the lock file just before its holder removed it must not lock that
    orphan while a third run locks the new file: both would write the same output."""
    output = tmp_path / "out.jsonl"
    lock_path = tmp_path / ".out.jsonl.lock"
    holder = OutputJournal(output)
    holder.open()
    orphan = os.open(lock_path, os.O_WRONLY)  # opened by a run that has not locked it yet
    holder.close()  # removes the lock file and releases it: the orphan is now lockable
    third = OutputJournal(output)
    third.open()  # creates and locks a new lock file
    real_open = os.open
    handed: list[int] = []

    def open_orphan_first(path: Any, flags: int, mode: int = 0o777) -> int:
        if Path(path) == lock_path and not handed:
            handed.append(orphan)
            return orphan
        return real_open(path, flags, mode)

    monkeypatch.setattr("summarizer.batch.journal.os.open", open_orphan_first)
    with pytest.raises(OutputFileError, match="another batch is writing"):
        OutputJournal(output).open()
    assert handed == [orphan]
    third.close()


def test_an_output_in_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="does not exist"):
        OutputJournal(tmp_path / "missing" / "out.jsonl").open()
    assert not (tmp_path / "missing").exists()
