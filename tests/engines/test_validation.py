"""The semantic checks shared by the engine (re-ask) and eval (grounding)."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.engines.parsing import extract_json
from summarizer.engines.validation import (
    Problem,
    check,
    describe,
    errors,
    parse,
)
from summarizer.schema import ArticleSummary, RunMeta, SummaryDraft
from summarizer.text.document import Document, Span
from summarizer.text.matching import han_runs, occurs_in

PARAGRAPHS = (
    "区委召开务虚会暨调研成果交流会。",
    "市委常委、区委书记张建华主持会议并讲话，强调要“实干争先”。",
    "会议指出，2025年全区经济运行稳中有进。",
)


def make_document(paragraphs: tuple[str, ...] = PARAGRAPHS) -> Document:
    spans, offset = [], 0
    for text in paragraphs:
        spans.append(Span(offset, offset + len(text), text))
        offset += len(text) + 1
    return Document(
        original="\n".join(paragraphs),
        text="\n".join(paragraphs),
        language="zh",
        script="simplified",
        encoding="str",
        paragraphs=tuple(spans),
        sentences=(),
    )


def draft_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "headline_en": "District committee holds a brainstorming meeting",
        "summary_en": "The district committee held a meeting. Zhang Jianhua chaired it.",
        "key_points": [
            {"text_en": "A meeting was held.", "evidence": "区委召开务虚会暨调研成果交流会"},
            {"text_en": "Zhang Jianhua chaired it.", "evidence": "区委书记张建华主持会议并讲话"},
            {"text_en": "The economy grew.", "evidence": "2025年全区经济运行稳中有进"},
        ],
        "people": [
            {
                "name_as_written": "张建华",
                "name_en": "Zhang Jianhua",
                "role_as_written": "区委书记",
                "role_en": "Secretary of the District Committee",
                "organization_en": None,
            }
        ],
        "organizations": [{"name_as_written": "区委", "name_en": "District Committee"}],
        "places": [],
        "events": [{"date_as_written": "2025年", "date_iso": "2025", "description_en": "Growth."}],
        "topics": ["politics", "economy", "local government"],
        "translation": {
            "paragraphs_en": [
                "The district committee held a meeting.",
                "Zhang Jianhua chaired the meeting.",
                "The meeting noted steady growth in 2025.",
            ]
        },
    }
    data.update(changes)
    return data


def draft(**changes: Any) -> SummaryDraft:
    return SummaryDraft.model_validate(draft_data(**changes))


def codes(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(problem.code, problem.path) for problem in problems}


def test_a_good_draft_has_no_problems() -> None:
    assert check(draft(), make_document()) == []


def test_evidence_tolerates_whitespace_and_punctuation_width_but_not_paraphrase() -> None:
    document = make_document()
    assert occurs_in('区委书记 张建华\n主持会议并讲话,强调要"实干争先"', document.text)
    assert occurs_in("區委", "区委") is False  # script differences are not copying noise
    assert not occurs_in("张建华主持了会议", document.text)  # paraphrase
    assert occurs_in("[P2] 市委常委、区委书记", document.text)  # a copied paragraph marker is noise


def test_evidence_not_in_source_is_an_error_with_a_fixable_message() -> None:
    points = draft_data()["key_points"]
    points[1] = {"text_en": "He chaired it.", "evidence": "张建华主持了会议"}
    problems = check(draft(key_points=points), make_document())
    assert codes(problems) == {("evidence.not_in_source", "key_points[1].evidence")}
    assert "does not occur in the article" in problems[0].message
    assert problems[0].severity == "error"


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        ("区委", "evidence.too_short"),
        ("", "empty"),
        ("区委召开务虚会…全区经济运行", "evidence.ellipsis"),
    ],
)
def test_weak_evidence_is_an_error(evidence: str, code: str) -> None:
    points = draft_data()["key_points"]
    points[0] = {"text_en": "A meeting was held.", "evidence": evidence}
    assert codes(check(draft(key_points=points), make_document())) == {
        (code, "key_points[0].evidence")
    }


def test_chinese_in_any_english_field_is_flagged_even_in_parentheses() -> None:
    people = draft_data()["people"]
    people[0]["role_en"] = "Secretary of the District Committee (区委书记)"
    bad = draft(
        headline_en="区委 holds meeting",
        topics=["politics", "经济", "local government"],
        people=people,
        translation={"paragraphs_en": ["ok.", "Zhang 主持 the meeting.", "ok."]},
    )
    found = codes(check(bad, make_document()))
    assert found == {
        ("english.untranslated", "headline_en"),
        ("english.untranslated", "topics[1]"),
        ("english.untranslated", "people[0].role_en"),
        ("english.untranslated", "translation.paragraphs_en[1]"),
    }
    message = next(p.message for p in check(bad, make_document()) if p.path == "headline_en")
    assert '"区委"' in message


def test_translation_needs_one_paragraph_per_source_paragraph() -> None:
    merged = draft(translation={"paragraphs_en": ["All of it in one.", "Rest."]})
    problems = check(merged, make_document())
    assert codes(problems) == {("translation.paragraph_count", "translation.paragraphs_en")}
    assert "the source has 3" in problems[0].message


def test_a_much_too_short_translation_paragraph_is_an_omission() -> None:
    document = make_document()  # paragraph 2 has 25 Chinese characters
    half = draft(translation={"paragraphs_en": ["a.", "Zhang spoke.", "c."]})
    terse = draft(translation={"paragraphs_en": ["a.", "Zhang chaired, urged.", "c."]})
    assert [(p.code, p.severity) for p in check(half, document)] == [
        ("translation.too_short", "error")
    ]
    assert [(p.code, p.severity) for p in check(terse, document)] == [
        ("translation.too_short", "warning")
    ]
    # Short source paragraphs (headlines, datelines) are not judged by length.
    headline_only = draft_data()["translation"]["paragraphs_en"]
    headline_only[0] = "a."
    assert check(draft(translation={"paragraphs_en": headline_only}), document) == []


def test_empty_strings_are_errors() -> None:
    bad = draft(summary_en="  ", translation={"paragraphs_en": ["a.", "", "c."]})
    assert codes(errors(check(bad, make_document()))) == {
        ("empty", "summary_en"),
        ("empty", "translation.paragraphs_en[1]"),
    }


def test_counts_outside_the_asked_ranges_are_warnings_not_errors() -> None:
    long_summary = "One. Two. Three. Four. Five."
    problems = check(draft(summary_en=long_summary, topics=["a"]), make_document())
    assert codes(problems) == {("summary.sentences", "summary_en"), ("topics.count", "topics")}
    assert errors(problems) == []


def test_abbreviations_do_not_end_sentences() -> None:
    summary = "The U.S. and Dr. Li met on Dec. 3. They agreed on trade."
    assert check(draft(summary_en=summary), make_document()) == []


def test_invented_person_and_an_organization_not_written_so_are_both_errors() -> None:
    """Every name "as written" must be written so (an organization as much as a person)."""
    people = draft_data()["people"]
    people[0]["name_as_written"] = "李明"
    problems = check(
        draft(people=people, organizations=[{"name_as_written": "通州区委", "name_en": "X"}]),
        make_document(),
    )
    by_path = {problem.path: problem.severity for problem in problems}
    assert by_path == {
        "people[0].name_as_written": "error",
        "organizations[0].name_as_written": "error",
    }


def test_malformed_iso_date_is_an_error() -> None:
    events = [{"date_as_written": "2025年", "date_iso": "2025/12/13", "description_en": "Met."}]
    assert codes(check(draft(events=events), make_document())) == {
        ("date.format", "events[0].date_iso")
    }


def test_offline_results_with_null_fields_are_not_flagged_for_them() -> None:
    document = make_document()
    summary = ArticleSummary(
        headline_en=None,
        summary_en=None,
        key_points=[{"text_en": None, "evidence": "区委召开务虚会暨调研成果交流会"}],  # type: ignore[list-item]
        people=[],
        organizations=[],
        places=[],
        events=[],
        topics=[],
        translation=None,
        source=document.source_info(),
        meta=RunMeta(engine="offline"),
    )
    assert errors(check(summary, document)) == []


def test_parse_reads_fenced_json_and_json_amid_prose() -> None:
    text = draft().model_dump_json()
    for content in (f"```json\n{text}\n```", f"Here it is:\n{text}\nDone.", f"  {text}  "):
        parsed, problems = parse(content, SummaryDraft)
        assert problems == []
        assert parsed == draft()
    assert extract_json("no json here") == "no json here"


def test_parse_reports_schema_errors_with_json_paths() -> None:
    data = draft_data()
    del data["key_points"][2]["evidence"]
    data["surprise"] = 1
    import json

    parsed, problems = parse(json.dumps(data, ensure_ascii=False), SummaryDraft)
    assert parsed is None
    assert {problem.path for problem in problems} == {"key_points[2].evidence", "surprise"}


def test_parse_reports_invalid_json() -> None:
    parsed, problems = parse('{"headline_en": "cut', SummaryDraft)
    assert parsed is None
    assert [problem.code for problem in problems] == ["json.invalid"]


def test_describe_bounds_the_list() -> None:
    problems = [Problem("x", f"topics[{i}]", "bad") for i in range(30)]
    text = describe(problems)
    assert text.count("\n- topics[") == 19
    assert "and 10 more" in text


def test_han_runs() -> None:
    assert han_runs("Zhang (张建华) met 吴瑕.") == ["张建华", "吴瑕"]
    assert han_runs("No Chinese, only “quotes” and 2025.") == []
