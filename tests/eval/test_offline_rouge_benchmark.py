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


def _run(*arguments: str) -> str:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "offline_rouge.py"), *arguments],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BENCHDOC": "0"},
    )
    return run.stdout


def test_the_verdict_table_comes_first_held_out_first_with_counts_and_both_leads(
    tmp_path: Path,
) -> None:
    article = "南通港今年货物吞吐量突破3亿吨，创历史新高。" * 3 + "码头作业繁忙。" * 80
    first = _gold_set(tmp_path, "one", article)
    second = _gold_set(tmp_path, "two", article)
    out = _run("--no-throughput", "--set", str(first), "--set", str(second))
    head = out.split("articles from")[0]  # the verdict table precedes every set's tables
    assert "| Lead-1 | Lead-3 |" in head
    rows = [
        line
        for line in head.splitlines()
        if line.startswith("| held-out") or line.startswith("| tune")
    ]
    splits = [row.split("|")[1].strip() for row in rows]
    assert splits == sorted(splits)  # "held-out" < "tune": every held-out row first
    pooled = [row for row in rows if "all 2 pooled" in row]
    per_set = [row for row in rows if "all 2 pooled" not in row]
    assert pooled and per_set
    count = lambda row: int(row.split("|")[4])  # noqa: E731
    for split in {row.split("|")[1] for row in pooled}:
        assert sum(count(r) for r in per_set if r.split("|")[1] == split) == sum(
            count(r) for r in pooled if r.split("|")[1] == split
        )
    assert sum(count(row) for row in pooled) == 8
    assert "4 articles from one@1#" in out and "4 articles from two@1#" in out


def test_a_set_that_is_not_built_is_left_out_with_how_to_build_it(tmp_path: Path) -> None:
    article = "南通港今年货物吞吐量突破3亿吨，创历史新高。" * 3 + "码头作业繁忙。" * 80
    built = _gold_set(tmp_path, "one", article)
    unbuilt = _gold_set(tmp_path, "two", article)
    manifest = json.loads((unbuilt / "manifest.json").read_text("utf-8"))
    manifest["build"] = "python build_two.py"
    (unbuilt / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    (unbuilt / "examples.jsonl").unlink()
    out = _run("--no-throughput", "--set", str(built), "--set", str(unbuilt))
    assert "not built: two (left out): python build_two.py" in out
    assert "4 articles from one@1#" in out


def test_without_sets_it_scores_every_summary_set(benchmark: ModuleType) -> None:
    parser = benchmark.build_parser()
    assert parser.parse_args([]).set is None
    assert benchmark.SUMMARY_SETS == ("zh-news-summaries", "catamaran-nyt-zh", "textsum-news-zh")


@pytest.mark.parametrize(
    ("argv", "recorded"),
    [
        ([], True),
        (["--split", "held-out", "--no-throughput"], True),
        (["--set", "catamaran-nyt-zh"], True),
        (["--split", "tune"], False),
        (["--data", "x.jsonl"], False),
        (["--outputs", "out.jsonl"], False),
        (["--help"], False),
        (["--hel"], False),
        (["-h"], False),
    ],
)
def test_only_held_out_runs_of_gold_sets_reach_the_docs_page(
    benchmark: ModuleType, argv: list[str], recorded: bool
) -> None:
    assert benchmark.records_figures(argv) is recorded
