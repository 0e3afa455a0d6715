"""An eval matrix: several variants of the engine scored on one gold set in one run, one report.

A variant is one point of prompt version × model × capability × few-shot (the axes come from the
command line or a small TOML file, see :func:`load_spec`). The work the variants share is done
once: the gold set is loaded once and every article is prepared (decoded, repaired, analyzed) once
per analysis depth, then handed to each variant's engine. Each variant is scored like
``summarizer eval run`` and written as a full run directory (``variants/<slug>/``, with its own
``report.html``), so ``eval compare`` works on any two of them and the matrix report links into
them. The matrix report adds a leaderboard (means with 95% CIs), pairwise paired-bootstrap
comparisons on the ranking metric (no verdict below ``MIN_PAIRED_N`` pairs) and a per-example grid
with the examples where the variants disagree first.

Seam: the per-variant generate loop below takes prepared articles; when the eval's generate step
moves onto the batch runner (issue 8), this loop should move with it.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.api import check_input_size, checked_year_hint
from summarizer.batch.cache import ResponseCache
from summarizer.config import CAPABILITIES
from summarizer.engines.base import Engine
from summarizer.engines.deadline import article_clock, deadline_checkpoint, engine_deadline
from summarizer.errors import InputError, SummarizerError
from summarizer.eval.goldset import GoldSet, load_set
from summarizer.eval.metrics import Direction, lookup
from summarizer.eval.outputs import Prediction
from summarizer.eval.report import example_anchor, format_number, write_run
from summarizer.eval.result import RunResult
from summarizer.eval.run import assemble, generate, score_run
from summarizer.eval.stats import DEFAULT_RESAMPLES, MIN_PAIRED_N, Comparison, paired_compare
from summarizer.text.document import Analysis, Document, run_to_end
from summarizer.text.warmup import warm_up_text_tools

#: The model name that stands for the offline engine in a matrix (it has no prompt or capability).
OFFLINE = "offline"
#: Tried in order as the ranking metric when none is given.
RANK_METRICS = ("summary.rougeL", "translation.chrf", "evidence_zh.rougeL", "schema_valid")
#: Leaderboard columns, when the run has them.
LEADERBOARD_METRICS = (
    "schema_valid",
    "summary.rougeL",
    "evidence_zh.rougeL",
    "translation.chrf",
    "people.f1",
    "grounding.evidence_in_source",
    "grounding.flags",
    "judge.mean",
    "cost.total_tokens",
    "cost.latency_ms",
)
#: A row of the grid is a disagreement when its values spread over at least this share of the
#: metric's range over the whole grid (or when some variants failed and others did not).
DISAGREEMENT_SHARE = 0.2
#: Keys a matrix TOML file may hold.
SPEC_KEYS = ("set", "base_url", "models", "prompt_versions", "capabilities", "few_shot")

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Variant:
    """One engine configuration of the matrix."""

    model: str
    prompt_version: str = "latest"
    capability: str = "auto"
    few_shot: bool | None = None

    @property
    def is_offline(self) -> bool:
        return self.model == OFFLINE

    @property
    def name(self) -> str:
        if self.is_offline:
            return OFFLINE
        shots = {None: "few-shot default", True: "few-shot on", False: "few-shot off"}
        return (
            f"{self.model} · prompt {self.prompt_version} · {self.capability} · "
            f"{shots[self.few_shot]}"
        )

    @property
    def slug(self) -> str:
        """A folder name: readable, unique per variant."""
        if self.is_offline:
            return OFFLINE
        shots = {None: "fsdefault", True: "fs", False: "nofs"}
        parts = (self.model, self.prompt_version, self.capability, shots[self.few_shot])
        return "__".join(re.sub(r"[^A-Za-z0-9._-]+", "-", part) for part in parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "slug": self.slug,
            "model": self.model,
            "prompt_version": None if self.is_offline else self.prompt_version,
            "capability": None if self.is_offline else self.capability,
            "few_shot": None if self.is_offline else self.few_shot,
        }


@dataclass(frozen=True)
class MatrixSpec:
    """The axes of a matrix; its variants are their product."""

    set_name: str
    models: tuple[str, ...]
    prompt_versions: tuple[str, ...] = ("latest",)
    capabilities: tuple[str, ...] = ("auto",)
    few_shot: tuple[bool | None, ...] = (None,)
    base_url: str | None = None
    #: Engine options every variant shares (``get_engine``'s: ``deadline``, ``max_reasks``,
    #: ``server``, ``context_window``, ``chunk_chars``, ``max_output_tokens``, ...).
    engine_options: Mapping[str, Any] = field(default_factory=dict)
    #: Longer articles fail for every variant (default: as ``prepare_article``).
    max_input_chars: int | None = None
    #: The publication year of every article, for dates written without one (``--year-hint``).
    year_hint: int | None = None

    def variants(self) -> list[Variant]:
        """Every combination, in axis order; the offline engine once (it ignores the others)."""
        if not self.models:
            raise InputError("the matrix needs at least one model (--model, or models in the TOML)")
        for capability in self.capabilities:
            if capability not in CAPABILITIES:
                raise InputError(
                    f"unknown capability {capability!r}; use one of {', '.join(CAPABILITIES)}"
                )
        found: list[Variant] = []
        for model, version, capability, shots in itertools.product(
            self.models, self.prompt_versions, self.capabilities, self.few_shot
        ):
            variant = (
                Variant(OFFLINE) if model == OFFLINE else Variant(model, version, capability, shots)
            )
            if variant not in found:
                found.append(variant)
        if len(found) < 2:
            raise InputError(
                f"the matrix has {len(found)} variant; give at least two "
                "(e.g. two --model or two --prompt-version values), or use `summarizer eval run`"
            )
        return found


def load_spec(path: str | Path) -> dict[str, Any]:
    """The axes in a matrix TOML file (``set``, ``base_url``, ``models``, ``prompt_versions``,
    ``capabilities``, ``few_shot``), checked; values not given stay absent."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read the matrix file {file}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{file} is not valid TOML ({error})") from None
    unknown = sorted(set(data) - set(SPEC_KEYS))
    if unknown:
        raise InputError(
            f"{file}: unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(SPEC_KEYS)}"
        )
    for key in ("set", "base_url"):
        if key in data and not isinstance(data[key], str):
            raise InputError(f"{file}: {key} must be a string")
    for key in ("models", "prompt_versions", "capabilities"):
        value = data.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)
        ):
            raise InputError(f"{file}: {key} must be a list of non-empty strings")
    shots = data.get("few_shot")
    if shots is not None and (
        not isinstance(shots, list) or not all(isinstance(v, bool) for v in shots)
    ):
        raise InputError(f"{file}: few_shot must be a list of true/false")
    return data


# --- running --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """One article prepared once for every variant (or the input or deadline error that raised),
    and the seconds that took: each variant's deadline for the article counts them, as the
    library's deadline counts preparation, so a variant's results do not depend on the work being
    shared."""

    outcome: tuple[Document, Analysis] | SummarizerError
    seconds: float


def prepare_all(
    goldset: GoldSet,
    *,
    thorough: bool,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
    deadline_of: Engine | None = None,
) -> list[Prepared]:
    """Every article prepared once (or the error it raises), in set order.

    As in ``eval run`` and ``batch``: the text tools load first, off every article's clock, and
    ``deadline_of`` (the variant with the longest deadline among those sharing this preparation)
    stops an article's text handling once its deadline has passed, instead of after minutes of
    work no variant has time for. Such an article is handed to each variant unprepared and
    charged the seconds spent: every variant's deadline has passed, and its runner records the
    error at its first checkpoint, as ``eval run`` of that variant alone would.
    """
    from summarizer.api import prepare_article

    warm_up_text_tools()
    prepared: list[Prepared] = []
    for example in goldset:
        started = time.monotonic()
        outcome: tuple[Document, Analysis] | SummarizerError
        try:
            with article_clock(started):
                checkpoint = run_to_end if deadline_of is None else deadline_checkpoint(deadline_of)
                outcome = prepare_article(
                    example.source,
                    thorough=thorough,
                    max_input_chars=max_input_chars,
                    year_hint=year_hint,
                    checkpoint=checkpoint,
                )
        except SummarizerError as error:
            outcome = error
        prepared.append(Prepared(outcome, time.monotonic() - started))
    return prepared


def longest_deadline(engines: Sequence[Engine]) -> Engine | None:
    """The engine whose deadline is the longest (None when one of them states none: its
    articles may take all the time they need)."""
    longest: Engine | None = None
    most = 0.0
    for engine in engines:
        seconds = engine_deadline(engine)
        if seconds is None:
            return None
        if longest is None or seconds > most:
            longest, most = engine, seconds
    return longest


def build_engine(
    variant: Variant, base_url: str | None, options: Mapping[str, Any] | None = None
) -> Engine:
    """The engine of one variant with the ``options`` all variants share
    (``NoModelConfiguredError`` when no endpoint is configured, ``ConfigError`` for a bad
    option, with either engine)."""
    from summarizer.api import get_engine

    shared = dict(options or {})
    if variant.is_offline:
        return get_engine("offline", **shared)
    return get_engine(
        "openai",
        model=variant.model,
        base_url=base_url,
        capability=variant.capability,
        prompt_version=variant.prompt_version,
        few_shot=variant.few_shot,
        **shared,
    )


async def generate_prepared(
    goldset: GoldSet,
    engine: Engine,
    prepared: Sequence[Prepared],
    *,
    concurrency: int = 4,
    cache: ResponseCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> list[Prediction]:
    """Run ``engine`` on articles prepared beforehand (the batch runner, as ``eval run`` does).

    An article whose preparation failed is handed over unprepared: the runner prepares it again
    and records the same typed error for it. Each article's deadline counts the seconds its
    shared preparation took (also when the deadline stopped it).
    """
    shared = [
        None if isinstance(ready.outcome, SummarizerError) else ready.outcome for ready in prepared
    ]
    # A preparation the deadline stopped is charged too: the runner's own preparation of it then
    # stops at its first checkpoint, with no second chance on a fresh clock. An input error is
    # not: the runner meets the same error again, whatever the clock says.
    spent = [0.0 if isinstance(ready.outcome, InputError) else ready.seconds for ready in prepared]
    return await generate(
        goldset,
        engine,
        concurrency=concurrency,
        cache=cache,
        progress=progress,
        prepared=shared,
        preparation_seconds=spent,
        max_input_chars=max_input_chars,
        year_hint=year_hint,  # the cache key's, and for an article prepared again
    )


@dataclass
class VariantRun:
    variant: Variant
    result: RunResult

    @property
    def errors(self) -> int:
        return self.result.counts.get("errors", 0)


@dataclass
class MatrixResult:
    goldset: GoldSet
    runs: list[VariantRun]
    rank_by: str
    elapsed_s: float
    #: How often each shared step ran (the proof that shared work is done once).
    shared_work: dict[str, int] = field(default_factory=dict)
    out_dir: Path | None = None
    resamples: int = DEFAULT_RESAMPLES

    def values(self, metric: str) -> list[list[float | None]]:
        """``metric`` per example (rows) and variant (columns)."""
        by_variant = [{s.id: s.metrics.get(metric) for s in run.result.scores} for run in self.runs]
        return [[column.get(e.id) for column in by_variant] for e in self.goldset]

    def leaderboard(self) -> list[dict[str, Any]]:
        """Variants ranked by the mean of ``rank_by`` (best first; n/a last)."""
        better_high = lookup(self.rank_by).direction is not Direction.LOWER
        rows = []
        for run in self.runs:
            summary = run.result.summary
            cells = {}
            for metric in self.metrics:
                estimate = summary.get(metric)
                cells[metric] = estimate.to_json() if estimate is not None else None
            rows.append(
                {
                    "variant": run.variant.to_json(),
                    "errors": run.errors,
                    "examples": len(self.goldset),
                    "metrics": cells,
                    "total_tokens": run.result.corpus.get("total.total_tokens"),
                    "report": f"variants/{run.variant.slug}/report.html",
                }
            )

        def key(row: dict[str, Any]) -> tuple[int, float]:
            cell = row["metrics"].get(self.rank_by)
            mean = cell["mean"] if cell else None
            if mean is None:
                return (1, 0.0)
            return (0, -mean if better_high else mean)

        return sorted(rows, key=key)

    @property
    def metrics(self) -> list[str]:
        present = {name for run in self.runs for name in run.result.summary}
        names = [m for m in LEADERBOARD_METRICS if m in present]
        if self.rank_by not in names:
            names.insert(0, self.rank_by)
        return names

    def pairwise(self) -> list[tuple[int, int, Comparison]]:
        """Paired bootstrap of ``rank_by`` for every pair of variants (B − A, A before B)."""
        grid = self.values(self.rank_by)
        direction = lookup(self.rank_by).direction
        higher = None if direction is Direction.NEUTRAL else direction is Direction.HIGHER
        found = []
        for i, j in itertools.combinations(range(len(self.runs)), 2):
            pairs = [(row[i], row[j]) for row in grid if row[i] is not None and row[j] is not None]
            comparison = paired_compare(
                self.rank_by,
                [float(a) for a, _ in pairs],  # type: ignore[arg-type]
                [float(b) for _, b in pairs],  # type: ignore[arg-type]
                higher_is_better=higher,
                resamples=self.resamples,
            )
            found.append((i, j, comparison))
        return found

    def grid(self) -> list[dict[str, Any]]:
        """One row per example: each variant's value of ``rank_by`` (or its error), and whether
        the variants disagree; disagreeing rows first, widest spread first."""
        values = self.values(self.rank_by)
        errors = [{s.id: s.error for s in run.result.scores} for run in self.runs]
        every = [v for row in values for v in row if v is not None]
        scale = (max(every) - min(every)) if every else 0.0
        rows: list[dict[str, Any]] = []
        for index, example in enumerate(self.goldset):
            row = values[index]
            failed = [errors[k].get(example.id) for k in range(len(self.runs))]
            present = [v for v in row if v is not None]
            spread = (max(present) - min(present)) if len(present) >= 2 else 0.0
            mixed_failure = any(failed) and not all(failed)
            disagree = mixed_failure or (scale > 0 and spread >= DISAGREEMENT_SHARE * scale)
            rows.append(
                {
                    "id": example.id,
                    "anchor": example_anchor(example.id),
                    "cells": [
                        {
                            "value": format_number(row[k]) if not failed[k] else failed[k],
                            "raw": row[k],
                            "error": failed[k],
                            "link": f"variants/{run.variant.slug}/report.html"
                            f"#{example_anchor(example.id)}",
                        }
                        for k, run in enumerate(self.runs)
                    ],
                    "spread": spread,
                    "disagree": disagree,
                }
            )
        rows.sort(key=lambda r: (not r["disagree"], -float(r["spread"])))
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "summarizer-eval-matrix/1",
            "set": {
                "signature": self.goldset.signature,
                "content_hash": self.goldset.content_hash,
                "examples": len(self.goldset),
            },
            "rank_by": self.rank_by,
            "min_paired_n": MIN_PAIRED_N,
            "elapsed_s": round(self.elapsed_s, 3),
            "shared_work": self.shared_work,
            "variants": [run.variant.to_json() for run in self.runs],
            "leaderboard": self.leaderboard(),
            "pairwise": [
                {
                    "a": self.runs[i].variant.name,
                    "b": self.runs[j].variant.name,
                    **comparison.to_json(),
                }
                for i, j, comparison in self.pairwise()
            ],
            "grid": [
                {
                    "id": row["id"],
                    "disagree": row["disagree"],
                    "values": [cell["raw"] for cell in row["cells"]],
                    "errors": [cell["error"] for cell in row["cells"]],
                }
                for row in self.grid()
            ],
        }


def _rank_metric(asked: str | None, runs: Sequence[VariantRun]) -> str:
    present = {name for run in runs for name, e in run.result.summary.items() if e.n}
    if asked is not None:
        if asked not in present:
            known = ", ".join(sorted(present)[:12])
            raise InputError(f"--rank-by {asked}: no variant has it (have: {known}, ...)")
        return asked
    return next((name for name in RANK_METRICS if name in present), "schema_valid")


async def arun_matrix(
    spec: MatrixSpec,
    *,
    out_dir: str | Path,
    concurrency: int = 4,
    resamples: int = DEFAULT_RESAMPLES,
    rank_by: str | None = None,
    use_cache: bool = True,
    cache_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> MatrixResult:
    """Score every variant of ``spec`` on its set and write the matrix directory."""
    variants = spec.variants()
    if spec.max_input_chars is not None:
        check_input_size("", spec.max_input_chars)  # a bad limit: a ConfigError before any work
    # Every engine first: a bad option or a missing endpoint fails before any work.
    year_hint = checked_year_hint(spec.year_hint)
    options = {**spec.engine_options, **({"year_hint": year_hint} if year_hint else {})}
    engines = [build_engine(variant, spec.base_url, options) for variant in variants]
    started = time.perf_counter()
    folder = Path(out_dir)
    if (folder / "report.json").is_file():  # a run's own files would sit among the matrix's
        raise InputError(
            f"--out {folder} holds an eval run (report.json), not a matrix; give a new directory"
        )
    goldset = load_set(spec.set_name)
    shared: dict[bool, list[Prepared]] = {}
    shared_work = {"goldset_loads": 1, "preparations": 0}
    cache = (
        ResponseCache(Path(cache_path) if cache_path else folder / "cache.sqlite3")
        if use_cache
        else None
    )
    runs = []
    try:
        for variant, engine in zip(variants, engines, strict=True):
            depth = engine.thorough_analysis
            if depth not in shared:
                sharing = [other for other in engines if other.thorough_analysis == depth]
                shared[depth] = prepare_all(
                    goldset,
                    thorough=depth,
                    max_input_chars=spec.max_input_chars,
                    year_hint=year_hint,
                    deadline_of=longest_deadline(sharing),
                )
                shared_work["preparations"] += len(goldset)
            variant_started = time.perf_counter()

            def report(done: int, total: int, name: str = variant.name) -> None:
                if progress is not None:
                    progress(name, done, total)

            predictions = await generate_prepared(
                goldset,
                engine,
                shared[depth],
                concurrency=concurrency,
                cache=cache,
                progress=report,
                max_input_chars=spec.max_input_chars,
                year_hint=year_hint,
            )
            scores = score_run(goldset, predictions)
            result = assemble(
                goldset,
                predictions,
                scores,
                engine_info={
                    "name": getattr(engine, "name", "engine"),
                    "variant": variant.name,
                    **dict(engine.fingerprint()),
                    **({"year_hint": str(year_hint)} if year_hint is not None else {}),
                },
                elapsed_s=time.perf_counter() - variant_started,
                resamples=resamples,
                out_dir=folder / "variants" / variant.slug,
            )
            write_run(result, folder / "variants" / variant.slug)
            runs.append(VariantRun(variant, result))
    finally:
        if cache is not None:
            cache.close()
        for engine in engines:
            closer = getattr(engine, "aclose", None)
            if closer is not None:
                await closer()
    matrix = MatrixResult(
        goldset,
        runs,
        _rank_metric(rank_by, runs),
        time.perf_counter() - started,
        shared_work,
        folder,
        resamples,
    )
    write_matrix(matrix, folder)
    return matrix


def run_matrix(spec: MatrixSpec, **options: Any) -> MatrixResult:
    """The sync form of :func:`arun_matrix`."""
    from summarizer.api import run_sync

    return run_sync(arun_matrix(spec, **options))


def write_matrix(matrix: MatrixResult, folder: Path) -> None:
    """``matrix.json``, ``matrix.md`` and ``matrix.html`` next to the variant run directories."""
    from summarizer.eval.report import render_matrix_html, render_matrix_markdown

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "matrix.json").write_text(
        json.dumps(matrix.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (folder / "matrix.md").write_text(render_matrix_markdown(matrix), encoding="utf-8")
    (folder / "matrix.html").write_text(render_matrix_html(matrix), encoding="utf-8")


def spec_from(
    file_values: Mapping[str, Any],
    *,
    set_name: str | None,
    models: Sequence[str],
    prompt_versions: Sequence[str],
    capabilities: Sequence[str],
    few_shot: Sequence[bool | None],
    base_url: str | None,
    engine_options: Mapping[str, Any] | None = None,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> MatrixSpec:
    """Command-line axes over the TOML file's (an axis given on the command line replaces it)."""
    chosen_set = set_name or file_values.get("set")
    if not chosen_set:
        raise InputError('give the gold set: --set NAME (or set = "..." in the matrix file)')
    shots: tuple[bool | None, ...] = tuple(few_shot) or tuple(file_values.get("few_shot") or ())
    return MatrixSpec(
        set_name=str(chosen_set),
        models=tuple(models) or tuple(file_values.get("models") or ()),
        prompt_versions=tuple(prompt_versions)
        or tuple(file_values.get("prompt_versions") or ("latest",)),
        capabilities=tuple(capabilities) or tuple(file_values.get("capabilities") or ("auto",)),
        few_shot=shots or (None,),
        base_url=base_url or file_values.get("base_url"),
        engine_options=dict(engine_options or {}),
        max_input_chars=max_input_chars,
        year_hint=year_hint,
    )
