"""Review 7, finding 1: a malformed base URL is a ``ConfigError`` (exit 3), not an internal error.

Before: ``--base-url 'http://[::1/v1'`` (and a port out of range or not a number) ended in
``internal error (ValueError: Invalid IPv6 URL)``, exit 70, "a bug in summarizer"; the library
raised a bare ``ValueError``; ``http:///v1`` (no host) was tried six times before failing as an
unreachable endpoint. No message quotes the URL, which may hold a key.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import summarize
from summarizer.config import ModelConfig
from summarizer.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
BROKEN = [
    "http://[::1/v1?api-key=SECRETKEY1",
    "http://127.0.0.1:99999/v1?api-key=SECRETKEY1",
    "http://SECRETKEY1@127.0.0.1:abc/v1",
    "http:///v1?api-key=SECRETKEY1",
    "http://user:SECRETKEY1@/v1",
]


@pytest.mark.parametrize("base_url", BROKEN)
def test_the_library_raises_a_config_error_that_quotes_no_key(base_url: str) -> None:
    with pytest.raises(ConfigError) as raised:
        summarize("区委召开会议。", model="m", base_url=base_url, api_key="sk-x")
    assert "SECRETKEY1" not in str(raised.value)
    assert "base URL" in str(raised.value)


def test_good_urls_still_pass() -> None:
    for base_url in ("http://[::1]:8000/v1", "https://api.example.com/v1", "http://gpu:8000/v1"):
        assert ModelConfig(model="m", base_url=base_url).base_url is not None


@pytest.mark.parametrize("base_url", [BROKEN[0], BROKEN[3]])
def test_the_cli_exits_3_with_one_line(base_url: str, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("区委召开会议。", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(article), "--model", "m",
         "--base-url", base_url],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SUMMARIZER_LOG": "0",
             "HOME": str(tmp_path)},
    )  # fmt: skip
    assert completed.returncode == 3, completed.stderr
    [line] = completed.stderr.strip().splitlines()
    assert line.startswith("summarizer: error: the base URL")
    assert "SECRETKEY1" not in completed.stderr


# Review 7, finding 3: the library takes the temperatures the CLI takes (0 to 2), no others.


@pytest.mark.parametrize("temperature", [5, -0.1, 2.5])
def test_a_temperature_outside_0_to_2_is_a_config_error(temperature: float) -> None:
    with pytest.raises(ConfigError, match="temperature must be a number from 0 to 2"):
        summarize(
            "区委召开会议。", model="m", base_url="http://127.0.0.1:9/v1", temperature=temperature
        )


def test_temperatures_0_to_2_are_taken() -> None:
    for temperature in (0, 0.7, 2):
        assert ModelConfig(model="m", temperature=temperature).temperature == temperature


def test_an_unreachable_endpoint_names_both_ways_of_giving_the_url() -> None:
    """The URL may come from --base-url: the advice named only OPENAI_BASE_URL."""
    from summarizer.errors import EndpointUnreachableError

    with pytest.raises(EndpointUnreachableError, match=r"check the base URL \(--base-url or"):
        summarize(
            "区委召开会议。",
            model="m",
            base_url="http://127.0.0.1:9/v1",
            api_key="sk-x",
            max_transport_attempts=1,
        )
