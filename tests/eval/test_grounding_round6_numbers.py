"""Number and date checks respect more of real translation practice (issue 10, round 6, designed
on the flags of ``fresh-3`` and ``fresh-4``): spaces inside a Chinese date, 万 and 千 parts
(and 亿 and 万), a fraction as a percentage,
a scale after a hyphen or written once for a range, a rounded number, 近半, an approximate number
with a 万 head, a year abbreviated to two digits, a year-on-year comparison's base year, a converse
written out, a count named again when the English refers back, and numbers of fixed terms
("three-dimensional", "GMT+8"). Each case comes with its changed twin, which is still flagged.
The sentences are our own."""

from __future__ import annotations

import pytest

from summarizer.eval.checks.dates import check_dates, date_mentions_zh
from summarizer.eval.checks.numbers import check_numbers, numbers_zh
from summarizer.eval.grounding import check_translation_grounding


def _texts(flags: list) -> list[str]:  # type: ignore[type-arg]
    return [flag.text for flag in flags]


@pytest.mark.parametrize(
    ("english", "source", "changed"),
    [
        # spaces inside a date, as some sites write it
        ("The vote is set for May 14.", "投票定于 5 月 14 日举行。", "The vote is set for May 16."),
        (
            "On March 9, 1990, the bridge opened.",
            "1990 年 3 月 9 日，大桥通车。",
            "On March 8, 1990, the bridge opened.",
        ),
        (
            "Open the app on April 3 and it shows April 1.",
            "在4 月3日打开应用，显示的是4月1日。",
            "Open the app on April 5 and it shows April 1.",
        ),
    ],
)
def test_a_date_with_spaces_inside_is_read(english: str, source: str, changed: str) -> None:
    assert check_dates(english, source, 0) == []
    assert check_dates(changed, source, 0) != []


def test_spaces_inside_a_date_keep_the_day_and_month() -> None:
    assert date_mentions_zh("定于 5 月 14 日") == date_mentions_zh("定于5月14日")
    assert (None, 14) not in date_mentions_zh("5 月 14 日")


@pytest.mark.parametrize(
    ("english", "source", "changed"),
    [
        # 万 and 千 parts
        (
            "More than 78,000 drivers signed up.",
            "报名司机有7万8千多名。",
            "More than 79,000 drivers signed up.",
        ),
        (
            "between 634,000 and 2 million people",
            "人数在63万4千人到两百万人之间",
            "between 635,000 and 2 million people",
        ),
        (
            "a budget of 120 million yuan",
            "预算1亿2千万元",
            "a budget of 130 million yuan",
        ),
        # a fraction written as a percentage
        (
            "About 33% of the wells dried up.",
            "约三分之一的水井干涸。",
            "About 38% of the wells dried up.",
        ),
        (
            "66.7% of the land is forest",
            "三分之二的土地是森林",
            "67.7% of the land is forest",
        ),
        # a scale after a hyphen
        (
            "a 300-billion-yuan fund",
            "设立3000亿元基金",
            "a 400-billion-yuan fund",
        ),
        # a range whose scale is written once
        (
            "from 3 to 5 million visitors",
            "游客从300万到500万人次",
            "from 4 to 5 million visitors",
        ),
        (
            "between 2.14 and 3.5 million people",
            "214万到350万人",
            "between 2.15 and 3.5 million people",
        ),
        # a number rounded to the figures shown
        (
            "12.35 million households",
            "1234.8万户",
            "12.45 million households",
        ),
        # 近半: nearly half
        (
            "up by nearly 50% on the year before",
            "比前一年增长近半",
            "up by nearly 60% on the year before",
        ),
        # an approximate number with a 万 head: 二万六七千 is 26,000 to 27,000
        (
            "It costs 26,000 to 27,000 yuan.",
            "费用大约二万六七千元。",
            "It costs 36,000 to 27,000 yuan.",
        ),
        # a year written with two digits before a name
        (
            "both sides accept the 1992 Consensus",
            "双方都认同九二共识",
            "both sides accept the 1993 Consensus",
        ),
        # a year-on-year comparison writes its base year out
        (
            "Sales in 2023 grew 8% over 2022.",
            "2023年销量同比增长8%。",
            "Sales in 2023 grew 8% over 2021.",
        ),
        # 反之 written out with its number
        (
            "A reading above 60 means growth and one below 60 means decline.",
            "读数高于60表示增长，反之表示下降。",
            "A reading above 60 means growth, one below 60 decline, and 60 itself no change.",
        ),
        # a count named again when the English refers back to it
        (
            "The fair has four halls, for tea, silk, jade and porcelain; visitors walk through "
            "the four halls in turn.",
            "博览会设茶叶、丝绸、玉器、瓷器四个展馆，观众依次参观。",
            "The fair has four halls, for tea, silk, jade and porcelain; visitors walk through "
            "the five halls in turn.",
        ),
        (
            "Three experts and four students came; the four students spoke first.",
            "三位专家和四名学生到场，学生先发言。",
            "Four experts and four students came; the four students spoke first.",
        ),
        # numbers of fixed terms
        (
            "twelve three-dimensional flower displays",
            "十二座立体花坛",
            "twelve four-dimensional flower displays",
        ),
        (
            "On the 5th (GMT+8), the club said it had signed him.",
            "北京时间5日，俱乐部宣布签下了他。",
            "On the 5th (GMT+9), the club said it had signed him.",
        ),
    ],
)
def test_the_same_number_written_another_way(english: str, source: str, changed: str) -> None:
    assert _texts(check_numbers(english, source, 0, document=source)) == []
    assert check_numbers(changed, source, 0, document=source) != []


def test_terms_with_numbers_need_their_source_word() -> None:
    assert _texts(check_numbers("three-dimensional displays", "十二座花坛", 0)) == ["three"]
    assert _texts(check_numbers("On the 5th (GMT+8)", "5日，俱乐部宣布", 0)) == ["8"]


def test_a_count_named_again_needs_the_same_noun() -> None:
    source = "博览会设四个展馆和两个餐厅。"
    english = "The fair has four halls and two restaurants; the four restaurants open late."
    assert _texts(check_numbers(english, source, 0, document=source)) == ["four"]


def test_a_year_on_year_base_needs_the_comparison_and_the_year() -> None:
    # no comparison in the source: the year before is not licensed
    assert _texts(check_numbers("Sales in 2023 beat 2022.", "2023年销量增长8%。", 0)) == ["2022"]
    # the English does not state the paragraph's year: the base year is not licensed either
    assert _texts(check_numbers("Sales grew 8% over 2022.", "2023年销量同比增长8%。", 0)) == [
        "2022"
    ]


def test_a_rounding_needs_three_figures_and_a_scale_word() -> None:
    assert _texts(check_numbers("12 million households", "1234.8万户", 0)) == ["12 million"]
    # without a scale word a round number is a changed one, and a year is never rounded
    assert _texts(check_numbers("1,340 people left", "1339名群众撤离", 0)) == ["1,340"]
    assert _texts(check_numbers("a crash in October 2020", "2018年10月失事", 0)) == ["2020"]


def test_values_read_from_the_new_forms() -> None:
    assert {78000.0, 634000.0} <= numbers_zh("7万8千多名，63万4千人")
    assert {26000.0, 27000.0} <= numbers_zh("二万六七千元")
    assert 1992.0 in numbers_zh("九二共识")
    assert 120_000_000.0 in numbers_zh("1亿2千万")
    assert 33.0 in numbers_zh("三分之一") and 33.0 not in numbers_zh("百分之三十")


def test_a_document_whose_dates_have_spaces_raises_no_flag() -> None:
    source = ["旅游局 3 月 2 日发布数据。", "数据显示，游客人数比前一年增加近半。"]
    english = [
        "The tourism board released figures on March 2.",
        "Visitor numbers rose by nearly 50% from the year before.",
    ]
    assert check_translation_grounding(english, source) == []
    changed = [english[0].replace("March 2", "March 3"), english[1]]
    assert _texts(check_translation_grounding(changed, source)) == ["March 3"]
