"""A matrix whose variant failed on every example is not a green run (exit 1, reports written).

Some failures are what a matrix measures (a weak model); none succeeding means the variant is
broken (an unreachable endpoint, a misspelt model name) and CI must not pass on it.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.testing.local_services import free_port


def test_a_variant_failing_every_example_fails_the_matrix(tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"
    out = tmp_path / "m"
    result = CliRunner().invoke(
        app,
        [
            "eval", "matrix", "--set", "seed", "--model", "offline", "--model", "gone-model",
            "--base-url", closed, "--out", str(out), "--resamples", "100", "--no-cache",
        ],
        env={"OPENAI_API_KEY": "sk-test-not-a-real-key-000000"},
    )  # fmt: skip

    assert result.exit_code == 1, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("summarizer: error: 1 variant(s) produced no output for any example")
    named = last.split("for any example: ", 1)[1].split(" (see ", 1)[0]
    assert named.startswith("gone-model") and "offline" not in named
    variants = json.loads((out / "matrix.json").read_text(encoding="utf-8"))["variants"]
    assert len(variants) == 2
