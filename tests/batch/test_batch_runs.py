"""Batch runs against the scripted server via the real SDK: cache, faults, bad records, resume."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from batch_helpers import DraftingModel, article_rows, read_output, write_jsonl

from summarizer.batch import asummarize_many, read_input
from summarizer.batch.runner import InternalError
from summarizer.engines.openai import OpenAIEngine
from summarizer.schema import ArticleSummary
from summarizer.testing import ScriptedOpenAIServer
from summarizer.text.document import Analysis, Document

EngineFactory = Callable[..., OpenAIEngine]


def ids_of(lines: list[dict[str, object]]) -> Counter[object]:
    return Counter(line["id"] for line in lines)


async def test_rerun_with_cache_makes_zero_requests(
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
    drafting_model: DraftingModel,
    make_engine: EngineFactory,
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(12))
    cache = tmp_path / "cache.sqlite3"
    first = await asummarize_many(
        read_input(source),
        engine=make_engine(),
        cache=cache,
        output=tmp_path / "one.jsonl",
        concurrency=4,
    )
    assert first.stats.ok == 12 and first.stats.cached == 0
    assert len(openai_server.chat_requests) == 12  # (and one GET /v1/models: its slots)
    openai_server.reset()
    second = await asummarize_many(
        read_input(source),
        engine=make_engine(),
        cache=cache,
        output=tmp_path / "two.jsonl",
        concurrency=4,
    )
    assert openai_server.request_count == 0
    assert second.stats.ok == 12 and second.stats.cached == 12
    lines = read_output(tmp_path / "two.jsonl")
    assert all(line["cached"] for line in lines)
    before = {line["id"]: line["result"] for line in read_output(tmp_path / "one.jsonl")}
    assert {line["id"]: line["result"] for line in lines} == before
    # The cache holds answers, never the API key.
    assert b"SECRET123456" not in cache.read_bytes()


async def test_changed_engine_settings_miss_the_cache(
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
    drafting_model: DraftingModel,
    make_engine: EngineFactory,
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(3))
    cache = tmp_path / "cache.sqlite3"
    await asummarize_many(
        read_input(source), engine=make_engine(), cache=cache, output=tmp_path / "one.jsonl"
    )
    openai_server.reset()
    openai_server.set_handler(drafting_model)
    await asummarize_many(
        read_input(source),
        engine=make_engine(temperature=0.7),
        cache=cache,
        output=tmp_path / "two.jsonl",
    )
    assert len(openai_server.chat_requests) == 3


async def test_injected_faults_lose_nothing(
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
    drafting_model: DraftingModel,
    make_engine: EngineFactory,
) -> None:
    openai_server.inject_faults(0.2, kinds=("429", "500", "timeout"), seed=7, fault_delay=2.0)
    rows = article_rows(40)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    output = tmp_path / "out.jsonl"
    report = await asummarize_many(
        read_input(source),
        engine=make_engine(request_timeout=0.3, max_transport_attempts=12),
        cache=False,
        output=output,
        concurrency=8,
    )
    faults = Counter(r.fault for r in openai_server.requests if r.fault)
    assert faults["429"] and faults["500"] and faults["timeout"], faults
    assert report.stats.ok == 40 and report.stats.failed == 0, report.stats.errors_by_kind
    assert report.stats.retries >= sum(faults.values())
    assert report.stats.rate_limited == faults["429"]
    lines = read_output(output)
    assert ids_of(lines) == Counter(row["id"] for row in rows)
    assert all(line["status"] == "ok" for line in lines)


async def test_bad_records_are_reported_and_the_rest_succeed(
    tmp_path: Path,
    drafting_model: DraftingModel,
    make_engine: EngineFactory,
) -> None:
    good = article_rows(5)
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in good).encode()
        + b'{"id": "broken", "text": \n'
        + b'{"text": "no id here"}\n'
        + json.dumps({"id": "a1", "text": "重复"}).encode()
        + b"\n"
        + json.dumps({"id": "empty", "text": "  \n "}).encode()
        + b"\n"
        + json.dumps({"id": "notext", "text": 42}).encode()
        + b"\n"
    )
    output = tmp_path / "out.jsonl"
    report = await asummarize_many(
        read_input(source), engine=make_engine(), cache=False, output=output
    )
    assert report.exit_code == 1
    assert report.stats.ok == 5 and report.stats.failed == 5
    lines = read_output(output)
    errors = {
        line.get("record") or line["id"]: line["error"]
        for line in lines
        if line["status"] == "error"
    }
    assert errors["line 6"]["kind"] == "input.record.invalid_json"
    assert errors["line 7"]["kind"] == "input.record.missing_id"
    assert errors["line 8"]["kind"] == "input.record.duplicate_id"
    assert "a1" in errors["line 8"]["message"] and "line 2" in errors["line 8"]["message"]
    assert errors["empty"]["kind"].startswith("input.")
    assert errors["notext"]["kind"] == "input.record.missing_text"
    ok_ids = sorted(line["id"] for line in lines if line["status"] == "ok")
    assert ok_ids == sorted(row["id"] for row in good)
    assert all(line["metadata"] == {"source": "test"} for line in lines if line["status"] == "ok")
    # A rerun finds everything finished: nothing new is written, the exit code still says 1.
    again = await asummarize_many(
        read_input(source), engine=make_engine(), cache=False, output=output
    )
    assert again.stats.done == 0 and again.stats.skipped == 10 and again.exit_code == 1
    assert len(read_output(output)) == 10


async def test_retry_failed_replaces_error_lines(
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
    drafting_model: DraftingModel,
    make_engine: EngineFactory,
) -> None:
    rows = article_rows(6)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    output = tmp_path / "out.jsonl"
    openai_server.set_handler(None)  # every request fails: 500 "nothing scripted"
    first = await asummarize_many(
        read_input(source),
        engine=make_engine(max_transport_attempts=1),
        cache=False,
        output=output,
        concurrency=2,
    )
    assert first.stats.failed == 6 and first.exit_code == 4  # every record failed on the endpoint
    openai_server.set_handler(drafting_model)
    plain_rerun = await asummarize_many(
        read_input(source), engine=make_engine(), cache=False, output=output
    )
    assert plain_rerun.stats.done == 0  # failures are final until asked to retry them
    retried = await asummarize_many(
        read_input(source), engine=make_engine(), cache=False, output=output, retry_failed=True
    )
    assert retried.stats.ok == 6 and retried.exit_code == 0
    lines = read_output(output)
    assert ids_of(lines) == Counter(row["id"] for row in rows)
    assert all(line["status"] == "ok" for line in lines)


async def test_in_memory_results_without_an_output_file(
    drafting_model: DraftingModel,
    make_engine: EngineFactory,
) -> None:
    rows = article_rows(3)
    report = await asummarize_many(rows, engine=make_engine(), cache=False)
    assert sorted(line["id"] for line in report.results) == ["a0", "a1", "a2"]
    assert report.stats.usage.total_tokens > 0 and report.stats.cost_usd > 0


class BrokenEngine:
    """An engine with a bug for some articles (or all): the batch must record, not crash."""

    name = "broken"
    thorough_analysis = False

    def __init__(self, broken_tags: set[str] | None = None) -> None:
        self.broken_tags = broken_tags
        self.inner: OpenAIEngine | None = None

    def fingerprint(self) -> dict[str, str]:
        return {"engine": self.name}

    async def summarize(self, document: Document, analysis: Analysis) -> ArticleSummary:
        if self.broken_tags is None or any(tag in document.text for tag in self.broken_tags):
            raise RuntimeError("engine bug with key sk-live-abcdefghijklmnop")
        assert self.inner is not None
        return await self.inner.summarize(document, analysis)


async def test_an_engine_bug_on_one_article_is_recorded_and_the_rest_go_on(
    tmp_path: Path, drafting_model: DraftingModel, make_engine: EngineFactory
) -> None:
    engine = BrokenEngine({"art-00003"})
    engine.inner = make_engine()
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(6))
    report = await asummarize_many(
        read_input(source), engine=engine, cache=False, output=tmp_path / "out.jsonl"
    )
    assert report.stats.ok == 5 and report.stats.errors_by_kind == {"internal": 1}
    (error,) = [line["error"] for line in read_output(tmp_path / "out.jsonl") if "error" in line]
    assert "RuntimeError: engine bug" in error["message"]
    assert "abcdefghijklmnop" not in error["message"]  # key-shaped strings are redacted


async def test_a_bug_that_fails_every_article_stops_the_batch(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(40))
    with pytest.raises(InternalError, match="20 articles in a row failed"):
        await asummarize_many(
            read_input(source),
            engine=BrokenEngine(),
            cache=False,
            output=tmp_path / "out.jsonl",
            concurrency=1,
        )
    assert len(read_output(tmp_path / "out.jsonl")) == 20  # the rest is left for the rerun
