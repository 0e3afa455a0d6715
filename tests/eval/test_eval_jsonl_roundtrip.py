"""JSONL written with raw non-ASCII must read back: only "\\n" ends a line, not U+2028 or NEL."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.eval.goldset import load_set, write_set
from summarizer.eval.outputs import read_predictions

AWKWARD = "line\u2028separator, paragraph\u2029separator, next-line\x85and form\x0cfeed"


def test_predictions_with_unicode_line_separators_read_back(tmp_path: Path) -> None:
    path = tmp_path / "predictions.jsonl"
    line = {"id": "a", "output": {"headline_en": AWKWARD, "summary_en": AWKWARD}}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    (prediction,) = read_predictions(path)
    assert prediction.id == "a"
    assert prediction.error is None
    assert prediction.output is not None
    assert prediction.output.headline == AWKWARD


def test_gold_set_with_unicode_line_separators_round_trips(tmp_path: Path) -> None:
    manifest = {"name": "awkward", "version": "1", "description": "test", "license": "test",
                "provenance": "test"}  # fmt: skip
    example = {"id": "x", "source": AWKWARD, "provenance": "test", "license": "test",
               "references": {"headline": [AWKWARD]}}  # fmt: skip
    write_set(tmp_path / "awkward", manifest, [example])
    loaded = load_set(tmp_path / "awkward")
    assert [item.source for item in loaded.examples] == [AWKWARD]
