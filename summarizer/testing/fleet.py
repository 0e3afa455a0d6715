"""A scaled-out service on loopback, for the scale-out test and benchmark: real processes only.

``run_scale_out`` starts ``summarizer serve`` API replicas and ``summarizer worker`` processes (as
a user would, through the CLI) against one PostgreSQL and one Redis, points the workers at a
``ScriptedOpenAIServer`` that drafts a valid summary for any article, submits batches through the
replicas, SIGKILLs one worker while it holds leases, waits for every batch to end, and reports what
happened: each id's status as streamed back, how often items were delivered, and the provider's
view of the request rate (the busiest ``window_seconds`` of chat requests it received).
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import summarizer
from summarizer.api import prepare_article
from summarizer.testing import TEST_API_KEY, valid_draft
from summarizer.testing.local_services import free_port
from summarizer.testing.server import RecordedRequest, Reply, ScriptedOpenAIServer

__all__ = ["Fleet", "ScaleOutReport", "article", "peak_in_window", "run_scale_out"]

_TAG = re.compile(r"fleet-(\d{6})")
_ROOT = Path(summarizer.__file__).resolve().parents[1]
_SUMMARIZER = (sys.executable, "-m", "summarizer")


def article(number: int) -> str:
    """A short Chinese news item with a unique tag that the scripted model recognises."""
    return (
        f"市政府召开第{number % 90 + 10}次常务会议（fleet-{number:06d}）。会议研究了城市交通和"
        "公共服务方面的工作。\n会议要求各部门加强协调，按时完成年度任务。与会人员表示将认真落实。"
    )


def peak_in_window(times: Sequence[float], window: float) -> int:
    """The most events in any half-open interval ``[t, t + window)``."""
    ordered = sorted(times)
    best = 0
    for index, start in enumerate(ordered):
        best = max(best, bisect_left(ordered, start + window, lo=index) - index)
    return best


class _DraftingModel:
    """Answers each tagged article with a valid draft.

    The drafts are built before the run (``prepare``), so that answering costs the server next
    to nothing: its arrival times are the provider's view of the rate, and must not be skewed by
    the server's own work.
    """

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self._drafts: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def prepare(self, numbers: range) -> None:
        for number in numbers:
            document, _ = prepare_article(article(number), thorough=False)
            self._drafts[f"fleet-{number:06d}"] = valid_draft(document)

    def __call__(self, request: RecordedRequest) -> Reply:
        found = _TAG.search(request.user_text)
        if found is None:
            return Reply.error(400, "no article tag in the request")
        number = int(found.group(1))
        with self._lock:
            draft = self._drafts.get(found.group())
        if draft is None:
            document, _ = prepare_article(article(number), thorough=False)
            draft = valid_draft(document)
            with self._lock:
                self._drafts[found.group()] = draft
        reply = Reply.json(draft, usage=(150, 90))
        return Reply.delay(self.latency, reply) if self.latency else reply


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    env["OPENAI_API_KEY"] = TEST_API_KEY
    env.pop("OPENAI_BASE_URL", None)
    env.pop("SUMMARIZER_MODEL", None)
    return env


@dataclass
class Fleet:
    """API replicas and workers as child processes; ``stop`` ends the survivors."""

    store_url: str
    queue_url: str
    model_url: str
    log_dir: Path
    api_ports: list[int] = field(default_factory=list)
    apis: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("ab")
        with log:
            return subprocess.Popen(
                [*_SUMMARIZER, *args],
                env=_environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def _model_args(self) -> list[str]:
        return ["--engine", "openai", "--model", "test-model", "--base-url", self.model_url]

    def create_key(self) -> str:
        done = subprocess.run(
            [*_SUMMARIZER, "keys", "create", "--name", "fleet", "--store", self.store_url],
            env=_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"keys create failed: {done.stderr.strip()[-300:]}")
        return done.stdout.strip().splitlines()[-1]

    def start_api(self, *extra: str) -> int:
        port = free_port()
        self.apis.append(
            self._spawn(
                f"api-{len(self.apis)}",
                "serve",
                "--port",
                str(port),
                "--store",
                self.store_url,
                "--queue",
                self.queue_url,
                "--log-level",
                "warning",
                *self._model_args(),
                *extra,
            )
        )
        self.api_ports.append(port)
        return port

    def start_worker(self, *extra: str) -> subprocess.Popen[bytes]:
        process = self._spawn(
            f"worker-{len(self.workers)}",
            "worker",
            "--store", self.store_url,
            "--queue", self.queue_url,
            "--log-level", "warning",
            *self._model_args(),
            *extra,
        )  # fmt: skip
        self.workers.append(process)
        return process

    def wait_until_serving(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for port, process in zip(self.api_ports, self.apis, strict=True):
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"API replica on {port} exited: {self.logs()}")
                with contextlib.suppress(OSError):
                    if request(port, "GET", "/healthz")[0] == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"API replica on {port} did not start: {self.logs()}")
                time.sleep(0.1)

    def logs(self) -> str:
        tails = []
        for path in sorted(self.log_dir.glob("*.log")):
            lines = path.read_text(errors="replace").strip().splitlines()[-8:]
            tails.append(f"== {path.name}\n" + "\n".join(lines))
        return "\n".join(tails)

    def stop(self) -> None:
        everyone = self.apis + self.workers
        for process in everyone:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in everyone:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def request(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    *,
    key: str | None = None,
    timeout: float = 60,
) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    payload = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class ScaleOutReport:
    """What one scale-out run did; the test asserts on it, the benchmark prints it."""

    articles: int
    seconds: float
    #: id -> how many times it came back in the batches' streamed results.
    streamed: Counter[str]
    statuses: Counter[str]
    #: The items the killed worker held leases on when it was killed.
    killed_leases: list[str]
    #: attempts (deliveries) per item, from the store.
    attempts: dict[str, int]
    result_rows: int
    model_calls: int
    model_429s: int
    peak_requests: int
    limit: int
    window_seconds: float
    victim_exit: int | None
    #: Seconds from the first submission to each chat request's arrival at the model.
    request_times: list[float] = field(default_factory=list)
    #: Seconds from the first submission to the SIGKILL.
    killed_at: float = 0.0
    #: A synchronous ``POST /v1/summaries`` through a replica before the batches: its status
    #: and the headline of the summary it returned.
    sync_status: int = 0
    sync_headline: str | None = None

    @property
    def throughput(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "seconds": round(self.seconds, 1),
            "articles_per_second": round(self.throughput, 2),
            "statuses": dict(self.statuses),
            "ids_streamed_more_than_once": sum(1 for n in self.streamed.values() if n > 1),
            "killed_worker_leases": len(self.killed_leases),
            "redelivered_items": sum(1 for n in self.attempts.values() if n > 1),
            "result_rows": self.result_rows,
            "model_calls": self.model_calls,
            "model_429s": self.model_429s,
            f"peak_requests_in_any_{self.window_seconds:g}s": self.peak_requests,
            "limit": self.limit,
            "peak_over_limit_percent": round(100 * (self.peak_requests / self.limit - 1), 2),
        }


async def _progress(store_url: str) -> tuple[int, dict[str, list[str]]]:
    """(items finished ok, live leases by owner)."""
    import asyncpg

    db = await asyncpg.connect(store_url)
    try:
        ok = int(await db.fetchval("SELECT COUNT(*) FROM results WHERE status = 'ok'"))
        rows = await db.fetch(
            "SELECT lease_owner, article_id FROM items WHERE status = 'running' "
            "AND lease_expires > EXTRACT(EPOCH FROM clock_timestamp())"
        )
    finally:
        await db.close()
    owned: dict[str, list[str]] = {}
    for row in rows:
        owned.setdefault(row["lease_owner"], []).append(row["article_id"])
    return ok, owned


async def _store_facts(store_url: str) -> tuple[dict[str, int], int]:
    """(deliveries per item, result rows of the batches)."""
    import asyncpg

    db = await asyncpg.connect(store_url)
    try:
        rows = await db.fetch("SELECT article_id, attempts FROM items")
        results = int(
            await db.fetchval(
                "SELECT COUNT(*) FROM results JOIN jobs USING (job_id) WHERE kind = 'batch'"
            )
        )
    finally:
        await db.close()
    return {row["article_id"]: row["attempts"] for row in rows}, results


def run_scale_out(
    *,
    store_url: str,
    queue_url: str,
    log_dir: Path,
    articles: int = 2000,
    apis: int = 2,
    workers: int = 3,
    concurrency: int = 8,
    limit: int = 600,
    window_seconds: float = 60.0,
    model_latency: float = 0.2,
    batches: int = 4,
    kill_after: float = 0.3,
    lease_seconds: float = 3.0,
    sweep_seconds: int = 2,
    timeout: float = 600.0,
) -> ScaleOutReport:
    """Run the scenario described in the module docstring and report on it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    drafting = _DraftingModel(model_latency)
    drafting.prepare(range(articles + 1))
    model = ScriptedOpenAIServer().start()
    model.set_handler(drafting)
    if window_seconds == 60.0:
        model.rate_limit(requests_per_minute=limit)  # the provider refuses what is over
    fleet = Fleet(store_url, queue_url, model.base_url, log_dir)
    try:
        for _ in range(apis):
            fleet.start_api("--lease-seconds", str(lease_seconds))
        worker_args = [
            "--concurrency", str(concurrency),
            "--rpm", str(limit),
            "--rate-window", str(window_seconds),
            "--lease-seconds", str(lease_seconds),
            "--sweep-seconds", str(sweep_seconds),
        ]  # fmt: skip
        for _ in range(workers):
            fleet.start_worker(*worker_args)
        key = fleet.create_key()  # while the fleet starts up
        fleet.wait_until_serving()
        sync_status, sync_body = request(
            fleet.api_ports[-1],
            "POST",
            "/v1/summaries",
            {"id": "sync", "text": article(articles)},
            key=key,
        )
        sync_headline = json.loads(sync_body).get("headline_en") if sync_status == 200 else None
        started = time.monotonic()
        batch_ids = _submit(fleet, key, articles, batches)
        victim = fleet.workers[0]
        killed = _kill_mid_job(fleet, victim, articles, kill_after, started + timeout)
        killed_at = time.monotonic() - started
        for index, batch_id in enumerate(batch_ids):
            port = fleet.api_ports[(index + 1) % len(fleet.api_ports)]
            _wait_for_batch(port, key, batch_id, started + timeout, fleet)
        seconds = time.monotonic() - started
        streamed: Counter[str] = Counter()
        statuses: Counter[str] = Counter()
        for index, batch_id in enumerate(batch_ids):
            port = fleet.api_ports[index % len(fleet.api_ports)]
            status, body = request(port, "GET", f"/v1/batches/{batch_id}/results", key=key)
            if status != 200:
                raise RuntimeError(f"results of {batch_id}: HTTP {status}")
            for line in body.decode().splitlines():
                if line.strip():
                    record = json.loads(line)
                    streamed[record["id"]] += 1
                    statuses[record["status"]] += 1
        attempts, result_rows = asyncio.run(_store_facts(store_url))
        chats = model.chat_requests
        return ScaleOutReport(
            articles=articles,
            seconds=seconds,
            streamed=streamed,
            statuses=statuses,
            killed_leases=killed,
            attempts=attempts,
            result_rows=result_rows,
            model_calls=len(chats),
            model_429s=sum(1 for chat in chats if chat.fault == "rate_limit"),
            peak_requests=peak_in_window([chat.received_at for chat in chats], window_seconds),
            limit=limit,
            window_seconds=window_seconds,
            victim_exit=victim.returncode,
            request_times=sorted(chat.received_at - started for chat in chats),
            killed_at=killed_at,
            sync_status=sync_status,
            sync_headline=sync_headline,
        )
    finally:
        fleet.stop()
        model.stop()


def _submit(fleet: Fleet, key: str, articles: int, batches: int) -> list[str]:
    """Split the articles into batches, sent alternately to each API replica."""
    numbers = list(range(articles))
    size = -(-articles // batches)
    batch_ids = []
    for index, start in enumerate(range(0, articles, size)):
        items = [{"id": f"a{n:06d}", "text": article(n)} for n in numbers[start : start + size]]
        port = fleet.api_ports[index % len(fleet.api_ports)]
        status, body = request(port, "POST", "/v1/batches", items, key=key)
        if status != 202:
            raise RuntimeError(f"POST /v1/batches: HTTP {status} {body[:300]!r}")
        batch_ids.append(json.loads(body)["id"])
    return batch_ids


def _kill_mid_job(
    fleet: Fleet,
    victim: subprocess.Popen[bytes],
    articles: int,
    kill_after: float,
    deadline: float,
) -> list[str]:
    """SIGKILL ``victim`` once ``kill_after`` of the work is done and it holds leases."""
    owner_suffix = f"-{victim.pid}"
    while time.monotonic() < deadline:
        ok, owned = asyncio.run(_progress(fleet.store_url))
        if ok >= kill_after * articles:
            held = [ids for owner, ids in owned.items() if owner.endswith(owner_suffix)]
            if held and held[0]:
                victim.send_signal(signal.SIGKILL)
                victim.wait(timeout=10)
                return sorted(held[0])
        time.sleep(0.2)
    raise RuntimeError(f"the victim never held a lease: {fleet.logs()}")


def _wait_for_batch(port: int, key: str, batch_id: str, deadline: float, fleet: Fleet) -> None:
    while True:
        try:
            status, body = request(port, "GET", f"/v1/batches/{batch_id}", key=key)
        except OSError as error:
            raise RuntimeError(f"API replica on {port}: {error}\n{fleet.logs()}") from None
        if status == 200 and json.loads(body)["state"] in ("done", "cancelled"):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"batch {batch_id} did not finish: {body[:300]!r}\n{fleet.logs()}")
        time.sleep(0.25)
