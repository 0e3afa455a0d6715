"""Defaults that met real servers less well than the fake one (round-8 review).

* A generation slower than ``request_timeout`` was started again up to six times (llama-cpp-python
  finishes every abandoned answer), and the message said to raise ``--deadline``. Now, with the
  default six attempts, a second timeout ends the call and the message names ``--request-timeout``.
* llama-server's refusal of a prompt longer than its window, with its own count of the prompt,
  stopped the run. The tiny model's byte vocabulary spends three tokens on a CJK character where
  the library estimates one; now the refusal's count sizes the article again and it is sent in
  chunks that fit: one refusal, then none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RunningServer, start_llama_server

import summarizer
from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient
from summarizer.engines.openai import request_schema
from summarizer.errors import DeadlineExceededError, PromptTooLongError, SummarizerError
from summarizer.schema import SummaryDraft

SEED = Path(__file__).resolve().parents[2] / "examples" / "tongzhou_2025-12-13_scraped.txt"
#: Token ids of '"' and ']' in the tiny model's byte vocabulary, made likelier: short answers.
TERSE = {"logit_bias": {str(3 + ord('"')): 6, str(3 + ord("]")): 4}}
#: Above the seed's chunked requests (about 9,000 of this model's tokens with their answers) and
#: below its whole-article request (11,617).
SMALL_WINDOW = 10240


@pytest.fixture(scope="module")
def small_window_llama_server(
    tiny_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("logs") / "ls-small.log"
    yield from start_llama_server(tiny_model, SMALL_WINDOW, log)


def refusals(server: RunningServer) -> int:
    """Requests the server refused as longer than its window (it logs each one)."""
    return len(re.findall(r"exceeds the available context size", server.log.read_text()))


async def test_a_slow_generation_is_timed_out_twice_not_six_times(
    llama_server: RunningServer,
) -> None:
    """Greedy decoding of the zero-output model never closes a string: every attempt would write
    all 4,000 tokens (seconds of grammar-constrained sampling), far past the 0.5 s timeout.
    llama-server drops an abandoned answer, so nothing lingers for the tests after this one."""
    config = ModelConfig(
        model="tiny",
        base_url=llama_server.base_url,
        server="llama-server",
        request_timeout=0.5,
        max_transport_attempts=6,
    )
    client = ChatClient(config)

    def messages(capability: str) -> list[dict[str, Any]]:
        return [{"role": "user", "content": "Translate: 你好"}]

    schema = request_schema(SummaryDraft, 2).schema
    with pytest.raises(DeadlineExceededError) as raised:
        await client.complete(
            messages, schema_name="SummaryDraft", schema=schema, max_output_tokens=4000
        )
    await client.aclose()
    assert len(raised.value.attempts) == 2
    assert "--request-timeout" in str(raised.value)


def test_a_refusal_for_length_is_learnt_and_the_article_sent_in_chunks(
    small_window_llama_server: RunningServer,
) -> None:
    server = small_window_llama_server
    before = refusals(server)
    try:
        result = summarizer.summarize(
            SEED.read_bytes(),
            model="tiny",
            base_url=server.base_url,
            max_reasks=0,
            extra_body=TERSE,
        )
    except SummarizerError as error:  # random words fail the content checks
        assert not isinstance(error, PromptTooLongError), str(error)
        assert error.attempts[-1].status_code == 200  # a request that fitted was answered
    else:
        assert result.meta.chunks > 1
    assert refusals(server) - before == 1
