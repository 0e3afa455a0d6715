"""The eval matrix honours an article's deadline inside its shared text preparation, as
``eval run`` and ``batch`` do: the text tools load off every article's clock, and the deadline's
checkpoints stop a long article's text handling when no variant has time left for it.

It used to prepare every article to the end first, without a deadline: a 1,900,000-character
article with ``--deadline 1`` ran its whole text handling (half a minute on a fast machine) before
any variant found its deadline gone. Against the scripted OpenAI-compatible server (real HTTP).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import summarizer.api
import summarizer.eval.matrix
from summarizer.engines.offline import OfflineEngine
from summarizer.errors import DeadlineExceededError
from summarizer.eval.goldset import content_hash, load_set
from summarizer.eval.matrix import MatrixSpec, longest_deadline, prepare_all, run_matrix
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

SEED = Path(__file__).resolve().parents[2] / "examples" / "tongzhou_2025-12-13_scraped.txt"
SHORT = "区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。张建华出席会议并讲话。"
#: Text handling of this many characters of the seed article takes about 22 s on the fastest
#: machine seen (120,000 took 1.4 s there): over 20 times the deadline below, so the stop falls
#: inside it on any machine; the checkpoints end the work at the deadline whatever the size.
LONG_CHARS = 1_900_000
#: Seconds per article. The short article needs milliseconds (and one local HTTP call): a
#: hundredfold margin on a loaded machine.
DEADLINE = 1.0
#: A stop inside text handling names the stage it was in ("passed while its text was repaired,
#: before ..."), not the engine's own check after it ("used up preparing its text").
INSIDE_TEXT_HANDLING = re.compile(r"passed while its [^,]+, before ")


def write_set(folder: Path, sources: dict[str, str]) -> Path:
    """A gold set on disk with these articles (no references), its manifest hashed."""
    examples = [
        {"id": key, "source": text, "provenance": "test", "license": "CC0-1.0"}
        for key, text in sources.items()
    ]
    folder.mkdir()
    (folder / "examples.jsonl").write_text(
        "".join(json.dumps(example, ensure_ascii=False) + "\n" for example in examples), "utf-8"
    )
    manifest = {
        "name": folder.name,
        "version": "1",
        "description": "a long and a short article",
        "provenance": "test",
        "license": "CC0-1.0",
        "content_hash": content_hash(examples),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    return folder


def long_article(chars: int) -> str:
    seed = SEED.read_text("utf-8")
    return "\n\n".join([seed] * (chars // len(seed) + 1))[:chars]


def test_a_long_article_stops_inside_the_shared_preparation_and_fails_every_variant(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    openai_server: ScriptedOpenAIServer,
    fake_model: Callable[[RecordedRequest], Reply],
) -> None:
    folder = write_set(tmp_path / "long-set", {"long": long_article(LONG_CHARS), "short": SHORT})
    shared: list[tuple[int, BaseException | None]] = []  # (characters, what it raised)
    real_prepare = summarizer.api.prepare_article

    def recording_prepare(text: str | bytes, **options: Any) -> Any:
        try:
            prepared = real_prepare(text, **options)
        except BaseException as error:
            shared.append((len(text), error))
            raise
        shared.append((len(text), None))
        return prepared

    # The matrix's shared preparation looks prepare_article up on summarizer.api; the runner of
    # each variant holds its own reference, so only the shared work is recorded.
    monkeypatch.setattr(summarizer.api, "prepare_article", recording_prepare)
    openai_server.set_handler(fake_model)
    spec = MatrixSpec(
        str(folder),
        models=("model-a", "model-b"),
        base_url=openai_server.base_url,
        engine_options={"deadline": DEADLINE},
    )
    # One article at a time: the short one's model call does not share a second of deadline
    # with the long one's text handling (which holds the interpreter's lock in long stretches).
    matrix = run_matrix(
        spec, out_dir=tmp_path / "out", concurrency=1, resamples=100, use_cache=False
    )

    # Prepared once for both variants; the long article stopped inside its text handling.
    assert [characters for characters, _ in shared] == [LONG_CHARS, len(SHORT)]
    (_, stopped), (_, short_error) = shared
    assert isinstance(stopped, DeadlineExceededError), stopped
    assert INSIDE_TEXT_HANDLING.search(str(stopped)), str(stopped)
    assert short_error is None
    # Each variant records the deadline for it: charged the seconds the shared preparation spent,
    # its runner's own preparation stops at its very first checkpoint (no second chance on a
    # fresh clock). It summarizes the short article; no model ever saw the long one.
    stages: list[str] = []
    real_prepare(SHORT, checkpoint=stages.append)
    for run in matrix.runs:
        lines = (tmp_path / "out" / "variants" / run.variant.slug / "predictions.jsonl").read_text()
        by_id = {line["id"]: line for line in map(json.loads, lines.splitlines())}
        error = by_id["long"]["error"]
        assert error["kind"] == "transport.deadline", error
        assert INSIDE_TEXT_HANDLING.search(error["message"]), error["message"]
        assert f"passed {stages[0]}, before any model call" in error["message"], error
        assert "error" not in by_id["short"], by_id["short"]
    assert sorted(request.model for request in openai_server.chat_requests) == [
        "model-a",
        "model-b",
    ]
    sent = [json.dumps(request.json, ensure_ascii=False) for request in openai_server.chat_requests]
    assert all("张建华" in text for text in sent)  # the short article's


def test_the_text_tools_load_off_the_first_articles_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    goldset = load_set(write_set(tmp_path / "short-set", {"short": SHORT}))
    loaded: list[float] = []

    def slow_loading() -> None:  # a cold process: seconds of dictionaries and tables
        time.sleep(2.0)
        loaded.append(time.monotonic())

    monkeypatch.setattr(summarizer.eval.matrix, "warm_up_text_tools", slow_loading)
    started = time.monotonic()
    (prepared,) = prepare_all(goldset, thorough=False, deadline_of=OfflineEngine(deadline=1.0))

    assert loaded and loaded[0] - started >= 2.0  # the loading happened, and took its time
    # ... but not on the article's clock: its deadline of 1 s did not pass, and its seconds are
    # the milliseconds of a short article (under 1 s even on a loaded machine), not the 2 s.
    assert not isinstance(prepared.outcome, Exception), prepared.outcome
    assert prepared.seconds < 1.0


def test_the_shared_preparation_stops_at_the_longest_deadline_of_its_variants() -> None:
    short, long = OfflineEngine(deadline=2), OfflineEngine(deadline=5)
    assert longest_deadline([short, long, OfflineEngine(deadline=3)]) is long

    class ThirdPartyEngine:  # states no deadline: its articles take the time they need
        name = "third-party"

    assert longest_deadline([short, ThirdPartyEngine()]) is None  # type: ignore[list-item]
    assert longest_deadline([]) is None
