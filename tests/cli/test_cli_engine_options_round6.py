"""Engine options that only the library took, now on every command that calls a model, and
``eval run --year-hint``.

``--extra-body`` (provider fields such as vLLM's and llama.cpp's ``top_k`` or a llama.cpp
``grammar``), ``--max-concurrent-calls``, ``--max-transport-attempts`` and
``--chunk-prompt-version`` come from the one shared declaration (``ModelOptions``), so
``summarize``, ``batch``, ``batch-api``, ``serve``, ``worker`` and ``eval`` take them alike
(``test_cli_model_options`` checks the declaration reaches every command). An ``extra_body`` is
checked where the library checks it: a JSON object, no field the client sets itself, and no
credential, since request settings are written to the call log, cache keys and reports.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summarizer
from summarizer.cli import app
from summarizer.errors import ConfigError
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer, answering

runner = CliRunner()

ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
#: Seven paragraphs: with ``--chunk-chars 80`` its translation goes in several chunk calls.
LONG_ARTICLE = "\n".join(
    [ARTICLE]
    + [
        f"第{i}项工作：会议强调要加强统筹协调，确保各项任务按时完成，取得新的进展。"
        for i in range(6)
    ]
)
SECRET = "hunter2hunter2hunter2"


def _model_args(server: ScriptedOpenAIServer) -> list[str]:
    return ["--engine", "openai", "--model", "test-model", "--base-url", server.base_url]


def _article(tmp_path: Path, text: str = ARTICLE) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_body_fields_reach_every_chat_request(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    grammar = 'root ::= "{" [^}]* "}"'
    extra = json.dumps({"top_k": 20, "grammar": grammar, "chat_template_kwargs": {"x": False}})
    result = runner.invoke(
        app,
        ["summarize", str(_article(tmp_path)), *_model_args(openai_server), "--extra-body", extra],
    )
    assert result.exit_code == 0, result.output
    assert openai_server.chat_requests
    for request in openai_server.chat_requests:
        assert request.json["top_k"] == 20 and request.json["grammar"] == grammar
        assert request.json["chat_template_kwargs"] == {"x": False}


def test_extra_body_can_come_from_a_file(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    body = tmp_path.parent / f"{tmp_path.name}-body.json"  # not in the folder batch reads
    body.write_text('{"top_k": 7, "min_p": 0.05}', encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "batch",
            str(_article(tmp_path).parent),  # a folder of articles
            "-o",
            str(tmp_path / "out.jsonl"),
            *_model_args(openai_server),
            "--extra-body",
            f"@{body}",
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    assert {request.json["top_k"] for request in openai_server.chat_requests} == {7}


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("[1, 2]", "must be a JSON object"),
        ('{"top_k": ', "not valid JSON"),
        ('{"a": ' * 5000 + "1" + "}" * 5000, "nested"),
        ('{"temperature": 1.2}', "--temperature"),
        ('{"stream": true}', "cannot set 'stream'"),
        (f'{{"api_key": "{SECRET}"}}', "field 'api_key' looks like a credential"),
        (f'{{"headers": {{"Authorization": "{SECRET}"}}}}', "'headers.Authorization'"),
        ('{"note": "sk-abcdefghijklmnopqrst"}', "value of 'note' looks like a credential"),
        ("@no/such/body.json", "cannot read no/such/body.json"),
    ],
)
def test_a_bad_extra_body_is_a_usage_error_before_any_request(
    value: str, said: str, tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    result = runner.invoke(
        app,
        ["summarize", str(_article(tmp_path)), *_model_args(openai_server), "--extra-body", value],
    )
    assert result.exit_code == 2, result.output
    shown = " ".join(result.output.replace("│", " ").split())  # the usage box wraps lines
    assert "Invalid value for '--extra-body'" in shown and said in shown, shown
    assert SECRET not in result.output and "abcdefghijklmnopqrst" not in result.output
    assert "Traceback" not in result.output
    assert openai_server.requests == []


@pytest.mark.parametrize("engine", ["openai", "offline"])
def test_the_library_refuses_a_credential_in_extra_body(engine: str) -> None:
    with pytest.raises(ConfigError, match="looks like a credential") as raised:
        summarizer.get_engine(
            engine,
            model="m",
            base_url="http://127.0.0.1:9/v1",
            extra_body={"chat_template_kwargs": {"access_token": SECRET}},
        )
    assert SECRET not in str(raised.value)
    with pytest.raises(ConfigError, match="extra_body"):
        summarizer.get_engine(engine, model="m", base_url="http://127.0.0.1:9/v1", extra_body=[1])


def _gaps(requests: list[RecordedRequest]) -> list[float]:
    times = sorted(request.received_at for request in requests)
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_max_concurrent_calls_bounds_a_long_articles_chunk_calls(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    good = answering()
    openai_server.set_handler(lambda request: Reply.delay(1.0, good(request)))
    path = _article(tmp_path, LONG_ARTICLE)
    command = ["summarize", str(path), *_model_args(openai_server), "--chunk-chars", "80"]
    one_at_a_time = runner.invoke(app, [*command, "--max-concurrent-calls", "1"])
    assert one_at_a_time.exit_code == 0, one_at_a_time.output
    assert len(openai_server.chat_requests) >= 3
    # Each call waits 1 s for its answer: one at a time, no call starts before the last ended.
    assert min(_gaps(openai_server.chat_requests)) >= 0.9
    openai_server.reset()
    openai_server.set_handler(lambda request: Reply.delay(1.0, good(request)))
    together = runner.invoke(app, [*command, "--max-concurrent-calls", "3"])
    assert together.exit_code == 0, together.output
    assert min(_gaps(openai_server.chat_requests)) < 0.9


def test_max_transport_attempts_bounds_the_retries(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(lambda request: Reply.error(503, "overloaded"))
    result = runner.invoke(
        app,
        [
            "summarize",
            str(_article(tmp_path)),
            *_model_args(openai_server),
            "--max-transport-attempts",
            "2",
        ],
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(openai_server.chat_requests) == 2


def test_an_unknown_chunk_prompt_version_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "summarize",
            str(_article(tmp_path)),
            "--engine",
            "offline",
            *["--chunk-prompt-version", "v99"],
        ],
    )
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "v99" in lines[0], result.stderr


def _events(run: Path) -> dict[str, str | None]:
    line = json.loads((run / "predictions.jsonl").read_text("utf-8").splitlines()[0])
    return {event["date_as_written"]: event["date_iso"] for event in line["output"]["events"]}


def test_eval_run_takes_year_hint(tmp_path: Path) -> None:
    plain, hinted = tmp_path / "plain", tmp_path / "hinted"
    command = ["eval", "run", "--set", "seed", "--engine", "offline", "--no-cache"]
    assert runner.invoke(app, [*command, "--out", str(plain)]).exit_code == 0
    result = runner.invoke(app, [*command, "--out", str(hinted), "--year-hint", "2023"])
    assert result.exit_code == 0, result.output
    assert _events(plain)["12月13日"] is None
    assert _events(hinted)["12月13日"] == "2023-12-13"
    report = json.loads((hinted / "report.json").read_text("utf-8"))
    assert json.dumps(report).count('"year_hint": "2023"') >= 1


def test_eval_run_year_hint_is_checked(tmp_path: Path) -> None:
    command = ["eval", "run", "--set", "seed", "--out", str(tmp_path / "run")]
    bad = runner.invoke(app, [*command, "--engine", "offline", "--year-hint", "24"])
    assert bad.exit_code == 2 and "not a four-digit year" in bad.output
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("", encoding="utf-8")
    made = runner.invoke(app, [*command, "--predictions", str(predictions), "--year-hint", "2024"])
    assert made.exit_code != 0 and "--predictions" in made.stderr


def test_eval_matrix_takes_year_hint(tmp_path: Path, openai_server: ScriptedOpenAIServer) -> None:
    openai_server.set_handler(answering())
    out = tmp_path / "matrix"
    result = runner.invoke(
        app,
        [
            *["eval", "matrix", "--set", "seed", "--out", str(out), "--no-cache"],
            *["--model", "offline", "--model", "test-model", "--base-url", openai_server.base_url],
            *["--year-hint", "2023"],
        ],
    )
    assert result.exit_code == 0, result.output
    offline = next(path for path in (out / "variants").iterdir() if "offline" in path.name)
    assert _events(offline)["12月13日"] == "2023-12-13"
    # The model is told the date's year too (the prompt dates 12月13日 as 2023-12-13).
    assert openai_server.chat_requests
    assert all("2023-12-13" in request.user_text for request in openai_server.chat_requests)


def test_the_year_of_yearless_dates_survives_a_full_notes_budget(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    """The seed's glossary terms filled the notes budget, and the one line giving 12月13日 its
    year was cut: the model was left to guess the year it had been given."""
    openai_server.set_handler(answering())
    seed = Path(__file__).resolve().parents[2] / "examples" / "tongzhou_2025-12-13_scraped.txt"
    article = _article(tmp_path, seed.read_text("utf-8"))
    command = ["summarize", str(article), *_model_args(openai_server), "--year-hint", "2023"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    (request,) = openai_server.chat_requests
    assert "12月13日 = 2023-12-13" in request.user_text
    assert "Terminology:" in request.user_text  # the terms are still there, within the budget
