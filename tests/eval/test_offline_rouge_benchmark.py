"""``benchmarks/offline_rouge.py``: the issue-10 verdict, per-article comparison and pooled sets."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def benchmark() -> ModuleType:
    path = ROOT / "benchmarks" / "offline_rouge.py"
    spec = importlib.util.spec_from_file_location("offline_rouge", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["offline_rouge"] = module
    spec.loader.exec_module(module)
    return module


def test_paired_counts_wins_ties_losses_and_the_mean_difference(benchmark: ModuleType) -> None:
    text = benchmark.paired([0.3, 0.2, 0.1], [0.1, 0.2, 0.3])
    assert text.startswith("1 better, 1 equal, 1 worse; mean difference +0.00")
    assert "standard error 11.55" in text


def test_verdict_compares_with_the_better_lead(benchmark: ModuleType) -> None:
    scores = {"offline key points": [0.3, 0.3], "lead-1": [0.2, 0.2], "lead-3": [0.25, 0.4]}
    line = benchmark.verdict(scores)
    assert line.startswith("offline RL 30.00 vs best lead (lead-3) 32.50: BELOW")
    scores["offline key points"] = [0.4, 0.3]
    assert ": meets;" in benchmark.verdict(scores)


def _gold_set(folder: Path, name: str, article: str) -> Path:
    tool = ROOT / "evals" / "tools" / "build_long_summaries.py"
    data = folder / f"{name}.txt"
    lines = [{"summarization": f"南通港吞吐量创新高{n}", "article": article} for n in range(4)]
    data.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    subprocess.run(
        [
            *(sys.executable, str(tool), str(data), "--format", "nlpcc-jsonl", "--name", name),
            *("--provenance", "test", "--license", "test", "--out", str(folder / name)),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return folder / name


def test_several_sets_are_reported_each_then_pooled(tmp_path: Path) -> None:
    article = "南通港今年货物吞吐量突破3亿吨，创历史新高。" * 3 + "码头作业繁忙。" * 80
    first = _gold_set(tmp_path, "one", article)
    second = _gold_set(tmp_path, "two", article)
    run = subprocess.run(
        [
            *(sys.executable, str(ROOT / "benchmarks" / "offline_rouge.py"), "--no-throughput"),
            *("--set", str(first), "--set", str(second)),
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BENCHDOC": "0"},
    )
    out = run.stdout
    assert "4 articles from one@1#" in out and "4 articles from two@1#" in out
    assert "all 2 sets pooled" in out
    pooled = out.split("all 2 sets pooled")[1]
    counts = [
        int(line.split("(")[1].split(")")[0]) for line in pooled.splitlines() if "long (" in line
    ]
    assert sum(counts) == 8
