"""The eval matrix: 2 prompt versions × 2 fake models on the seed and zh-news-summaries sets,
against the scripted OpenAI-compatible server (real HTTP), one report per matrix.

The two prompt versions are the shipped ones: summarize v1 (the schema shown to the model) and v2
(the field guide generated from the schema in its place).
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summarizer.api
from summarizer.cli import app
from summarizer.engines.prompts import load_template
from summarizer.eval.goldset import load_set
from summarizer.eval.matrix import MatrixSpec, run_matrix
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

REPO_PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
STRONG, WEAK = "strong-model", "weak-model"


@pytest.fixture
def two_prompt_versions() -> Iterator[Path]:
    """The shipped prompt folder, which holds summarize v1 and v2."""
    for version in ("v1", "v2"):
        assert load_template("summarize", version).version == version
    yield REPO_PROMPTS


def two_models(
    good: Callable[[RecordedRequest], Reply],
    refused: set[str] | None = None,
    *,
    refusals: bool = True,
) -> Callable[[RecordedRequest], Reply]:
    """The strong model answers well; the weak one writes a vaguer headline and summary and, for
    about a quarter of the articles, prose instead of JSON (those fail after the re-asks; not
    with ``refusals`` off, for a run of one article, whose hash would decide the run's exit)."""

    def handler(request: RecordedRequest) -> Reply:
        reply = good(request)
        if request.model != WEAK:
            return reply
        user = next(m["content"] for m in request.messages if m["role"] == "user")
        # The article's own characters (the same under either prompt version), not the wording.
        article = "".join(re.findall(r"[\u4e00-\u9fff]", user))
        if refusals and zlib.crc32(article.encode("utf-8")) % 4 == 0:
            if refused is not None:
                refused.add(article)
            return Reply.text("Sorry, here is a summary in prose: things happened.")
        assert reply.chat is not None and reply.chat.content is not None
        answer = json.loads(reply.chat.content)
        if "summary_en" in answer:
            answer["headline_en"] = "News"
            answer["summary_en"] = "Something happened somewhere."
        return Reply.json(answer, usage=(200, 90))

    return handler


@pytest.fixture
def counted_preparations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every article preparation the matrix makes (to prove it is shared by the variants)."""
    calls: list[str] = []
    real = summarizer.api.prepare_article

    def counting(text: str | bytes, **options: object) -> object:
        calls.append(text if isinstance(text, str) else text.decode("utf-8", "replace"))
        return real(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(summarizer.api, "prepare_article", counting)
    return calls


@pytest.mark.parametrize(
    ("set_name", "rank_by"),
    [
        ("seed", None),  # ranked by summary.rougeL (the set has English reference summaries)
        ("zh-news-summaries", "schema_valid"),  # Chinese references only: rank by validity
    ],
)
def test_matrix_scores_two_prompts_by_two_models_in_one_run(
    set_name: str,
    rank_by: str | None,
    openai_server: ScriptedOpenAIServer,
    fake_model: Callable[[RecordedRequest], Reply],
    two_prompt_versions: Path,
    counted_preparations: list[str],
    tmp_path: Path,
) -> None:
    refused: set[str] = set()
    openai_server.set_handler(two_models(fake_model, refused))
    goldset = load_set(set_name)
    spec = MatrixSpec(
        set_name,
        models=(STRONG, WEAK),
        prompt_versions=("v1", "v2"),
        base_url=openai_server.base_url,
    )
    out = tmp_path / "matrix"
    matrix = run_matrix(spec, out_dir=out, resamples=300, concurrency=4, rank_by=rank_by)
    assert matrix.rank_by == (rank_by or "summary.rougeL")

    # one run: four variants, the set loaded and every article prepared once for all of them
    assert [run.variant.name for run in matrix.runs] == [
        f"{model} · prompt {version} · auto · few-shot default"
        for model in (STRONG, WEAK)
        for version in ("v1", "v2")
    ]
    assert len(counted_preparations) == len(goldset)
    assert matrix.shared_work == {"goldset_loads": 1, "preparations": len(goldset)}
    systems = {r.messages[0]["content"] for r in openai_server.requests if r.model == STRONG}
    assert len({len(s) for s in systems}) >= 2, "both prompt versions reached the model"
    for run in matrix.runs:
        folder = out / "variants" / run.variant.slug
        assert (folder / "report.html").is_file() and (folder / "scores.jsonl").is_file()
        assert run.result.engine["prompt_version"] == run.variant.prompt_version

    # the leaderboard ranks the strong model's variants first, with CIs and error counts
    board = matrix.leaderboard()
    assert [row["variant"]["model"] for row in board[:2]] == [STRONG, STRONG]
    assert all(row["errors"] == 0 for row in board[:2])
    weak_errors = {row["errors"] for row in board[2:]}
    failing = len(refused)  # articles the weak model never answered in JSON (same in v1 and v2)
    assert weak_errors == {failing}
    if len(goldset) > 10:
        assert 0 < failing < len(goldset)

    payload = json.loads((out / "matrix.json").read_text(encoding="utf-8"))
    assert payload["rank_by"] == matrix.rank_by
    assert len(payload["pairwise"]) == 6  # every pair of 4 variants
    same_model = next(
        p for p in payload["pairwise"] if STRONG in p["a"] and STRONG in p["b"]
    )  # v1 vs v2 of the same fake model: the same answers
    assert same_model["difference"] == 0.0
    if len(goldset) < 10:
        assert {p["verdict"] for p in payload["pairwise"]} <= {"too few examples", "n/a"}
    else:
        assert same_model["verdict"] == "no significant difference"
        strong_vs_weak = next(
            p for p in payload["pairwise"] if "v1" in p["a"] and p["b"].startswith(WEAK)
        )
        assert strong_vs_weak["n"] >= 10 and strong_vs_weak["verdict"] == "worse"

    # the per-example grid puts the examples where the variants disagree first
    grid = payload["grid"]
    assert len(grid) == len(goldset)
    if failing:
        assert grid[0]["disagree"] and any(grid[0]["errors"])
    disagreeing = [row for row in grid if row["disagree"]]
    assert grid[: len(disagreeing)] == disagreeing

    html = (out / "matrix.html").read_text(encoding="utf-8")
    assert "script-src 'none'" in html and "<script" not in html
    assert html.count('<tr class="disagree">') == len(disagreeing)
    assert f'href="variants/{matrix.runs[0].variant.slug}/report.html#ex-' in html
    markdown = (out / "matrix.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# Eval matrix on {goldset.signature}")
    assert "## Leaderboard" in markdown and "## Pairwise on" in markdown
    for page in (html, markdown):  # the one rule every verdict follows
        assert "Decision rule: better/worse when the 95% CI excludes 0" in page


def test_matrix_command_reads_a_toml_file_and_command_line_axes(
    openai_server: ScriptedOpenAIServer,
    fake_model: Callable[[RecordedRequest], Reply],
    two_prompt_versions: Path,
    tmp_path: Path,
) -> None:
    openai_server.set_handler(two_models(fake_model, refusals=False))
    config = tmp_path / "matrix.toml"
    config.write_text(
        f'set = "seed"\nbase_url = "{openai_server.base_url}"\n'
        f'models = ["{STRONG}", "{WEAK}"]\nprompt_versions = ["v1", "v2"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "m"
    result = CliRunner().invoke(
        app,
        ["eval", "matrix", "--config", str(config), "--out", str(out), "--resamples", "200"],
        env={"OPENAI_API_KEY": "sk-test-not-a-real-key-000000"},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Eval matrix on seed@1#")
    assert len(json.loads((out / "matrix.json").read_text(encoding="utf-8"))["variants"]) == 4
    # a command-line axis replaces the file's: one model, two few-shot settings
    result = CliRunner().invoke(
        app,
        [
            "eval", "matrix", "--config", str(config), "--out", str(tmp_path / "m2"),
            "--model", STRONG, "--few-shot", "on", "--few-shot", "off", "--resamples", "200",
        ],
        env={"OPENAI_API_KEY": "sk-test-not-a-real-key-000000"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = json.loads((tmp_path / "m2" / "matrix.json").read_text(encoding="utf-8"))["variants"]
    assert [v["few_shot"] for v in names] == [True, False, True, False]
    assert "sk-test-not-a-real-key" not in (tmp_path / "m2" / "matrix.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('set = "seed"\nmodel = ["a"]\n', "unknown key(s) model; valid keys: set, base_url"),
        ('set = "seed"\nmodels = "a"\n', "models must be a list of non-empty strings"),
        ('set = "seed"\nmodels = ["a"]\n', "the matrix has 1 variant; give at least two"),
        ("set = [\n", "is not valid TOML"),
    ],
)
def test_bad_matrix_files_are_one_line_errors(toml: str, message: str, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["eval", "matrix", "--config", str(config), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_capability_is_refused_before_any_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["eval", "matrix", "--set", "seed", "--model", "a", "--model", "b",
         "--capability", "xml", "--out", str(tmp_path / "o")],
    )  # fmt: skip
    assert result.exit_code == 2
    message = re.sub(r"[\s│╭╮╰╯─]+", " ", result.stderr)  # rich draws usage errors in a box
    assert "'xml' is not one of auto, json_schema, json_object, prompt" in message
    assert not (tmp_path / "o").exists()
