"""Server profiles, the field guide, context bounds and the per-article deadline (scripted server).

The real servers' side of the same facts is in ``tests/real_servers``.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from typer.testing import CliRunner

import summarizer
import summarizer.api
from summarizer.cli import app
from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient
from summarizer.engines.fieldguide import field_guide
from summarizer.engines.openai import OpenAIEngine, request_schema
from summarizer.engines.profiles import (
    PROFILES,
    get_profile,
    profile_from_host,
    profile_from_models,
)
from summarizer.errors import DeadlineExceededError, InputTooLargeError, PromptTooLongError
from summarizer.schema import ChunkTranslation, SummaryDraft
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer
from summarizer.testing.answers import answering, good_answer
from summarizer.text.warmup import warm_up_text_tools

ARTICLE = "区委召开务虚会。\n区委书记张建华主持会议并讲话。\n会议指出，明年要继续推动高质量发展。"


def config(scripted: ScriptedOpenAIServer, **options: Any) -> ModelConfig:
    return ModelConfig(model="test-model", base_url=scripted.base_url, **options)


# --- profiles ------------------------------------------------------------------------------------


def test_every_server_kind_has_a_profile_ending_in_prompt() -> None:
    assert set(PROFILES) == {
        "generic", "openai", "azure", "vllm", "ollama", "llama-server", "llama-cpp-python",
        "deepseek", "dashscope",
    }  # fmt: skip
    assert all(profile.rungs[-1] == "prompt" for profile in PROFILES.values())
    assert [name for name, p in PROFILES.items() if p.model_sees_schema] == ["openai", "azure"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("api.openai.com", "openai"),
        ("myres.openai.azure.com", "azure"),
        ("api.deepseek.com", "deepseek"),
        ("dashscope-intl.aliyuncs.com", "dashscope"),
        ("127.0.0.1:11434", "ollama"),
        ("127.0.0.1:8000", None),
    ],
)
def test_hosted_apis_are_known_by_host(host: str, expected: str | None) -> None:
    assert profile_from_host(host) == expected


def test_self_hosted_servers_are_known_by_their_models_list() -> None:
    vllm = {"data": [{"id": "Qwen", "owned_by": "vllm", "max_model_len": 32768}]}
    assert profile_from_models(vllm) == ("vllm", 32768)
    llama_server = {"data": [{"id": "m", "owned_by": "llamacpp", "meta": {"n_ctx_train": 8}}]}
    assert profile_from_models(llama_server) == ("llama-server", None)
    lcp = {"data": [{"id": "m", "owned_by": "me", "permissions": []}]}
    assert profile_from_models(lcp) == ("llama-cpp-python", None)
    assert profile_from_models({"data": []}) == (None, None)
    assert profile_from_models("<html>") == (None, None)


def test_ollama_dialect_inlines_defs_and_writes_nullable_as_a_type_list() -> None:
    schema = get_profile("ollama").schema_for(request_schema(SummaryDraft, 2).schema)
    text = json.dumps(schema)
    assert "$defs" not in text and "$ref" not in text and "anyOf" not in text
    person = schema["properties"]["people"]["items"]
    assert person["properties"]["name_en"]["type"] == ["string", "null"]
    assert schema["properties"]["translation"]["properties"]["paragraphs_en"]["maxItems"] == 2


async def test_each_profile_asks_for_structured_output_its_own_way(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(lambda request: Reply.json({"paragraphs_en": ["x"]}))
    schema = request_schema(ChunkTranslation, 1).schema
    sent: dict[str, Any] = {}
    for name in ("openai", "llama-cpp-python", "ollama", "deepseek"):
        client = ChatClient(config(openai_server, server=name, context_window=8192))
        await client.complete(
            lambda rung: [{"role": "user", "content": "x"}],
            schema_name="ChunkTranslation",
            schema=schema,
        )
        await client.aclose()
        sent[name] = openai_server.chat_requests[-1].json
    assert sent["openai"]["response_format"]["type"] == "json_schema"
    assert "max_completion_tokens" not in sent["openai"]  # no cap asked for here
    assert sent["llama-cpp-python"]["response_format"]["type"] == "json_object"
    assert sent["llama-cpp-python"]["response_format"]["schema"]["required"] == ["paragraphs_en"]
    assert sent["ollama"]["format"]["properties"]["paragraphs_en"]["maxItems"] == 1
    assert sent["ollama"]["options"] == {"num_ctx": 8192}
    assert sent["deepseek"]["response_format"] == {"type": "json_object"}


# --- the field guide -----------------------------------------------------------------------------


def test_the_field_guide_comes_from_the_field_descriptions_with_this_requests_counts() -> None:
    guide = request_schema(SummaryDraft, 4).guide
    description = SummaryDraft.model_fields["headline_en"].description
    assert f"- headline_en (string): {description}" in guide
    assert "  - evidence (string): The exact span of the ARTICLE" in guide
    assert "  - date_iso (string or null): The date as YYYY-MM-DD" in guide
    assert "  - paragraphs_en (list of exactly 4 strings)" in guide
    assert "- key_points (list of 1 to 7 objects)" in guide
    assert "additionalProperties" not in guide and "$ref" not in guide
    schema_text = json.dumps(request_schema(SummaryDraft, 4).schema, separators=(",", ":"))
    assert len(guide) < 0.6 * len(schema_text)


def test_the_field_guide_reads_enums_and_type_lists() -> None:
    schema = {
        "properties": {
            "sentence": {"enum": [1, 2, 3], "description": "Which sentence."},
            "note": {"type": ["string", "null"]},
        }
    }
    assert (
        field_guide(schema)
        == "- sentence (one of 1, 2, 3): Which sentence.\n- note (string or null)"
    )


def test_openai_sees_the_schema_so_its_prompt_has_no_guide(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    summarizer.summarize(ARTICLE, engine=OpenAIEngine(config(openai_server, server="openai")))
    summarizer.summarize(ARTICLE, engine=OpenAIEngine(config(openai_server, server="vllm")))
    on_openai, on_vllm = (r.messages[0]["content"] for r in openai_server.chat_requests)
    assert "- headline_en (string)" not in on_openai
    assert "- headline_en (string)" in on_vllm


# --- context and size bounds ---------------------------------------------------------------------


def test_a_prompt_that_cannot_fit_is_refused_before_sending(
    openai_server: ScriptedOpenAIServer,
) -> None:
    engine = OpenAIEngine(config(openai_server, context_window=2048))
    article = "。".join(["会议强调要推动高质量发展"] * 400)  # one paragraph: cannot be chunked
    with pytest.raises(PromptTooLongError, match="context window of 2,048 tokens"):
        summarizer.summarize(article, engine=engine)
    assert openai_server.chat_requests == []


def test_a_long_article_is_map_reduced_so_every_request_fits(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    paragraph = "会议强调，要坚持稳中求进工作总基调，推动经济高质量发展，确保各项任务落到实处。"
    article = "\n".join(f"第{index}段。{paragraph * 4}" for index in range(40))
    engine = OpenAIEngine(config(openai_server, context_window=4096))
    result = summarizer.summarize(article, engine=engine)
    outlines = [r for r in openai_server.chat_requests if "headline_en" in json.dumps(r.json)]
    translations = [r for r in openai_server.chat_requests if r not in outlines]
    assert len(outlines) > 1 and len(translations) > 1  # the outline itself was chunked
    budget = 4096 - 2048
    assert all(
        sum(len(m["content"]) for m in r.messages) < 3 * budget for r in openai_server.chat_requests
    )
    assert len(result.translation.paragraphs_en) == 40  # type: ignore[union-attr]
    assert all(point.evidence in result.source.normalized_text for point in result.key_points)


def test_too_large_input_is_refused_at_once_naming_the_option(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(("会议强调要推动高质量发展。\n" * 200_000).encode())
    prepared: list[object] = []
    real_prepare = summarizer.api.prepare_article

    def recording_prepare(*args: Any, **kwargs: Any) -> Any:
        prepared.append(args)
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(summarizer.api, "prepare_article", recording_prepare)
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["summarize", str(big), "--engine", "offline"])
    assert result.exit_code == 2
    assert "--max-input-chars" in result.output and "2,000,000" in result.output
    assert prepared == []  # refused before any text handling, on any machine
    # Reading and refusing takes under a second here; handling 2.8 million characters would
    # take over half a minute even on the fastest machine seen (120,000 took 1.4 s there).
    assert time.perf_counter() - started < 15
    with pytest.raises(InputTooLargeError, match="max_input_chars=100"):
        summarizer.summarize("会议" * 60, engine="offline", max_input_chars=100)


# --- one deadline per article --------------------------------------------------------------------


def test_one_deadline_covers_every_reask_of_an_article(
    openai_server: ScriptedOpenAIServer,
) -> None:
    def slow_and_wrong(request: RecordedRequest) -> Reply:
        answer = good_answer(request)
        answer["key_points"][0]["evidence"] = "not in the article"
        return Reply.delay(0.5, Reply.json(answer))

    openai_server.set_handler(slow_and_wrong)
    engine = OpenAIEngine(config(openai_server, deadline=2.0, max_reasks=10))
    warm_up_text_tools()  # a process's one-time loading (seconds) is not what is measured
    started = time.perf_counter()
    with pytest.raises(DeadlineExceededError, match=r"deadline of 2 s.*--deadline") as raised:
        summarizer.summarize(ARTICLE, engine=engine)
    elapsed = time.perf_counter() - started
    # Per call it would be 11 x 0.5 s = 5.5 s: 4.5 s leaves 2.5 s past the deadline for a
    # loaded machine to notice it and unwind, and still tells the two apart.
    assert elapsed < 4.5
    assert 2 <= len(openai_server.chat_requests) <= 5
    assert raised.value.attempts


def test_timeout_is_the_deadline_in_the_cli(
    openai_server: ScriptedOpenAIServer, openai_env: str, tmp_path: Any
) -> None:
    # The answer would come after 10 s (the server releases it at the test's end, so the delay
    # costs nothing): ending in under 5 s is the 0.5 s deadline, with 4.5 s for a loaded machine.
    openai_server.set_handler(lambda request: Reply.delay(10.0, Reply.json(good_answer(request))))
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    warm_up_text_tools()  # a process's one-time loading (seconds) is not what is measured
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["summarize", str(article), "--timeout", "0.5"])
    assert result.exit_code == 4, result.output
    assert time.perf_counter() - started < 5.0
