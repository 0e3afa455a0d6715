"""The fault matrix: every malformed 200 a server can send is read tolerantly or becomes a typed
error, through the library and through the CLI (never exit 70, "internal error").

Real servers cannot be made to send most of these, so the scripted server does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import summarizer
from summarizer.cli import app
from summarizer.config import ModelConfig, Secret
from summarizer.engines.client import ChatClient
from summarizer.engines.openai import OpenAIEngine
from summarizer.errors import ModelOutputError, SummarizerError, TransportError
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer
from summarizer.testing.answers import good_answer

ARTICLE = (
    "区委召开务虚会暨调研成果交流会。\n"
    "市委常委、区委书记张建华主持会议并讲话，强调要实干争先。\n"
    "会议指出，今年全区经济运行稳中有进，明年要继续推动高质量发展。"
)

Body = Callable[[dict[str, Any]], Any]


def completion(message: Any, *, usage: Any = None, finish: Any = "stop", **extra: Any) -> Any:
    body = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        **extra,
    }
    if usage is not None:
        body["usage"] = usage
    return body


def text(answer: dict[str, Any]) -> str:
    return json.dumps(answer, ensure_ascii=False)


#: Bodies a real server may send that still carry a usable answer.
TOLERATED: dict[str, Body] = {
    "content as a list of text parts": lambda a: completion(
        {"role": "assistant", "content": [{"type": "text", "text": text(a)}]}
    ),
    "content as split string parts": lambda a: completion(
        {"role": "assistant", "content": [text(a)[:10], text(a)[10:]]}
    ),
    "content as a JSON object": lambda a: completion({"role": "assistant", "content": a}),
    "usage with float counts": lambda a: completion(
        {"role": "assistant", "content": text(a)},
        usage={"prompt_tokens": 12.0, "completion_tokens": 7.6, "total_tokens": 19.6},
    ),
    "usage with strings and nulls": lambda a: completion(
        {"role": "assistant", "content": text(a)},
        usage={"prompt_tokens": "12", "completion_tokens": None, "total_tokens": "many"},
    ),
    "usage not an object": lambda a: completion(
        {"role": "assistant", "content": text(a)}, usage="n/a"
    ),
    "finish_reason null": lambda a: completion(
        {"role": "assistant", "content": text(a)}, finish=None
    ),
    "raw control characters inside strings": lambda a: completion(
        {"role": "assistant", "content": text(a).replace("The district", "The\ndistrict\t")}
    ),
    "model not a string": lambda a: {
        **completion({"role": "assistant", "content": text(a)}),
        "model": 7,
    },
}

#: Bodies without a usable answer: each must end in a typed error.
UNUSABLE: dict[str, Body] = {
    "content a number": lambda a: completion({"role": "assistant", "content": 42}),
    "content a list of non-text parts": lambda a: completion(
        {"role": "assistant", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}
    ),
    "refusal not a string": lambda a: completion(
        {"role": "assistant", "content": None, "refusal": {"reason": "no"}}
    ),
    "no choices": lambda a: {**completion(None), "choices": []},
    "choices an object": lambda a: {**completion(None), "choices": {"0": text(a)}},
    "choice without message": lambda a: {**completion(None), "choices": [{"index": 0}]},
    "message a string": lambda a: completion(text(a)),
    "a JSON array": lambda a: [text(a)],
    "JSON null": lambda a: None,
    "an error inside a 200": lambda a: {"error": {"message": "model overloaded"}},
}


def serve(server: ScriptedOpenAIServer, make_body: Body) -> None:
    def handler(request: RecordedRequest) -> Reply:
        return Reply.custom(200, make_body(good_answer(request)))

    server.set_handler(handler)


async def no_wait(seconds: float) -> None:
    return None


def engine_for(server: ScriptedOpenAIServer) -> OpenAIEngine:
    config = ModelConfig(
        model="test-model",
        base_url=server.base_url,
        api_key=Secret("sk-test-malformed-0000"),
        max_transport_attempts=2,
        max_reasks=1,
    )
    return OpenAIEngine(config, client_factory=lambda c: ChatClient(c, sleep=no_wait))


@pytest.mark.parametrize("case", sorted(TOLERATED))
def test_tolerated_bodies_give_a_summary_without_a_reask(
    openai_server: ScriptedOpenAIServer, case: str
) -> None:
    serve(openai_server, TOLERATED[case])
    result = summarizer.summarize(ARTICLE, engine=engine_for(openai_server))
    assert result.meta.reasks == 0 and result.meta.attempts == 1
    assert result.headline_en and result.translation is not None
    if case == "usage with float counts":
        assert (result.meta.usage.prompt_tokens, result.meta.usage.completion_tokens) == (12, 8)
        assert result.meta.usage.total_tokens == 20
    if case == "usage with strings and nulls":
        assert result.meta.usage.prompt_tokens == 12
        assert result.meta.usage.total_tokens == 12


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_unusable_bodies_are_typed_errors(openai_server: ScriptedOpenAIServer, case: str) -> None:
    serve(openai_server, UNUSABLE[case])
    with pytest.raises(SummarizerError) as raised:
        summarizer.summarize(ARTICLE, engine=engine_for(openai_server))
    assert isinstance(raised.value, ModelOutputError | TransportError)
    assert "\n" not in str(raised.value) and raised.value.attempts


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_the_cli_never_reports_an_internal_error_for_a_malformed_answer(
    openai_server: ScriptedOpenAIServer,
    openai_env: str,
    tmp_path: Path,
    case: str,
) -> None:
    serve(openai_server, UNUSABLE[case])
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["summarize", str(article), "--max-reasks", "0", "--deadline", "1"]
    )
    assert result.exit_code in (4, 5), result.output
    assert "internal error" not in result.output
    assert "Traceback" not in result.output


def test_an_answer_that_failed_validation_is_kept_in_the_ledger(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """Reports show the raw answer of each failed attempt: the ledger keeps it, and only it."""
    answers = iter(["not the JSON you asked for <img src=x>", None])

    def handler(request: RecordedRequest) -> Reply:
        first = next(answers)
        return Reply.text(first) if first is not None else Reply.json(good_answer(request))

    openai_server.set_handler(handler)
    result = summarizer.summarize(ARTICLE, engine=engine_for(openai_server))
    failed, passed = result.meta.ledger
    assert failed.kind == "content"
    assert failed.raw_answer == "not the JSON you asked for <img src=x>"
    assert passed.error is None and passed.raw_answer is None
