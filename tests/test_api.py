"""The front door: options checked by each engine's ``Options``; the sync wrapper's one loop."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from pathlib import Path

import pytest

import summarizer
from summarizer.api import get_engine, run_sync
from summarizer.engines.offline import OfflineEngine
from summarizer.engines.openai import OpenAIEngine
from summarizer.errors import ConfigError, InputError
from summarizer.testing import Reply, ScriptedOpenAIServer, answering

ARTICLE = "北京市政府今天宣布，将在明年增加公共交通投资。市长表示，这项计划将惠及数百万市民。"


@pytest.mark.usefixtures("no_model_env")
@pytest.mark.parametrize("engine", ["offline", "auto"])
def test_a_misspelt_option_without_a_model_is_a_config_error_naming_valid_ones(
    engine: str,
) -> None:
    with pytest.raises(ConfigError, match="max_reask") as raised:
        summarizer.summarize(ARTICLE, engine=engine, max_reask=3)  # type: ignore[arg-type]
    assert "max_reasks" in str(raised.value)  # the valid spelling is named
    assert raised.value.exit_code == 3


@pytest.mark.parametrize("engine", ["openai", "auto"])
def test_a_misspelt_option_with_a_model_is_a_config_error_naming_valid_ones(
    openai_server: ScriptedOpenAIServer, engine: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        summarizer.summarize(
            ARTICLE,
            engine=engine,  # type: ignore[arg-type]
            model="test-model",
            base_url=openai_server.base_url,
            max_reask=3,
        )
    message = str(raised.value)
    assert "unknown option(s) max_reask for the openai engine" in message
    for valid in ("max_reasks", "prompt_version", "few_shot", "capability", "deadline"):
        assert valid in message
    assert openai_server.request_count == 0


def test_an_invalid_value_is_a_config_error(openai_server: ScriptedOpenAIServer) -> None:
    with pytest.raises(ConfigError, match="capability"):
        get_engine("openai", model="m", base_url=openai_server.base_url, capability="xml")


@pytest.mark.parametrize("text", [None, 5, ["北京"]])
def test_text_of_another_type_is_a_typed_input_error(text: object) -> None:
    with pytest.raises(InputError, match=f"text must be str or bytes, got {type(text).__name__}"):
        summarizer.summarize(text, engine="offline")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="text must be str or bytes"):
        asyncio.run(summarizer.asummarize(text, engine="offline"))  # type: ignore[arg-type]


@pytest.mark.usefixtures("no_model_env")
@pytest.mark.parametrize("engine", ["offline", "auto"])
@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("max_reasks", -1, "max_reasks"),
        ("deadline", 0, "deadline"),
        ("few_shot", "yes", "few_shot"),
        ("prompt_version", "v9", "v9"),
        ("chunk_chars", 0, "chunk_chars"),
    ],
)
def test_an_invalid_value_without_a_model_is_the_same_config_error(
    engine: str, option: str, value: object, named: str
) -> None:
    with pytest.raises(ConfigError, match=named):
        summarizer.summarize(ARTICLE, engine=engine, **{option: value})  # type: ignore[arg-type]


def test_a_string_for_few_shot_is_refused_with_a_model(
    openai_server: ScriptedOpenAIServer,
) -> None:
    with pytest.raises(ConfigError, match="few_shot"):
        get_engine("openai", model="m", base_url=openai_server.base_url, few_shot="yes")


def test_options_cannot_be_given_with_an_engine_instance() -> None:
    with pytest.raises(ConfigError, match="few_shot"):
        get_engine(OfflineEngine(), few_shot=True)


def test_the_offline_engine_accepts_the_model_options_so_one_command_line_fits_both() -> None:
    assert isinstance(get_engine("offline", max_reasks=1, few_shot=True), OfflineEngine)
    with pytest.raises(ConfigError, match=r"for the offline engine; valid options: .*max_reasks"):
        get_engine("offline", max_reask=1)


def test_prompt_version_and_few_shot_reach_the_model(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.set_handler(answering())
    result = summarizer.summarize(
        ARTICLE,
        model="test-model",
        base_url=openai_server.base_url,
        prompt_version="v1",
        few_shot=False,
        max_reasks=0,
    )
    assert result.meta.prompt_version == "v1"
    engine = get_engine("openai", model="m", base_url=openai_server.base_url, few_shot=False)
    assert isinstance(engine, OpenAIEngine)
    assert engine.fingerprint()["few_shot"] == "False"
    with_examples = get_engine("openai", model="m", base_url=openai_server.base_url, few_shot=True)
    assert with_examples.fingerprint()["few_shot"] == "True"


def test_engine_and_config_options_are_split_between_engine_and_endpoint(
    openai_server: ScriptedOpenAIServer,
) -> None:
    engine = get_engine(
        "openai",
        model="m",
        base_url=openai_server.base_url,
        max_reasks=1,
        deadline=5,
        few_shot=True,
    )
    assert isinstance(engine, OpenAIEngine)
    assert (engine.config.max_reasks, engine.config.deadline, engine.few_shot) == (1, 5.0, True)


# --- the sync wrapper's event loop ---------------------------------------------------------------


async def _current_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


def test_sync_calls_on_one_thread_share_one_loop() -> None:
    loops = {id(run_sync(_current_loop())) for _ in range(5)}
    assert len(loops) == 1
    assert not run_sync(_current_loop()).is_closed()


_CALLER_SETTING: contextvars.ContextVar[str] = contextvars.ContextVar("caller_setting", default="")


async def _read_and_set_caller_setting() -> str:
    seen = _CALLER_SETTING.get()
    _CALLER_SETTING.set("set inside the call")
    return seen


def test_each_sync_call_runs_in_the_callers_current_context() -> None:
    """The thread's runner is reused, but not its first context: what the caller sets now is
    seen, and what a call sets stays inside it."""
    assert run_sync(_read_and_set_caller_setting()) == ""
    token = _CALLER_SETTING.set("second")
    try:
        assert run_sync(_read_and_set_caller_setting()) == "second"
        assert _CALLER_SETTING.get() == "second"
    finally:
        _CALLER_SETTING.reset(token)
    assert run_sync(_read_and_set_caller_setting()) == ""


def test_each_thread_has_its_own_loop_and_sync_calls_work_from_several_threads(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    loops: dict[int, set[int]] = {}
    headlines: list[str] = []
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            seen = loops.setdefault(index, set())
            for _ in range(2):
                seen.add(id(run_sync(_current_loop())))
                result = summarizer.summarize(
                    ARTICLE, model="test-model", base_url=openai_server.base_url
                )
                headlines.append(result.headline_en)
        except BaseException as error:  # reported below, on the test's thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert all(len(seen) == 1 for seen in loops.values())  # one loop per thread, reused
    assert len(set().union(*loops.values())) == 3  # and not shared between threads
    assert len(headlines) == 6
    assert openai_server.request_count == 6


def test_a_sync_call_inside_a_running_loop_says_to_await_the_async_form() -> None:
    async def inside() -> None:
        summarizer.summarize(ARTICLE, engine="offline")

    with pytest.raises(RuntimeError, match="await asummarize"):
        asyncio.run(inside())


def test_a_failed_sync_call_leaves_the_loop_usable(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.push(Reply.error(401, "bad key"))
    with pytest.raises(summarizer.SummarizerError):
        summarizer.summarize(
            ARTICLE, model="test-model", base_url=openai_server.base_url, max_transport_attempts=1
        )
    openai_server.set_handler(answering())
    result = summarizer.summarize(ARTICLE, model="test-model", base_url=openai_server.base_url)
    assert result.meta.engine == "openai"


# --- the offline fallback says so ---------------------------------------------------------------

ARTICLE = "北京市今天召开新闻发布会。\n市长介绍了明年的工作计划。"


def test_falling_back_to_the_offline_engine_warns_at_the_callers_line() -> None:
    with pytest.warns(summarizer.OfflineFallbackWarning, match="no model is configured") as caught:
        result = summarizer.summarize(ARTICLE)
    assert result.meta.engine == "offline" and result.translation is None
    assert caught[0].filename == __file__  # points at the user's call, not inside the library


async def test_the_async_form_warns_too() -> None:
    with pytest.warns(summarizer.OfflineFallbackWarning) as caught:
        await summarizer.asummarize(ARTICLE)
    assert caught[0].filename == __file__


def test_the_warning_can_be_silenced_and_is_not_given_when_offline_is_asked_for(
    openai_server: ScriptedOpenAIServer,
) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning would fail the call
        summarizer.summarize(ARTICLE, engine="offline")
        openai_server.set_handler(answering())
        summarizer.summarize(
            ARTICLE, model="m", base_url=openai_server.base_url, api_key="sk-test-key-123"
        )
        warnings.simplefilter("ignore", summarizer.OfflineFallbackWarning)
        summarizer.summarize(ARTICLE)


def test_a_max_input_chars_below_one_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="max_input_chars must be a positive"):
        summarizer.summarize(ARTICLE, engine="offline", max_input_chars=-5)


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        (Path("article.txt"), "got PosixPath: pass the file's contents, e.g. path.read_bytes()"),
        (bytearray(b"abc"), "got bytearray: pass bytes(text)"),
        (None, "got NoneType"),
    ],
)
def test_a_text_of_the_wrong_type_says_what_to_pass(given: object, hint: str) -> None:
    with pytest.raises(InputError) as caught:
        summarizer.summarize(given, engine="offline")  # type: ignore[arg-type]
    assert str(caught.value) == f"text must be str or bytes, {hint}"
