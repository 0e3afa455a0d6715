"""Credentials of known shapes in ``--extra-body`` / ``extra_body=`` are refused, whatever their
field is called: a JSON Web Token or an AWS access key id in a neutral field used to reach every
request and the call log. The message names the kind and the field, never the value."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summarizer
from summarizer.cli import app
from summarizer.config import ModelConfig
from summarizer.errors import ConfigError
from summarizer.testing import ScriptedOpenAIServer, answering

runner = CliRunner()
ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"


def _part(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


#: Built here, not copied: a signed-looking token and a key id of the documented shapes.
JWT = ".".join(
    [_part({"alg": "HS256", "typ": "JWT"}), _part({"sub": "42", "scope": "all"}), "c2lnbmF0dXJl"]
)
AWS_KEY_ID = "AKIA" + "Q7XZ3K9M2P4R6T8V"
SHAPES = [
    ({"metadata": {"note": JWT}}, "value of 'metadata.note' (a JSON Web Token)", JWT),
    (
        {"routing": ["a", f"key {AWS_KEY_ID}"]},
        "value of 'routing[1]' (an AWS access key id)",
        AWS_KEY_ID,
    ),
]


@pytest.mark.parametrize(("body", "said", "secret"), SHAPES)
def test_the_cli_refuses_them_in_one_line_without_the_value(
    body: dict[str, object],
    said: str,
    secret: str,
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "summarize", str(article),
            "--engine", "openai", "--model", "test-model", "--base-url", openai_server.base_url,
            "--extra-body", json.dumps(body),
        ],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    shown = " ".join(result.output.replace("│", " ").split())
    assert "Invalid value for '--extra-body'" in shown and said in shown, shown
    assert "looks like a credential" in shown
    assert secret not in result.output and secret[:12] not in result.output
    assert "Traceback" not in result.output
    assert openai_server.requests == []  # no call made: none reached the call log


@pytest.mark.parametrize(("body", "said", "secret"), SHAPES)
def test_the_library_refuses_them_too(body: dict[str, object], said: str, secret: str) -> None:
    with pytest.raises(ConfigError, match="looks like a credential") as raised:
        summarizer.summarize(
            ARTICLE,
            engine="openai",
            model="m",
            base_url="http://127.0.0.1:9/v1",
            api_key="sk-test-key-0000000000",
            extra_body=body,
        )
    assert said in str(raised.value) and secret not in str(raised.value)
    with pytest.raises(ConfigError, match="looks like a credential"):
        ModelConfig(model="m", base_url="http://127.0.0.1:9/v1", extra_body=body)


@pytest.mark.parametrize(
    "body",
    [
        {"grammar": 'root ::= "{" [^}]* "}"', "chat_template_kwargs": {"enable_thinking": False}},
        {"note": "eyJ is how base64 of a JSON object starts; a.b.c is a path"},
        {"stop": ["AKIA", "AKIA1234"], "seed": 20240101},
        {"prompt_prefix": "请用英文回答。<think>", "top_k": 20},
    ],
)
def test_ordinary_extra_fields_still_pass(body: dict[str, object]) -> None:
    config = ModelConfig(model="m", base_url="http://127.0.0.1:9/v1", extra_body=body)
    assert config.extra_body == body
