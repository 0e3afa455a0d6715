"""The eval matrix prepares each article once for all its variants; each variant's deadline for
the article still counts that preparation, as ``summarize()``, ``batch`` and the service do, so a
variant's results do not depend on the preparation being shared.

Against the scripted OpenAI-compatible server (real HTTP).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import summarizer.api
from summarizer.eval.matrix import MatrixSpec, run_matrix
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

MODELS = ("model-a", "model-b")
PREPARATION_USED_IT_UP = re.compile(
    r"used up preparing its text|passed while its [^,]+, before any model call"
)


def _matrix(server: ScriptedOpenAIServer, out: Path) -> list[list[dict[str, Any] | None]]:
    """Each variant's per-example error (None: an output), from its predictions.jsonl, after one
    matrix run on seed."""
    spec = MatrixSpec("seed", models=MODELS, base_url=server.base_url)
    matrix = run_matrix(spec, out_dir=out, resamples=100, use_cache=False)
    assert len(matrix.runs) == len(MODELS)
    found = []
    for run in matrix.runs:
        lines = (out / "variants" / run.variant.slug / "predictions.jsonl").read_text("utf-8")
        found.append([json.loads(line).get("error") for line in lines.splitlines()])
    return found


def test_each_variants_deadline_counts_the_shared_preparation(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    openai_server: ScriptedOpenAIServer,
    fake_model: Callable[[RecordedRequest], Reply],
    slow_preparation: Callable[[ModuleType], Callable[..., Any]],
) -> None:
    real_prepare = slow_preparation(summarizer.api)  # 0.3 s longer: more than the deadline
    openai_server.set_handler(fake_model)
    monkeypatch.setenv("SUMMARIZER_DEADLINE", "0.1")
    errors = _matrix(openai_server, tmp_path / "short")
    assert all(row for row in errors), errors
    for row in errors:
        for error in row:
            assert error is not None
            assert error["kind"] == "transport.deadline", error
            # Used up by the shared preparation: after it (the 0.3 s added), or inside it when a
            # loaded machine takes over 0.1 s for the text itself (its checkpoints stop it then).
            assert PREPARATION_USED_IT_UP.search(error["message"]), error
    assert openai_server.chat_requests == []  # no variant sent anything
    # With time to spare, the same matrix reaches the model for every variant.
    monkeypatch.setattr(summarizer.api, "prepare_article", real_prepare)
    monkeypatch.setenv("SUMMARIZER_DEADLINE", "30")
    errors = _matrix(openai_server, tmp_path / "long")
    assert all(error is None for row in errors for error in row), errors
    assert {request.model for request in openai_server.chat_requests} == set(MODELS)
