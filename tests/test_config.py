"""Configuration resolution and secret handling."""

from __future__ import annotations

import pytest

from summarizer.config import PLACEHOLDER_API_KEY, ModelConfig, Secret, env_switch, redact
from summarizer.errors import ConfigError, NoModelConfiguredError


def test_arguments_win_over_environment() -> None:
    env = {"SUMMARIZER_MODEL": "env-model", "OPENAI_BASE_URL": "http://env:1/v1"}
    config = ModelConfig.resolve(model="arg-model", environ=env)
    assert config is not None
    assert (config.model, config.base_url) == ("arg-model", "http://env:1/v1")


def test_no_endpoint_means_no_config() -> None:
    assert ModelConfig.resolve(environ={}) is None
    with pytest.raises(ConfigError, match="half configured"):  # a model but no endpoint
        ModelConfig.resolve(environ={"SUMMARIZER_MODEL": "m"})
    with pytest.raises(NoModelConfiguredError, match="SUMMARIZER_MODEL"):
        ModelConfig.require(environ={})


def test_local_endpoint_without_key_gets_placeholder_key() -> None:
    config = ModelConfig.resolve(
        environ={"SUMMARIZER_MODEL": "qwen2.5", "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"}
    )
    assert config is not None
    assert config.api_key.reveal() == PLACEHOLDER_API_KEY
    assert config.endpoint_host == "127.0.0.1:11434"


def test_secret_never_shows_itself() -> None:
    config = ModelConfig(model="m", api_key=Secret("sk-live-abcdef123456"))
    for shown in (repr(config), str(config), f"{config}", repr(config.api_key)):
        assert "abcdef123456" not in shown


@pytest.mark.parametrize(
    "text",
    [
        "Incorrect API key provided: sk-live-abcdef123456",
        "header Authorization: Bearer sk-live-abcdef123456",
        "api_key=sk-live-abcdef123456&x=1",
    ],
)
def test_redact_removes_keys(text: str) -> None:
    assert "abcdef123456" not in redact(text, Secret("sk-live-abcdef123456"))


def test_redact_removes_a_non_standard_key_it_is_given() -> None:
    assert redact("token was myplainsecretvalue", "myplainsecretvalue") == "token was ***"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model": " "}, "model name is empty"),
        ({"capability": "xml"}, "unknown capability"),
        ({"base_url": "ftp://x"}, "http:// or https://"),
        ({"max_reasks": -1}, "max_reasks"),
    ],
)
def test_invalid_settings_are_config_errors(changes: dict[str, object], message: str) -> None:
    settings: dict[str, object] = {"model": "m", **changes}
    with pytest.raises(ConfigError, match=message):
        ModelConfig(**settings)  # type: ignore[arg-type]


def test_credentials_in_the_base_url_are_not_shown() -> None:
    config = ModelConfig(model="m", base_url="https://user:hunter2pass@llm.example/v1?api-key=zzz9")
    assert "hunter2pass" not in repr(config) and "zzz9" not in repr(config)
    assert config.endpoint_host == "llm.example"
    with pytest.raises(ConfigError) as raised:
        ModelConfig(model="m", base_url="ftp://user:hunter2pass@llm.example/v1")
    assert "hunter2pass" not in str(raised.value)


# --- server profiles, deadline and secrets in the URL (issue 9) -----------------------------------


def test_server_and_deadline_come_from_the_environment() -> None:
    env = {
        "SUMMARIZER_MODEL": "m",
        "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1",
        "SUMMARIZER_SERVER": "llama-cpp-python",
        "SUMMARIZER_DEADLINE": "6",
    }
    config = ModelConfig.resolve(environ=env)
    assert config is not None
    assert (config.server, config.deadline) == ("llama-cpp-python", 6.0)
    explicit = ModelConfig.resolve(environ=env, server="vllm", deadline=9.0)
    assert explicit is not None and (explicit.server, explicit.deadline) == ("vllm", 9.0)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SUMMARIZER_SERVER": "lmstudio"}, "unknown server 'lmstudio'.*SUMMARIZER_SERVER"),
        ({"SUMMARIZER_DEADLINE": "soon"}, "SUMMARIZER_DEADLINE must be a number"),
        ({"SUMMARIZER_DEADLINE": "-1"}, "positive"),
    ],
)
def test_bad_server_or_deadline_settings_are_config_errors(
    env: dict[str, str], message: str
) -> None:
    env = {"SUMMARIZER_MODEL": "m", "OPENAI_BASE_URL": "http://h/v1", **env}
    with pytest.raises(ConfigError, match=message):
        ModelConfig.resolve(environ=env)


def test_url_credentials_and_key_parameters_become_headers() -> None:
    config = ModelConfig(
        model="m",
        base_url="https://us%40er:p%40ss-word@res.openai.azure.com/openai/v1"
        "?api-version=2024-10-21&api-key=AZKEY-0123456789",
    )
    connection = config.connection()
    assert connection.base_url == "https://res.openai.azure.com/openai/v1"
    assert connection.query == {"api-version": "2024-10-21"}
    assert connection.headers["api-key"] == "AZKEY-0123456789"
    assert connection.headers["Authorization"] == "Basic dXNAZXI6cEBzcy13b3Jk"  # us@er:p@ss-word
    assert {"p@ss-word", "AZKEY-0123456789"} <= set(config.secrets())
    assert "p%40ss" not in repr(config) and "AZKEY" not in repr(config)


@pytest.mark.parametrize(
    ("value", "expected"), [("", False), ("  ", False), ("ON", True), ("yes", True), ("0", False)]
)
def test_an_on_off_switch_reads_the_usual_words_and_blank_as_its_default(
    value: str, expected: bool
) -> None:
    assert env_switch("SUMMARIZER_X", default=False, environ={"SUMMARIZER_X": value}) is expected
    assert env_switch("SUMMARIZER_X", default=True, environ={}) is True


@pytest.mark.parametrize("value", ["maybe", "of", "offf", "2"])
def test_a_misspelt_switch_is_a_config_error_naming_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match=f"SUMMARIZER_X must be one of .*{value!r}"):
        env_switch("SUMMARIZER_X", default=True, environ={"SUMMARIZER_X": value})
