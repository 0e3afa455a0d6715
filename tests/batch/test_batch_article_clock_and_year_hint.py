"""The batch runner: an article's deadline covers its preparation, and ``year_hint`` dates
year-less days with either engine (the offline one included) and keys the cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from summarizer.batch import run_records, summarize_many
from summarizer.batch import runner as runner_module
from summarizer.batch.cache import ResponseCache
from summarizer.engines.offline import OfflineEngine
from summarizer.engines.openai import OpenAIEngine
from summarizer.errors import ConfigError
from summarizer.testing import ScriptedOpenAIServer, answering

EngineFactory = Callable[..., OpenAIEngine]

ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
OTHER = "3月5日，市里召开会议，研究城市交通问题。"
DATE_NOTE = "some dates have no year"


def _dates(line: dict[str, Any]) -> dict[str, str | None]:
    return {event["date_as_written"]: event["date_iso"] for event in line["result"]["events"]}


def _prompts(server: ScriptedOpenAIServer) -> list[str]:
    return [json.dumps(request.messages, ensure_ascii=False) for request in server.chat_requests]


def test_preparation_counts_against_each_articles_deadline(
    openai_server: ScriptedOpenAIServer,
    make_engine: EngineFactory,
    slow_preparation: Callable[[ModuleType], Callable[..., Any]],
) -> None:
    slow_preparation(runner_module)
    openai_server.set_handler(answering())
    report = summarize_many(
        [("a", ARTICLE), ("b", OTHER)], engine=make_engine(deadline=0.05), cache=False
    )
    assert report.stats.failed == 2, report.results
    for line in report.results:
        assert line["status"] == "error"
        assert line["error"]["kind"] == "transport.deadline"
        assert "before any model call" in line["error"]["message"]  # spent preparing the text
    assert openai_server.chat_requests == []
    # With time to spare, the same run reaches the model.
    report = summarize_many(
        [("a", ARTICLE), ("b", OTHER)], engine=make_engine(deadline=30), cache=False
    )
    assert report.stats.ok == 2, report.results
    assert len(openai_server.chat_requests) == 2


@pytest.mark.parametrize("how", ["name", "instance"])
def test_year_hint_dates_offline_results(how: str) -> None:
    records = [("a", ARTICLE), ("b", OTHER)]
    if how == "name":
        report = summarize_many(records, engine="offline", cache=False, year_hint=2023)
        plain = summarize_many(records, engine="offline", cache=False)
    else:
        report = summarize_many(records, engine=OfflineEngine(), cache=False, year_hint=2023)
        plain = summarize_many(records, engine=OfflineEngine(), cache=False)
    by_id = {line["id"]: line for line in report.results}
    assert _dates(by_id["a"])["12月13日"] == "2023-12-13"
    assert _dates(by_id["b"])["3月5日"] == "2023-03-05"
    assert {_dates(line)["12月13日"] for line in plain.results if line["id"] == "a"} == {None}


def test_year_hint_reaches_the_model_prompt_and_keys_the_cache(
    tmp_path: Path, openai_server: ScriptedOpenAIServer, make_engine: EngineFactory
) -> None:
    openai_server.set_handler(answering())
    with ResponseCache(tmp_path / "cache.sqlite3") as cache:
        run_records([("a", ARTICLE)], make_engine(), cache=cache)
        hinted = run_records([("a", ARTICLE)], make_engine(), cache=cache, year_hint=2024)
        again = run_records([("a", ARTICLE)], make_engine(), cache=cache, year_hint=2024)
    without, given = _prompts(openai_server)  # the hinted run was not served the unhinted answer
    assert DATE_NOTE in without
    assert DATE_NOTE not in given
    assert hinted.stats.cached == 0 and again.stats.cached == 1


def test_year_hint_by_engine_name_builds_the_model_engine_with_it(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    report = summarize_many(
        [("a", ARTICLE)],
        engine="openai",
        model="test-model",
        base_url=openai_server.base_url,
        api_key="sk-test",
        cache=False,
        year_hint=2024,
    )
    assert report.stats.ok == 1, report.results
    [prompt] = _prompts(openai_server)
    assert DATE_NOTE not in prompt


@pytest.mark.parametrize("bad", [99, "2024", 2024.5, True])
def test_a_bad_year_hint_is_refused_before_any_article(bad: object, tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    with pytest.raises(ConfigError, match="year_hint"):
        summarize_many([("a", ARTICLE)], engine="offline", output=output, year_hint=bad)
    with pytest.raises(ConfigError, match="year_hint"):
        run_records([("a", ARTICLE)], OfflineEngine(), year_hint=bad)
    assert not output.exists()
