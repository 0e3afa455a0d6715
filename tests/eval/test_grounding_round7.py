"""Grounding checks respect more of real translation practice (issue 10, round 7, designed on the
flags of ``fresh-5``, ``fresh-4`` and ``fresh-3``): a clock time in Chinese numerals, "five
hundred thousand" as one number, a labelled number named again ("Line 1 ... Line 1"), a year
added to an agreement, Malaysian honorifics, Vietnamese names, and sayings
longer than four characters. Each case comes with its changed twin, which is still flagged.
The sentences are our own."""

from __future__ import annotations

import pytest

from summarizer.eval.checks.coverage import check_coverage
from summarizer.eval.checks.names import check_names
from summarizer.eval.checks.numbers import check_numbers, minutes_zh, numbers_en


def _texts(flags: list) -> list[str]:  # type: ignore[type-arg]
    return [flag.text for flag in flags]


@pytest.mark.parametrize(
    ("source", "minutes"),
    [("图书馆每周五下午四时十五分开放。", {15}), ("八点一刻出发，九点三刻到达。", {15, 45})],
)
def test_minutes_in_chinese_numerals_are_read(source: str, minutes: set[int]) -> None:
    assert minutes_zh(source) == minutes


@pytest.mark.parametrize(
    "changed",
    ["The library opens at 4:25 pm every Friday.", "The library opens at 5:15 pm every Friday."],
)
def test_a_clock_time_written_in_chinese_numerals_is_supported(changed: str) -> None:
    source = "图书馆每周五下午四时十五分开放。"
    english = "The library opens at 4:15 pm every Friday."
    assert check_numbers(english, source, 0, document=source) == []
    assert check_numbers(changed, source, 0, document=source) != []


def test_hundred_thousand_in_words_is_one_number() -> None:
    source = "全年共接待游客约30万人次。"
    english = "About three hundred thousand visitors came over the year."
    assert [hit.text for hit in numbers_en(english)] == ["three hundred thousand"]
    assert check_numbers(english, source, 0, document=source) == []
    changed = english.replace("three", "four")
    assert _texts(check_numbers(changed, source, 0, document=source)) == ["four hundred thousand"]


def test_a_labelled_number_may_be_named_again_with_its_label() -> None:
    source = "3号线北向南缩短发车间隔2分钟，南向北缩短4分钟。"
    english = (
        "Line 3 trains run 2 minutes more often from north to south, and Line 3 trains run "
        "4 minutes more often from south to north."
    )
    assert check_numbers(english, source, 0, document=source) == []
    # a number of the paragraph changed into the label's number is still stated once too often
    changed = english.replace("and Line 3 trains run 4", "and Line 3 trains run 3")
    assert _texts(check_numbers(changed, source, 0, document=source)) == ["3"]
    # another label's number is no repetition
    other = english.replace("and Line 3", "and Line 2")
    assert _texts(check_numbers(other, source, 0, document=source)) == ["2"]


def test_a_year_added_to_an_agreement_needs_no_support() -> None:
    english = "The minister said both sides would keep to the 2015 nuclear deal."
    source = "部长说双方将继续遵守伊核协议。"
    assert check_numbers(english, source, 0, document=source) == []
    # the rule holds only where the paragraph names no year of its own
    dated = source.replace("。", "，2016年起开始实施。")
    assert check_numbers(english, dated, 0, document=dated) != []
    # and a year elsewhere in the sentence is still checked
    assert check_numbers(f"{english} Talks resume in 2013.", source, 0, document=source) != []


def test_a_malaysian_honorific_is_no_name_part() -> None:
    source = "州议员拿督斯里林文华表示支持。"
    assert check_names("State assemblyman Datuk Seri Lin Wenhua voiced support.", source, 0) == []
    flags = check_names("State assemblyman Datuk Seri Liu Wenhua voiced support.", source, 0)
    assert _texts(flags) == ["Liu Wenhua"]


def test_a_vietnamese_name_in_vietnamese_is_no_misspelled_pinyin() -> None:
    source = "协会秘书长黄海林说，会员企业将加强合作。"
    english = "Association secretary general Hoang Hai Linh said members would cooperate."
    assert check_names(english, source, 0) == []
    # the same given name after a pinyin surname, or alone, is read as misspelled pinyin
    for other in ("Huang Hai Linh", "Hai Linh"):
        flags = check_names(english.replace("Hoang Hai Linh", other), source, 0)
        assert _texts(flags) == ["Hai Linh"]


def test_a_saying_longer_than_four_characters_is_looked_up() -> None:
    source = "“解铃还须系铃人 ” 。"
    english = "Whoever started a quarrel should also settle it, says the proverb."
    assert check_coverage(english, source, 0) == []
    inserted = "The harbour authority expects container volumes to double next spring."
    assert check_coverage(inserted, source, 0) != []
