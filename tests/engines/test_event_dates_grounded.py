"""Review 7, finding 2: an event's ``date_iso`` given without ``date_as_written`` is checked too,
and a year the article does not state is said to be the model's.

Before: ``{"date_as_written": null, "date_iso": "1999-01-01"}`` passed with no re-ask whatever the
article said, and a year guessed for a year-less 12月13日 looked resolved (no warning anywhere).
Against the scripted server through the real SDK.
"""

from __future__ import annotations

from typing import Any

from engine_runs import run

from summarizer.config import ModelConfig
from summarizer.engines.validation import check
from summarizer.schema import SummaryDraft
from summarizer.testing import ScriptedOpenAIServer
from summarizer.testing.answers import answering, bad_then_good
from summarizer.text import prepare

DATED_ARTICLE = "12月13日，区委召开会议。张建华讲话。"
FULLY_DATED_ARTICLE = "2024年12月13日，区委召开会议。张建华讲话。"
UNDATED_ARTICLE = "区委召开会议。张建华讲话。"


def with_event(written: str | None, iso: str | None) -> Any:
    def change(answer: dict[str, Any]) -> None:
        answer["events"] = [
            {"date_as_written": written, "date_iso": iso, "description_en": "A meeting."}
        ]

    return change


def draft_with(written: str | None, iso: str | None) -> SummaryDraft:
    answer: dict[str, Any] = {
        "headline_en": "Meeting",
        "summary_en": "A meeting. A speech.",
        "key_points": [{"text_en": "A speech.", "evidence": "张建华讲话"}],
        "people": [],
        "organizations": [],
        "places": [],
        "events": [],
        "topics": ["a", "b", "c"],
        "translation": {"paragraphs_en": ["A meeting was held; Zhang Jianhua gave a speech."]},
    }
    with_event(written, iso)(answer)
    return SummaryDraft.model_validate(answer)


def no_date_problem(found: set[tuple[str, str]]) -> bool:
    return not any(code.startswith("date.") for code, _ in found)


def codes(text: str, written: str | None, iso: str | None, **kwargs: Any) -> set[tuple[str, str]]:
    problems = check(draft_with(written, iso), prepare(text), **kwargs)
    return {(problem.code, problem.severity) for problem in problems}


def test_an_invented_date_without_a_written_one_is_an_error() -> None:
    assert ("date.unsupported", "error") in codes(UNDATED_ARTICLE, None, "1999-01-01")
    assert ("date.unsupported", "error") in codes(FULLY_DATED_ARTICLE, None, "2024-01-01")


def test_a_date_of_the_article_without_a_written_one_passes() -> None:
    for iso in ("2024-12-13", "2024-12", "2024"):
        assert not any(
            code.startswith("date.") for code, _ in codes(FULLY_DATED_ARTICLE, None, iso)
        )
    assert no_date_problem(codes(UNDATED_ARTICLE, None, None))


def test_a_guessed_year_is_a_warning_not_an_error() -> None:
    found = codes(DATED_ARTICLE, "12月13日", "2025-12-13")
    assert ("date.year_guessed", "warning") in found
    assert not any(severity == "error" for _, severity in found)
    # A year the article states, or the date the year hint gives, is no guess.
    assert not any(
        code.startswith("date.") for code, _ in codes(FULLY_DATED_ARTICLE, "12月13日", "2024-12-13")
    )


def test_the_invented_date_is_reasked_and_then_nulled_with_the_event_kept(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    openai_server.set_handler(answering(with_event(None, "1999-01-01")))
    summary = run(config, UNDATED_ARTICLE)
    assert summary.meta.reasks == config.max_reasks
    reask = str(openai_server.chat_requests[1].messages[-1]["content"])
    assert 'events[0].date_iso: "1999-01-01" is no date the article gives' in reask
    assert [(event.date_iso, event.description_en) for event in summary.events] == [
        (None, "A meeting.")
    ]
    assert "1999-01-01" in summary.meta.status["events"]


def test_one_reask_fixes_it(openai_server: ScriptedOpenAIServer, config: ModelConfig) -> None:
    openai_server.set_handler(bad_then_good(with_event(None, "1999-01-01")))
    summary = run(config, UNDATED_ARTICLE)
    assert summary.meta.reasks == 1 and summary.meta.status == {}


def test_the_guessed_year_reaches_meta_status_without_a_reask(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    openai_server.set_handler(answering(with_event("12月13日", "2025-12-13")))
    summary = run(config, DATED_ARTICLE)
    assert summary.meta.reasks == 0
    assert summary.events[0].date_iso == "2025-12-13"
    note = summary.meta.status["events[0].date_iso"]
    assert "2025" in note and "guess" in note and "year_hint" in note
    # With the year given, nothing is said.
    openai_server.set_handler(answering(with_event("12月13日", "2025-12-13")))
    assert run(config, DATED_ARTICLE, 2025).meta.status == {}
