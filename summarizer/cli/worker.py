"""``summarizer worker``: a worker process of the scaled-out service (see ``summarizer serve``).

Like ``serve``, it imports the service's modules inside the command, so that the rest of the CLI
works without the ``service`` extra.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from summarizer.cli.common import (
    DEFAULT_MODEL_OPTIONS,
    EngineOption,
    ModelOptions,
    handle_errors,
    note,
    takes_model_options,
    warn_unused_model_options,
)
from summarizer.errors import ConfigError


@handle_errors
@takes_model_options()
def worker_command(
    store_url: Annotated[
        str, typer.Option("--store", help="The shared PostgreSQL store, postgresql://...")
    ],
    queue_url: Annotated[
        str, typer.Option("--queue", help="The Redis queue the API replicas notify, redis://...")
    ],
    engine: EngineOption = "auto",
    options: ModelOptions = DEFAULT_MODEL_OPTIONS,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Articles this process works on at once.")
    ] = 8,
    rpm: Annotated[
        int | None,
        typer.Option(min=1, help="The provider's request limit, shared by all workers."),
    ] = None,
    tpm: Annotated[
        int | None,
        typer.Option(min=1, help="The provider's token limit, shared by all workers."),
    ] = None,
    rate_window: Annotated[
        float, typer.Option(min=0.1, help="Seconds over which --rpm/--tpm are counted.")
    ] = 60.0,
    burst_seconds: Annotated[
        float | None,
        typer.Option(
            min=0,
            help="Also keep the pace over any this many seconds (default: the window / 60, "
            "i.e. 1 s of a minute; 0: off).",
        ),
    ] = None,
    lease_seconds: Annotated[
        float, typer.Option(min=1, help="A dead worker's article is redelivered after this.")
    ] = 30.0,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Deliveries of one article before it ends as an error.")
    ] = 3,
    sweep_seconds: Annotated[
        int, typer.Option(min=1, help="How often stale deliveries are swept and redelivered.")
    ] = 10,
    queue_name: Annotated[str, typer.Option(help="The queue's name in Redis.")] = "summarizer",
    log_level: Annotated[str, typer.Option(help="Log level.")] = "info",
) -> None:
    """Summarize the articles that API replicas queue, until SIGINT/SIGTERM."""
    try:
        from summarizer.service.queue import is_redis_url
        from summarizer.service.shared_limiter import SharedLimit
        from summarizer.service.worker_main import WorkerSettings, run_worker
        from summarizer.service.workers import EngineSettings
    except ImportError as error:
        raise ConfigError(
            f"the worker needs extra packages ({error.name} is missing): "
            "pip install 'summarizer[service]'"
        ) from None
    if not is_redis_url(queue_url):
        raise ConfigError("--queue takes a Redis URL, e.g. redis://127.0.0.1:6379/0")
    level = getattr(logging, log_level.upper(), None)
    if not isinstance(level, int):
        raise ConfigError(f"unknown log level {log_level[:20]!r}")
    configure_logging(level)
    engines = EngineSettings(
        engine=engine,
        model=options.model,
        base_url=options.base_url,
        api_key=None,
        options=options.engine_options(),
        max_input_chars=options.max_input_chars,
    )
    chosen = engines.build({})
    warn_unused_model_options(options, chosen.name)
    limit = None
    if rpm is not None or tpm is not None:
        limit = SharedLimit(
            requests=rpm,
            tokens=tpm,
            window_seconds=rate_window,
            burst_seconds=rate_window / 60 if burst_seconds is None else burst_seconds,
        )
    settings = WorkerSettings(
        store_url=store_url,
        queue_url=queue_url,
        engines=engines,
        concurrency=concurrency,
        lease_seconds=lease_seconds,
        max_attempts=max_attempts,
        queue_name=queue_name,
        limit=limit,
        sweep_seconds=sweep_seconds,
    )
    paced = f", {rpm or '-'} rpm / {tpm or '-'} tpm per {rate_window:g} s for the fleet"
    note(
        f"summarizer: worker {settings.worker_id} with the {chosen.name} engine, "
        f"{concurrency} at once" + (paced if limit else "")
    )
    from summarizer.service.process import settle_heap

    settle_heap()
    asyncio.run(run_worker(settings))


class _HideCredentials(logging.Filter):
    """Scrub URL credentials and key-shaped strings from every line: at INFO the HTTP library
    logs each request's URL, and a base URL may carry ``user:pw@`` or ``?api-key=``."""

    def filter(self, record: logging.LogRecord) -> bool:
        from summarizer.config import redact
        from summarizer.service.pg_store import describe_url

        message = record.getMessage()
        cleaned = redact(describe_url(message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(level: int) -> None:
    """The worker's log on stderr, with credentials scrubbed."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("saq").setLevel(max(level, logging.WARNING))
    for handler in logging.getLogger().handlers:
        handler.addFilter(_HideCredentials())


def register(app: typer.Typer) -> None:
    app.command("worker")(worker_command)
