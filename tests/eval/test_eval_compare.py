"""``eval compare``: no verdict below the minimum n, cost and latency reported but not gated by
default, failures counted, and a per-example diff with links into both reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.eval.compare import compare_runs
from summarizer.eval.goldset import load_set
from summarizer.eval.stats import MIN_PAIRED_N

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def two_offline_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The offline engine twice on the 40 zh-news examples, the second without the cache (so its
    latencies really differ)."""
    root = tmp_path_factory.mktemp("offline")
    for name, extra in (("a", []), ("b", ["--no-cache"])):
        code, _, stderr = _invoke(
            "eval", "run", "--set", "zh-news-summaries", "--engine", "offline",
            "--out", str(root / name), "--resamples", "200", *extra,
        )  # fmt: skip
        assert code == 0, stderr
    return root / "a", root / "b"


def test_two_identical_offline_runs_compare_as_no_difference_and_pass_the_gate(
    two_offline_runs: tuple[Path, Path],
) -> None:
    run_a, run_b = two_offline_runs
    code, stdout, stderr = _invoke(
        "eval", "compare", str(run_a), str(run_b), "--fail-on-regression", "--resamples", "500"
    )
    assert code == 0, stderr
    assert "**Overall: no difference.**" in stdout
    assert "A: 0 errors · B: 0 errors" in stdout
    assert "summarizer: no difference; A: 0 errors, B: 0 errors" in stderr
    code, stdout, _ = _invoke("eval", "compare", str(run_a), str(run_b), "--format", "json")
    payload = json.loads(stdout)
    latency = next(c for c in payload["comparisons"] if c["metric"] == "cost.latency_ms")
    assert latency["n"] == 40 and latency["gated"] is False and latency["regression"] is False
    assert latency["mean_a"] != latency["mean_b"]  # reported, really measured, not gated
    quality = [c for c in payload["comparisons"] if c["gated"] and c["n"]]
    assert quality and {c["verdict"] for c in quality} == {"no significant difference"}
    assert payload["overall"] == "no difference" and payload["regressions"] == []
    # the offline engine's headline is n/a in both runs: no pairs, no verdict
    headline = next(c for c in payload["comparisons"] if c["metric"] == "fill.headline")
    assert headline["n"] == 0 and headline["verdict"] == "n/a"


def test_latency_is_gated_only_when_given_a_tolerance(two_offline_runs: tuple[Path, Path]) -> None:
    result = compare_runs(*two_offline_runs, tolerances={"cost.latency_ms": 0.0}, resamples=300)
    latency = next(c for c in result.comparisons if c.metric == "cost.latency_ms")
    assert latency.gated is True
    rouge = next(c for c in result.comparisons if c.metric == "evidence_zh.rougeL")
    assert rouge.gated is True and rouge.regression is False


def _predictions(
    path: Path, set_name: str, *, fail: bool = False, summary: str = "", evidence_chars: int = 0
) -> Path:
    lines = []
    for example in load_set(set_name):
        if fail:
            error = {"kind": "model_output.invalid", "message": "not JSON"}
            lines.append({"id": example.id, "error": error})
        else:
            text = summary or (example.texts("summary") or example.texts("summary_zh"))[0]
            line = {"id": example.id, "headline": "A headline", "summary": text}
            if example.texts("summary_zh"):  # the Chinese side: evidence vs the reference
                reference = example.texts("summary_zh")[0]
                line["evidence"] = [reference[: evidence_chars or None]]
            lines.append(line)
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    return path


def _run(tmp_path: Path, name: str, set_name: str, **options: object) -> Path:
    predictions = _predictions(tmp_path / f"{name}.jsonl", set_name, **options)  # type: ignore[arg-type]
    out = tmp_path / name
    code, _, stderr = _invoke(
        "eval", "run", "--set", set_name, "--predictions", str(predictions),
        "--out", str(out), "--resamples", "200",
    )  # fmt: skip
    assert code in (0, 1), stderr
    return out


def test_below_the_minimum_n_there_is_no_verdict_and_no_gate(tmp_path: Path) -> None:
    good = _run(tmp_path, "good", "seed")
    bad = _run(tmp_path, "bad", "seed", summary="Nothing.")
    code, stdout, stderr = _invoke("eval", "compare", str(good), str(bad), "--fail-on-regression")
    assert code == 0, stderr
    assert f"no verdict: 1 paired examples, verdicts need {MIN_PAIRED_N}" in stdout
    rows = [line for line in stdout.splitlines() if line.startswith("| summary.rougeL ")]
    assert rows and rows[0].endswith("| 1 | too few examples |")
    assert "p = 0.0000" not in stdout


def test_a_run_that_failed_everywhere_shows_its_errors_and_fails_the_gate(tmp_path: Path) -> None:
    good = _run(tmp_path, "good", "zh-news-summaries")
    failed = _run(tmp_path, "failed", "zh-news-summaries", fail=True)
    code, stdout, stderr = _invoke(
        "eval", "compare", str(good), str(failed), "--fail-on-regression", "--resamples", "300"
    )
    assert code == 1
    assert "A: 0 errors · B: 40 errors (model_output.invalid ×40)" in stdout
    assert "B: 40 errors" in stderr and "regression in fill." in stderr
    assert "### Failed in B only" in stdout


def test_the_per_example_diff_links_into_both_reports(tmp_path: Path) -> None:
    a = _run(tmp_path, "a", "zh-news-summaries")
    b = _run(tmp_path, "b", "zh-news-summaries", evidence_chars=4)
    result = compare_runs(a, b, resamples=300)
    assert result.diff_metric == "evidence_zh.rougeL"  # the set has Chinese references only
    assert result.losses and not result.wins and len(result.losses) == 5
    worst = result.losses[0]
    assert worst.difference == min(d.difference for d in result.losses if d.difference is not None)
    for link, run in ((worst.link_a, a), (worst.link_b, b)):
        path, anchor = link.split("#")
        assert Path(path) == run / "report.html"
        assert f'id="{anchor}"' in Path(path).read_text(encoding="utf-8")
    code, _, stderr = _invoke("eval", "compare", str(a), str(b), "--diff-metric", "nope")
    assert code == 2 and "--diff-metric nope: not in these runs" in stderr


def test_format_takes_choices(tmp_path: Path) -> None:
    code, _, stderr = _invoke("eval", "compare", str(tmp_path), str(tmp_path), "--format", "xml")
    assert code == 2
    assert re.search(r"'xml' is not one of\s.*'markdown'", " ".join(stderr.split()))


def test_compare_states_its_one_decision_rule(two_offline_runs: tuple[Path, Path]) -> None:
    run_a, run_b = two_offline_runs
    code, stdout, _ = _invoke("eval", "compare", str(run_a), str(run_b), "--resamples", "200")
    assert code == 0
    assert "Decision rule: better/worse when the 95% CI excludes 0" in stdout
    assert "same as p < 0.05" in stdout and "-0.000" not in stdout
    code, stdout, _ = _invoke(
        "eval", "compare", str(run_a), str(run_b), "--format", "json", "--resamples", "200"
    )
    assert "p = 2·min(P(Δ* ≤ 0), P(Δ* ≥ 0))" in json.loads(stdout)["decision_rule"]


def test_numbers_that_round_to_zero_keep_their_sign_and_size() -> None:
    from summarizer.eval.report import format_number

    assert format_number(-0.0003) == "-3.0e-04"
    assert format_number(-0.0) == "0.000" and format_number(0.0) == "0.000"
    assert format_number(0.1234) == "0.123" and format_number(None) == "n/a"
