"""An API key that cannot go into an HTTP header is a ConfigError naming where it came from.

A non-breaking space pasted with the key ended in an internal error (UnicodeEncodeError, exit 70);
a line break in it was taken for a connection failure and retried. Neither message may show the
key.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from summarizer import summarize
from summarizer.cli import app
from summarizer.config import ModelConfig, Secret
from summarizer.errors import ConfigError
from summarizer.testing.server import ScriptedOpenAIServer

KEY = "sk-live-abcdef123456"
BAD_KEYS = {
    "non-breaking space": (KEY + "\u00a0", "non-breaking space"),
    "line break": ("sk-live-abc\ndef123456", "line break"),
    "trailing space": (KEY + " ", "a space"),
    "accented letter": ("sk-live-abcdéf123456", "non-ASCII"),
    "control character": ("sk-live-abc\x00def123456", "control"),
}


@pytest.mark.parametrize(("key", "named"), BAD_KEYS.values(), ids=BAD_KEYS.keys())
def test_a_key_from_the_environment_names_the_variable(key: str, named: str) -> None:
    env = {"SUMMARIZER_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    with pytest.raises(ConfigError) as raised:
        ModelConfig.resolve(environ={**env, "OPENAI_API_KEY": key})
    message = str(raised.value)
    assert message.startswith("OPENAI_API_KEY cannot be sent in an HTTP header")
    assert named in message
    assert "abcdef" not in message and "def123456" not in message


def test_a_key_argument_and_a_config_say_so() -> None:
    with pytest.raises(ConfigError, match=r"^the api_key argument cannot be sent"):
        ModelConfig.resolve(model="m", api_key=KEY + "\u00a0", environ={})
    with pytest.raises(ConfigError, match=r"^the API key cannot be sent"):
        ModelConfig(model="m", api_key=Secret(KEY + "\n"))


def test_a_key_parameter_in_the_base_url_is_checked_too() -> None:
    with pytest.raises(ConfigError, match="key parameter of the base URL") as raised:
        ModelConfig(model="m", base_url="http://127.0.0.1:9/v1?api-key=abc%C3%A9def")
    assert "abc" not in str(raised.value)


def test_good_keys_still_pass() -> None:
    for key in (KEY, "0123456789abcdef", "a.b_c-d~e+f/g=h"):
        config = ModelConfig.resolve(model="m", api_key=key, environ={})
        assert config is not None and config.api_key.reveal() == key


@pytest.mark.parametrize("key", [KEY + "\u00a0", "sk-live-abc\ndef123456"])
def test_nothing_is_sent_and_the_cli_exits_3(
    key: str, openai_server: ScriptedOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("SUMMARIZER_MODEL", "test-model")
    monkeypatch.setenv("OPENAI_API_KEY", key)
    with pytest.raises(ConfigError):
        summarize("北京市政府今天宣布新的交通规划。")
    result = CliRunner().invoke(app, ["summarize", "-"], input="北京市政府今天宣布新的交通规划。")
    assert result.exit_code == 3, result.output
    assert "OPENAI_API_KEY cannot be sent in an HTTP header" in result.stderr
    assert "Traceback" not in result.output and "abcdef" not in result.output
    assert openai_server.requests == []
