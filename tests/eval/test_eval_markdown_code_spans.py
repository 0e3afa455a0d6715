"""Values shown in code spans of the Markdown report read as written.

Code spans show entities literally, so ``<`` must not become ``&lt;`` there, and backticks in a
value must not end the span.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from summarizer.eval.report import markdown_code
from summarizer.eval.run import run_eval

CODE = re.compile(r"<code>(.*?)</code>", re.S)


def code_texts(markdown: str) -> list[str]:
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return [unescape(text) for text in CODE.findall(html)]


@pytest.mark.parametrize(
    "value",
    ["gpt<4>", "a`b", "``double``", "`edge`", "x | y", "<script>alert(1)</script>", "plain"],
)
def test_a_code_span_renders_the_value_exactly(value: str) -> None:
    assert code_texts(f"Engine: {markdown_code(value)} here") == [value]


def test_the_report_engine_line_and_signatures_show_values_as_written(tmp_path: Path) -> None:
    name = "p<1>`q`.jsonl"
    predictions = tmp_path / name
    line = {"id": "seed-tongzhou-2025-12-13", "headline": "District committee meets"}
    predictions.write_text(json.dumps(line) + "\n", encoding="utf-8")
    run_eval("seed", predictions_path=predictions, out_dir=tmp_path / "run", resamples=50)
    markdown = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    engine_line = next(text for text in markdown.splitlines() if text.startswith("Engine:"))
    assert "&lt;" not in engine_line
    codes = code_texts(engine_line)
    assert codes == ["predictions", name]
    rendered = code_texts(markdown)
    assert not [text for text in rendered if "&lt;" in text or "&gt;" in text]
    assert any(text.startswith("rouge:f1|") for text in rendered)  # a signature, whole
