"""The scaled-out service: API replicas and worker processes on one Redis and one PostgreSQL.

Everything is real and on loopback: ``summarizer serve --store --queue`` and ``summarizer worker``
processes, redis-server, PostgreSQL, and a scripted provider over HTTP. One worker is SIGKILLed
while it holds leases; every article must still end exactly once, ok, and the provider must never
see more than the shared limit (+2%) in any window.

The provider's limit is 300/60 s (5 a second) over a 30 s window (150 per 30 s), so that the test
takes about a minute; ``benchmarks/scale_out.py`` runs the real configuration on 2,000 articles.
The pace must sit well below what the fleet can do on a slow or loaded machine, or the limit is not
what holds it and the busiest window falls short of it (the check that the limit binds is a
throughput, so it is the part that depends on the machine): 750 per 30 s (25 a second) once failed
there, the fleet reaching 674 in its busiest window (22.5 a second) beside other work (load 8.6 on
2 cores), and so did 300 per 30 s (10 a second), the fleet reaching 252 (8.4 a second) beside
other helpers' work (load 8 to 13). The 2% allowed over the limit is the same 0.6 s of pace as
before: the time by which a loaded worker's HTTP write may trail its admission.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app as cli_app
from summarizer.testing.fleet import run_scale_out
from summarizer.testing.local_services import PostgresServer, free_port

pytestmark = [pytest.mark.services, pytest.mark.slow]

ARTICLES = 240
LIMIT = 150
WINDOW_SECONDS = 30.0


def test_a_fleet_with_a_killed_worker_ends_every_article_once_under_the_shared_limit(
    postgres_server: PostgresServer, redis_url: str, tmp_path: Path
) -> None:
    report = run_scale_out(
        store_url=postgres_server.create_database("scale_out"),
        queue_url=redis_url,
        log_dir=tmp_path / "logs",
        articles=ARTICLES,
        apis=2,
        workers=3,
        limit=LIMIT,
        window_seconds=WINDOW_SECONDS,
        model_latency=0.05,
        kill_after=0.3,
        timeout=240,
    )
    print(report.summary())

    # A synchronous summary through a replica: answered by a worker process, within the deadline.
    assert (report.sync_status, report.sync_headline) == (200, "Scripted summary of the article")
    expected_ids = {f"a{n:06d}" for n in range(ARTICLES)}
    assert set(report.streamed) == expected_ids
    assert max(report.streamed.values()) == 1
    assert report.statuses == {"ok": ARTICLES}
    assert report.result_rows == ARTICLES
    # The worker died by SIGKILL holding leases, and those items were delivered again.
    assert report.victim_exit == -signal.SIGKILL
    assert report.killed_leases
    assert all(report.attempts[article_id] >= 2 for article_id in report.killed_leases)
    # The fleet as a whole stayed under the provider's limit, and that limit is what held it.
    assert report.peak_requests <= LIMIT * 1.02
    assert report.peak_requests >= LIMIT * 0.9


def test_a_queue_without_a_shared_store_is_refused_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--queue", "redis://127.0.0.1:1/0"])

    assert result.exit_code != 0
    assert "--queue needs a shared store" in result.output
    assert "Traceback" not in result.output


def test_a_worker_given_a_non_redis_queue_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(
        cli_app, ["worker", "--store", "postgresql://x@127.0.0.1:1/db", "--queue", "amqp://x"]
    )

    assert result.exit_code != 0
    assert "--queue takes a Redis URL" in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_store_is_a_one_line_error_without_the_password() -> None:
    result = CliRunner().invoke(
        cli_app,
        ["keys", "list", "--store", "postgresql://admin:hunter2secret@127.0.0.1:1/db"],
    )

    assert result.exit_code != 0
    assert "cannot connect to PostgreSQL" in result.output
    assert "hunter2secret" not in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_queue_stops_serve_with_one_line_before_start_up(
    postgres_database: str,
) -> None:
    closed = f"redis://:queue-secret@127.0.0.1:{free_port()}/0"
    result = CliRunner().invoke(
        cli_app, ["serve", "--port", "0", "--store", postgres_database, "--queue", closed]
    )

    assert result.exit_code != 0
    assert "cannot connect to Redis" in result.output
    assert "queue-secret" not in result.output
    assert "Traceback" not in result.output
