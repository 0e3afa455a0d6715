"""``summarizer eval``: run an engine over a gold set, score predictions, compare two runs, score
a matrix of variants.

Exit codes: 0 ok; 1 a gate failed (``--fail-under`` or ``--fail-on-regression``) or some
examples produced no output (the reports are still written); 2 bad input
(unknown set, malformed predictions or run directory, bad METRIC=VALUE, a gate on an unknown
metric, refused before the run, or on one that is n/a in the run); 3 configuration (no
model configured for ``--engine openai``); 4 transport; 70 unexpected; 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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
    DEFAULT_MODEL_OPTIONS,
    MODEL_PANEL,
    ModelOptions,
    YearHintOption,
    handle_errors,
    note,
    stderr,
    takes_model_options,
)
from summarizer.config import CAPABILITIES
from summarizer.engines.base import EngineChoice
from summarizer.errors import InputError
from summarizer.extras import require_extra

eval_app = typer.Typer(
    name="eval",
    help=(
        "Measure quality: run an engine over a gold set, score predictions, compare runs, "
        "score a matrix of variants."
    ),
    no_args_is_help=True,
)


class CompareFormat(StrEnum):
    markdown = "markdown"
    json = "json"


@eval_app.command("run")
@handle_errors
@takes_model_options()
def run_command(
    set_name: Annotated[
        str,
        typer.Option(
            "--set",
            help="Gold set: a shipped name (seed, wmt22-zhen, zh-news-summaries), the name of "
            "one of your sets (see `summarizer eval sets`), or a folder.",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Run directory to write (created if needed; one holding a run of another set "
            "or engine needs --overwrite).",
        ),
    ],
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
    options: ModelOptions = DEFAULT_MODEL_OPTIONS,
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
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite", help="Replace a run of another set or engine already in --out."
        ),
    ] = False,
    judge_model: Annotated[
        str | None,
        typer.Option(
            help=(
                "Also score outputs with this judge model (rubric in prompts/judge/); "
                "uses --base-url / $OPENAI_BASE_URL."
            )
        ),
    ] = None,
    year_hint: YearHintOption = None,
) -> None:
    """Score an engine (or a predictions file) on a gold set; write scores and reports."""
    require_extra("eval", "summarizer eval run")
    from summarizer.eval.run import (
        check_gate_names,
        gate_failure_message,
        parse_thresholds,
        run_eval,
    )

    if (engine is None) == (predictions is None):
        raise InputError("give either --engine offline|openai or --predictions FILE.jsonl")
    thresholds = parse_thresholds(fail_under or [], option="--fail-under")
    check_gate_names(thresholds)  # before any engine is built or example run
    chosen = None
    if engine is not None:
        chosen = options.build_engine(engine, year_hint=year_hint)
    elif year_hint is not None:
        raise InputError("--year-hint dates what an engine runs; --predictions were made already")
    judge_config = None
    if judge_model is not None:
        from summarizer.config import ModelConfig

        judge_config = ModelConfig.require(model=judge_model, base_url=options.base_url)
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
            overwrite=overwrite,
            max_input_chars=options.max_input_chars,
            year_hint=year_hint,
        )
    finally:
        bar.close()
    sys.stdout.write((out / "report.md").read_text(encoding="utf-8"))
    note(
        f"summarizer: wrote {out}/report.html, report.md, report.json, scores.jsonl, "
        "predictions.jsonl"
    )
    failed_gates = gate_failure_message(result.gates)
    if failed_gates is not None:
        _gate_failed(failed_gates)
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
        CompareFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CompareFormat.markdown,
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples.")] = 10_000,
    diff_metric: Annotated[
        str | None,
        typer.Option(help="Metric of the per-example diff (default: summary.rougeL if present)."),
    ] = None,
) -> None:
    """Paired bootstrap comparison of two runs of the same gold set (B − A per metric).

    No verdict below 10 paired examples; cost and latency are reported but gated only when named
    in --tolerance.
    """
    from summarizer.eval.compare import compare_runs
    from summarizer.eval.report import render_compare_markdown
    from summarizer.eval.run import parse_thresholds

    tolerances = parse_thresholds(tolerance or [], option="--tolerance")
    result = compare_runs(
        run_a, run_b, tolerances=tolerances, resamples=resamples, diff_metric=diff_metric
    )
    if output_format is CompareFormat.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_compare_markdown(result))
    note(
        f"summarizer: {result.overall}; A: {len(result.run_a.errors)} errors, "
        f"B: {len(result.run_b.errors)} errors"
    )
    if fail_on_regression and result.regressions:
        _gate_failed("regression in " + ", ".join(c.metric for c in result.regressions))


def _check_capabilities(values: list[str] | None) -> list[str] | None:
    for value in values or []:
        if value not in CAPABILITIES:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(CAPABILITIES)}")
    return values


class FewShotAxis(StrEnum):
    on = "on"
    off = "off"
    default = "default"


#: The matrix's own axes: repeatable options of the matrix command, not shared model options.
MATRIX_AXES = ("model", "prompt_version", "capability", "few_shot")


@eval_app.command("matrix")
@handle_errors
@takes_model_options(omit=MATRIX_AXES)
def matrix_command(
    out: Annotated[Path, typer.Option("--out", help="Matrix directory to write (created).")],
    set_name: Annotated[
        str | None,
        typer.Option("--set", help="Gold set name or folder (or `set` in the matrix file)."),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="TOML file with set, base_url, models, prompt_versions, capabilities, few_shot.",
        ),
    ] = None,
    models: Annotated[
        list[str] | None,
        typer.Option(
            "--model", help="A model to score (repeatable; `offline`: the offline engine)."
        ),
    ] = None,
    prompt_versions: Annotated[
        list[str] | None,
        typer.Option("--prompt-version", help="A summarize prompt version (repeatable)."),
    ] = None,
    capabilities: Annotated[
        list[str] | None,
        typer.Option(
            "--capability",
            callback=_check_capabilities,
            help=f"A structured-output mode (repeatable): {', '.join(CAPABILITIES)}.",
        ),
    ] = None,
    few_shot: Annotated[
        list[FewShotAxis] | None,
        typer.Option(
            "--few-shot", help="Few-shot examples on, off or as the prompt says (repeatable)."
        ),
    ] = None,
    options: ModelOptions = DEFAULT_MODEL_OPTIONS,
    concurrency: Annotated[int, typer.Option(min=1, help="Examples summarized at once.")] = 4,
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples for CIs.")] = 10_000,
    rank_by: Annotated[
        str | None,
        typer.Option(help="Metric that ranks the variants (default: summary.rougeL, else ...)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write cached outputs.")
    ] = False,
    year_hint: YearHintOption = None,
) -> None:
    """Score every combination of models × prompt versions × capabilities × few-shot on one set.

    The other model options (--deadline, --max-reasks, --server, ...) apply to every variant.

    Writes OUT/matrix.html (leaderboard, pairwise significance, per-example grid), matrix.md,
    matrix.json and one run directory per variant under OUT/variants/.
    """
    from summarizer.eval.matrix import load_spec, run_matrix, spec_from

    file_values = load_spec(config_file) if config_file is not None else {}
    shots = {FewShotAxis.on: True, FewShotAxis.off: False, FewShotAxis.default: None}
    spec = spec_from(
        file_values,
        set_name=set_name,
        models=models or [],
        prompt_versions=prompt_versions or [],
        capabilities=capabilities or [],
        few_shot=[shots[choice] for choice in few_shot or []],
        base_url=options.base_url,
        engine_options=options.engine_options(),
        max_input_chars=options.max_input_chars,
        year_hint=year_hint,
    )
    bar = _LazyProgress(f"matrix {spec.set_name}", enabled=True)

    def progress(name: str, done: int, total: int) -> None:
        bar.description = name
        bar.update(done, total)

    try:
        matrix = run_matrix(
            spec,
            out_dir=out,
            concurrency=concurrency,
            resamples=resamples,
            rank_by=rank_by,
            use_cache=not no_cache,
            progress=progress,
        )
    finally:
        bar.close()
    sys.stdout.write((out / "matrix.md").read_text(encoding="utf-8"))
    note(
        f"summarizer: wrote {out}/matrix.html, matrix.md, matrix.json and "
        f"{len(matrix.runs)} run directories under {out}/variants/"
    )
    # Some failures are a variant's result; failing every example is a broken variant (an
    # unreachable endpoint, a misspelt model), which must not pass as a green matrix.
    broken = [
        run.variant.name
        for run in matrix.runs
        if run.result.scores and run.errors == len(run.result.scores)
    ]
    if broken:
        _gate_failed(
            f"{len(broken)} variant(s) produced no output for any example: "
            + "; ".join(broken)
            + f" (see {out}/variants/*/predictions.jsonl)"
        )


@eval_app.command("sets")
@handle_errors
def sets_command() -> None:
    """List the gold sets with their signatures: shipped ones, the checkout's external ones (built
    here from public data, or how to build them), then your own (--set NAME reads any; your sets
    live in $SUMMARIZER_EVAL_SETS or the user data dir)."""
    from summarizer.errors import GoldSetError, GoldSetNotBuiltError
    from summarizer.eval.goldset import (
        external_set_names,
        load_set,
        shipped_set_names,
        user_set_names,
        user_sets_root,
    )

    for name in shipped_set_names():
        goldset = load_set(name)
        sys.stdout.write(f"{goldset.signature}\t{len(goldset)} examples\t{goldset.description}\n")
    for name in external_set_names():
        try:
            goldset = load_set(name)
        except GoldSetNotBuiltError as error:
            sys.stdout.write(f"{name}\tnot built\t{error.build}\n")
            continue
        sys.stdout.write(
            f"{goldset.signature}\t{len(goldset)} examples\t{goldset.description}\t(external)\n"
        )
    root = user_sets_root()
    for name in user_set_names():
        try:
            goldset = load_set(root / name)
        except GoldSetError as error:
            sys.stdout.write(f"{name}\tunreadable\t{error}\n")
            continue
        description = " ".join(goldset.description.split())
        sys.stdout.write(
            f"{goldset.signature}\t{len(goldset)} examples\t{description}\t{goldset.path}\n"
        )


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
        self._progress.update(self._task, completed=done, total=total, description=self.description)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _gate_failed(message: str) -> None:
    from summarizer.errors import GateError

    raise GateError(message)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
