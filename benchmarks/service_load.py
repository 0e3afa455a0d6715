"""Load on ``summarizer serve`` against a 200 ms fake model, side by side with the library.

    PYTHONPATH=$PWD python benchmarks/service_load.py                 # 3 runs, workers=4
    PYTHONPATH=$PWD python benchmarks/service_load.py --runs 1 --quick

Three processes, so that no two share a GIL:

* the fake model: ``ScriptedOpenAIServer`` (TCP_NODELAY on every connection) answering every
  chat request with a valid ``SummaryDraft`` for the seed article after ``--latency`` seconds;
* the service: ``python -m summarizer serve --engine openai`` on a fresh SQLite file, with
  ``--workers W`` in-process workers and keys made by ``summarizer keys create``;
* this process, the load: an ``httpx2`` async client (the openai SDK's HTTP client) posting
  the seed article to ``POST /v1/summaries`` (closed loop, ``c`` requests in flight), and, in
  the same run, the library called directly (``asummarize`` with an engine built exactly as the
  service builds its own, on the same fake model) at the same concurrency.

For every concurrency, both paths run back to back, alternating which goes first from run to run,
and the table shows the median over runs of each figure. ``added p50`` is the service's p50
minus the library's at the same concurrency: what HTTP, auth, the store and the workers add per
request; ``added CPU`` is the same for CPU time per request (the service process's, against this
process's while it runs the library), which a busy machine disturbs far less than wall time.
The service's own histograms (``/metrics``) then split its extra time into the HTTP transport,
routing, auth, the store and the hand-off (a synchronous call with a free worker and nothing
queued runs at once, its job written after the answer; above W it goes through the queue),
and the worker's item against the library call, and ``GET /healthz``
gives the floor: one HTTP round trip to the service that does no work.
Only concurrencies up to W are comparable: above W the service queues requests for its
W workers by design (the library has no such limit), so at ``2 W`` the point is that every request
still ends 200 (or 202 with a job URL that then finishes) and none with a 5xx.

Last, a key with ``--rpm`` is pushed past its quota: the requests over it must get 429 with a
``Retry-After`` header and a typed JSON error, never a 500. Nothing here is asserted; the figures
and counts are printed, with the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import asummarize  # noqa: E402
from summarizer.api import get_engine, prepare_article  # noqa: E402
from summarizer.testing import Reply, ScriptedOpenAIServer, valid_draft  # noqa: E402

SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
MODEL = "bench-model"
#: A fake provider key for the fake model (never a real secret).
PROVIDER_KEY = "sk-bench-provider-000000000000"


# --- the fake model (child process) -----------------------------------------------------------


def serve_model(connection: Any, latency: float) -> None:
    """Child process: answer every chat request with a valid draft of the seed after ``latency``."""
    document, _ = prepare_article(SEED.read_bytes())
    reply = Reply.json(valid_draft(document), usage=(2500, 1500))
    with ScriptedOpenAIServer(latency=latency) as server:
        server.set_handler(lambda request: reply)
        connection.send(server.base_url)
        connection.recv()
        connection.send(server.request_count)


# --- the service (child process) --------------------------------------------------------------


def cli(*args: str, env: dict[str, str]) -> str:
    """Run ``python -m summarizer ARGS`` from this checkout; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- load -------------------------------------------------------------------------------------


@dataclass
class Phase:
    """One path at one concurrency: latencies (ms), status counts, wall time, CPU seconds."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    #: CPU seconds of the summarizing process (the service, or this one for the library).
    cpu: float = 0.0
    #: The service's own Prometheus sums and counts over the phase (see ``service_timings``).
    inside: dict[str, float] = field(default_factory=dict)

    def inside_mean_ms(self, name: str) -> float:
        count = self.inside.get(f"{name}_count", 0.0)
        return self.inside.get(f"{name}_sum", 0.0) * 1000.0 / count if count else float("nan")

    @property
    def cpu_per_request(self) -> float:
        return self.cpu * 1000.0 / len(self.latencies)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def closed_loop(call: Callable[[], Awaitable[str]], concurrency: int, total: int) -> Phase:
    """``total`` calls, ``concurrency`` at a time (each task starts its next when one ends)."""
    phase = Phase()
    left = total

    async def lane() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            started = time.perf_counter()
            outcome = await call()
            phase.latencies.append((time.perf_counter() - started) * 1000.0)
            phase.statuses[outcome] += 1

    started = time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    phase.seconds = time.perf_counter() - started
    return phase


async def post_summary(client: httpx.AsyncClient, key: str, body: bytes) -> str:
    """POST one article; the status (a 202 is polled to its end and counted as ``202->status``)."""
    try:
        response = await client.post(
            "/v1/summaries",
            content=body,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
    except httpx.HTTPError as error:
        return f"transport:{type(error).__name__}"
    if response.status_code == 200:
        # The body is read, not parsed: parsing is the caller's cost (printed apart).
        return "200" if response.content.startswith(b'{"') else "200:not-json"
    if response.status_code != 202:
        return str(response.status_code)
    location = response.headers["location"]
    while True:
        await asyncio.sleep(0.05)
        polled = await client.get(location, headers={"Authorization": f"Bearer {key}"})
        state = polled.json().get("status") if polled.status_code == 200 else polled.status_code
        if state not in ("queued", "running"):
            return f"202->{state}"


#: The service's histograms read from ``/metrics``: its time per request, and per article.
_INSIDE = {
    "request": 'summarizer_http_request_seconds_{}{{method="POST",route="/v1/summaries"}}',
    "item": 'summarizer_item_seconds_{}{{engine="openai",status="ok"}}',
}


async def service_timings(client: httpx.AsyncClient) -> dict[str, float]:
    """Sums and counts of the service's request and item histograms, from ``/metrics``."""
    text = (await client.get("/metrics")).text
    values = dict(line.rsplit(" ", 1) for line in text.splitlines() if line[:1] not in ("#", ""))
    found: dict[str, float] = {}
    for name, pattern in _INSIDE.items():
        for part in ("sum", "count"):
            found[f"{name}_{part}"] = float(values.get(pattern.format(part), 0.0))
    return found


def print_table(
    results: dict[int, dict[str, list[Phase]]], round_trips: list[Phase], workers: int
) -> None:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    header = (
        f"{'conc':>4} {'path':<8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'added p50':>9} {'CPU ms/req':>10} {'added CPU':>9}  statuses (all runs)"
    )
    print(header)
    print("-" * len(header))
    for concurrency, paths in results.items():
        library, service = paths["library"], paths["service"]
        pairs = list(zip(service, library, strict=True))
        added = [s.percentile(0.5) - lib.percentile(0.5) for s, lib in pairs]
        added_cpu = [s.cpu_per_request - lib.cpu_per_request for s, lib in pairs]
        for name, phases in (("library", library), ("service", service)):
            statuses: Counter[str] = Counter()
            for phase in phases:
                statuses.update(phase.statuses)
            extra = (
                f"{med(added):>+9.1f} {med([p.cpu_per_request for p in phases]):>10.1f} "
                f"{med(added_cpu):>+9.1f}"
                if name == "service"
                else f"{'':>9} {med([p.cpu_per_request for p in phases]):>10.1f} {'':>9}"
            )
            note = " (queued: > workers)" if name == "service" and concurrency > workers else ""
            print(
                f"{concurrency:>4} {name:<8} {med([p.rate for p in phases]):>7.2f} "
                f"{med([p.percentile(0.5) for p in phases]):>8.1f} "
                f"{med([p.percentile(0.99) for p in phases]):>8.1f} {extra}"
                f"  {dict(statuses)}{note}"
            )
    print(
        "\nWhere a service request's time goes (means, ms; medians over runs): seen by the client"
        " / inside the service (from the request's arrival to its answer's last byte) / the item"
        " (prepare, model call, validation: the library's part) / the library called directly"
    )
    for concurrency, paths in results.items():
        if concurrency > workers:
            continue
        service = paths["service"]
        client_ms = med([statistics.fmean(p.latencies) for p in service])
        inside_ms = med([p.inside_mean_ms("request") for p in service])
        item_ms = med([p.inside_mean_ms("item") for p in service])
        library_ms = med([statistics.fmean(p.latencies) for p in paths["library"]])
        print(
            f"  c={concurrency}: client {client_ms:.1f} / service {inside_ms:.1f} / item "
            f"{item_ms:.1f} / library {library_ms:.1f}: HTTP transport "
            f"{client_ms - inside_ms:+.1f}, routing+auth+store+handoff {inside_ms - item_ms:+.1f}, "
            f"item vs library {item_ms - library_ms:+.1f}"
        )
    print(
        f"\nGET /healthz, one at a time (one HTTP round trip to the service, no work): p50 "
        f"{med([p.percentile(0.5) for p in round_trips]):.1f} ms, p99 "
        f"{med([p.percentile(0.99) for p in round_trips]):.1f} ms (median of runs). "
        "On a busy machine most of 'added p50' is this: two more process wake-ups per request."
    )


async def quota_check(base_url: str, key: str, rpm: int, extra: int) -> None:
    """``rpm + extra`` requests on a key limited to ``rpm`` per minute, 4 at a time."""
    body = json.dumps({"text": SEED.read_text(encoding="utf-8")}, ensure_ascii=False).encode()
    retry_afters: Counter[str] = Counter()
    kinds: Counter[str] = Counter()

    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:

        async def one() -> str:
            response = await client.post(
                "/v1/summaries",
                content=body,
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )
            if response.status_code == 429:
                retry_afters[response.headers.get("retry-after", "MISSING")] += 1
                kinds[response.json().get("error", {}).get("kind", "?")] += 1
            return str(response.status_code)

        phase = await closed_loop(one, 4, rpm + extra)
    print(
        f"\nquota: key with --rpm {rpm}, {rpm + extra} requests (4 in flight): "
        f"statuses {dict(phase.statuses)}; 429 Retry-After values {dict(retry_afters)}; "
        f"429 error kinds {dict(kinds)}; 429 p50 {statistics.median(_of(phase, 429)):.1f} ms"
        if phase.statuses.get("429")
        else f"\nquota: NO 429 after {rpm + extra} requests: statuses {dict(phase.statuses)}"
    )


def _of(phase: Phase, status: int) -> list[float]:
    # Latencies are appended in completion order, like statuses: pick the fast ones (429s).
    return sorted(phase.latencies)[: phase.statuses[str(status)]]


async def run_load(args: argparse.Namespace, base_url: str, model_url: str, key: str) -> None:
    service_pid: int = args.service_pid
    text = SEED.read_text(encoding="utf-8")
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    # The engine the service builds for a request without options (EngineSettings.build({})).
    engine = get_engine("openai", model=MODEL, base_url=model_url, api_key=PROVIDER_KEY)
    limits = httpx.Limits(max_connections=max(args.concurrency) + 4)
    results: dict[int, dict[str, list[Phase]]] = {
        c: {"library": [], "service": []} for c in args.concurrency
    }
    async with httpx.AsyncClient(base_url=base_url, timeout=300, limits=limits) as client:

        async def via_service() -> str:
            return await post_summary(client, key, body)

        async def via_library() -> str:
            try:
                await asummarize(text, engine=engine)
            except Exception as error:  # counted, not raised: the table shows it
                return f"error:{type(error).__name__}"
            return "ok"

        async def health() -> str:
            return str((await client.get("/healthz")).status_code)

        round_trips: list[Phase] = []
        # Warm both paths (connections, the service's engine, imports, first-call caches).
        await closed_loop(via_service, max(args.concurrency), max(args.concurrency) * 2)
        await closed_loop(via_library, max(args.concurrency), max(args.concurrency) * 2)
        profiler = None
        if args.py_spy:  # after the warm-up: its imports and first-call caches are not the point
            spy = Path(sys.executable).with_name("py-spy")
            spy_args = ["--rate", "250", "--format", "raw", "--output", args.py_spy]
            profiler = subprocess.Popen(
                [str(spy), "record", "--pid", str(service_pid), *spy_args, "--nonblocking"]
            )
        for run in range(args.runs):
            for concurrency in args.concurrency:
                total = max(args.requests, args.per_lane * concurrency)
                order = ["service", "library"] if run % 2 == 0 else ["library", "service"]
                for name in order:
                    # CPU of the process that summarizes: the service's, or this one's.
                    pid = service_pid if name == "service" else os.getpid()
                    cpu_before = cpu_seconds(pid)
                    inside_before = await service_timings(client)
                    call = via_service if name == "service" else via_library
                    phase = await closed_loop(call, concurrency, total)
                    phase.cpu = cpu_seconds(pid) - cpu_before
                    if name == "service":
                        inside = await service_timings(client)
                        phase.inside = {k: inside[k] - inside_before[k] for k in inside}
                    results[concurrency][name].append(phase)
            round_trips.append(await closed_loop(health, 1, args.requests))
            print(f"run {run + 1}/{args.runs} done, load average {os.getloadavg()[0]:.2f}")
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(timeout=60)
    await engine.aclose()  # type: ignore[attr-defined]
    print()
    print_table(results, round_trips, args.workers)
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        answer = await client.post(
            "/v1/summaries", content=body, headers={"Authorization": f"Bearer {key}"}
        )
    parse = min(timeit.repeat(lambda: json.loads(answer.content), number=5, repeat=5)) / 5
    print(
        f"a 200 body is {len(answer.content) / 1024:.0f} KiB; json.loads of it in the client "
        f"takes {parse * 1000:.1f} ms (the caller's cost, not in the latencies above)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="fake model latency, seconds")
    parser.add_argument("--workers", type=int, default=4, help="summarizer serve --workers")
    parser.add_argument(
        "--concurrency", default=None, help="comma-separated (default: 1, W/2, W, 2W)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs; the table shows medians")
    parser.add_argument("--requests", type=int, default=40, help="least requests per phase")
    parser.add_argument("--per-lane", type=int, default=12, help="requests per in-flight slot")
    parser.add_argument("--quota-rpm", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    parser.add_argument(
        "--py-spy",
        metavar="OUT",
        help="profile the service with py-spy during the load (collapsed stacks to OUT)",
    )
    args = parser.parse_args()
    workers = args.workers
    levels = args.concurrency or f"1,{max(1, workers // 2)},{workers},{2 * workers}"
    args.concurrency = sorted({int(c) for c in levels.split(",")})
    if args.quick:
        args.requests, args.per_lane = 12, 4

    load_before = os.getloadavg()
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    model = context.Process(target=serve_model, args=(child_end, args.latency), daemon=True)
    model.start()
    model_url: str = parent_end.recv()
    service: subprocess.Popen[bytes] | None = None
    with tempfile.TemporaryDirectory(prefix="service-load-") as scratch:
        database = str(Path(scratch) / "service.sqlite3")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "OPENAI_API_KEY": PROVIDER_KEY,
        }
        key = cli("keys", "create", "--name", "load", "--db", database, env=env)
        limited = cli(
            "keys", "create", "--name", "quota", "--rpm", str(args.quota_rpm), "--db", database,
            env=env,
        )  # fmt: skip
        port = free_port()
        command = [
            sys.executable, "-m", "summarizer", "serve", "--engine", "openai",
            "--model", MODEL, "--base-url", model_url, "--db", database,
            "--port", str(port), "--workers", str(workers),
        ]  # fmt: skip
        log_path = Path(scratch) / "serve.log"
        try:
            with log_path.open("wb") as log:
                service = subprocess.Popen(command, env=env, stdout=log, stderr=log)
            base_url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                        break
                if service.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the service did not start:\n" + log_path.read_text())
                time.sleep(0.2)
            args.service_pid = service.pid
            print(
                f"article: {SEED.name} ({len(SEED.read_text(encoding='utf-8'))} chars); fake "
                f"model latency {args.latency * 1000:.0f} ms; service: {' '.join(command[1:4])} "
                f"... --workers {workers}; load average before {load_before[0]:.2f} "
                f"(1 min), {load_before[1]:.2f} (5 min); {os.cpu_count()} CPUs\n"
            )
            asyncio.run(run_load(args, base_url, model_url, key))
            asyncio.run(quota_check(base_url, limited, args.quota_rpm, extra=args.quota_rpm))
            server_errors = sum(
                1 for line in log_path.read_text(errors="replace").splitlines() if " 500" in line
            )
            print(f"service log lines mentioning a 500: {server_errors}")
        finally:
            if service is not None:
                service.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    service.wait(timeout=15)
                if service.poll() is None:
                    service.kill()
            parent_end.send("stop")
            served = parent_end.recv()
            model.join(timeout=10)
    load_after = os.getloadavg()
    print(
        f"fake model requests served: {served}; load average after {load_after[0]:.2f} (1 min), "
        f"{load_after[1]:.2f} (5 min)"
    )


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("service_load"):
        main()
