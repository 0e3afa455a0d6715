"""A failed example's calls count in the run's cost.

Found against a real llama-server (round-8 review): an example whose model output failed
validation had spent 11,847 tokens, but the report's cost rows (``total.*``) left failed examples
out, so the model that fails most looked cheapest. Now their attempts' usage and latency count.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer.api import get_engine
from summarizer.eval.run import run_eval
from summarizer.testing import Reply, ScriptedOpenAIServer

SEED_ID = "seed-tongzhou-2025-12-13"


def failed_record(*usages: tuple[int, int]) -> dict[str, Any]:
    attempts = [
        {
            "kind": "content",
            "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c},
            "latency_ms": 1000.0,
            "status_code": 200,
        }
        for p, c in usages
    ]
    return {
        "id": SEED_ID,
        "engine": "openai",
        "error": {"kind": "model_output.invalid", "message": "failed", "attempts": attempts},
    }


def test_a_failed_predictions_spend_is_in_the_totals(tmp_path: Path) -> None:
    predictions = tmp_path / "predictions.jsonl"
    record = failed_record((11617, 230), (11700, 240))
    predictions.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run_eval("seed", predictions_path=predictions, out_dir=tmp_path / "run", resamples=50)
    assert result.corpus["total.prompt_tokens"] == 23317
    assert result.corpus["total.completion_tokens"] == 470
    assert result.corpus["total.latency_ms"] == 2000.0
    report = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert report["corpus"]["total.total_tokens"] == 23787


def test_a_model_that_always_fails_is_not_free(
    openai_server: ScriptedOpenAIServer, tmp_path: Path
) -> None:
    """Through the engine: every answer is unusable, each attempt reports its usage."""
    openai_server.set_handler(lambda request: Reply.json({"nonsense": True}, usage=(500, 20)))
    engine = get_engine(
        "openai", model="m", base_url=openai_server.base_url, api_key="sk-test", max_reasks=1
    )
    result = run_eval("seed", engine=engine, out_dir=tmp_path / "run", resamples=50)
    assert result.counts["errors"] == 1
    sent = len([r for r in openai_server.requests if r.path.endswith("/chat/completions")])
    assert sent == 2  # the answer and one re-ask
    assert result.corpus["total.prompt_tokens"] == 500 * sent
    assert result.corpus["total.completion_tokens"] == 20 * sent
