"""The model is told the year of dates written without one, once the article's year is known
(``year_hint``, the page's publication date, or a full date nearby), instead of being left to guess
it; with the year unknown it is told to leave ``date_iso`` null. A real HTTP server records what
the model was sent."""

from __future__ import annotations

import json

import summarizer
from summarizer.testing import ScriptedOpenAIServer, answering

ARTICLE = "12月13日，区委召开全体会议，部署重点工作。14日，各部门分头落实。"
PAGE = (
    '<html><head><meta property="article:published_time" content="2023-12-14T08:00:00+08:00">'
    f"</head><body><article><p>{ARTICLE}</p></article></body></html>"
)


def _prompt(openai_server: ScriptedOpenAIServer, text: str | bytes, **options: object) -> str:
    openai_server.set_handler(answering())
    summarizer.summarize(text, model="test-model", base_url=openai_server.base_url, **options)
    return json.dumps(openai_server.chat_requests[-1].messages, ensure_ascii=False)


def test_a_year_hint_is_spelled_out_for_the_model(openai_server: ScriptedOpenAIServer) -> None:
    prompt = _prompt(openai_server, ARTICLE, year_hint=2024)
    assert "12月13日 = 2024-12-13" in prompt
    assert "some dates have no year" not in prompt


def test_a_publication_date_is_spelled_out_for_the_model(
    openai_server: ScriptedOpenAIServer,
) -> None:
    prompt = _prompt(openai_server, PAGE.encode())
    assert "12月13日 = 2023-12-13" in prompt


def test_an_unknown_year_is_not_guessed(openai_server: ScriptedOpenAIServer) -> None:
    prompt = _prompt(openai_server, ARTICLE)
    assert "some dates have no year" in prompt
    assert "= 20" not in prompt


def test_dates_that_state_their_year_need_no_note(openai_server: ScriptedOpenAIServer) -> None:
    prompt = _prompt(openai_server, "2024年12月13日，区委召开全体会议。会议部署了重点工作。")
    assert "dates written without a year" not in prompt
