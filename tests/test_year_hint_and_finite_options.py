"""``year_hint`` reaches the date analysis through every public interface, and float options
refuse NaN and infinity (which compare false with every bound and would switch it off)."""

from __future__ import annotations

import json
import math

import pytest

import summarizer
from summarizer.api import get_engine, prepare_article
from summarizer.config import ModelConfig
from summarizer.errors import ConfigError
from summarizer.testing import RecordedRequest, ScriptedOpenAIServer, answering

ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
DATE_NOTE = "some dates have no year"


def prompt_text(request: RecordedRequest) -> str:
    return json.dumps(request.messages, ensure_ascii=False)


# --- year_hint -----------------------------------------------------------------------------------


@pytest.mark.parametrize("year_hint", [None, 2024])
def test_summarize_takes_year_hint_for_the_offline_engine(year_hint: int | None) -> None:
    result = summarizer.summarize(ARTICLE, engine="offline", year_hint=year_hint)
    events = {event.date_as_written: event.date_iso for event in result.events}
    codes = [warning.code for warning in result.source.warnings]
    if year_hint is None:
        assert events["12月13日"] is None and "date_year_unknown" in codes
    else:
        assert events["12月13日"] == "2024-12-13" and "date_year_unknown" not in codes


@pytest.mark.parametrize("bad", [99, 12345, "2024", 2024.0, True])
def test_a_bad_year_hint_is_a_config_error(bad: object) -> None:
    with pytest.raises(ConfigError, match="year_hint"):
        summarizer.summarize(ARTICLE, engine="offline", year_hint=bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="year_hint"):
        prepare_article(ARTICLE, year_hint=bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="year_hint"):
        get_engine("offline", year_hint=bad)


async def test_asummarize_with_a_model_sends_no_year_note_when_the_year_is_given(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    for year_hint, noted in ((None, True), (2024, False)):
        openai_server.reset()
        openai_server.set_handler(answering())
        await summarizer.asummarize(
            ARTICLE, model="test-model", base_url=openai_server.base_url, year_hint=year_hint
        )
        (request,) = openai_server.chat_requests
        assert (DATE_NOTE in prompt_text(request)) is noted, year_hint


def test_the_model_engine_applies_its_year_hint_to_an_analysis_made_without_it(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """Callers that prepare the article themselves (batch, service) pass year_hint as an option."""
    openai_server.set_handler(answering())
    engine = get_engine(
        "openai", model="test-model", base_url=openai_server.base_url, year_hint=2024
    )
    document, analysis = prepare_article(ARTICLE, thorough=False)
    assert [w.code for w in analysis.warnings] == ["date_year_unknown"]
    summarizer.api.run_sync(engine.summarize(document, analysis))
    (request,) = openai_server.chat_requests
    assert DATE_NOTE not in prompt_text(request)
    assert engine.fingerprint()["year_hint"] == "2024"


# --- NaN and infinity ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("name", ["deadline", "request_timeout"])
def test_non_finite_seconds_are_refused_from_kwargs(name: str, value: float) -> None:
    with pytest.raises(ConfigError, match="must be a positive number of seconds"):
        ModelConfig(model="m", **{name: value})  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="must be a positive number of seconds"):
        summarizer.summarize(ARTICLE, engine="offline", **{name: value})


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "infinity"])
def test_non_finite_deadline_is_refused_from_the_environment(value: str) -> None:
    environ = {"SUMMARIZER_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    with pytest.raises(ConfigError, match="SUMMARIZER_DEADLINE must be a positive number"):
        ModelConfig.resolve(environ={**environ, "SUMMARIZER_DEADLINE": value})


def test_other_float_settings_must_be_finite() -> None:
    with pytest.raises(ConfigError, match="temperature"):
        ModelConfig(model="m", temperature=math.nan)
    with pytest.raises(ConfigError, match="price_per_mtok"):
        ModelConfig(model="m", price_per_mtok=(math.inf, 1.0))
