"""``summarizer eval``: run an engine over a gold set, score predictions, compare two runs.

Exit codes: 0 ok; 1 a gate failed (``--fail-under`` or ``--fail-on-regression``) or some
examples produced no output (the reports are still written); 2 bad input
(unknown set, malformed predictions or run directory, bad METRIC=VALUE); 3 configuration (no
model configured for ``--engine openai``); 4 transport; 70 unexpected; 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from summarizer.cli.common import (
    MODEL_PANEL,
    BaseUrlOption,
    CapabilityOption,
    DeadlineOption,
    FewShotOption,
    MaxReasksOption,
    ModelOption,
    PromptVersionOption,
    handle_errors,
    model_options,
    note,
    stderr,
)
from summarizer.engines.base import EngineChoice
from summarizer.errors import InputError
from summarizer.extras import require_extra

eval_app = typer.Typer(
    name="eval",
    help="Measure quality: run an engine over a gold set, score predictions, compare runs.",
    no_args_is_help=True,
)


@eval_app.command("run")
@handle_errors
def run_command(
    set_name: Annotated[
        str,
        typer.Option(
            "--set", help="Gold set name (seed, wmt22-zhen, zh-news-summaries) or folder."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Run directory to write (created if needed).")],
    engine: Annotated[
        EngineChoice | None,
        typer.Option(
            help="Engine to run (omit with --predictions).",
            rich_help_panel=MODEL_PANEL,
        ),
    ] = None,
    predictions: Annotated[
        Path | None,
        typer.Option(
            help="Score this JSONL of outputs made elsewhere instead of running an engine."
        ),
    ] = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    capability: CapabilityOption = None,
    prompt_version: PromptVersionOption = None,
    max_reasks: MaxReasksOption = None,
    deadline: DeadlineOption = None,
    few_shot: FewShotOption = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Examples summarized at once.")] = 4,
    cache: Annotated[
        Path | None, typer.Option(help="Response cache file (default: OUT/cache.sqlite3).")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write cached outputs.")
    ] = False,
    fail_under: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-under",
            help=(
                "METRIC=VALUE gate on a mean (repeatable); "
                "lower-is-better metrics fail above VALUE."
            ),
        ),
    ] = None,
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples for CIs.")] = 10_000,
    judge_model: Annotated[
        str | None,
        typer.Option(
            help=(
                "Also score outputs with this judge model (rubric in prompts/judge/); "
                "uses --base-url / $OPENAI_BASE_URL."
            )
        ),
    ] = None,
) -> None:
    """Score an engine (or a predictions file) on a gold set; write scores and reports."""
    require_extra("eval", "summarizer eval run")
    from summarizer.eval.run import parse_thresholds, run_eval

    if (engine is None) == (predictions is None):
        raise InputError("give either --engine offline|openai or --predictions FILE.jsonl")
    thresholds = parse_thresholds(fail_under or [], option="--fail-under")
    chosen = None
    if engine is not None:
        from summarizer.api import get_engine

        chosen = get_engine(
            engine,
            model=model,
            base_url=base_url,
            **model_options(
                capability=capability,
                prompt_version=prompt_version,
                max_reasks=max_reasks,
                deadline=deadline,
                few_shot=few_shot,
            ),
        )
    judge_config = None
    if judge_model is not None:
        from summarizer.config import ModelConfig

        judge_config = ModelConfig.require(model=judge_model, base_url=base_url)
    bar = _LazyProgress(f"eval {set_name}", enabled=chosen is not None)
    try:
        result = run_eval(
            set_name,
            engine=chosen,
            predictions_path=predictions,
            out_dir=out,
            concurrency=concurrency,
            cache_path=cache,
            use_cache=not no_cache,
            fail_under=thresholds,
            progress=bar.update,
            resamples=resamples,
            judge_config=judge_config,
        )
    finally:
        bar.close()
    sys.stdout.write((out / "report.md").read_text(encoding="utf-8"))
    note(
        f"summarizer: wrote {out}/report.html, report.md, report.json, scores.jsonl, "
        "predictions.jsonl"
    )
    if result.gate_failed:
        failed = [g["metric"] for g in result.gates if not g["passed"]]
        _gate_failed(f"--fail-under failed for {', '.join(failed)}")
    errors = result.counts.get("errors", 0)
    if errors:
        _gate_failed(
            f"{errors} of {result.counts.get('examples', errors)} examples failed to produce "
            f"an output (see {out}/predictions.jsonl)"
        )


@eval_app.command("compare")
@handle_errors
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="Baseline run directory (A).")],
    run_b: Annotated[Path, typer.Argument(help="Candidate run directory (B).")],
    tolerance: Annotated[
        list[str] | None,
        typer.Option("--tolerance", help="METRIC=VALUE acceptable drop (repeatable)."),
    ] = None,
    fail_on_regression: Annotated[
        bool,
        typer.Option(
            "--fail-on-regression",
            help="Exit 1 when a metric's CI lies entirely past its tolerance on the bad side.",
        ),
    ] = False,
    output_format: Annotated[
        Literal["markdown", "json"], typer.Option("--format", "-f", help="Output format.")
    ] = "markdown",
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples.")] = 10_000,
) -> None:
    """Paired bootstrap comparison of two runs of the same gold set (B − A per metric)."""
    from summarizer.eval.compare import compare_runs
    from summarizer.eval.report import render_compare_markdown
    from summarizer.eval.run import parse_thresholds

    tolerances = parse_thresholds(tolerance or [], option="--tolerance")
    result = compare_runs(run_a, run_b, tolerances=tolerances, resamples=resamples)
    if output_format == "json":
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_compare_markdown(result))
    if fail_on_regression and result.regressions:
        _gate_failed("regression in " + ", ".join(c.metric for c in result.regressions))


@eval_app.command("sets")
@handle_errors
def sets_command() -> None:
    """List the shipped gold sets with their signatures."""
    from summarizer.eval.goldset import load_set, shipped_set_names

    for name in shipped_set_names():
        goldset = load_set(name)
        sys.stdout.write(f"{goldset.signature}\t{len(goldset)} examples\t{goldset.description}\n")


class _LazyProgress:
    """A rich progress bar on stderr that appears with the first finished example (so that an
    early error prints one clean line, not a half-drawn bar)."""

    def __init__(self, description: str, *, enabled: bool) -> None:
        self.description = description
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            self._progress = Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=stderr,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=total)
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _gate_failed(message: str) -> None:
    from summarizer.errors import GateError

    raise GateError(message)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
