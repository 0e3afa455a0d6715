"""Grounding checks of issue 10, round 10 (designed on the review of ``fresh-8`` and on the
classes seen on ``fresh-4`` to ``fresh-8``). Each case comes with a changed twin, a real error of
the same shape, which is still flagged. The sentences are our own."""

from __future__ import annotations

import pytest

from summarizer.eval.checks.dates import check_dates
from summarizer.eval.checks.names import check_names
from summarizer.eval.checks.numbers import check_numbers
from summarizer.eval.grounding import check_translation_grounding


def _texts(flags: list) -> list[str]:  # type: ignore[type-arg]
    return [flag.text for flag in flags]


def _numbers(english: str, source: str) -> list[str]:
    return _texts(check_numbers(english, source, 0, document=source))


# --- "zero" for a negation (fresh-7 0383/B and 1616/A, fresh-8 0456/B) --------------------------

NEGATION_SOURCE = "市警察局表示，绝不容忍街头犯罪，将继续与社区合作。"


def test_zero_for_a_negation_is_no_number() -> None:
    english = "The city police said they tolerate zero street crime and will keep working with us."
    assert _numbers(english, NEGATION_SOURCE) == []


def test_zero_without_a_negation_in_the_source_is_flagged() -> None:
    source = "市警察局表示，将打击街头犯罪，继续与社区合作。"
    english = "The city police said they will fight zero street crimes with the community."
    assert _numbers(english, source) == ["zero"]


def test_a_number_changed_into_zero_is_flagged_even_beside_a_negation() -> None:
    """A negation lends "zero" nothing while a number of the paragraph goes unrendered: 3人
    written "zero people" is a changed number."""
    source = "警方当天逮捕3人，并表示绝不容忍街头犯罪。"
    english = "Police arrested zero people that day and said they would never tolerate crime."
    assert _numbers(english, source) == ["zero"]


def test_one_negation_lends_zero_once_only() -> None:
    source = "他们绝不容忍犯罪。"
    english = "They have zero tolerance, zero patience and zero mercy for crime."
    assert _numbers(english, source) == ["zero", "zero"]


# --- a race time written as minutes:seconds (fresh-8 0365/A; 0365/B is a real error) -----------

RACE_SOURCE = "现年15岁的选手李雪游的是第二棒，用时1分57秒79，落后对手1.61秒。"


@pytest.mark.parametrize(
    "english",
    [
        "Li Xue, 15, swam the second leg in 1:57.79, 1.61 seconds behind her rival.",
        "Li Xue, 15, swam the second leg in 1 minute 57.79 seconds, 1.61 seconds behind.",
    ],
)
def test_a_race_time_written_another_way_is_the_same_time(english: str) -> None:
    assert _numbers(english, RACE_SOURCE) == []


@pytest.mark.parametrize(
    ("english", "flagged"),
    [
        ("Li Xue, 15, swam the second leg in 1:58.79, 1.61 seconds behind her rival.", "1:58"),
        ("Li Xue, 15, swam the second leg in 2:57.79, 1.61 seconds behind her rival.", "2:57"),
        ("Li Xue, 15, swam the second leg in 1 minute 57.59 seconds, 1.61 s behind.", "57.59"),
    ],
)
def test_a_changed_race_time_is_flagged(english: str, flagged: str) -> None:
    assert _numbers(english, RACE_SOURCE) == [flagged]


def test_a_clock_time_is_still_checked_beside_a_race_time() -> None:
    source = "比赛于晚上8点开始，她用时1分57秒79。"
    assert _numbers("The race began at 8:00 p.m. and she swam 1:57.79.", source) == []
    assert _numbers("The race began at 8:30 p.m. and she swam 1:57.79.", source) == ["8:30"]


# --- a fiscal year by its last two digits (fresh-7 1830/A) --------------------------------------

FISCAL_SOURCE = "该公司表示，这些合同将在2017财年继续产生收入。"


@pytest.mark.parametrize("year", ["fiscal year 17", "fiscal 17", "fiscal year '17"])
def test_a_fiscal_year_by_its_last_two_digits(year: str) -> None:
    english = f"The company said the contracts would keep contributing to earnings in {year}."
    assert _numbers(english, FISCAL_SOURCE) == []


def test_another_short_fiscal_year_is_flagged() -> None:
    english = "The company said the contracts would keep adding to earnings in fiscal year 18."
    assert _numbers(english, FISCAL_SOURCE) == ["18"]


def test_a_two_digit_number_that_is_no_fiscal_year_is_still_checked() -> None:
    english = "The company said 17 contracts would keep contributing to earnings in fiscal 2017."
    assert _numbers(english, FISCAL_SOURCE) == ["17"]


# --- "Long March 5", a rocket, read as a date (fresh-7 0660/A and /B) --------------------------

ROCKET_SOURCE = "考虑到探测器的质量，将由长征五号运载火箭完成发射任务。"


def test_a_long_march_rocket_is_no_date() -> None:
    english = "Given the probe's mass, the Long March 5 carrier rocket will carry out the launch."
    assert check_dates(english, ROCKET_SOURCE, 0, document=ROCKET_SOURCE) == []
    assert _numbers(english, ROCKET_SOURCE) == []


def test_a_changed_rocket_model_is_flagged_as_a_number() -> None:
    english = "Given the probe's mass, the Long March 7 carrier rocket will carry out the launch."
    assert check_dates(english, ROCKET_SOURCE, 0, document=ROCKET_SOURCE) == []
    assert _numbers(english, ROCKET_SOURCE) == ["7"]


def test_a_real_date_beside_the_rocket_is_still_checked() -> None:
    english = "On March 5, the Long March 5 carrier rocket will carry out the launch."
    flags = check_dates(english, ROCKET_SOURCE, 0, document=ROCKET_SOURCE)
    assert _texts(flags) == ["March 5"]


def test_long_march_is_a_date_where_the_source_names_no_rocket() -> None:
    source = "考虑到探测器的质量，发射任务将在月初完成。"
    english = "Given the probe's mass, the launch is due in early Long March 5."
    assert _texts(check_dates(english, source, 0, document=source)) == ["March 5"]


# --- a name the source marks as a transliteration (fresh-7 1350/A and /B) ----------------------

TRANSLITERATED_SOURCE = "25岁的朱凯蒂 （音译） 在周四的采访中表示，此类事物更难逃过人们的视线。"


def test_a_name_marked_as_a_transliteration_may_take_its_english_given_name() -> None:
    english = "25-year-old Katie Zhu said in an interview on Thursday that such things get noticed."
    assert check_names(english, TRANSLITERATED_SOURCE, 0) == []


@pytest.mark.parametrize(
    "name",
    # the surname changed (twice); a given name of another sound
    ["Katie Zhou", "Katie Wang", "Tina Zhu"],
)
def test_a_changed_transliterated_name_is_flagged(name: str) -> None:
    english = f"25-year-old {name} said in an interview on Thursday that such things get noticed."
    assert _texts(check_names(english, TRANSLITERATED_SOURCE, 0)) == [name]


def test_without_the_mark_an_english_given_name_is_flagged() -> None:
    source = TRANSLITERATED_SOURCE.replace("（音译）", "")
    english = "25-year-old Katie Zhu said in an interview on Thursday that such things get noticed."
    assert _texts(check_names(english, source, 0)) == ["Katie Zhu"]


# --- the whole check on a translation ------------------------------------------------------------


def test_the_whole_check_on_a_translation_with_each_practice() -> None:
    source = [
        "游泳选手李雪用时1分57秒79。",
        "警方表示，绝不容忍街头犯罪。",
        "长征五号运载火箭将完成发射任务。",
    ]
    english = [
        "The swimmer Li Xue finished in 1:57.79.",
        "Police said they tolerate zero street crime.",
        "The Long March 5 carrier rocket will carry out the launch.",
    ]
    assert check_translation_grounding(english, source) == []
    changed = [english[0].replace("1:57.79", "1:59.79"), english[1], english[2]]
    assert _texts(check_translation_grounding(changed, source)) == ["1:59"]


# --- a Chinese range whose scale is written once (fresh-6 102558/A and /B) ----------------------

RANGE_SOURCE = "按照满载估算，这条线路年送电将达到600至850亿千瓦时，可满足全市一半以上用电。"


def test_a_range_with_its_scale_written_once_scales_both_ends() -> None:
    english = "At full load the line will carry 60 to 85 billion kilowatt hours a year, over half."
    assert _numbers(english, RANGE_SOURCE) == []


@pytest.mark.parametrize(("changed", "flagged"), [("70 to 85", "70"), ("60 to 95", "95 billion")])
def test_a_changed_end_of_such_a_range_is_flagged(changed: str, flagged: str) -> None:
    english = f"At full load the line will carry {changed} billion kilowatt hours a year."
    assert _numbers(english, RANGE_SOURCE) == [flagged]


# --- a currency code written against the number (fresh-8 0456/B) --------------------------------

CASH_SOURCE = "2014年，警方搜查了该房屋，发现了70多克大麻及1,700英镑现金。"


def test_a_number_after_a_currency_code_is_read_whole() -> None:
    english = "In 2014 police searched the house and found over 70 grams of cannabis and GBP1,700."
    assert _numbers(english, CASH_SOURCE) == []


def test_a_changed_number_after_a_currency_code_is_flagged_whole() -> None:
    english = "In 2014 police searched the house and found over 70 grams of cannabis and GBP1,800."
    assert _numbers(english, CASH_SOURCE) == ["1,800"]


@pytest.mark.parametrize("word", ["often", "listen", "Often", "kitten"])
def test_a_number_word_inside_a_word_is_no_number(word: str) -> None:
    """The currency-code reading is for capitals before digits only: "often" states no ten."""
    source = "他说，这种事情时有发生。"
    assert _numbers(f"He said that {word} such things happen.", source) == []


def test_zero_for_a_negation_beside_a_weekday_and_a_decade() -> None:
    """周四 is "Thursday" and 九十年代 "the 1990s": numbers rendered, so "zero" may render 没有."""
    source = "周四，他说自己在九十年代有两年几乎没有缴纳过一分钱的税。"
    english = "On Thursday he said he paid zero tax for two years in the 1990s."
    assert _numbers(english, source) == []
    # the two years changed into zero: flagged
    changed = "On Thursday he said he paid no tax for zero years in the 1990s."
    assert _numbers(changed, source) == ["zero"]
