"""Run an engine over a gold set (or read predictions made elsewhere), score, and gate.

Writing the run directory belongs to the reports (``summarizer.eval.report.write_run``); metric
facts (direction, family, which may be gated) come from ``summarizer.eval.metrics``. A run
directory holds ``predictions.jsonl``, ``scores.jsonl`` (one line per example), ``report.json``,
``report.md`` and ``report.html``. Engine outputs are cached by content hash (engine
fingerprint + source text; the shared ``summarizer.batch.cache.ResponseCache``), so a rerun of an
unchanged engine on an unchanged set makes no calls and costs nothing; the cost metrics still show
what producing the outputs cost.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from summarizer.api import check_input_size, checked_year_hint
from summarizer.batch.cache import ResponseCache, key_for
from summarizer.batch.records import Article
from summarizer.batch.results import error_detail
from summarizer.batch.runner import arun_records
from summarizer.batch.stats import BatchStats
from summarizer.config import ModelConfig
from summarizer.engines.base import Engine
from summarizer.errors import InputError, SummarizerError
from summarizer.eval.goldset import GoldSet, load_set
from summarizer.eval.metrics import (
    CORPUS_METRICS,
    COST_STATS,
    METRICS,
    Direction,
    direction,
    find,
    groups,
)
from summarizer.eval.outputs import Prediction, parse_prediction, read_predictions
from summarizer.eval.report import format_number, write_run
from summarizer.eval.result import RunResult
from summarizer.eval.scoring import ExampleScore, score_example
from summarizer.eval.signature import signatures
from summarizer.eval.stats import Estimate, mean_ci
from summarizer.eval.translation import corpus_scores
from summarizer.text.document import Analysis, Document

ProgressCallback = Callable[[int, int], None]


# --- generating -----------------------------------------------------------------------------------


def error_record(error: SummarizerError) -> dict[str, Any]:
    """The ``error`` object of a failed prediction line: the batch runner's own error detail."""
    return error_detail(error)


async def generate(
    goldset: GoldSet,
    engine: Engine,
    *,
    concurrency: int = 4,
    cache: ResponseCache | None = None,
    progress: ProgressCallback | None = None,
    prepared: Sequence[tuple[Document, Analysis] | None] | None = None,
    preparation_seconds: Sequence[float] | None = None,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> list[Prediction]:
    """Run ``engine`` on every example through the batch runner; predictions in set order.

    The batch runner brings concurrency, the response cache and honest counters, so an eval run
    behaves exactly like a batch of the same articles. ``prepared`` (one entry per example, or
    None) lets the eval matrix share text preparation between variants; ``preparation_seconds``
    (per example) is what each took, charged to the article's deadline as the library does.
    ``max_input_chars``: longer articles are failed examples (default: as ``prepare_article``).
    ``year_hint``: the publication year of every example, as ``summarize_many`` takes it.
    """
    if concurrency < 1:
        raise InputError("--concurrency must be at least 1")
    articles = [
        Article(
            example.id,
            example.source,
            record=f"example {example.id}",
            prepared=prepared[index] if prepared is not None else None,
            preparation_seconds=preparation_seconds[index] if preparation_seconds else 0.0,
        )
        for index, example in enumerate(goldset.examples)
    ]
    total = len(articles)
    report = await arun_records(
        articles,
        engine,
        concurrency=concurrency,
        cache=cache,
        stats=BatchStats(total=total),
        on_progress=(lambda stats: progress(stats.ok + stats.failed, total)) if progress else None,
        max_input_chars=max_input_chars,
        year_hint=year_hint,
    )
    lines = {line["id"]: line for line in report.results}
    engine_name = getattr(engine, "name", "engine")
    predictions = []
    for example in goldset.examples:
        line = lines[example.id]
        record: dict[str, Any] = {
            "id": example.id,
            "source_hash": example.source_hash,
            "engine": engine_name,
            "cached": bool(line.get("cached", False)),
        }
        if line["status"] == "ok":
            record["output"] = line["result"]
        else:
            record["error"] = line["error"]
        predictions.append(parse_prediction(record))
    return predictions


# --- scoring --------------------------------------------------------------------------------------


def score(
    goldset: GoldSet,
    predictions: Sequence[Prediction],
    *,
    prices: Callable[[str | None], tuple[float, float] | None] | None = None,
) -> list[ExampleScore]:
    """Per-example scores, in the set's order; an example without a prediction scores as failed."""
    by_id = {prediction.id: prediction for prediction in predictions}
    unknown = sorted(set(by_id) - {example.id for example in goldset})
    if unknown:
        shown = ", ".join(unknown[:5])
        raise InputError(
            f"{len(unknown)} prediction id(s) are not in set {goldset.name!r} ({shown}); "
            "check that the predictions were made on this set"
        )
    scores = []
    for example in goldset:
        prediction = by_id.get(example.id)
        price = None
        if prices is not None and prediction is not None and prediction.output is not None:
            price = prices(prediction.output.model)
        scored = score_example(example, prediction, price_per_mtok=price)
        if prediction is not None and prediction.output is None:
            scored.metrics.update(failed_spend(prediction.raw))
        scores.append(scored)
    return scores


def failed_spend(record: Mapping[str, Any]) -> dict[str, float | None]:
    """What the calls of a failed example cost, from its error's attempts: a model that fails
    after re-asks has spent tokens too, and a run's totals that left them out would make the
    model that fails most look cheapest. Nothing when the error carries no attempts."""
    error = record.get("error")
    attempts = error.get("attempts") if isinstance(error, Mapping) else None
    if not isinstance(attempts, list) or not attempts:
        return {}
    prompt = completion = 0
    latency = 0.0
    for attempt in attempts:
        if not isinstance(attempt, Mapping):
            continue
        usage = attempt.get("usage")
        if isinstance(usage, Mapping):
            prompt += _count(usage.get("prompt_tokens"))
            completion += _count(usage.get("completion_tokens"))
        spent = attempt.get("latency_ms")
        if isinstance(spent, int | float) and not isinstance(spent, bool) and spent >= 0:
            latency += float(spent)
    return {
        "cost.prompt_tokens": float(prompt),
        "cost.completion_tokens": float(completion),
        "cost.total_tokens": float(prompt + completion),
        "cost.latency_ms": latency,
    }


def _count(value: object) -> int:
    """A token count from outside (a predictions file): a non-negative whole number, else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def summarize_scores(
    scores: Sequence[ExampleScore], *, resamples: int = 10_000, seed: int = 12345
) -> dict[str, Estimate]:
    """Mean and bootstrap 95% CI of every metric over the examples where it applies."""
    names: list[str] = []
    for item in scores:
        for name in item.metrics:
            if name not in names:
                names.append(name)
    columns = {
        name: [float(v) for s in scores if (v := s.metrics.get(name)) is not None] for name in names
    }
    # Metrics with the same number of values share one bootstrap weight matrix (cached per n):
    # compute them together, then report in name order. The estimates are the same either way.
    estimates = {
        name: mean_ci(columns[name], resamples=resamples, seed=seed)
        for name in sorted(names, key=lambda name: (len(columns[name]), name))
    }
    return {name: estimates[name] for name in sorted(names)}


def totals(scores: Sequence[ExampleScore]) -> dict[str, float]:
    """Sums of cost metrics over the run (tokens, USD, latency)."""
    result: dict[str, float] = {}
    for stat in COST_STATS:
        name = f"cost.{stat}"
        values = [s.metrics[name] for s in scores if s.metrics.get(name) is not None]
        if values:
            result[f"total.{stat}"] = float(sum(v for v in values if v))
    return result


def total_counts(scores: Sequence[ExampleScore]) -> dict[str, int]:
    """How many examples each of :func:`totals` sums over."""
    counted = {
        f"total.{stat}": sum(1 for s in scores if s.metrics.get(f"cost.{stat}") is not None)
        for stat in COST_STATS
    }
    return {name: count for name, count in counted.items() if count}


#: Corpus scores and the per-example metric that says whether an example takes part.
_CORPUS_METRICS = ("translation.chrf", "translation.bleu")


def corpus(
    goldset: GoldSet, predictions: Sequence[Prediction], scores: Sequence[ExampleScore]
) -> tuple[dict[str, float | None], dict[str, int]]:
    """Corpus chrF++/BLEU over the examples whose translation was scored, and their count.

    The same examples as the per-example translation scores: a failed example or a translation
    the engine does not produce is n/a there, so it is left out here too (``None`` with n = 0
    when no example has one), never scored as an empty translation.
    """
    by_id = {p.id: p for p in predictions}
    scored = {s.id for s in scores if s.metrics.get("translation.chrf") is not None}
    hyps: list[list[str]] = []
    refs: list[list[list[str]]] = []
    with_references = 0
    for example in goldset:
        references = example.translations()
        if not references:
            continue
        with_references += 1
        prediction = by_id.get(example.id)
        output = prediction.output if prediction is not None else None
        if example.id not in scored or output is None:
            continue
        hyps.append(list(output.translation or []))
        refs.append(references)
    if not with_references:
        return {}, {}
    values: dict[str, float | None] = dict.fromkeys(_CORPUS_METRICS)
    values.update(corpus_scores(hyps, refs))
    return values, dict.fromkeys(_CORPUS_METRICS, len(hyps))


def parse_thresholds(items: Sequence[str], *, option: str) -> dict[str, float]:
    """``["summary.rougeL=0.3"]`` -> ``{"summary.rougeL": 0.3}`` (InputError when malformed)."""
    parsed = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            parsed[name.strip()] = float(value)
        except ValueError:
            raise InputError(
                f"{option} takes METRIC=VALUE (e.g. summary.rougeL=0.3), not {item!r}"
            ) from None
        check_threshold(name.strip(), parsed[name.strip()], option=option)
        if option == "--tolerance" and parsed[name.strip()] < 0:
            raise InputError(
                f"--tolerance {name.strip()}: a tolerance is the drop that is acceptable, a "
                f"number >= 0, not {parsed[name.strip()]!r}"
            )
    return parsed


def check_threshold(name: str, value: object, *, option: str) -> None:
    """A threshold is a finite number: NaN compares false with every score (a gate that can
    never pass, found out only after the whole run), infinity makes a gate that cannot fail."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{option} {name}: the threshold must be a finite number, not {value!r}")


async def judge_scores(
    predictions: Sequence[Prediction],
    scores: Sequence[ExampleScore],
    config: ModelConfig,
    *,
    cache: ResponseCache | None = None,
    concurrency: int = 4,
) -> None:
    """Add ``judge.*`` metrics to ``scores`` (in place) for every prediction with a full output."""
    from summarizer.engines.client import ChatClient
    from summarizer.engines.prompts import load_template
    from summarizer.eval.judge import judge, output_for_judge

    template = load_template("judge")
    fingerprint = {
        "judge": f"{template.name}/{template.version}/{template.fingerprint}",
        "model": config.model,
        "endpoint_host": config.endpoint_host,
    }
    by_id = {s.id: s for s in scores}
    semaphore = asyncio.Semaphore(concurrency)
    async with ChatClient(config) as client:

        async def one(prediction: Prediction) -> None:
            output = prediction.output
            if output is None or output.summary_obj is None:
                return
            article = output.summary_obj.source.normalized_text
            key = key_for(fingerprint, article + "\0" + output_for_judge(output.summary_obj))
            stored = cache.get(key) if cache is not None else None
            if stored is None:
                async with semaphore:
                    try:
                        result = await judge(output.summary_obj, article, config, client=client)
                    except SummarizerError as error:
                        by_id[prediction.id].metrics["judge.error"] = 1.0
                        by_id[prediction.id].error = by_id[prediction.id].error or (
                            f"judge: {error.kind}"
                        )
                        return
                stored = result.metrics()
                if cache is not None:
                    cache.put(key, stored)
            by_id[prediction.id].metrics.update({k: float(v) for k, v in stored.items()})

        await asyncio.gather(*(one(p) for p in predictions))


def check_gate_names(thresholds: Mapping[str, float], *, option: str = "--fail-under") -> None:
    """Gate names are checked against the metric registry (and thresholds for being finite)
    before any model is called, so a typo does not cost a whole paid run (and is told apart from
    a metric that is n/a in a run)."""
    known = sorted((*METRICS, *CORPUS_METRICS))
    for name, threshold in thresholds.items():
        check_threshold(name, threshold, option=option)
        if find(name) is None:
            close = difflib.get_close_matches(name, known, n=1)
            hint = (
                f"did you mean {close[0]}?" if close else f"families: {', '.join(sorted(groups()))}"
            )
            raise InputError(f"{option} {name}: unknown metric ({hint})")


def apply_fail_under(
    summary: Mapping[str, Estimate],
    thresholds: Mapping[str, float],
    corpus: Mapping[str, float | None] | None = None,
) -> list[dict[str, Any]]:
    """Gates on means (run totals for ``total.*``): a higher-is-better metric fails below its
    value, a lower-is-better above. A known metric with no value in this run is an
    ``InputError`` that says so (a gate that cannot be evaluated must not pass)."""
    check_gate_names(thresholds)
    gates, unusable = [], []
    for name, threshold in thresholds.items():
        estimate = summary.get(name)
        value = estimate.mean if estimate is not None else (corpus or {}).get(name)
        if value is None:
            if estimate is not None:
                why = "n/a in this run (no example has a value: the outputs lack it)"
            else:
                why = "not measured in this run (no references for it, or no judge)"
            unusable.append(f"--fail-under {name}: {why}")
            continue
        lower = direction(name) is Direction.LOWER
        passed = value <= threshold if lower else value >= threshold
        gates.append(
            {
                "metric": name,
                "threshold": threshold,
                "value": value,
                "rule": "<=" if lower else ">=",
                "passed": passed,
            }
        )
    if unusable:
        raise InputError("; ".join(unusable) + "; nothing to gate")
    return gates


def gate_failure_message(gates: Sequence[Mapping[str, Any]]) -> str | None:
    """``--fail-under failed: evidence_zh.rougeL 0.412 < 0.500`` for the failed gates, if any."""
    failed = [
        f"{g['metric']} {format_number(g['value'])} {'>' if g['rule'] == '<=' else '<'} "
        f"{format_number(g['threshold'])}"
        for g in gates
        if not g["passed"]
    ]
    return "--fail-under failed: " + "; ".join(failed) if failed else None


def run_eval(
    set_name: str | Path,
    *,
    engine: Engine | None = None,
    predictions_path: str | Path | None = None,
    out_dir: str | Path | None = None,
    concurrency: int = 4,
    cache_path: str | Path | None = None,
    use_cache: bool = True,
    fail_under: Mapping[str, float] | None = None,
    progress: ProgressCallback | None = None,
    resamples: int = 10_000,
    judge_config: ModelConfig | None = None,
    overwrite: bool = False,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> RunResult:
    """Generate (or read) predictions for a set, score them, and write the run directory.

    The sync form of :func:`arun_eval` (one event loop for generating and judging).
    """
    from summarizer.api import run_sync

    return run_sync(
        arun_eval(
            set_name,
            engine=engine,
            predictions_path=predictions_path,
            out_dir=out_dir,
            concurrency=concurrency,
            cache_path=cache_path,
            use_cache=use_cache,
            fail_under=fail_under,
            progress=progress,
            resamples=resamples,
            judge_config=judge_config,
            overwrite=overwrite,
            max_input_chars=max_input_chars,
            year_hint=year_hint,
        )
    )


async def arun_eval(
    set_name: str | Path,
    *,
    engine: Engine | None = None,
    predictions_path: str | Path | None = None,
    out_dir: str | Path | None = None,
    concurrency: int = 4,
    cache_path: str | Path | None = None,
    use_cache: bool = True,
    fail_under: Mapping[str, float] | None = None,
    progress: ProgressCallback | None = None,
    resamples: int = 10_000,
    judge_config: ModelConfig | None = None,
    overwrite: bool = False,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> RunResult:
    """Generate (or read) predictions for a set, score them, and write the run directory.

    An ``out_dir`` that holds a run of another set or engine is refused unless ``overwrite``.
    Examples longer than ``max_input_chars`` fail (default: as ``prepare_article``).
    ``year_hint`` (the publication year) dates what the examples write without a year, as
    ``summarize`` does; the report's engine entry records it.
    """
    if max_input_chars is not None:
        check_input_size("", max_input_chars)  # a bad limit: a ConfigError before any work
    year_hint = checked_year_hint(year_hint)

    if (engine is None) == (predictions_path is None):
        raise InputError("give exactly one of an engine or a predictions file")
    check_gate_names(fail_under or {})
    goldset = load_set(set_name)
    started = time.perf_counter()
    folder = Path(out_dir) if out_dir is not None else None
    if engine is not None:
        engine_info = {"name": getattr(engine, "name", "engine"), **dict(engine.fingerprint())}
        if year_hint is not None:  # the offline engine's fingerprint does not carry it
            engine_info["year_hint"] = str(year_hint)
    else:
        assert predictions_path is not None
        engine_info = {"name": "predictions", "file": Path(predictions_path).name}
    if folder is not None:
        check_out_dir(folder, goldset, engine_info, overwrite=overwrite)
    if engine is not None:
        cache = _open_cache(use_cache, cache_path, folder)
        try:
            predictions = await generate(
                goldset,
                engine,
                concurrency=concurrency,
                cache=cache,
                progress=progress,
                max_input_chars=max_input_chars,
                year_hint=year_hint,
            )
        finally:
            if cache is not None:
                cache.close()
    else:
        assert predictions_path is not None
        predictions = read_predictions(predictions_path)
    scores = score_run(goldset, predictions)
    if judge_config is not None:
        judge_cache = _open_cache(use_cache, cache_path, folder)
        try:
            await judge_scores(
                predictions, scores, judge_config, cache=judge_cache, concurrency=concurrency
            )
        finally:
            if judge_cache is not None:
                judge_cache.close()
    result = assemble(
        goldset,
        predictions,
        scores,
        engine_info=engine_info,
        elapsed_s=time.perf_counter() - started,
        resamples=resamples,
        out_dir=folder,
    )
    try:
        result.gates = apply_fail_under(result.summary, fail_under or {}, result.corpus)
    finally:  # an unknown gate metric is an input error, but the scored run is still written
        if folder is not None:
            write_run(result, folder)
    return result


def _run_identity(set_info: Any, engine_info: Any) -> dict[str, Any]:
    """What makes two runs "the same run" for ``--out``: the set and the engine (its name, and
    the model or predictions file); a rerun of an updated engine on the same set is the same."""
    sets = set_info if isinstance(set_info, Mapping) else {}
    engines = engine_info if isinstance(engine_info, Mapping) else {}
    return {
        "set": sets.get("name"),
        "engine": engines.get("name"),
        "model": engines.get("model"),
        "file": engines.get("file"),
    }


def _describe(identity: Mapping[str, Any]) -> str:
    parts = [f"set {identity['set']}", f"engine {identity['engine']}"]
    parts += [f"{key} {identity[key]}" for key in ("model", "file") if identity[key]]
    return ", ".join(parts)


def check_out_dir(
    folder: Path, goldset: GoldSet, engine_info: Mapping[str, Any], *, overwrite: bool = False
) -> None:
    """Refuse, before anything runs, an ``--out`` that is a file or holds another run."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--out must be a directory ({folder} is a file)")
    if not overwrite and (folder / "matrix.json").is_file():
        raise InputError(
            f"--out {folder} holds an eval matrix (matrix.json); give a new directory, "
            "or --overwrite to write a run beside it"
        )
    report_path = folder / "report.json"
    if overwrite or not report_path.is_file():
        return
    try:
        previous = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(
            f"--out {folder} holds an unreadable report.json; give a new directory, "
            "or --overwrite to replace it"
        ) from None
    if not isinstance(previous, Mapping):
        previous = {}
    old = _run_identity(previous.get("set"), previous.get("engine"))
    new = _run_identity({"name": goldset.name}, engine_info)
    if old != new:
        raise InputError(
            f"--out {folder} holds another run ({_describe(old)}), not this one "
            f"({_describe(new)}); give a new directory, or --overwrite to replace it"
        )


def score_run(goldset: GoldSet, predictions: Sequence[Prediction]) -> list[ExampleScore]:
    """Per-example scores with costs priced from the shipped price table."""
    from summarizer.batch.pricing import load_prices

    price_table = load_prices()

    def price(model: str | None) -> tuple[float, float] | None:
        found = price_table.price_for(model)
        return (found.input, found.output) if found is not None else None

    return score(goldset, predictions, prices=price)


def assemble(
    goldset: GoldSet,
    predictions: Sequence[Prediction],
    scores: list[ExampleScore],
    *,
    engine_info: dict[str, str],
    elapsed_s: float,
    resamples: int = 10_000,
    out_dir: Path | None = None,
) -> RunResult:
    """The run's result from its scores: means with CIs, corpus scores, totals and counts."""
    summary = summarize_scores(scores, resamples=resamples)
    corpus_values, corpus_n = corpus(goldset, predictions, scores)
    by_id = {p.id for p in predictions}
    counts = {
        "examples": len(goldset),
        "predictions": len(predictions),
        "missing": sum(1 for e in goldset if e.id not in by_id),
        "errors": sum(1 for s in scores if s.error is not None),
        "cached": sum(1 for p in predictions if p.cached),
    }
    return RunResult(
        goldset=goldset,
        predictions=list(predictions),
        scores=scores,
        summary=summary,
        corpus={**corpus_values, **totals(scores)},
        corpus_n={**corpus_n, **total_counts(scores)},
        signatures=signatures(goldset),
        engine=engine_info,
        counts=counts,
        elapsed_s=elapsed_s,
        out_dir=out_dir,
    )


def _open_cache(
    use_cache: bool, cache_path: str | Path | None, folder: Path | None
) -> ResponseCache | None:
    """The response cache: ``cache_path``, else ``OUT/cache.sqlite3``, else the user cache dir."""
    if not use_cache:
        return None
    if cache_path:
        return ResponseCache(Path(cache_path))
    return ResponseCache(folder / "cache.sqlite3" if folder is not None else None)
