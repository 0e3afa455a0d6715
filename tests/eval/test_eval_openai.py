"""The eval harness with the OpenAI-compatible engine and the judge, against the scripted server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from summarizer.api import run_sync
from summarizer.config import ModelConfig, Secret
from summarizer.engines.openai import OpenAIEngine
from summarizer.errors import OutputValidationError
from summarizer.eval.judge import JudgeVerdict, judge
from summarizer.eval.run import run_eval
from summarizer.schema import ArticleSummary
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

SECRET_KEY = "sk-eval-secret-0123456789abcdef"


@pytest.fixture
def config(openai_server: ScriptedOpenAIServer) -> ModelConfig:
    return ModelConfig(
        model="test-model",
        base_url=openai_server.base_url,
        api_key=Secret(SECRET_KEY),
        max_reasks=1,
    )


def test_openai_run_scores_caches_and_keeps_secrets_out(
    openai_server: ScriptedOpenAIServer,
    config: ModelConfig,
    fake_model: Callable[[RecordedRequest], Reply],
    tmp_path: Path,
) -> None:
    openai_server.set_handler(fake_model)
    result = run_eval(
        "seed", engine=OpenAIEngine(config), out_dir=tmp_path, concurrency=2, resamples=500
    )
    calls = openai_server.request_count
    assert calls >= 1
    assert result.counts["errors"] == 0
    metrics = {k: v for k, v in result.scores[0].metrics.items() if v is not None}
    assert metrics["schema_valid"] == 1.0
    assert metrics["fill.translation"] == 1.0
    assert metrics["cost.prompt_tokens"] >= 120 and metrics["cost.completion_tokens"] >= 60
    assert metrics["translation.missing_paragraphs"] == 0.0
    assert metrics["grounding.evidence_in_source"] == 1.0
    assert 0.0 <= metrics["translation.chrf"] < 30.0  # "English paragraph N." is a poor translation
    assert result.corpus["total.prompt_tokens"] == metrics["cost.prompt_tokens"]

    again = run_eval("seed", engine=OpenAIEngine(config), out_dir=tmp_path, resamples=500)
    assert openai_server.request_count == calls  # served from the cache: no new call
    assert again.counts["cached"] == 1
    assert again.scores[0].metrics["translation.chrf"] == metrics["translation.chrf"]

    for path in tmp_path.iterdir():
        if path.is_file():
            assert SECRET_KEY.encode() not in path.read_bytes(), path.name


def test_engine_failures_are_recorded_not_fatal(
    openai_server: ScriptedOpenAIServer, config: ModelConfig, tmp_path: Path
) -> None:
    openai_server.set_handler(lambda request: Reply.json({"nonsense": True}))
    result = run_eval("seed", engine=OpenAIEngine(config), out_dir=tmp_path, resamples=500)
    assert result.counts["errors"] == 1
    assert result.summary["schema_valid"].mean == 0.0
    line = json.loads((tmp_path / "predictions.jsonl").read_text(encoding="utf-8"))
    assert line["error"]["kind"].startswith("model_output")
    # What the report needs to explain the failure: each raw answer and the logged calls.
    attempts = line["error"]["attempts"]
    assert attempts and all(a["raw_answer"] == '{"nonsense": true}' for a in attempts)
    call_ids = line["error"]["call_ids"]
    assert len(call_ids) == len(attempts)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert all(call in html for call in call_ids)
    assert "{&#34;nonsense&#34;: true}" in html or "{&quot;nonsense&quot;: true}" in html


def _verdict(scores: dict[str, int]) -> dict[str, object]:
    return {
        name: {"score": value, "rationale": f"{name} looks fine."} for name, value in scores.items()
    }


GOOD = {"faithfulness": 5, "coverage": 4, "translation_fidelity": 4, "fluency": 5}


@pytest.fixture(scope="module")
def summary() -> ArticleSummary:
    from summarizer.api import prepare_article
    from summarizer.engines.offline import OfflineEngine

    document, analysis = prepare_article(
        "区委召开务虚会。\n市委常委、区委书记张建华主持会议并讲话。"
    )
    return run_sync(OfflineEngine().summarize(document, analysis))


def test_judge_scores_and_the_pass_rule_is_ours(
    openai_server: ScriptedOpenAIServer, config: ModelConfig, summary: ArticleSummary
) -> None:
    openai_server.push(Reply.json(_verdict(GOOD), usage=(300, 50)))
    result = run_sync(judge(summary, summary.source.normalized_text, config))
    assert result.scores == GOOD and result.passed and result.mean == pytest.approx(4.5)
    (request,) = openai_server.requests
    assert request.response_format is not None
    assert request.response_format["json_schema"]["name"] == "JudgeVerdict"
    assert "张建华" in request.user_text

    low = {**GOOD, "faithfulness": 1}  # mean 3.5 passes the threshold, but one score is below 2
    openai_server.push(Reply.json(_verdict(low)))
    assert not run_sync(judge(summary, summary.source.normalized_text, config)).passed


def test_a_judge_that_declares_its_own_verdict_or_leaves_the_scale_is_reasked(
    openai_server: ScriptedOpenAIServer, config: ModelConfig, summary: ArticleSummary
) -> None:
    self_passing = {**_verdict({**GOOD, "faithfulness": 1}), "passed": True}
    openai_server.push(Reply.json(self_passing), Reply.json(_verdict({**GOOD, "coverage": 9})))
    with pytest.raises(OutputValidationError, match="1 to 5"):
        run_sync(judge(summary, summary.source.normalized_text, config))
    assert openai_server.request_count == 2
    assert "passed" not in JudgeVerdict.model_fields


def test_run_with_judge_adds_judge_metrics(
    openai_server: ScriptedOpenAIServer, config: ModelConfig, tmp_path: Path
) -> None:
    from summarizer.engines.offline import OfflineEngine

    openai_server.set_handler(lambda request: Reply.json(_verdict(GOOD)))
    result = run_eval(
        "seed", engine=OfflineEngine(), out_dir=tmp_path, judge_config=config, resamples=500
    )
    metrics = result.scores[0].metrics
    assert metrics["judge.mean"] == pytest.approx(4.5) and metrics["judge.pass"] == 1.0
