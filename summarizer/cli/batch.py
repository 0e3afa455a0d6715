"""``summarizer batch``: many articles to one resumable JSONL file, with progress and a summary.

Exit codes: 0 when every record in the output is ok, 1 when any record failed (see the error lines
and the summary), 4 when no record succeeded this run and every one tried failed on the endpoint
(``BatchReport.exit_code``), and the usual error codes (2 input, 3 configuration, 4 endpoint)
when the batch could not run or had to stop; rerunning the same command resumes where it stopped.
"""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.text import Text

from summarizer.api import run_sync
from summarizer.batch import (
    BatchReport,
    BatchStats,
    asummarize_many,
    count_records,
    ignored_files,
    read_input,
)
from summarizer.batch.records import FOLDER_SUFFIXES, own_files, refuse_same_file
from summarizer.cli.common import (
    DEFAULT_MODEL_OPTIONS,
    BaseUrlOption,
    EngineOption,
    ModelOption,
    ModelOptions,
    YearHintOption,
    handle_errors,
    note,
    stderr,
    takes_model_options,
)
from summarizer.config import HOW_TO_CONFIGURE
from summarizer.engines.base import Engine
from summarizer.errors import ConfigError, EmptyInputError, OutputFileError


class Via(StrEnum):
    online = "online"
    batch_api = "batch-api"


# --- progress ---


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


def _tokens(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.2f}M"
    if count >= 1_000:
        return f"{count / 1_000:.1f}k"
    return str(count)


def _cost(stats: BatchStats) -> str:
    if stats.unpriced_models and not stats.cost_usd:
        return "cost unknown"
    text = f"${stats.cost_usd:.4f}" if stats.cost_usd < 1 else f"${stats.cost_usd:.2f}"
    return text + (" + unpriced" if stats.unpriced_models else "")


def _calls(stats: BatchStats) -> str:
    """Retries, re-asks, chunk calls and 429s: each its own count (a chunk is not a retry)."""
    return (
        f"retries {stats.retries}, re-asks {stats.reasks}, chunk calls {stats.chunk_calls}, "
        f"429s {stats.rate_limited}"
    )


def progress_line(stats: BatchStats) -> str:
    """One plain line: done / failed / retrying, rate, tokens, cost, ETA."""
    total = f"/{stats.total - stats.skipped}" if stats.total is not None else ""
    return (
        f"batch: {stats.done}{total} done (ok {stats.ok}, failed {stats.failed}, "
        f"cached {stats.cached}, in flight {stats.in_flight}, retrying {stats.retrying}), "
        f"{_calls(stats)}, {stats.per_second:.1f} articles/s, "
        f"{_tokens(stats.usage.total_tokens)} tokens, {_cost(stats)}, "
        f"ETA {_duration(stats.eta_seconds)}"
    )


class ProgressDisplay:
    """Rich live progress on a terminal; a plain log line every ``interval`` seconds otherwise."""

    def __init__(self, mode: str, *, interval: float = 10.0) -> None:
        self.mode = mode
        self.interval = interval
        self.stats: BatchStats | None = None
        self._last_line = time.monotonic()
        self._live: Live | None = None

    def __call__(self, stats: BatchStats) -> None:
        if self.stats is None and stats.truncated_bytes:
            note(truncation_note(stats))
        self.stats = stats
        if self.mode == "plain" and time.monotonic() - self._last_line >= self.interval:
            self._last_line = time.monotonic()
            note(progress_line(stats))

    def _render(self) -> Group:
        stats = self.stats
        if stats is None:
            return Group(Text("batch: starting..."))
        parts: list[Any] = []
        if stats.total is not None:
            todo = max(1, stats.total - stats.skipped)
            parts.append(ProgressBar(total=todo, completed=stats.done, width=60))
        parts.append(Text(progress_line(stats)))
        return Group(*parts)

    def __enter__(self) -> ProgressDisplay:
        if self.mode == "rich":
            self._live = Live(
                get_renderable=self._render, console=stderr, refresh_per_second=4, transient=True
            )
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.stop()


def truncation_note(stats: BatchStats) -> str:
    return (
        f"summarizer: cut a half-written last line ({stats.truncated_bytes} bytes) left by an "
        "interrupted run from the output; that record is being redone"
    )


def summary_text(report: BatchReport) -> str:
    stats = report.stats
    lines = [
        f"batch: {stats.ok} ok, {stats.failed} failed this run"
        + (
            f"; {stats.skipped} already done before ({stats.previously_failed} of them failed)"
            if stats.skipped
            else ""
        ),
        f"  cached: {stats.cached}; {_calls(stats)}"
        + (f" ({stats.requeued} articles requeued after 429s)" if stats.requeued else ""),
    ]
    for kind, count in sorted(stats.errors_by_kind.items(), key=lambda item: -item[1]):
        lines.append(f"  error {kind}: {count}")
    if stats.ignored_files:
        lines.append(
            f"  ignored: {stats.ignored_files} file(s) in the folder that are not articles"
        )
    usage = stats.usage
    lines.append(
        f"  tokens: {usage.total_tokens} ({usage.prompt_tokens} prompt, "
        f"{usage.completion_tokens} completion), estimated cost: {_cost(stats)}"
        + (
            f" (no price for {', '.join(sorted(stats.unpriced_models))}; add it with --prices)"
            if stats.unpriced_models
            else ""
        )
    )
    lines.append(
        f"  wall time: {stats.elapsed:.1f} s"
        + (f" ({_duration(stats.elapsed)})" if stats.elapsed >= 60 else "")
        + (
            f", throughput: {stats.per_second:.1f} articles/s"
            if stats.done
            else ", nothing left to do (every record was already in the output)"
        )
    )
    if report.output is not None:
        lines.append(f"  output: {report.output}")
    return "\n".join(lines)


def summary_json(report: BatchReport) -> dict[str, Any]:
    stats = report.stats
    return {
        "ok": stats.ok,
        "failed": stats.failed,
        "skipped": stats.skipped,
        "ignored_files": stats.ignored_files,
        "previously_failed": stats.previously_failed,
        "cached": stats.cached,
        "retries": stats.retries,
        "reasks": stats.reasks,
        "chunk_calls": stats.chunk_calls,
        "rate_limited": stats.rate_limited,
        "requeued": stats.requeued,
        "errors_by_kind": dict(stats.errors_by_kind),
        "usage": stats.usage.model_dump(),
        "cost_usd": round(stats.cost_usd, 6),
        "unpriced_models": sorted(stats.unpriced_models),
        "wall_seconds": round(stats.elapsed, 3),
        "articles_per_second": round(stats.per_second, 3) if stats.done else None,
        "truncated_bytes": stats.truncated_bytes,
        "exit_code": report.exit_code,
    }


# --- the command ---

BATCH_HELP = "\n\n".join(
    (
        "Summarize many articles into OUTPUT.jsonl (resumable, cached, rate limited).",
        'One line per record: {"id", "status": "ok", "result"} or {"id", "status": "error", '
        '"error": {"kind", "message"}}.',
        "Interrupted, even by kill -9? Run the same command again: finished records are skipped.",
        "Exit status: 0 every record ok; 1 some records failed (their error lines say why, "
        "--retry-failed redoes them); 2 input or output problem; 3 configuration or "
        "authentication; 4 endpoint unreachable or failing: no record succeeded this run and "
        "every one tried failed on the endpoint (or 20 in a row were unreachable).",
    )
)


@handle_errors
@takes_model_options()
def batch_command(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help=(
                'JSONL ({"id", "text", ...}), one article file, a folder of .txt/.html/.md '
                "files, or - (stdin)."
            ),
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Output JSONL: one line per id; rerun the same command to resume.",
        ),
    ],
    engine: EngineOption = "auto",
    options: ModelOptions = DEFAULT_MODEL_OPTIONS,
    year_hint: YearHintOption = None,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            "-j",
            min=1,
            help="Articles in flight at once (at most the server's slots plus one waiting in "
            "its queue, when it says how many slots it has).",
        ),
    ] = 8,
    rpm: Annotated[
        float | None,
        typer.Option(
            min=1,
            help="Never more than this many requests in any 60 s (without it, the limit is "
            "learnt from the server's headers and 429s).",
        ),
    ] = None,
    tpm: Annotated[
        float | None,
        typer.Option(
            min=1, help="Cap on tokens per minute (estimated, corrected by usage; else learnt)."
        ),
    ] = None,
    ordered: Annotated[
        bool,
        typer.Option(
            "--ordered",
            help="Write OUTPUT in input order at the end (atomically); while running, lines "
            "are appended in completion order, which is what makes a killed run resumable.",
        ),
    ] = False,
    cache: Annotated[
        Path | None, typer.Option(help="Response cache file (default: the user cache dir).")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option("--retry-failed", help="Redo the records whose line in OUTPUT is an error."),
    ] = False,
    prices: Annotated[
        Path | None,
        typer.Option(help="TOML price table extending the shipped one (also $SUMMARIZER_PRICES)."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress and no summary.")
    ] = False,
    log_interval: Annotated[
        float,
        typer.Option(min=0.1, help="Seconds between progress lines when stderr is not a terminal."),
    ] = 10.0,
    summary_file: Annotated[
        Path | None,
        typer.Option("--summary-json", help="Also write the final summary as JSON here."),
    ] = None,
    via: Annotated[
        Via,
        typer.Option(
            help="online: call the endpoint per article; batch-api: through the OpenAI Batch API."
        ),
    ] = Via.online,
    poll_interval: Annotated[
        float, typer.Option(min=0.01, help="With --via batch-api: seconds between status polls.")
    ] = 30.0,
) -> None:
    """Summarize many articles into OUTPUT.jsonl (see ``BATCH_HELP``)."""
    own = own_files(output, summary_file)  # never read back as articles of a folder
    records = read_input(input_path, exclude=own)  # a missing input fails before anything else
    refuse_same_file(input_path, output)
    if summary_file is not None:  # now, not after the whole (paid) batch
        _check_writable("--summary-json", summary_file)
    total = count_records(input_path, exclude=own)
    ignored = ignored_files(input_path, exclude=own)
    if ignored:
        note(_ignored_note(input_path, ignored))
    if total == 0:
        raise _no_records(input_path)
    chosen = options.build_engine(engine, year_hint=year_hint)
    if chosen.name == "offline" and engine == "auto" and not quiet:
        note(
            "summarizer: no model configured, using the offline engine; "
            f"to use a model, {HOW_TO_CONFIGURE}"
        )
    cache_option: Path | bool = False if no_cache else (cache if cache is not None else True)
    if via is Via.batch_api:
        from summarizer.batch.batch_api import run_via_batch_api

        if chosen.name == "offline":
            raise ConfigError(f"--via batch-api needs a model endpoint; {HOW_TO_CONFIGURE}")
        report = run_via_batch_api(
            lambda: read_input(input_path, exclude=own),
            engine=chosen,
            output=output,
            cache=cache_option,
            retry_failed=retry_failed,
            prices=prices,
            poll_interval=poll_interval,
            concurrency=concurrency,
            on_status=None if quiet else note,
            max_input_chars=options.max_input_chars,
            year_hint=year_hint,
        )
    else:
        mode = "quiet" if quiet else ("rich" if sys.stderr.isatty() else "plain")
        display = ProgressDisplay(mode, interval=log_interval)
        with display:
            report = run_sync(
                asummarize_many(
                    records,
                    engine=chosen,
                    concurrency=concurrency,
                    rpm=rpm,
                    tpm=tpm,
                    cache=cache_option,
                    output=output,
                    retry_failed=retry_failed,
                    prices=prices,
                    on_progress=display,
                    total=total,
                    ordered=ordered,
                    max_input_chars=options.max_input_chars,
                    year_hint=year_hint,
                )
            )
    if report.stats.done == 0 and report.stats.skipped == 0:  # stdin: known only now
        raise _no_records(input_path)
    report.stats.ignored_files = len(ignored)
    if not quiet:
        note(summary_text(report))
    if summary_file is not None:
        try:
            summary_file.write_text(json.dumps(summary_json(report), indent=2) + "\n", "utf-8")
        except OSError as error:
            raise OutputFileError(
                f"cannot write --summary-json {summary_file} ({error.strerror}); the results "
                f"are in {output}"
            ) from None
    raise typer.Exit(report.exit_code)


def _check_writable(option: str, path: Path) -> None:
    """An ``OutputFileError`` now if ``path`` cannot be written later (a folder, no folder)."""
    if path.is_dir():
        raise OutputFileError(f"{option} {path} is a folder; give a file path")
    if not path.parent.is_dir():
        raise OutputFileError(
            f"cannot write {option} {path}: the folder {path.parent} does not exist"
        )


def _ignored_note(folder: str, ignored: list[str]) -> str:
    shown = ", ".join(ignored[:5]) + (f" and {len(ignored) - 5} more" if len(ignored) > 5 else "")
    return (
        f"summarizer: ignored {len(ignored)} file(s) in {folder} that are not articles "
        f"({'/'.join(FOLDER_SUFFIXES)}): {shown}"
    )


def _no_records(input_path: str) -> EmptyInputError:
    where = "stdin" if input_path == "-" else input_path
    return EmptyInputError(
        f'the batch input {where} has no records (JSONL: one {{"id", "text"}} object per '
        f"line; a folder: {'/'.join(FOLDER_SUFFIXES)} files)"
    )


# --- the Batch API steps ---

batch_api_app = typer.Typer(
    help="The OpenAI Batch API in separate steps: export, submit, status, ingest.",
    no_args_is_help=True,
)


def _endpoint(model: str | None, base_url: str | None) -> Engine:
    """The model endpoint, for the steps that only talk to the Batch API (no summarizing)."""
    return ModelOptions(model=model, base_url=base_url).build_engine("openai")


@batch_api_app.command("export")
@handle_errors
@takes_model_options()
def export_command(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help="JSONL file, folder, or -.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Request JSONL to write.")],
    options: ModelOptions = DEFAULT_MODEL_OPTIONS,
    year_hint: YearHintOption = None,
) -> None:
    """Write Batch API requests (also what vLLM's run_batch reads), one line per article."""
    from summarizer.batch.batch_api import export_requests

    refuse_same_file(input_path, output)

    engine = options.build_engine("openai", year_hint=year_hint)
    report = export_requests(
        read_input(input_path, exclude=own_files(output)),
        engine,
        output,
        max_input_chars=options.max_input_chars,
        year_hint=year_hint,
    )
    for record, reason in report.bad_records:
        note(f"summarizer: skipped {record}: {reason}")
    note(f"batch-api: {report.requests} requests written to {output}")
    raise typer.Exit(1 if report.bad_records else 0)


@batch_api_app.command("submit")
@handle_errors
def submit_command(
    requests_file: Annotated[Path, typer.Argument(metavar="REQUESTS", help="From `export`.")],
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Upload REQUESTS and create a batch; prints the batch id on stdout."""
    from summarizer.batch.batch_api import submit

    sys.stdout.write(submit(_endpoint(model, base_url), requests_file) + "\n")


@batch_api_app.command("status")
@handle_errors
def status_command(
    batch_id: Annotated[str, typer.Argument(metavar="BATCH_ID")],
    wait_until_done: Annotated[
        bool, typer.Option("--wait", help="Poll until it finishes.")
    ] = False,
    poll_interval: Annotated[float, typer.Option(min=0.01)] = 30.0,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Show a batch's state and counts (exit 0 when completed, 1 when failed/expired/cancelled)."""
    from summarizer.batch.batch_api import status, wait

    engine = _endpoint(model, base_url)
    if wait_until_done:
        current = wait(engine, batch_id, poll_interval=poll_interval, on_status=note)
    else:
        current = status(engine, batch_id)
    sys.stdout.write(current.describe() + "\n")
    raise typer.Exit(
        0 if current.status in ("completed", "validating", "in_progress", "finalizing") else 1
    )


@batch_api_app.command("ingest")
@handle_errors
@takes_model_options()
def ingest_command(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="The input that was exported.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output JSONL (resumable).")],
    batch_id: Annotated[
        str | None, typer.Option("--batch", help="Download this batch's results.")
    ] = None,
    results: Annotated[
        list[Path] | None,
        typer.Option(
            "--results", help="Or: result/error JSONL files already downloaded (repeatable)."
        ),
    ] = None,
    cache: Annotated[Path | None, typer.Option(help="Response cache file.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
    prices: Annotated[Path | None, typer.Option(help="Extra price table (TOML).")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1)] = 8,
    options: ModelOptions = DEFAULT_MODEL_OPTIONS,
    year_hint: YearHintOption = None,
) -> None:
    """Validate the batch's answers into OUTPUT; redo failed or invalid ones online (give the
    same --year-hint as to `export`)."""
    from summarizer.batch.batch_api import finish, status
    from summarizer.batch.cache import open_cache
    from summarizer.batch.pricing import load_prices

    if input_path == "-":
        raise ConfigError("ingest reads INPUT twice; give a file or folder, not -")
    if batch_id is None and not results:
        raise ConfigError("give --batch BATCH_ID or --results FILE")
    refuse_same_file(input_path, output)
    engine = options.build_engine("openai", year_hint=year_hint)
    cache_option: Path | bool = False if no_cache else (cache if cache is not None else True)
    with open_cache(cache_option, engine_name=engine.name) as response_cache:
        report = finish(
            lambda: read_input(input_path, exclude=own_files(output)),
            engine=engine,
            output=output,
            batch=status(engine, batch_id) if batch_id else None,
            result_files=results or [],
            cache=response_cache,
            prices=load_prices(prices),
            concurrency=concurrency,
            on_status=note,
            max_input_chars=options.max_input_chars,
            year_hint=year_hint,
        )
    note(summary_text(report))
    raise typer.Exit(report.exit_code)


def register(app: typer.Typer) -> None:
    app.command("batch", help=BATCH_HELP)(batch_command)
    app.add_typer(batch_api_app, name="batch-api")
