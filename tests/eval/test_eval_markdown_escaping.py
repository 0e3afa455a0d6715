"""Markdown reports, comparisons and matrices escape HTML from articles and model output.

Each is rendered to HTML with a real Markdown library (markdown-it-py, CommonMark with raw HTML
allowed, as notebooks and static sites render it) and the result must hold only the tags Markdown
itself makes: no ``<img onerror>``, no ``<script>`` from a planted article or answer.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from summarizer.eval.compare import compare_runs
from summarizer.eval.goldset import load_set, write_set
from summarizer.eval.matrix import MatrixResult, Variant, VariantRun
from summarizer.eval.report import render_compare_markdown, render_matrix_markdown
from summarizer.eval.run import run_eval

PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>'
#: What Markdown itself produces from our templates; anything else came from the content.
MARKDOWN_TAGS = {
    "h1", "h2", "h3", "p", "strong", "em", "code", "ul", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def live_tags(markdown: str) -> list[str]:
    """Tags in the rendered Markdown that Markdown did not make (or that carry a handler)."""
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        handlers = [name for name, _ in attrs if name.startswith("on")]
        scripted = [v for name, v in attrs if name == "href" and (v or "").startswith("javascript")]
        if tag not in MARKDOWN_TAGS or handlers or scripted:
            found.append(f"<{tag} {attrs}>")
    return found


def test_the_checker_finds_live_tags() -> None:
    assert live_tags(f"text {PAYLOAD}") != []  # unescaped, the payload is live
    assert live_tags("| a |\n|---|\n| `x` |\n") == []


def _hostile_runs(tmp_path: Path) -> tuple[Path, Path]:
    """Two runs of a three-example set whose ids, texts and outputs carry the payload; run B wins
    on one example, loses on another and fails on the third."""
    (example,) = load_set("seed").examples
    base = example.to_json()
    examples = [
        dict(base, id=f"ex{number}-{PAYLOAD}", source=f"{example.source}\n{PAYLOAD} {number}")
        for number in range(3)
    ]
    folder = tmp_path / "set"
    meta = {"name": "hostile", "version": "1", "description": PAYLOAD, "provenance": PAYLOAD}
    write_set(folder, {**meta, "license": PAYLOAD}, examples)
    reference = example.texts("summary")[0]
    outputs = {
        "a": [f"{PAYLOAD} meeting", reference, reference],
        "b": [reference, f"{PAYLOAD} meeting", None],
    }
    runs = []
    for name, summaries in outputs.items():
        lines = []
        for item, summary in zip(examples, summaries, strict=True):
            if summary is None:
                error = {"kind": "model_output.invalid", "message": PAYLOAD}
                lines.append({"id": item["id"], "error": error})
            else:
                lines.append({"id": item["id"], "headline": PAYLOAD, "summary": summary})
        predictions = tmp_path / f"{name}.jsonl"
        predictions.write_text(
            "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
            encoding="utf-8",
        )
        out = tmp_path / f"run-{name}-<img src=x onerror=alert(3)>"
        run_eval(folder, predictions_path=predictions, out_dir=out, resamples=200)
        runs.append(out)
    return runs[0], runs[1]


def test_report_compare_and_matrix_markdown_carry_no_live_tag(tmp_path: Path) -> None:
    run_a, run_b = _hostile_runs(tmp_path)

    report = (run_a / "report.md").read_text(encoding="utf-8")
    assert "&lt;img src=x" in report  # the payload is there, as text
    assert live_tags(report) == []

    comparison = compare_runs(run_a, run_b, resamples=200)
    assert comparison.diff_metric == "summary.rougeL"
    assert [d.id for d in comparison.wins] == [f"ex0-{PAYLOAD}"]
    assert [d.id for d in comparison.losses] == [f"ex1-{PAYLOAD}"]
    assert [d.id for d in comparison.newly_failed] == [f"ex2-{PAYLOAD}"]
    markdown = render_compare_markdown(comparison)
    assert "ex0-&lt;img" in markdown and "B: 1 error (model_output.invalid ×1)" in markdown
    assert live_tags(markdown) == []
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    assert "report.html#ex-" in rendered  # the links into both reports survive the escaping

    results = []
    for path in (run_a, run_b):
        results.append(run_eval(tmp_path / "set", predictions_path=path.parent / (
            "a.jsonl" if path == run_a else "b.jsonl"), resamples=200))  # fmt: skip
    matrix = MatrixResult(
        results[0].goldset,
        [
            VariantRun(Variant(f"model-a{PAYLOAD}"), results[0]),
            VariantRun(Variant(f"model-b{PAYLOAD}"), results[1]),
        ],
        "summary.rougeL",
        0.0,
        {"goldset_loads": 1, "preparations": 0},
        resamples=200,
    )
    markdown = render_matrix_markdown(matrix)
    assert "model-a&lt;img" in markdown and "ex2-&lt;img" in markdown
    assert live_tags(markdown) == []


def test_the_rendered_run_markdown_keeps_its_tables(tmp_path: Path) -> None:
    run_a, _ = _hostile_runs(tmp_path)
    html = (
        MarkdownIt("commonmark")
        .enable("table")
        .render((run_a / "report.md").read_text(encoding="utf-8"))
    )
    assert "<table>" in html and "<td>summary.rougeL</td>" in html
