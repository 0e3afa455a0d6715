"""Grounding checks of issue 10, round 8 (designed on the flags of ``fresh-6``, ``fresh-5`` and
``fresh-4``; only classes seen on two of them, and the month changes ``fresh-6`` missed). Each
case comes with its changed twin, which is still flagged. The sentences are our own."""

from __future__ import annotations

from summarizer.eval.checks.coverage import check_coverage
from summarizer.eval.checks.dates import check_dates
from summarizer.eval.checks.flags import Flag
from summarizer.eval.checks.numbers import check_numbers
from summarizer.eval.grounding import check_translation_grounding, strong_evidence

#: A report without a dateline: its bare 27日 is dated by nothing but the background events it
#: tells further down (7月3日, 8月12日; below the first three lines, which may hold a dateline).
BACKGROUND_DATED = [
    "渔船27日上午驶离港口，返回公海作业。",
    "港务局表示，当地时间27日9时，渔船已完成全部手续。",
    "船员27日下午全部上岸。",
    "这艘渔船7月3日因证件问题被扣留。",
    "8月12日，船主提交了补充材料。",
]
RESTORED_SEPTEMBER = [
    "The fishing boat left the port on the morning of September 27 for the high seas.",
    "The port authority said the boat completed all procedures at 9:00 on September 27.",
    "All the crew came ashore on the afternoon of September 27.",
    "The boat was held on July 3 over its papers.",
    "On August 12, the owner handed in more documents.",
]


def _texts(flags: list) -> list[str]:  # type: ignore[type-arg]
    return [flag.text for flag in flags]


def test_a_month_restored_consistently_is_not_taken_from_background_dates() -> None:
    assert check_translation_grounding(RESTORED_SEPTEMBER, BACKGROUND_DATED) == []


def test_a_restored_month_changed_into_a_background_month_is_flagged() -> None:
    """The gap of round 7: "June 27" or "August 27" passed because background dates lent June,
    July and August, while the translator's "September 27" was flagged."""
    for month in ("June", "August", "December"):
        changed = list(RESTORED_SEPTEMBER)
        changed[1] = changed[1].replace("September", month)
        assert _texts(check_translation_grounding(changed, BACKGROUND_DATED)) == [f"{month} 27"]


def test_a_single_restored_month_is_still_held_to_the_lent_months() -> None:
    source = [BACKGROUND_DATED[0], "港务局未作评论。", "船主表示感谢。", *BACKGROUND_DATED[3:]]
    english = [
        RESTORED_SEPTEMBER[0],
        "The port authority made no comment.",
        "The owner expressed thanks.",
        *RESTORED_SEPTEMBER[3:],
    ]
    assert _texts(check_translation_grounding(english, source)) == ["September 27"]
    lent = [english[0].replace("September", "July"), *english[1:]]
    assert check_translation_grounding(lent, source) == []


def test_a_paragraph_checked_alone_keeps_the_lent_months() -> None:
    """Without the whole-translation check (free text, or paragraph counts that differ) a bare
    day is held to the months the document lends it, as before."""
    document = "\n".join(BACKGROUND_DATED)
    english = RESTORED_SEPTEMBER[0]
    assert _texts(check_dates(english, BACKGROUND_DATED[0], 0, document=document)) == [
        "September 27"
    ]


def test_a_number_restated_with_its_noun_is_one_quantity() -> None:
    """fresh-6 102797/A, fresh-5 102644/B and 6319/B: the same count named twice with its noun
    ("for 3 months ... for 3 months") where the Chinese names it once."""
    source = "他已在保护区义务劳动3个月，共巡山5次，表现良好。"
    english = (
        "He has worked as a volunteer in the reserve for 3 months, patrolled the hills 5 times "
        "and behaved well for 3 months."
    )
    assert check_numbers(english, source, 0, document=source) == []
    # another number of the paragraph changed into it, with another noun, is still flagged
    # (the 5 is gone, so the repeated "3 months" is no restatement either)
    changed = english.replace("5 times", "3 times")
    assert _texts(check_numbers(changed, source, 0, document=source)) == ["3", "3"]


def test_a_number_changed_into_its_neighbour_with_the_same_noun_is_no_restatement() -> None:
    """A restatement replaces no number of the source: 有期徒刑3年，缓刑4年 written "three years
    ... three years" lost the 4 (a planted change of fresh-6 102797/B that the noun rule let
    pass before this guard)."""
    source = "被告人被判处有期徒刑3年，缓刑4年，并处罚金3000元。"
    english = (
        "He was sentenced to three years in prison, suspended for four years, and fined 3000 yuan."
    )
    assert check_numbers(english, source, 0, document=source) == []
    changed = english.replace("four years", "three years")
    assert _texts(check_numbers(changed, source, 0, document=source)) == ["three"]


def test_a_partitive_refers_back_to_a_count() -> None:
    """fresh-6 111/B: "one of the 45" after "45 self-driving taxis" (45辆 once)."""
    source = "公司投入45辆自动驾驶出租车试运营，乘客可在网站申请乘坐。"
    english = (
        "The company put 45 self-driving taxis into trial operation. Passengers can book one "
        "of the 45 on its website."
    )
    assert check_numbers(english, source, 0, document=source) == []
    # a partitive before any count refers back to nothing: the number is named once too often
    changed = (
        "Passengers can book one of the 45 on its website. The company put 45 self-driving "
        "taxis into trial operation."
    )
    assert _texts(check_numbers(changed, source, 0, document=source)) == ["45"]


def _flag(code: str, paragraph: int, *, weak: bool) -> Flag:
    return Flag(code, paragraph, f"{code} {paragraph}", "", weak=weak)


def test_strong_evidence_counts_weak_flags_only_where_another_check_agrees() -> None:
    number = _flag("number.unsupported", 0, weak=False)
    lone = _flag("sentence.unsupported", 1, weak=True)
    length, sentence = (
        _flag("length.outlier", 2, weak=True),
        _flag("sentence.unsupported", 2, weak=True),
    )
    two_sentences = [
        _flag("sentence.unsupported", 3, weak=True),
        Flag("sentence.unsupported", 3, "b", "", weak=True),
    ]
    flags = [number, lone, length, sentence, *two_sentences]
    assert strong_evidence(flags) == [number, length, sentence]


def test_a_sentence_that_renders_nothing_is_strong_one_that_renders_some_is_weak() -> None:
    source = "经过一周的治疗，宝宝生命体征稳定，已经开始少量喂奶。"
    english = (
        "After a week of treatment, the baby's vital signs are stable. The harbour authority "
        "will publish new shipping timetables for container vessels next spring."
    )
    (inserted,) = check_coverage(english, source, 0)
    assert not inserted.weak
    split = (
        "After a week of treatment, the baby's vital signs are stable. He has been fed with a "
        "small amount of milk recently."
    )
    (faithful,) = check_coverage(split, source, 0)  # still flagged, as weak evidence
    assert faithful.weak
