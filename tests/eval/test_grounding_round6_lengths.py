"""Round 6 (issue 10): one Chinese sentence split into several English ones is no insertion.

Found on the WMT20 references (``fresh-4``) once they became design data; the test sentences are
written for the test, not taken from those texts.
"""

from __future__ import annotations

from summarizer.eval.checks.coverage import every_sentence_renders
from summarizer.eval.checks.lengths import check_lengths
from summarizer.eval.grounding import check_translation_grounding

SOURCE = [
    "今年秋天，本市的蔬菜价格比去年同期略有下降。",
    "市场监管部门表示，将继续加强对农贸市场的检查。",
    "飞机和高铁出行的比例稳步上升，星级酒店和民宿的需求占比也在提高。",
]
ENGLISH = [
    "This autumn, vegetable prices in the city fell slightly from the same period last year.",
    "The market regulator said it would keep stepping up inspections of farmers' markets.",
    "The share of travel by plane and by high-speed rail is rising steadily. Demand for "
    "star-rated hotels and for homestays, such as inns and guesthouses, also takes a larger "
    "share of all demand.",
]
#: A sentence about something else, as the meta-evaluation plants one.
UNRELATED = "The orchestra will give its concerts in the old harbour warehouse next spring."


def test_a_split_and_explained_sentence_is_no_length_outlier() -> None:
    assert every_sentence_renders(ENGLISH[2], SOURCE[2])
    assert check_translation_grounding(ENGLISH, SOURCE) == []


def test_an_inserted_sentence_in_a_split_paragraph_is_still_flagged() -> None:
    inserted = [*ENGLISH[:2], f"{ENGLISH[2]} {UNRELATED}"]
    assert not every_sentence_renders(inserted[2], SOURCE[2])
    flags = check_translation_grounding(inserted, SOURCE)
    assert {(flag.code, flag.paragraph) for flag in flags} == {
        ("length.outlier", 2),
        ("sentence.unsupported", 2),
    }


def test_without_coverage_the_length_check_flags_as_before() -> None:
    # Callers that cannot tell coverage (no ``renders_source``) keep the plain signature.
    assert [flag.paragraph for flag in check_lengths(ENGLISH, SOURCE)] == [2]
    assert check_lengths(ENGLISH, SOURCE, renders_source=lambda _: True) == []


def test_a_headline_keeps_the_more_sentences_signature() -> None:
    # A sentence appended to a headline without a full stop runs on into one sentence with it,
    # and the headline's words lift that sentence's coverage: the allowance is not for headlines.
    source = ["本市蔬菜价格小幅下降", *SOURCE]
    english = [
        "Vegetable prices in the city fall slightly "
        "The band plays its new songs at the old harbour.",
        *ENGLISH,
    ]
    flags = check_lengths(english, source, renders_source=lambda _: True)
    assert [flag.paragraph for flag in flags] == [0]
    assert "more sentences than the source" in flags[0].message
