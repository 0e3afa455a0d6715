"""Reports of a run (Markdown for PRs, one self-contained HTML file) and of a comparison, and
the run directory they are written to (``write_run``).

Templates live next to this module (``templates/``) and render with jinja2 autoescape ON: every
string from an article or a model output is escaped in HTML. Charts are inline SVG built here from
numbers only; the little data the page's script needs is embedded with jinja2's ``tojson`` filter,
which escapes ``<``, ``>``, ``&`` and quotes, so an article containing ``</script>`` cannot end the
script element.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from summarizer.eval.metrics import CHARTED, PER_EXAMPLE, lookup
from summarizer.eval.result import RunResult

if TYPE_CHECKING:
    from summarizer.eval.compare import CompareResult


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
    return env


def markdown_text(value: object) -> str:
    """Text on one line with raw HTML neutralized (outside tables pipes are harmless)."""
    return " ".join(str(value).split()).replace("<", "&lt;").replace(">", "&gt;")


def format_number(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell (no pipes, newlines, or raw HTML)."""
    text = " ".join(str(value).split())
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


# --- charts ---------------------------------------------------------------------------------------


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
    high: str
    n: int


def histogram(metric: str, values: Sequence[float], bins: int = 10) -> Histogram | None:
    if not values:
        return None
    low, high = min(values), max(values)
    constant = high == low
    if constant:
        high = low + 1.0
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
    shown_high = low if constant else high
    return Histogram(metric, bars, format_number(low), format_number(shown_high), len(values))


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


def _example_views(result: RunResult) -> list[dict[str, Any]]:
    predictions = {p.id: p for p in result.predictions}
    views = []
    for example, scored in zip(result.goldset.examples, result.scores, strict=True):
        prediction = predictions.get(example.id)
        output = prediction.output if prediction is not None else None
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
        views.append(
            {
                "id": example.id,
                "error": scored.error,
                "cached": scored.cached,
                "metrics": [
                    (name, format_number(scored.metrics.get(name)))
                    for name in PER_EXAMPLE
                    if name in scored.metrics
                ],
                "flags": scored.flags,
                "source": source,
                "headline": output.headline if output is not None else None,
                "summary": highlight(summary_text, needles),
                "key_points": [
                    (highlight(point, needles), evidence)
                    for point, evidence in zip(
                        output.key_points,
                        [*output.evidence, *[""] * len(output.key_points)],
                        strict=False,
                    )
                ]
                if output is not None
                else [],
                "reference_summary": example.texts("summary") or example.texts("summary_zh"),
                "rows": _aligned_rows(source, translation, (example.translations() or [[]])[0]),
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


def _charts(result: RunResult) -> list[Histogram]:
    charts = []
    for metric in CHARTED:
        values = [float(v) for s in result.scores if (v := s.metrics.get(metric)) is not None]
        chart = histogram(metric, values)
        if chart is not None:
            charts.append(chart)
    return charts


def _context(result: RunResult) -> dict[str, Any]:
    report = result.to_json()
    return {
        "report": report,
        "rows": _summary_rows(result),
        "corpus": [(name, format_number(value)) for name, value in result.corpus.items()],
        "signatures": sorted(result.signatures.items()),
        "charts": _charts(result),
        "examples": _example_views(result),
        "gates": result.gates,
        "script_data": {
            "set": report["set"]["signature"],
            "ids": [example.id for example in result.goldset.examples],
            "flagged": [s.id for s in result.scores if s.flags],
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
        }
        for c in result.comparisons
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
