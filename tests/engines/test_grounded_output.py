"""A model's claims are checked against the article: as-written text, dates, names, years.

Against the scripted server through the real SDK: a first bad answer then a good one costs one
re-ask and gives the good result; an answer that stays bad loses the failing items (each noted in
``meta.status``) instead of being kept silently; legitimate answers (other romanizations, less
precise dates, the code's own analysis of the seed article) cost no re-ask.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from engine_runs import run

from summarizer.config import ModelConfig
from summarizer.engines.validation import check, source_facts
from summarizer.testing import ScriptedOpenAIServer
from summarizer.testing.answers import answering, bad_then_good
from summarizer.text import analyze, prepare
from summarizer.text.romanization import romanizes

#: The article of the outside review's finding.
ARTICLE = "区委召开会议。张建华讲话。"
#: A year-less day, for date checks.
DATED_ARTICLE = "12月13日，区委召开会议。张建华讲话。"
UNDATED_DAY_ARTICLE = "1月1日，区委召开会议。张建华讲话。"
SEED = Path(__file__).resolve().parents[1].parent / "examples" / "tongzhou_2025-12-13_scraped.txt"

Change = Callable[[dict[str, Any]], None]


def person(**fields: Any) -> dict[str, Any]:
    return {
        "name_as_written": "张建华",
        "name_en": "Zhang Jianhua",
        "role_as_written": None,
        "role_en": None,
        "organization_en": None,
        **fields,
    }


def event(written: str | None, iso: str | None) -> dict[str, Any]:
    return {"date_as_written": written, "date_iso": iso, "description_en": "A meeting was held."}


def with_people(*people: dict[str, Any]) -> Change:
    def change(answer: dict[str, Any]) -> None:
        answer["people"] = list(people)

    return change


def with_events(*events: dict[str, Any]) -> Change:
    def change(answer: dict[str, Any]) -> None:
        answer["events"] = list(events)

    return change


def with_field(name: str, value: Any) -> Change:
    def change(answer: dict[str, Any]) -> None:
        answer[name] = value

    return change


def both(*changes: Change) -> Change:
    def change(answer: dict[str, Any]) -> None:
        for each in changes:
            each(answer)

    return change


def reask_text(server: ScriptedOpenAIServer, number: int = 1) -> str:
    return str(server.chat_requests[number].messages[-1]["content"])


# --- the finding, reproduced: a persistently bad answer -----------------------------------------

FINDING = both(
    with_events(event("1月1日", "1999-01-01")),
    with_people(person(name_en="Li Qiang", role_as_written="总理", role_en="Premier")),
    with_field("headline_en", "Premier Li Qiang declares war in 1999"),
)


def test_the_findings_answer_is_reasked_and_its_unsupported_parts_dropped_visibly(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    openai_server.set_handler(answering(FINDING))
    summary = run(config, ARTICLE)
    assert summary.meta.reasks == config.max_reasks == 2
    reask = reask_text(openai_server)
    for fragment in (
        'events[0].date_as_written: "1月1日" does not occur in the article',
        'people[0].name_en: "Li Qiang" is not a romanization of "张建华"',
        '"Zhang Jianhua"',
        'people[0].role_as_written: "总理" does not occur in the article',
        'headline_en: names "Li Qiang"',
        "headline_en: names the year 1999",
    ):
        assert fragment in reask, reask
    # After the last re-ask: dropped, and said.
    assert summary.people == [] and summary.events == [] and summary.headline_en is None
    status = summary.meta.status
    assert "张建华" in status["people"] and "dropped" in status["people"]
    assert "1月1日" in status["events"]
    assert "Li Qiang" in status["headline_en"] and "1999" in status["headline_en"]
    # The rest of the answer is kept.
    assert summary.summary_en and len(summary.key_points) == 3 and summary.translation


def test_organizations_and_places_not_in_the_article_are_dropped_not_only_noted(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    def invent(answer: dict[str, Any]) -> None:
        answer["organizations"] = [
            {"name_as_written": "国务院", "name_en": "State Council"},
            {"name_as_written": "区委", "name_en": "District Committee"},
        ]
        answer["places"] = [{"name_as_written": "北京", "name_en": "Beijing"}]

    openai_server.set_handler(answering(invent))
    summary = run(config, ARTICLE)
    assert [o.name_as_written for o in summary.organizations] == ["区委"]
    assert summary.places == []
    assert "国务院" in summary.meta.status["organizations"]
    assert "北京" in summary.meta.status["places"]


def test_a_headline_naming_a_wrong_name_en_is_dropped_with_it(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    """The person's name_en is wrong, the headline repeats it: both go, both said; the person,
    whom the article does name, stays."""
    openai_server.set_handler(
        answering(
            both(
                with_people(person(name_en="Li Qiang")),
                with_field("headline_en", "Li Qiang speaks at a district meeting"),
            )
        )
    )
    summary = run(config, ARTICLE)
    assert [(p.name_as_written, p.name_en) for p in summary.people] == [("张建华", None)]
    assert summary.headline_en is None
    assert {"people", "headline_en"} <= set(summary.meta.status)


# --- each rule: a bad answer, then a good one: one re-ask, the good result --------------------

BAD_THEN_GOOD = {
    "role not in the article": (
        ARTICLE,
        None,
        with_people(person(role_as_written="总理")),
        with_people(person()),
        "people[0].role_as_written",
    ),
    "organization not in the article": (
        ARTICLE,
        None,
        with_field("organizations", [{"name_as_written": "国务院", "name_en": "State Council"}]),
        with_field("organizations", [{"name_as_written": "区委", "name_en": "District Committee"}]),
        "organizations[0].name_as_written",
    ),
    "place not in the article": (
        ARTICLE,
        None,
        with_field("places", [{"name_as_written": "北京", "name_en": "Beijing"}]),
        with_field("places", []),
        "places[0].name_as_written",
    ),
    "date not in the article": (
        ARTICLE,
        None,
        with_events(event("1月1日", "1999-01-01")),
        with_events(event(None, None)),
        "events[0].date_as_written",
    ),
    "date_iso against the year hint": (
        DATED_ARTICLE,
        2024,
        with_events(event("12月13日", "2025-12-13")),
        with_events(event("12月13日", "2024-12-13")),
        "events[0].date_iso",
    ),
    "date_iso against the month and day written": (
        UNDATED_DAY_ARTICLE,
        None,
        with_events(event("1月1日", "1999-12-13")),
        with_events(event("1月1日", None)),
        "events[0].date_iso",
    ),
    "name_en of another person": (
        ARTICLE,
        None,
        with_people(person(name_en="Li Qiang")),
        with_people(person(name_en="Zhang Jianhua")),
        "people[0].name_en",
    ),
    "headline names someone else": (
        ARTICLE,
        None,
        with_field("headline_en", "Li Qiang speaks at a district meeting"),
        both(
            with_people(person()),
            with_field("headline_en", "Zhang Jianhua speaks at a district meeting"),
        ),
        "headline_en",
    ),
    "summary names a year the article lacks": (
        ARTICLE,
        None,
        with_field("summary_en", "The district committee met in 1999. Zhang Jianhua spoke."),
        with_field("summary_en", "The district committee met. Zhang Jianhua spoke."),
        "summary_en",
    ),
}


@pytest.mark.parametrize("case", list(BAD_THEN_GOOD))
def test_a_bad_answer_costs_one_reask_and_the_good_one_is_kept(
    case: str, openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    text, year_hint, bad, good, path = BAD_THEN_GOOD[case]
    calls = 0

    def answer(request: Any) -> Any:
        nonlocal calls
        calls += 1
        handler = bad_then_good(both(good, bad) if calls == 1 else good, times=-1)
        return handler(request)

    openai_server.set_handler(answer)
    summary = run(config, text, year_hint)
    assert summary.meta.reasks == 1, case
    assert f"- {path}" in reask_text(openai_server), reask_text(openai_server)
    assert summary.meta.status == {}
    expected: dict[str, Any] = {}
    good(expected)
    for field, value in expected.items():
        dumped = summary.model_dump()[field]
        assert dumped == value, (case, field)


def test_the_year_hints_date_is_what_the_prompt_says_and_what_is_checked(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    """--year-hint 2024: the prompt says 12月13日 = 2024-12-13; 2025-12-13 is re-asked."""
    openai_server.set_handler(bad_then_good(with_events(event("12月13日", "2025-12-13"))))
    summary = run(config, DATED_ARTICLE, year_hint=2024)
    first_prompt = "\n".join(str(m["content"]) for m in openai_server.chat_requests[0].messages)
    assert "12月13日 = 2024-12-13" in first_prompt
    assert summary.meta.reasks == 1
    assert '"2025-12-13" disagrees with the article' in reask_text(openai_server)
    assert "write 2024-12-13" in reask_text(openai_server)


# --- legitimate answers cost nothing ------------------------------------------------------------

LEGITIMATE = {
    "given name first": with_people(person(name_en="Jianhua Zhang")),
    "capitals and hyphen": with_people(person(name_en="ZHANG Jian-hua")),
    "tone marks": with_people(person(name_en="Zhāng Jiànhuá")),
    "Wade-Giles": with_people(person(name_en="Chang Chien-hua")),
    "headline with the person": both(
        with_people(person()),
        with_field("headline_en", "Zhang Jianhua speaks at a district meeting"),
    ),
    "headline romanizing a name of the article": with_field(
        "headline_en", "Zhang Jianhua speaks at a district meeting"
    ),
    "title-case English words that are pinyin": with_field(
        "headline_en", "How He Can Lead: District Committee Holds Meeting"
    ),
    "an organization as written": with_field(
        "organizations", [{"name_as_written": "区委", "name_en": "District Committee"}]
    ),
}


@pytest.mark.parametrize("case", list(LEGITIMATE))
def test_legitimate_answers_cost_no_reask(
    case: str, openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    openai_server.set_handler(answering(LEGITIMATE[case]))
    summary = run(config, ARTICLE)
    assert summary.meta.reasks == 0, case
    assert summary.meta.status == {}


@pytest.mark.parametrize(
    ("text", "year_hint", "written", "iso"),
    [
        (DATED_ARTICLE, 2024, "12月13日", "2024-12-13"),
        (DATED_ARTICLE, 2024, "12月13日", "2024-12"),  # less precise, not wrong
        (DATED_ARTICLE, 2024, "12月13日", None),
        (UNDATED_DAY_ARTICLE, None, "1月1日", "1999-01-01"),  # the year is unknown: any year
        ("2023年5月4日，区委召开会议。", None, "2023年5月4日", "2023-05-04"),
    ],
)
def test_dates_that_agree_cost_no_reask(
    text: str,
    year_hint: int | None,
    written: str,
    iso: str | None,
    openai_server: ScriptedOpenAIServer,
    config: ModelConfig,
) -> None:
    openai_server.set_handler(answering(with_events(event(written, iso))))
    summary = run(config, text, year_hint)
    assert summary.meta.reasks == 0
    assert [e.date_iso for e in summary.events] == [iso]


def test_a_transliterated_foreign_name_needs_no_pinyin(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    text = "导演斯皮尔伯格出席会议。张建华讲话。"
    openai_server.set_handler(
        answering(with_people(person(), person(name_as_written="斯皮尔伯格", name_en="Spielberg")))
    )
    summary = run(config, text)
    assert summary.meta.reasks == 0
    assert [p.name_en for p in summary.people] == ["Zhang Jianhua", "Spielberg"]


def test_the_seed_articles_good_answer_and_the_codes_own_analysis_cost_no_reask(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    """The suite's good answer, plus every person, title, body, place and date the code itself
    finds in the seed article written back as a model would: all accepted as they are."""
    text = SEED.read_text(encoding="utf-8")
    document = prepare(text)
    analysis = analyze(document)
    people = [
        person(
            name_as_written=found.text,
            name_en=found.name_en,
            role_as_written="、".join(found.titles) or None,
            role_en="; ".join(found.titles_en) or None,
        )
        for found in analysis.people
    ]
    assert len(people) >= 3
    organizations = [
        {"name_as_written": found.text, "name_en": found.name_en or "A body"}
        for found in analysis.organizations
    ]
    places = [
        {"name_as_written": found.text, "name_en": found.name_en or "A place"}
        for found in analysis.places
    ]
    # dated as the file name says (--year-hint 2025)
    dated = [found for found in source_facts(document, year_hint=2025).dates if found.iso]
    assert dated
    events = [event(found.text, found.iso) for found in dated]
    names = [p["name_en"] for p in people[:2]]
    year = dated[0].iso[:4] if dated[0].iso else ""
    headline = f"{names[0]} and {names[1]} address a district meeting in {year}"

    openai_server.set_handler(answering())
    assert run(config, text).meta.reasks == 0
    openai_server.reset()
    openai_server.set_handler(
        answering(
            both(
                with_people(*people),
                with_field("organizations", organizations),
                with_field("places", places),
                with_events(*events),
                with_field("headline_en", headline),
            )
        )
    )
    summary = run(config, text, year_hint=2025)
    assert summary.meta.reasks == 0, openai_server.chat_requests[-1].messages[-1]
    assert len(summary.people) == len(people) and summary.headline_en == headline


# --- the checks themselves ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name_en", "name", "expected"),
    [
        ("Zhang Jianhua", "张建华", True),
        ("Jianhua Zhang", "张建华", True),
        ("Li Qiang", "张建华", False),
        ("Zhang Wei", "张建华", False),
        ("Shan Lin", "单林", True),  # the surname's reading, not the word's (dan)
        ("Ouyang Xiu", "欧阳修", True),
        ("Lü Bin", "吕斌", True),
        ("Lyu Bin", "吕斌", True),
        ("Tsai Ing-wen", "蔡英文", True),
        ("Chiang Ching-kuo", "蒋经国", True),
        ("Spielberg", "斯皮尔伯格", True),  # transliterated: no pinyin requirement
    ],
)
def test_romanizations_of_chinese_names(name_en: str, name: str, expected: bool) -> None:
    assert romanizes(name_en, name) is expected


def test_check_without_facts_resolves_the_dates_itself() -> None:
    """Eval calls ``check`` without the engine's facts: the publication-less article's own full
    date still dates its year-less days (within a month)."""
    from summarizer.schema import SummaryDraft

    document = prepare("2024年12月1日，区委开会。12月13日，张建华讲话。")
    draft = SummaryDraft.model_validate(
        {
            "headline_en": "Meeting",
            "summary_en": "A meeting. A speech.",
            "key_points": [{"text_en": "A speech.", "evidence": "张建华讲话"}],
            "people": [],
            "organizations": [],
            "places": [],
            "events": [event("12月13日", "2025-12-13")],
            "topics": ["a", "b", "c"],
            "translation": {"paragraphs_en": ["A meeting; a speech on December 13."]},
        }
    )
    problems = {(p.code, p.path) for p in check(draft, document)}
    assert ("date.conflict", "events[0].date_iso") in problems
