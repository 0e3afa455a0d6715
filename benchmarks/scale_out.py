"""Scale-out benchmark: 2 API replicas + 3 workers, one Redis, one PostgreSQL, a worker SIGKILLed.

The real configuration of issue 13: 2,000 articles, the provider's limit of 600 requests per 60 s
shared by the fleet (and enforced by the scripted provider too: it answers 429 past it), a model
latency of 200 ms. Prints the run's figures as JSON: wall time, throughput, statuses, ids
streamed more than once, redelivered items, and the busiest 60 s the provider saw.

    python benchmarks/scale_out.py [--articles 2000] [--limit 600] [--window 60]

Needs redis-server and PostgreSQL installed (``make services``); takes about 3.5 minutes at the
defaults, since 2,000 requests at 600 per minute take 200 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from summarizer.testing.fleet import run_scale_out
    from summarizer.testing.local_services import PostgresServer, RedisServer

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--limit", type=int, default=600, help="requests per window")
    parser.add_argument("--window", type=float, default=60.0, help="seconds")
    parser.add_argument("--latency", type=float, default=0.2, help="model latency, seconds")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--apis", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8, help="per worker")
    parser.add_argument("--logs", type=Path, help="keep the processes' logs here")
    arguments = parser.parse_args()

    with (
        RedisServer() as redis,
        PostgresServer() as postgres,
        tempfile.TemporaryDirectory() as logs,
    ):
        report = run_scale_out(
            store_url=postgres.create_database("scale_out"),
            queue_url=redis.url,
            log_dir=arguments.logs or Path(logs),
            articles=arguments.articles,
            apis=arguments.apis,
            workers=arguments.workers,
            concurrency=arguments.concurrency,
            limit=arguments.limit,
            window_seconds=arguments.window,
            model_latency=arguments.latency,
            timeout=3600,
        )
    figures = report.summary()
    figures["killed_at_seconds"] = round(report.killed_at, 1)
    per_window = Counter(int(at // arguments.window) for at in report.request_times)
    figures["requests_per_consecutive_window"] = [per_window[i] for i in sorted(per_window)]
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("scale_out"):
        main()
