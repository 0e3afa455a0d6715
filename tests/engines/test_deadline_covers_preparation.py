"""One deadline per article: the clock starts when ``summarize()`` is entered, before the text is
prepared, so slow preparation leaves less time for the model (and none at all when it uses it up).

Preparation is slowed down on purpose here (a real 557 KB article took seconds to prepare); the
model is a real HTTP server that answers after a delay.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

import summarizer
import summarizer.api
from summarizer.errors import DeadlineExceededError
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer, answering
from summarizer.text.document import Analysis, Document

ARTICLE = "北京市政府今天宣布，将在明年增加公共交通投资。市长表示，这项计划将惠及数百万市民。"


@pytest.fixture
def slow_preparation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Preparation that takes one second, like a very long article's."""
    real = summarizer.api.prepare_article

    def prepare_slowly(*args: Any, **kwargs: Any) -> tuple[Document, Analysis]:
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(summarizer.api, "prepare_article", prepare_slowly)


@pytest.mark.usefixtures("slow_preparation")
def test_a_deadline_spent_preparing_fails_typed_without_calling_the_model(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    with pytest.raises(DeadlineExceededError, match="before any model call") as raised:
        summarizer.summarize(
            ARTICLE, model="test-model", base_url=openai_server.base_url, deadline=0.5
        )
    assert raised.value.kind == "transport.deadline"
    assert openai_server.chat_requests == []


@pytest.mark.usefixtures("slow_preparation")
async def test_preparation_time_counts_against_the_model_calls(
    openai_server: ScriptedOpenAIServer,
) -> None:
    good = answering()

    def slow_answer(request: RecordedRequest) -> Reply:
        return Reply.delay(1.5, good(request))

    openai_server.set_handler(slow_answer)
    # 1 s preparing + 1.5 s answering is over 2 s; the answer alone would fit.
    with pytest.raises(DeadlineExceededError):
        await summarizer.asummarize(
            ARTICLE, model="test-model", base_url=openai_server.base_url, deadline=2.0, max_reasks=0
        )


def test_without_slow_preparation_the_same_deadline_is_met(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    result = summarizer.summarize(
        ARTICLE, model="test-model", base_url=openai_server.base_url, deadline=30
    )
    assert result.meta.engine == "openai"
