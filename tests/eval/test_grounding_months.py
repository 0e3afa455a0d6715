"""Months restored for bare days (26日) of a report without a dateline or any full date: any one
month is licensed, but the months one translation restores must agree (fresh-4's missed month
changes, issue 10). The wording is invented."""

from __future__ import annotations

from summarizer.eval.checks.dates import check_dates, check_restored_months
from summarizer.eval.grounding import check_translation_grounding

#: A report whose dateline was stripped: bare days only, no month anywhere.
UNDATED = (
    "市博物馆18日宣布新展厅正式开放。",
    "据介绍，展厅于本月9日完成布展，共展出文物300余件。",
    "馆方表示，20日起将延长开放时间。",
)
RESTORED = [
    "The city museum announced on October 18 that its new hall was open.",
    "The hall finished setting up on October 9 and shows over 300 relics.",
    "The museum said it would open longer from October 20.",
]


def _texts(flags: list) -> list[str]:  # type: ignore[type-arg]
    return [flag.text for flag in flags]


def test_consistent_restored_months_are_not_flagged() -> None:
    assert check_restored_months(RESTORED, UNDATED) == []
    assert check_translation_grounding(RESTORED, list(UNDATED)) == []


def test_a_restored_month_far_from_the_others_is_flagged() -> None:
    changed = [RESTORED[0], RESTORED[1].replace("October 9", "March 9"), RESTORED[2]]
    # the paragraph check alone cannot see it: the source leaves every month open
    assert check_dates(changed[1], UNDATED[1], 1, document="\n".join(UNDATED)) == []
    assert _texts(check_restored_months(changed, UNDATED)) == ["March 9"]
    flags = check_translation_grounding(changed, list(UNDATED))
    assert [(f.code, f.paragraph, f.text) for f in flags] == [("date.unsupported", 1, "March 9")]


def test_the_lead_date_decides_between_two_disagreeing_months() -> None:
    two = (UNDATED[0], UNDATED[2])
    english = [RESTORED[0], RESTORED[2].replace("October 20", "May 20")]
    assert _texts(check_restored_months(english, two)) == ["May 20"]
    lead_changed = [RESTORED[0].replace("October 18", "May 18"), RESTORED[2]]
    assert _texts(check_restored_months(lead_changed, two)) == ["October 20"]


#: A report of early in a month that names a late day of the month before.
TURN_OF_MONTH = (
    "气象台3日发布寒潮预警。",
    "本轮降温自30日开始，5日前后结束。",
)


def test_late_days_of_the_month_before_are_the_same_report_even_at_the_year_end() -> None:
    english = [
        "The observatory issued a cold-wave warning on January 3.",
        "The cooling began on December 30 and will end around January 5.",
    ]
    assert check_restored_months(english, TURN_OF_MONTH) == []
    assert check_translation_grounding(english, list(TURN_OF_MONTH)) == []


def test_a_neighbouring_month_that_no_report_could_name_is_flagged() -> None:
    # the month before, but on a day earlier than a day of the report's month: October 9
    # with October 18 and 20 is one report, September 9 with them is not
    changed = [RESTORED[0], RESTORED[1].replace("October 9", "September 9"), RESTORED[2]]
    assert _texts(check_restored_months(changed, UNDATED)) == ["September 9"]
    # the month after the others: one report cannot name November 20 and October 18
    later = [RESTORED[0], RESTORED[1], RESTORED[2].replace("October 20", "November 20")]
    assert _texts(check_restored_months(later, UNDATED)) == ["November 20"]


def test_months_the_source_sets_are_left_to_the_paragraph_check() -> None:
    dated = ("市博物馆10月18日宣布新展厅正式开放。", *UNDATED[1:])
    english = [RESTORED[0], RESTORED[1].replace("October 9", "March 9"), RESTORED[2]]
    # 9日 now takes October from the full date: the paragraph check flags March, not this one
    assert check_restored_months(english, dated) == []
    flags = check_translation_grounding(english, list(dated))
    assert ("date.unsupported", 1, "March 9") in [(f.code, f.paragraph, f.text) for f in flags]


def test_a_single_restored_month_is_licensed() -> None:
    english = [RESTORED[0].replace("October", "April"), "The hall shows relics.", "It opens."]
    assert check_restored_months(english, UNDATED) == []
