"""Reports of a run (Markdown for PRs, one self-contained HTML file), of a comparison and of a
matrix, and the run directory they are written to (``write_run``).

The HTML run report is a tool, modelled on promptfoo's viewer but one file with no assets: a
compact table of examples (sortable worst first by any per-example metric, searchable, filterable
by flag, error kind or a metric threshold) whose rows open the full view: failure reason and
validation problems, each attempt with its raw answer (``attempts[].raw_answer`` of the prediction
line, or of ``output.meta.ledger[]``, when the engine records it), the ledger (tokens, latency,
attempts, re-asks, prompt version), people/organizations/places against the gold set, and the
source beside the translation. Text carries ``lang`` (``zh-Hans``/``zh-Hant``/``en``) so the CJK
font stacks pick the right glyphs. Fields an engine says it cannot produce read n/a, not 0.
Histograms are drawn only for at least ``MIN_CHART_N`` values that are not all equal.

Templates live next to this module (``templates/``) and render with jinja2 autoescape ON: every
string from an article or a model output is escaped in HTML. Charts are inline SVG built here from
numbers only; the little data the page's script needs is embedded with jinja2's ``tojson`` filter,
which escapes ``<``, ``>``, ``&`` and quotes, so an article containing ``</script>`` cannot end the
script element, and the page's CSP allows only its one static script (by hash). Markdown output
neutralizes ``<`` and ``>`` in every value that comes from an article or a model, so rendering it
(notebooks, static sites, chat tools) makes no live tag.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from summarizer.eval.entities import entities_match, reference_entities
from summarizer.eval.goldset import Example
from summarizer.eval.metrics import CHARTED, PER_EXAMPLE, lookup
from summarizer.eval.outputs import EntityOut, Output
from summarizer.eval.result import RunResult
from summarizer.eval.stats import DECISION_RULE, MIN_PAIRED_N

if TYPE_CHECKING:
    from summarizer.eval.compare import CompareResult, ExampleDiff
    from summarizer.eval.matrix import MatrixResult


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("summarizer.eval", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = format_number
    env.filters["md"] = markdown_cell
    return env


def markdown_environment() -> Environment:
    """Markdown is not HTML: no autoescape, but table cells are made safe by the ``md`` filter."""
    env = Environment(
        loader=PackageLoader("summarizer.eval", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = format_number
    env.filters["md"] = markdown_cell
    env.filters["mdtext"] = markdown_text
    env.filters["mdlink"] = markdown_link
    env.filters["mdcode"] = markdown_code
    return env


def markdown_link(target: str) -> str:
    """A link destination in angle brackets with the characters that could end it escaped."""
    return "<" + quote(target, safe="/#:._-~") + ">"


def markdown_text(value: object) -> str:
    """Text on one line with raw HTML neutralized (outside tables pipes are harmless)."""
    return " ".join(str(value).split()).replace("<", "&lt;").replace(">", "&gt;")


def format_number(value: float | None, digits: int = 3) -> str:
    """``digits`` decimals; a nonzero value that would round to zero keeps its sign and magnitude
    (``-3.0e-04``, never ``-0.000``, which reads as a CI bound at 0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if value == 0:
        return f"{0.0:.{digits}f}"
    if abs(value) < 0.5 * 10**-digits:
        return f"{value:.1e}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def markdown_code(value: object) -> str:
    """``value`` as a whole Markdown code span, delimiters included, on one line.

    Nothing inside a code span is markup (entities neither: ``&lt;`` would show as written), so
    the text goes in as is; only the delimiter has to outrun the longest run of backticks in it,
    with a space inside each end when the text starts or ends with a backtick.
    """
    text = " ".join(str(value).split())
    if not text:
        return "` `"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell (no pipes, newlines, or raw HTML)."""
    text = " ".join(str(value).split())
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


# --- charts ---------------------------------------------------------------------------------------

#: Fewer values than this make no distribution worth drawing (a histogram of 1 value is a bar).
MIN_CHART_N = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int


@dataclass(frozen=True)
class Histogram:
    metric: str
    bars: list[Bar]
    low: str
    middle: str
    high: str
    n: int
    mean: str


def histogram(metric: str, values: Sequence[float], bins: int = 10) -> Histogram | None:
    """Counts of ``values`` in ``bins`` equal bins; ``None`` where a chart would say nothing
    (fewer than ``MIN_CHART_N`` values, or all equal: see :func:`chart_skip_reason`)."""
    if chart_skip_reason(values) is not None:
        return None
    low, high = min(values), max(values)
    step = (high - low) / bins
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, int((value - low) / step))] += 1
    tallest = max(counts) or 1
    width, height = 300.0, 100.0
    bars = []
    for index, count in enumerate(counts):
        bar_height = height * count / tallest
        start = low + index * step
        bars.append(
            Bar(
                index * width / bins + 1,
                height - bar_height,
                width / bins - 2,
                bar_height,
                f"{format_number(start)} to {format_number(start + step)}: {count}",
                count,
            )
        )
    return Histogram(
        metric,
        bars,
        format_number(low),
        format_number((low + high) / 2),
        format_number(high),
        len(values),
        format_number(sum(values) / len(values)),
    )


def chart_skip_reason(values: Sequence[float]) -> str | None:
    """Why ``values`` get no chart (``None`` when they get one)."""
    if len(values) < MIN_CHART_N:
        return f"n={len(values)} < {MIN_CHART_N}"
    if min(values) == max(values):
        return f"constant {format_number(values[0])}"
    return None


# --- per-example view -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    flag: str | None  # the flag code when this stretch is flagged


def highlight(text: str, needles: Sequence[tuple[str, str]]) -> list[Segment]:
    """Split ``text`` into plain and flagged segments (escaping happens in the template)."""
    marks: list[tuple[int, int, str]] = []
    for needle, code in needles:
        if not needle:
            continue
        start = text.find(needle)
        while start >= 0:
            marks.append((start, start + len(needle), code))
            start = text.find(needle, start + len(needle))
    marks.sort()
    segments: list[Segment] = []
    cursor = 0
    for start, end, code in marks:
        if start < cursor:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start], None))
        segments.append(Segment(text[start:end], code))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:], None))
    return segments


def example_anchor(example_id: str) -> str:
    """The HTML id of an example's row in a run report (stable, safe for any id): comparisons
    and the matrix link to ``report.html#<anchor>``."""
    return "ex-" + hashlib.sha256(example_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]


_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z]")


@lru_cache(maxsize=1)
def _converters() -> tuple[Any, Any]:
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)  # each source is tagged by the HTML and the Markdown report
def lang_of(text: str) -> str:
    """The BCP 47 tag for ``text``: ``zh-Hant``/``zh-Hans`` (so the browser picks a traditional or
    simplified CJK font), ``en``, or ``und``."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if han == 0:
        return "en" if latin else "und"
    if han * 3 < latin:
        return "en"
    sample = "".join(_HAN.findall(text))[:400]  # enough characters to tell the scripts apart
    to_simplified, to_traditional = _converters()
    traditional = sum(
        1 for a, b in zip(sample, to_simplified.convert(sample), strict=False) if a != b
    )
    simplified = sum(
        1 for a, b in zip(sample, to_traditional.convert(sample), strict=False) if a != b
    )
    return "zh-Hant" if traditional > simplified else "zh-Hans"


@dataclass(frozen=True)
class Column:
    """A metric column of the examples table."""

    metric: str
    direction: str

    @property
    def label(self) -> str:
        """The heading, breakable after each dot so that narrow columns wrap there."""
        return self.metric.replace(".", ".\u200b")


def example_columns(result: RunResult) -> list[Column]:
    """The per-example metrics this run has (registry order), then latency."""
    present = {name for s in result.scores for name in s.metrics}
    names = [name for name in PER_EXAMPLE if name in present]
    names += [name for name in _EXTRA_COLUMNS if name in present and name not in names]
    return [Column(name, lookup(name).direction.value) for name in names]


#: Shown per example besides the registry's ``per_example`` metrics: what a reviewer sorts by.
_EXTRA_COLUMNS = ("organizations.f1", "places.f1", "cost.latency_ms")
#: Output field -> the ``ArticleSummary`` field whose ``meta.status`` explains why it is empty.
_STATUS_FIELD = {"headline": "headline_en", "summary": "summary_en", "translation": "translation"}


def _attempt_rows(items: Any) -> list[dict[str, Any]]:
    """Ledger entries (``AttemptRecord`` JSON) of a prediction, as table rows."""
    rows = []
    for number, item in enumerate(items if isinstance(items, list) else [], start=1):
        if not isinstance(item, Mapping):
            continue
        usage = item.get("usage") if isinstance(item.get("usage"), Mapping) else {}
        assert isinstance(usage, Mapping)
        raw_answer = item.get("raw_answer")
        rows.append(
            {
                "number": number,
                "kind": item.get("kind") or "",
                "prompt_tokens": usage.get("prompt_tokens"),
                "completion_tokens": usage.get("completion_tokens"),
                "latency_ms": item.get("latency_ms"),
                "error": item.get("error") or "",
                "status_code": item.get("status_code"),
                "capability": item.get("capability") or "",
                "raw_answer": raw_answer if isinstance(raw_answer, str) else None,
            }
        )
    return rows


def _failure(raw: Mapping[str, Any], scored_error: str | None) -> dict[str, Any] | None:
    """Why an example has no output: kind, message and problems from the prediction line."""
    if scored_error is None:
        return None
    error = raw.get("error")
    if isinstance(error, Mapping):
        problems = error.get("problems")
        return {
            "kind": str(error.get("kind") or scored_error),
            "message": str(error.get("message") or ""),
            "problems": [str(p) for p in problems] if isinstance(problems, list) else [],
        }
    if isinstance(error, str):
        return {"kind": scored_error, "message": error, "problems": []}
    return {"kind": scored_error, "message": "", "problems": []}


def _ledger(
    raw: Mapping[str, Any], attempts: list[dict[str, Any]], engine: Mapping[str, str]
) -> dict[str, Any]:
    """Tokens, latency, attempts, re-asks and the prompt version of one example.

    From the output's ``meta`` when there is an output; for a failure, summed from the attempts,
    with the model and prompt taken from the engine that made the run.
    """
    output = raw.get("output")
    meta = output.get("meta") if isinstance(output, Mapping) else None
    if isinstance(meta, Mapping):
        usage = meta.get("usage") if isinstance(meta.get("usage"), Mapping) else {}
        assert isinstance(usage, Mapping)
        return {
            "engine": meta.get("engine"),
            "model": meta.get("model"),
            "capability": meta.get("capability"),
            "prompt": _prompt_name(meta.get("prompt_template"), meta.get("prompt_version")),
            "prompt_tokens": usage.get("prompt_tokens"),
            "completion_tokens": usage.get("completion_tokens"),
            "latency_ms": meta.get("latency_ms"),
            "attempts": meta.get("attempts"),
            "reasks": meta.get("reasks"),
            "calls": _call_ids(meta.get("call_ids")),
        }
    content_failures = sum(1 for a in attempts if a["kind"] == "content")
    return {
        "engine": raw.get("engine"),
        "model": engine.get("model"),
        "capability": next((a["capability"] for a in attempts if a["capability"]), None),
        "prompt": _prompt_name(engine.get("prompt_template"), engine.get("prompt_version")),
        "prompt_tokens": sum(a["prompt_tokens"] or 0 for a in attempts) if attempts else None,
        "completion_tokens": (
            sum(a["completion_tokens"] or 0 for a in attempts) if attempts else None
        ),
        "latency_ms": sum(a["latency_ms"] or 0 for a in attempts) if attempts else None,
        "attempts": len(attempts) if attempts else None,
        # every answer that failed validation but the last was sent back once
        "reasks": max(0, content_failures - 1) if attempts else None,
        "calls": _call_ids((raw.get("error") or {}).get("call_ids")),
    }


def _call_ids(value: Any) -> list[str]:
    """The call log ids of an example's model calls (``summarizer logs show ID`` shows each)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _prompt_name(template: object, version: object) -> str | None:
    return f"{template}/{version}" if template and version else None


def _entity_label(entity: EntityOut) -> str:
    if entity.name_en and entity.name and entity.name_en != entity.name:
        return f"{entity.name} ({entity.name_en})"
    return entity.name or entity.name_en or ""


def _entity_rows(example: Example, output: Output | None) -> list[dict[str, Any]]:
    """People, organizations and places: matched, missed (gold only) and extra (output only)."""
    rows = []
    for group, person in (("people", True), ("organizations", False), ("places", False)):
        if group not in example.references:
            continue
        expected = reference_entities(example.references[group])
        found = list(getattr(output, group)) if output is not None else []
        used: set[int] = set()
        matched, missed = [], []
        for reference in expected:
            hit = next(
                (
                    index
                    for index, candidate in enumerate(found)
                    if index not in used and entities_match(candidate, reference, person=person)
                ),
                None,
            )
            if hit is None:
                missed.append(_entity_label(reference))
            else:
                used.add(hit)
                matched.append((_entity_label(found[hit]), _entity_label(reference)))
        extra = [_entity_label(e) for index, e in enumerate(found) if index not in used]
        rows.append({"group": group, "matched": matched, "missed": missed, "extra": extra})
    return rows


def _example_views(result: RunResult, columns: Sequence[Column]) -> list[dict[str, Any]]:
    predictions = {p.id: p for p in result.predictions}
    views = []
    for example, scored in zip(result.goldset.examples, result.scores, strict=True):
        prediction = predictions.get(example.id)
        output = prediction.output if prediction is not None else None
        raw: Mapping[str, Any] = prediction.raw if prediction is not None else {}
        per_paragraph: dict[int | None, list[tuple[str, str]]] = {}
        for flag in scored.flags:
            per_paragraph.setdefault(flag.paragraph, []).append((flag.text, flag.code))
        loose = per_paragraph.get(None, [])
        translation = (
            [
                highlight(paragraph, [*per_paragraph.get(index, []), *loose])
                for index, paragraph in enumerate(output.translation or [])
            ]
            if output is not None
            else []
        )
        summary_text = output.summary if output is not None and output.summary else ""
        needles = [(f.text.split(": ", 1)[-1], f.code) for f in scored.flags]
        # The source as the output saw it (its paragraphs align with the translation), else the
        # set's clean reading, else the raw lines.
        source = (
            list(output.source_paragraphs)
            if output is not None and output.source_paragraphs
            else list(example.source_clean)
            or [line for line in example.source.split("\n") if line.strip()]
        )
        status = (
            dict(output.summary_obj.meta.status)
            if output is not None and output.summary_obj is not None
            else {}
        )
        output_json = raw.get("output")
        attempts = _attempt_rows(
            output_json.get("meta", {}).get("ledger")
            if isinstance(output_json, Mapping)
            else (raw.get("error") or {}).get("attempts")
            if isinstance(raw.get("error"), Mapping)
            else None
        )
        reference_summary = example.texts("summary") or example.texts("summary_zh")
        views.append(
            {
                "id": example.id,
                "anchor": example_anchor(example.id),
                "lang": lang_of("".join(source)),
                "failure": _failure(raw, scored.error),
                "cached": scored.cached,
                "cells": [format_number(scored.metrics.get(column.metric)) for column in columns],
                "flags": scored.flags,
                "source": source,
                "headline": output.headline if output is not None else None,
                "not_produced": {
                    name: status[field]
                    for name, field in _STATUS_FIELD.items()
                    if field in status and output is not None and not getattr(output, name)
                },
                "summary": highlight(summary_text, needles),
                "key_points": [
                    (highlight(point, needles), evidence, lang_of(evidence))
                    for point, evidence in zip(
                        output.key_points,
                        [*output.evidence, *[""] * len(output.key_points)],
                        strict=False,
                    )
                ]
                if output is not None
                else [],
                "reference_summary": [(text, lang_of(text)) for text in reference_summary],
                "rows": _aligned_rows(source, translation, (example.translations() or [[]])[0]),
                "attempts": attempts,
                "ledger": _ledger(raw, attempts, result.engine),
                "entities": _entity_rows(example, output),
            }
        )
    return views


def _aligned_rows(
    source: Sequence[str], output: Sequence[list[Segment]], reference: Sequence[str]
) -> list[dict[str, Any]]:
    """One row per paragraph: source, output translation and reference side by side."""
    rows = []
    for index in range(max(len(source), len(output), len(reference))):
        rows.append(
            {
                "source": source[index] if index < len(source) else "",
                "output": output[index] if index < len(output) else [],
                "reference": reference[index] if index < len(reference) else "",
            }
        )
    return rows


def _summary_rows(result: RunResult) -> list[dict[str, Any]]:
    return [
        {
            "metric": name,
            "mean": format_number(estimate.mean),
            "low": format_number(estimate.low),
            "high": format_number(estimate.high),
            "n": estimate.n,
            "direction": lookup(name).direction.value,
            "family": lookup(name).family,
        }
        for name, estimate in result.summary.items()
    ]


def _charts(result: RunResult) -> tuple[list[Histogram], list[tuple[str, str]]]:
    """The charts worth drawing, and the charted metrics left out with the reason."""
    charts, skipped = [], []
    for metric in CHARTED:
        values = [float(v) for s in result.scores if (v := s.metrics.get(metric)) is not None]
        if not values:
            continue
        chart = histogram(metric, values)
        if chart is None:
            skipped.append((metric, chart_skip_reason(values) or ""))
        else:
            charts.append(chart)
    return charts, skipped


def _context(result: RunResult) -> dict[str, Any]:
    report = result.to_json()
    columns = example_columns(result)
    examples = _example_views(result, columns)
    charts, skipped = _charts(result)
    flag_counts = Counter(
        flag.code for s in result.scores for flag in {f.code: f for f in s.flags}.values()
    )
    error_counts = Counter(view["failure"]["kind"] for view in examples if view["failure"])
    return {
        "report": report,
        "rows": _summary_rows(result),
        "ci_min_n": MIN_PAIRED_N,
        "corpus": [
            (name, format_number(value), result.corpus_n.get(name, "n/a"))
            for name, value in result.corpus.items()
        ],
        "signatures": sorted(result.signatures.items()),
        "charts": charts,
        "skipped_charts": skipped,
        "columns": columns,
        "examples": examples,
        "flag_counts": sorted(flag_counts.items()),
        "error_counts": sorted(error_counts.items()),
        "flagged_count": sum(1 for s in result.scores if s.flags),
        "gates": result.gates,
        "script_data": {
            "set": report["set"]["signature"],
            "columns": [{"metric": c.metric, "direction": c.direction} for c in columns],
            "examples": [
                {
                    "id": score.id,
                    "values": [score.metrics.get(c.metric) for c in columns],
                    "flags": sorted({f.code for f in score.flags}),
                    "error": view["failure"]["kind"] if view["failure"] else None,
                }
                for score, view in zip(result.scores, examples, strict=True)
            ],
        },
    }


def render_markdown(result: RunResult) -> str:
    return markdown_environment().get_template("report.md.j2").render(**_context(result))


@lru_cache(maxsize=1)
def page_script() -> tuple[Markup, str]:
    """The report's one inline script (a static file: no data in it) and its CSP hash.

    The page's Content-Security-Policy allows only this exact script, so even a planted
    ``<script>`` or ``onerror=`` that escaped the escaping could not run.
    """
    text = (Path(__file__).parent / "templates" / "report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"sha256-{digest}"


def render_html(result: RunResult) -> str:
    script, script_hash = page_script()
    return (
        environment()
        .get_template("report.html.j2")
        .render(**_context(result), page_script=script, script_hash=script_hash)
    )


def render_compare_markdown(result: CompareResult) -> str:
    rows = [
        {
            "metric": c.metric,
            "a": format_number(c.mean_a),
            "b": format_number(c.mean_b),
            "diff": format_number(c.difference),
            "low": format_number(c.low),
            "high": format_number(c.high),
            "p": format_number(c.p_value, 4),
            "n": c.n,
            "verdict": c.verdict,
            "regression": c.regression,
            "gated": c.gated,
        }
        for c in result.comparisons
    ]

    def diff_rows(items: Sequence[ExampleDiff]) -> list[dict[str, Any]]:
        return [
            {
                "id": d.id,
                "a": d.error_a or format_number(d.a),
                "b": d.error_b or format_number(d.b),
                "diff": format_number(d.difference),
                "link_a": d.link_a,
                "link_b": d.link_b,
            }
            for d in items
        ]

    return (
        markdown_environment()
        .get_template("compare.md.j2")
        .render(
            rows=rows,
            a=str(result.run_a.path),
            b=str(result.run_b.path),
            set_signature=result.run_a.report.get("set", {}).get("signature", "?"),
            regressions=[c.metric for c in result.regressions],
            overall=result.overall,
            min_n=result.min_n,
            decision_rule=DECISION_RULE,
            errors_a={"count": len(result.run_a.errors), "kinds": result.run_a.error_counts},
            errors_b={"count": len(result.run_b.errors), "kinds": result.run_b.error_counts},
            diff_metric=result.diff_metric,
            wins=diff_rows(result.wins),
            losses=diff_rows(result.losses),
            newly_failed=diff_rows(result.newly_failed),
            newly_fixed=diff_rows(result.newly_fixed),
        )
    )


def write_run(result: RunResult, folder: Path) -> None:
    """Write a run directory: predictions, scores, and the JSON/Markdown/HTML reports."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "predictions.jsonl").open("w", encoding="utf-8") as handle:
        for prediction in result.predictions:
            handle.write(
                json.dumps(dict(prediction.raw) or {"id": prediction.id}, ensure_ascii=False) + "\n"
            )
    with (folder / "scores.jsonl").open("w", encoding="utf-8") as handle:
        for item in result.scores:
            handle.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
    report = result.to_json()
    (folder / "report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (folder / "report.md").write_text(render_markdown(result), encoding="utf-8")
    (folder / "report.html").write_text(render_html(result), encoding="utf-8")


# --- the matrix -----------------------------------------------------------------------------------


def _matrix_context(matrix: MatrixResult) -> dict[str, Any]:
    runs = matrix.runs
    leaderboard = []
    for rank, row in enumerate(matrix.leaderboard(), start=1):
        cells = []
        for metric in matrix.metrics:
            cell = row["metrics"].get(metric)
            if cell is None or cell["mean"] is None:
                cells.append(("n/a", ""))
            else:
                ci = (
                    f"[{format_number(cell['low'])}, {format_number(cell['high'])}]"
                    if cell["low"] is not None
                    else "[n/a]"
                )
                cells.append((format_number(cell["mean"]), f"{ci} n={cell['n']}"))
        leaderboard.append({**row, "rank": rank, "cells": cells})
    pairwise = [
        {
            "a": runs[i].variant.name,
            "b": runs[j].variant.name,
            "n": c.n,
            "diff": format_number(c.difference),
            "ci": f"[{format_number(c.low)}, {format_number(c.high)}]",
            "p": format_number(c.p_value, 4),
            "verdict": c.verdict,
        }
        for i, j, c in matrix.pairwise()
    ]
    grid = matrix.grid()
    return {
        "set": matrix.goldset.signature,
        "examples": len(matrix.goldset),
        "rank_by": matrix.rank_by,
        "direction": lookup(matrix.rank_by).direction.value,
        "metrics": matrix.metrics,
        "variants": [run.variant for run in runs],
        "leaderboard": leaderboard,
        "pairwise": pairwise,
        "min_n": MIN_PAIRED_N,
        "decision_rule": DECISION_RULE,
        "grid": grid,
        "disagreements": sum(1 for row in grid if row["disagree"]),
        "shared_work": matrix.shared_work,
        "elapsed_s": round(matrix.elapsed_s, 3),
    }


def render_matrix_markdown(matrix: MatrixResult) -> str:
    return markdown_environment().get_template("matrix.md.j2").render(**_matrix_context(matrix))


def render_matrix_html(matrix: MatrixResult) -> str:
    context = _matrix_context(matrix)
    context["grid_langs"] = {
        row["id"]: lang_of(row["id"]) for row in context["grid"]
    }  # ids are usually ASCII; a Chinese id still gets its lang
    return environment().get_template("matrix.html.j2").render(**context)
