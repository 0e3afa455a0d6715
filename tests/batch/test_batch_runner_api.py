"""The runner's API for code that holds an engine, and the pieces both batch paths share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import DraftingModel, article_text

from summarizer.api import get_engine
from summarizer.batch import Article, BatchStats, arun_records, run_records
from summarizer.batch.cache import ResponseCache, open_cache
from summarizer.batch.pricing import load_prices
from summarizer.batch.results import CostAccountant, ResultWriter
from summarizer.engines.openai import OpenAIEngine
from summarizer.errors import InputError
from summarizer.schema import ArticleSummary, TokenUsage
from summarizer.testing import ScriptedOpenAIServer

EngineFactory = Callable[..., OpenAIEngine]


async def test_id_text_pairs_run_with_cache_and_report_every_line(
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
    drafting_model: DraftingModel,
    make_engine: EngineFactory,
) -> None:
    pairs = [(f"p{number}", article_text(number)) for number in range(5)]
    seen: list[dict[str, Any]] = []
    with ResponseCache(tmp_path / "cache.sqlite3") as cache:
        first = await arun_records(
            pairs, make_engine(), concurrency=3, cache=cache, on_result=seen.append
        )
        assert len(openai_server.chat_requests) == 5  # (and one GET /v1/models: its slots)
        assert sorted(line["id"] for line in seen) == [f"p{n}" for n in range(5)]
        assert seen == first.results  # no output file: the lines are kept in the report
        assert all(line["status"] == "ok" and line["cached"] is False for line in seen)
        # test-model: $1/M prompt, $2/M completion tokens (tests/batch/prices.toml)
        usage = first.stats.usage
        expected = (usage.prompt_tokens * 1.0 + usage.completion_tokens * 2.0) / 1e6
        assert usage.total_tokens > 0
        assert first.stats.cost_usd == pytest.approx(expected)
        openai_server.reset()
        second = await arun_records(pairs, make_engine(), concurrency=3, cache=cache)
    assert openai_server.request_count == 0
    assert second.stats.ok == 5 and second.stats.cached == 5
    by_id = {line["id"]: line["result"] for line in first.results}
    assert {line["id"]: line["result"] for line in second.results} == by_id


def test_bad_pairs_become_error_lines_and_output_resumes(tmp_path: Path) -> None:
    engine = get_engine("offline")
    output = tmp_path / "out.jsonl"
    records = [("good", article_text(1)), ("", article_text(2)), ("no-text", None)]
    report = run_records(records, engine, output=output)
    assert (report.stats.ok, report.stats.failed) == (1, 2)
    assert report.stats.errors_by_kind == {
        "input.record.missing_id": 1,
        "input.record.missing_text": 1,
    }
    assert report.results == []  # with an output file the lines live there
    again = run_records(records, engine, output=output)
    assert again.stats.skipped == 3 and again.stats.done == 0


def test_concurrency_below_one_is_a_config_error() -> None:
    from summarizer.errors import ConfigError

    with pytest.raises(ConfigError, match="at least 1"):
        run_records([("a", "文本")], get_engine("offline"), concurrency=0)


def test_open_cache_skips_the_default_file_for_the_offline_engine_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    with open_cache(True, engine_name="offline") as none:
        assert none is None
    with open_cache(True, engine_name="openai") as default:
        assert default is not None and default.path.is_relative_to(tmp_path / "xdg")
    with open_cache(False, engine_name="openai") as disabled:
        assert disabled is None
    path = tmp_path / "named.sqlite3"
    with open_cache(path, engine_name="offline") as named:
        assert named is not None and named.path == path
        named.put("k", {"v": 1})
    with pytest.raises(Exception, match="closed"):
        len(named)  # opened here, so closed here
    given = ResponseCache(tmp_path / "given.sqlite3")
    with open_cache(given, engine_name="offline") as same:
        assert same is given
    assert len(given) == 0  # a cache passed in stays open for its owner
    given.close()


def test_result_lines_and_costs_are_built_one_way(tmp_path: Path) -> None:
    """The Batch API ingest and the online runner share the writer and the accountant."""
    (line,) = run_records([("x", article_text(3))], get_engine("offline")).results
    offline = ArticleSummary.model_validate(line["result"])
    usage = TokenUsage(prompt_tokens=1_000_000, completion_tokens=1_000_000, total_tokens=2_000_000)
    priced = offline.model_copy(
        update={"meta": offline.meta.model_copy(update={"model": "test-model", "usage": usage})}
    )
    stats = BatchStats()
    accountant = CostAccountant(load_prices(), stats)
    accountant.add(priced)  # online: $1 + $2
    accountant.add(priced, batch_api=True)  # Batch API: half price by default
    unknown = priced.model_copy(
        update={"meta": priced.meta.model_copy(update={"model": "nobody-knows"})}
    )
    accountant.add(unknown)
    accountant.add(offline)  # no tokens spent: nothing to price, no unknown model
    assert stats.cost_usd == pytest.approx(3.0 + 1.5)
    assert stats.unpriced_models == {"nobody-knows"}
    assert stats.usage.total_tokens == 3 * 2_000_000

    writer = ResultWriter(stats)
    article = Article("x", "文本", {"source": "wire"}, "line 1")
    writer.ok(article, line["result"], cached=False, via="batch-api")
    writer.error(None, "line 2", InputError("line 2: key sk-test-SECRET123456 leaked"), {})
    ok, error = writer.results
    assert list(ok) == ["id", "status", "metadata", "cached", "via", "result"]
    assert error["record"] == "line 2" and error["error"]["kind"] == "input"
    assert "SECRET123456" not in error["error"]["message"]
    assert (stats.ok, stats.failed) == (1, 1)
