"""A batch against a server that enforces 600 requests per minute: nothing lost, the limit used.

    python benchmarks/rate_limit.py                       # the real thing: 60 s window, minutes
    python benchmarks/rate_limit.py --time-scale 0.1      # development: a 6 s window (~15 s/run)
    python benchmarks/rate_limit.py --runs learn,rpm      # pick runs (learn, headers, rpm)

The server (``ScriptedOpenAIServer`` in its own process) admits at most ``--limit`` chat requests
in any sliding window of 60 s and answers the rest with 429 + ``Retry-After`` (seconds until a
slot frees). Runs, each ``--articles`` articles through ``asummarize_many`` at ``--concurrency``:

* ``learn``: no limits given, the server says only ``Retry-After`` (the hard case: the limiter
  must find the limit from 429s alone);
* ``headers``: no limits given, every answer carries ``x-ratelimit-*`` like OpenAI's;
* ``rpm``: ``rpm=limit`` given (the server sends no rate-limit headers).

Reported per run: articles lost, 429s the server sent, wall time, and the share of the limit used
after the first minute: requests the server admitted after the first window, over what the limit
allows in that time (``limit / window * seconds``, up to the last admitted request). With
``--time-scale`` the window (server and client) is ``60 s * scale`` and the limit is per window.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from batch_throughput import TAG, TEMPLATE_TAG, article, write_draft  # noqa: E402

# --- the server process ---


def serve(limit: int, window: float, headers: str, latency: float, draft_file: str) -> None:
    """Run the rate-limited server until stdin closes; prints its base URL first.

    Each line on stdin asks for the admitted request times (relative to the first request) and
    the 429 count so far, answered as one JSON line.
    """
    from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

    template = Path(draft_file).read_text("utf-8")

    def handler(request: RecordedRequest) -> Reply:
        found = TAG.search(request.user_text)
        return Reply.json(template.replace(TEMPLATE_TAG, found.group() if found else TEMPLATE_TAG))

    with ScriptedOpenAIServer(latency=latency) as server:
        server.set_handler(handler)
        server.rate_limit(limit, window_seconds=window, headers=headers)  # type: ignore[arg-type]
        print(server.base_url, flush=True)
        for _ in sys.stdin:
            requests = server.requests
            admitted = [r.received_at for r in requests if r.fault is None]
            limited = sum(1 for r in requests if r.fault == "rate_limit")
            print(json.dumps({"admitted": admitted, "limited": limited}), flush=True)


class ServerProcess:
    def __init__(self, args: argparse.Namespace, headers: str, draft_file: Path) -> None:
        command = [
            sys.executable,
            __file__,
            "--serve",
            "--limit",
            str(args.limit),
            "--time-scale",
            str(args.time_scale),
            "--headers",
            headers,
            "--latency",
            str(args.latency),
            "--draft-file",
            str(draft_file),
        ]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()

    def record(self) -> tuple[list[float], int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return sorted(answer["admitted"]), int(answer["limited"])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


# --- one run ---


@dataclass
class Outcome:
    name: str
    ok: int
    failed: int
    requeued: int
    server_429s: int
    seconds: float
    share_after_first_window: float | None
    max_in_window: int


async def run_batch(base_url: str, args: argparse.Namespace, rpm: float | None) -> tuple[int, ...]:
    from summarizer.batch import asummarize_many
    from summarizer.batch.limiter import RateLimiter
    from summarizer.config import ModelConfig, Secret
    from summarizer.engines.openai import OpenAIEngine

    engine = OpenAIEngine(
        ModelConfig(model="test-model", base_url=base_url, api_key=Secret("sk-bench"))
    )
    scale = args.time_scale
    limiter = RateLimiter(
        rpm, window_seconds=60.0 * scale, cooldown_seconds=2.0 * scale, burst_seconds=scale
    )
    rows = ({"id": str(n), "text": article(n)} for n in range(args.articles))
    with tempfile.TemporaryDirectory() as directory:
        report = await asummarize_many(
            rows,
            engine=engine,
            concurrency=args.concurrency,
            limiter=limiter,
            cache=False,
            output=Path(directory) / "out.jsonl",
        )
    await engine.aclose()
    stats = report.stats
    return stats.ok, stats.failed, stats.requeued


def share_after_first_window(admitted: list[float], limit: int, window: float) -> float | None:
    """Admitted after the first window / what the limit allows up to the last admitted one."""
    if not admitted:
        return None
    start = admitted[0] + window
    later = [at for at in admitted if at > start]
    if len(later) < 2:
        return None
    allowed = limit / window * (later[-1] - start)
    return len(later) / allowed if allowed > 0 else None


def busiest_window(admitted: list[float], window: float) -> int:
    most, first = 0, 0
    for last, at in enumerate(admitted):
        while admitted[first] <= at - window:
            first += 1
        most = max(most, last - first + 1)
    return most


def one_run(name: str, args: argparse.Namespace, draft_file: Path) -> Outcome:
    headers = "all" if name == "headers" else "none"
    rpm = float(args.limit) if name == "rpm" else None
    server = ServerProcess(args, headers, draft_file)
    try:
        started = time.perf_counter()
        ok, failed, requeued = asyncio.run(run_batch(server.base_url, args, rpm))
        seconds = time.perf_counter() - started
        admitted, limited = server.record()
    finally:
        server.close()
    window = 60.0 * args.time_scale
    return Outcome(
        name,
        ok,
        failed,
        requeued,
        limited,
        seconds,
        share_after_first_window(admitted, args.limit, window),
        busiest_window(admitted, window),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=600, help="requests per window")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--time-scale", type=float, default=1.0, help="window = 60 s * scale")
    parser.add_argument("--runs", default="learn,headers,rpm")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--headers", default="none", help=argparse.SUPPRESS)
    parser.add_argument("--draft-file", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.limit, 60.0 * args.time_scale, args.headers, args.latency, args.draft_file)
        return
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as directory:
        draft_file = Path(directory) / "draft.json"
        write_draft(draft_file)
        for name in args.runs.split(","):
            outcomes.append(one_run(name.strip(), args, draft_file))
            print(f"  done: {name}", file=sys.stderr, flush=True)
    window = 60.0 * args.time_scale
    print(
        f"\nrate limit: {args.limit} requests per {window:g} s window (sliding), "
        f"{args.articles} articles, concurrency {args.concurrency}, cores {os.cpu_count()}"
    )
    header = (
        f"{'run':8} {'ok':>5} {'lost':>5} {'requeued':>8} {'429s':>5} {'secs':>7} "
        f"{'share after 1st window':>22} {'busiest window':>14}"
    )
    print(header)
    print("-" * len(header))
    for outcome in outcomes:
        share = outcome.share_after_first_window
        print(
            f"{outcome.name:8} {outcome.ok:>5} {outcome.failed:>5} {outcome.requeued:>8} "
            f"{outcome.server_429s:>5} {outcome.seconds:>7.1f} "
            f"{'-' if share is None else f'{share:.1%}':>22} {outcome.max_in_window:>14}"
        )
    print(
        "learn: no limits given, server sends only Retry-After; headers: no limits given, "
        "x-ratelimit-* on every answer; rpm: rpm=limit given."
    )


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("rate_limit"):
        main()
