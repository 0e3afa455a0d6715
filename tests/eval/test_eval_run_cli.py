"""``summarizer eval run`` / ``compare`` end to end: offline engine, predictions files, gates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.eval.goldset import load_set
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "offline"
    code, stdout, stderr = _invoke(
        "eval", "run", "--set", "seed", "--engine", "offline", "--out", str(out)
    )
    assert code == 0, stderr
    assert stdout.startswith("# Eval report: seed@1#")
    return out


def test_offline_run_writes_every_file(offline_run: Path) -> None:
    for name in ("predictions.jsonl", "scores.jsonl", "report.json", "report.md", "report.html"):
        assert (offline_run / name).is_file(), name
    report = json.loads((offline_run / "report.json").read_text(encoding="utf-8"))
    assert report["set"]["signature"] == load_set("seed").signature
    assert report["engine"]["name"] == "offline"
    summary = report["summary"]
    assert summary["schema_valid"]["mean"] == 1.0
    # The offline engine cannot translate or write an English headline for a Chinese article:
    # those fields are n/a (left out of the means), not scored 0.
    for name in ("fill.translation", "fill.headline", "headline.rougeL", "summary.rougeL"):
        if name in summary:
            assert summary[name]["mean"] is None and summary[name]["n"] == 0, name
    assert "fill.headline" in summary
    scored = json.loads((offline_run / "scores.jsonl").read_text(encoding="utf-8"))
    assert scored["metrics"]["fill.headline"] is None
    assert scored["metrics"]["fill.key_points"] == 1.0  # what it does produce is still scored
    assert summary["grounding.evidence_in_source"]["mean"] == 1.0
    assert 0.0 < summary["people.f1"]["mean"] <= 1.0
    assert (
        "rouge" in report["signatures"]
        and "tok:cjk-char+word-lower" in report["signatures"]["rouge"]
    )
    (line,) = (offline_run / "scores.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["id"] == "seed-tongzhou-2025-12-13"


def test_rerun_is_served_from_the_cache(offline_run: Path) -> None:
    code, _, stderr = _invoke(
        "eval", "run", "--set", "seed", "--engine", "offline", "--out", str(offline_run)
    )
    assert code == 0, stderr
    report = json.loads((offline_run / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["cached"] == 1


def _write_predictions(path: Path, transform: str) -> Path:
    lines = []
    for example in load_set("wmt22-zhen"):
        translation = example.translations()[1]
        if transform == "drop_last":
            translation = translation[:-1]
        lines.append(json.dumps({"id": example.id, "translation": translation}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_predictions_file_fail_under_and_compare(tmp_path: Path) -> None:
    good = _write_predictions(tmp_path / "good.jsonl", "as_is")
    worse = _write_predictions(tmp_path / "worse.jsonl", "drop_last")
    code, stdout, _ = _invoke(
        "eval",
        "run",
        "--set",
        "wmt22-zhen",
        "--predictions",
        str(good),
        "--out",
        str(tmp_path / "a"),
        "--fail-under",
        "translation.chrf=40",
    )
    assert code == 0
    assert "translation.chrf" in stdout
    code, _, stderr = _invoke(
        "eval",
        "run",
        "--set",
        "wmt22-zhen",
        "--predictions",
        str(worse),
        "--out",
        str(tmp_path / "b"),
        "--fail-under",
        "translation.missing_paragraphs=0",
    )
    assert code == 1
    assert "translation.missing_paragraphs" in stderr

    code, stdout, _ = _invoke(
        "eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "json"
    )
    assert code == 0
    comparisons = {c["metric"]: c for c in json.loads(stdout)["comparisons"]}
    assert comparisons["translation.missing_paragraphs"]["verdict"] == "worse"
    assert comparisons["translation.chrf"]["difference"] < 0

    code, stdout, stderr = _invoke(
        "eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"), "--fail-on-regression"
    )
    assert code == 1 and "REGRESSION" in stdout and "regression in" in stderr
    code, _, _ = _invoke(
        "eval",
        "compare",
        str(tmp_path / "a"),
        str(tmp_path / "b"),
        "--fail-on-regression",
        "--tolerance",
        "translation.chrf=50",
        "--tolerance",
        "translation.bleu=100",
        "--tolerance",
        "translation.missing_paragraphs=5",
        "--tolerance",
        "translation.length_ratio=1",
        "--tolerance",
        "grounding.flags=5",
    )
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["eval", "run", "--set", "nope", "--engine", "offline", "--out", "{tmp}/x"],
            "no gold set",
        ),
        (["eval", "run", "--set", "seed", "--out", "{tmp}/x"], "--engine"),
        (
            [
                "eval",
                "run",
                "--set",
                "seed",
                "--predictions",
                "{tmp}/missing.jsonl",
                "--out",
                "{tmp}/x",
            ],
            "cannot read predictions",
        ),
        (
            [
                "eval",
                "run",
                "--set",
                "seed",
                "--predictions",
                "{tmp}/bad.jsonl",
                "--out",
                "{tmp}/x",
            ],
            "not valid JSON",
        ),
        (
            [
                "eval",
                "run",
                "--set",
                "seed",
                "--predictions",
                "{tmp}/other.jsonl",
                "--out",
                "{tmp}/x",
            ],
            "not in set",
        ),
        (
            [
                "eval",
                "run",
                "--set",
                "seed",
                "--engine",
                "offline",
                "--out",
                "{tmp}/x",
                "--fail-under",
                "rouge",
            ],
            "METRIC=VALUE",
        ),
        (["eval", "compare", "{tmp}", "{tmp}"], "not an eval run directory"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    (tmp_path / "other.jsonl").write_text('{"id": "someone-else"}\n', encoding="utf-8")
    code, _, stderr = _invoke(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == 2
    assert stderr.startswith("summarizer: error: ") and message in stderr
    assert "Traceback" not in stderr


def test_openai_without_configuration_exits_3(tmp_path: Path, no_model_env: None) -> None:
    code, _, stderr = _invoke(
        "eval", "run", "--set", "seed", "--engine", "openai", "--out", str(tmp_path / "x")
    )
    assert code == 3 and "OPENAI_BASE_URL" in stderr


def test_a_run_s_own_predictions_rescore_to_the_same_numbers(
    offline_run: Path, tmp_path: Path
) -> None:
    code, _, stderr = _invoke(
        "eval",
        "run",
        "--set",
        "seed",
        "--predictions",
        str(offline_run / "predictions.jsonl"),
        "--out",
        str(tmp_path),
    )
    assert code == 0, stderr
    before = json.loads((offline_run / "report.json").read_text(encoding="utf-8"))["summary"]
    after = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["summary"]
    for metric in (
        "schema_valid",
        "people.f1",
        "grounding.evidence_in_source",
        "key_points.rougeL",
    ):
        assert after[metric]["mean"] == before[metric]["mean"], metric


def test_a_schema_invalid_output_counts_against_validity(tmp_path: Path) -> None:
    (example,) = load_set("seed").examples
    broken = {"id": example.id, "output": {"headline_en": "Only a headline"}}
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(broken) + "\n", encoding="utf-8")
    code, _, _ = _invoke(
        "eval",
        "run",
        "--set",
        "seed",
        "--predictions",
        str(path),
        "--out",
        str(tmp_path / "run"),
        "--fail-under",
        "schema_valid=1",
    )
    assert code == 1
    report = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["schema_valid"]["mean"] == 0.0
    assert report["summary"]["fill.headline"]["mean"] == 1.0


def test_openai_engine_from_the_environment(
    openai_env: str,
    openai_server: ScriptedOpenAIServer,
    fake_model: Callable[[RecordedRequest], Reply],
    tmp_path: Path,
) -> None:
    openai_server.set_handler(fake_model)
    code, stdout, stderr = _invoke(
        "eval",
        "run",
        "--set",
        "seed",
        "--engine",
        "openai",
        "--out",
        str(tmp_path),
        "--concurrency",
        "2",
    )
    assert code == 0, stderr
    assert "cost.prompt_tokens" in stdout
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["engine"]["model"] == "test-model"
    assert report["summary"]["fill.translation"]["mean"] == 1.0
    assert openai_env not in (tmp_path / "report.json").read_text(encoding="utf-8")


def test_simple_shape_english_fields_are_checked_for_chinese(tmp_path: Path) -> None:
    (example,) = load_set("seed").examples
    line = {"id": example.id, "headline": "会议召开 Meeting held", "summary": "A meeting was held."}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, _ = _invoke(
        "eval", "run", "--set", "seed", "--predictions", str(path), "--out", str(tmp_path / "run")
    )
    assert code == 0
    (scored,) = (tmp_path / "run" / "scores.jsonl").read_text(encoding="utf-8").splitlines()
    flags = json.loads(scored)["flags"]
    assert [(f["code"], f["text"]) for f in flags] == [("english.untranslated", "headline")]
    assert json.loads(scored)["metrics"]["grounding.untranslated_flags"] == 1.0


def test_sets_lists_the_shipped_sets_with_signatures() -> None:
    code, stdout, _ = _invoke("eval", "sets")
    assert code == 0
    lines = stdout.splitlines()
    assert any(line.startswith(load_set("wmt22-zhen").signature) for line in lines)
    assert len([line for line in lines if "@" in line.split("\t")[0]]) >= 3


def test_outputs_the_engine_does_not_produce_are_n_a_in_every_report(offline_run: Path) -> None:
    """The offline engine writes no key point text_en and no translation: n/a with n = 0, not 0,
    in the per-example means and in the corpus scores, in JSON, Markdown and HTML alike."""
    report = json.loads((offline_run / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["key_points.rougeL"] == {
        "mean": None,
        "low": None,
        "high": None,
        "n": 0,
    }
    for name in ("translation.chrf", "translation.bleu"):
        assert report["corpus"][name] is None and report["corpus_n"][name] == 0, name
    (line,) = (offline_run / "scores.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["metrics"]["key_points.rougeL"] is None
    markdown = (offline_run / "report.md").read_text(encoding="utf-8")
    assert "| key_points.rougeL | n/a | [n/a, n/a] | 0 | higher |" in markdown
    assert "| translation.chrf | n/a | 0 |" in markdown
    assert "| translation.bleu | n/a | 0 |" in markdown
    html = (offline_run / "report.html").read_text(encoding="utf-8")
    assert '<td>translation.chrf</td><td class="num">n/a</td><td class="num">0</td>' in html
    assert '0.000</td><td class="num">0</td>' not in html


def test_corpus_translation_scores_cover_only_the_examples_with_a_translation(
    tmp_path: Path,
) -> None:
    """A predictions file that translated only some documents: corpus chrF/BLEU over those (with
    their count), exactly as sacrebleu scores them, instead of counting the rest as empty."""
    from summarizer.eval.translation import corpus_scores

    examples = load_set("wmt22-zhen").examples
    translated = examples[::2]
    path = tmp_path / "half.jsonl"
    lines = [
        {"id": e.id, "translation": e.translations()[1]}
        if e in translated
        else {"id": e.id, "headline": "x"}
        for e in examples
    ]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    out = tmp_path / "run"
    code, _, stderr = _invoke(
        "eval", "run", "--set", "wmt22-zhen", "--predictions", str(path), "--out", str(out)
    )
    assert code == 0, stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    expected = corpus_scores(
        [e.translations()[1] for e in translated], [e.translations() for e in translated]
    )
    assert report["corpus_n"]["translation.chrf"] == len(translated) < len(examples)
    assert report["corpus"]["translation.chrf"] == pytest.approx(expected["translation.chrf"])
    assert report["corpus"]["translation.bleu"] == pytest.approx(expected["translation.bleu"])
    assert report["summary"]["translation.chrf"]["n"] == len(translated)


def test_an_unknown_gate_metric_is_refused_before_the_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, _, stderr = _invoke(
        "eval", "run", "--set", "seed", "--engine", "offline", "--out", str(out),
        "--fail-under", "summary.rogueL=0.3",
    )  # fmt: skip
    assert code == 2
    assert "--fail-under summary.rogueL: unknown metric (did you mean summary.rougeL?)" in stderr
    assert not out.exists()  # refused before anything ran or was written


def test_a_gate_on_a_metric_that_is_n_a_in_this_run_says_so(tmp_path: Path) -> None:
    code, _, stderr = _invoke(
        "eval", "run", "--set", "seed", "--engine", "offline", "--out", str(tmp_path / "run"),
        "--fail-under", "fill.headline=0.5",
    )  # fmt: skip
    assert code == 2
    assert "--fail-under fill.headline: n/a in this run" in stderr
    assert "no such metric" not in stderr and "have:" not in stderr
    assert (tmp_path / "run" / "report.json").is_file()  # the scored run is still written


def test_a_failing_gate_names_the_metric_its_value_and_the_threshold(tmp_path: Path) -> None:
    code, _, stderr = _invoke(
        "eval", "run", "--set", "seed", "--engine", "offline", "--out", str(tmp_path / "run"),
        "--fail-under", "people.f1=1.5", "--fail-under", "grounding.flags=-1",
        "--fail-under", "schema_valid=1",
    )  # fmt: skip
    assert code == 1
    line = " ".join(stderr.split())
    assert "--fail-under failed: people.f1 1.000 < 1.500; grounding.flags 0.000 > -1.000" in line
    assert "schema_valid" not in line  # a passing gate is not listed


def test_a_run_directory_of_another_set_is_not_overwritten(tmp_path: Path) -> None:
    """``--out`` naming a run of another set (or engine) is refused unless ``--overwrite``."""
    out = tmp_path / "run"
    predictions = _write_predictions(tmp_path / "good.jsonl", "as_is")
    code, _, stderr = _invoke(
        "eval", "run", "--set", "wmt22-zhen", "--predictions", str(predictions), "--out", str(out)
    )
    assert code == 0, stderr
    before = (out / "predictions.jsonl").read_bytes()
    code, _, stderr = _invoke(
        "eval", "run", "--set", "seed", "--engine", "offline", "--out", str(out)
    )
    assert code == 2
    line = " ".join(stderr.split())
    assert "holds another run" in line and "wmt22-zhen" in line and "--overwrite" in line
    assert (out / "predictions.jsonl").read_bytes() == before  # untouched
    assert not (out / "cache.sqlite3").exists()  # refused before anything ran
    code, _, stderr = _invoke(
        "eval", "run", "--set", "seed", "--engine", "offline", "--out", str(out), "--overwrite"
    )
    assert code == 0, stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["set"]["name"] == "seed" and report["counts"]["predictions"] == 1


def test_out_must_be_a_directory(tmp_path: Path) -> None:
    file = tmp_path / "taken.txt"
    file.write_text("mine\n", encoding="utf-8")
    for source in (["--engine", "offline"], ["--predictions", str(file)]):
        code, _, stderr = _invoke("eval", "run", "--set", "seed", *source, "--out", str(file))
        assert code == 2
        assert f"--out must be a directory ({file} is a file)" in " ".join(stderr.split())
        assert "cache" not in stderr
    assert file.read_text(encoding="utf-8") == "mine\n"
