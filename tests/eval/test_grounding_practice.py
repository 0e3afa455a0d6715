"""Grounding checks respect real translation practice (issue 10): a dateline's year, the same
number written another way, clock times, sentence-initial words and abbreviations are no errors,
while changed months, days, numbers, years and names still are."""

from __future__ import annotations

import pytest

from summarizer.eval.checks.coverage import check_coverage
from summarizer.eval.checks.dates import check_dates, dateline, dates_en
from summarizer.eval.checks.names import check_names
from summarizer.eval.checks.numbers import check_numbers, numbers_en
from summarizer.eval.checks.sentences import english_sentences

DATELINE = "新华社北京7月26日电 综合新华社驻外记者报道：7月24日上午，中国外交部通知美国驻华使馆。"


def _codes(flags: list) -> list[str]:  # type: ignore[type-arg]
    return [flag.text for flag in flags]


def test_a_year_added_to_a_dateline_is_supported_unless_the_document_says_another() -> None:
    english = "BEIJING, July 26, 2020 (Xinhua) On the morning of July 24, the Ministry ..."
    assert check_numbers(english, DATELINE, 0, document=DATELINE) == []
    document = DATELINE + "\n2020年是特殊的一年。"
    assert check_numbers(english, DATELINE, 0, document=document) == []
    changed = english.replace("2020", "2021")
    assert _codes(check_numbers(changed, DATELINE, 0, document=document)) == ["2021"]


def test_a_year_the_paragraph_writes_must_match() -> None:
    source = "2020年7月10日，格尔木市公安局接到上级通知。"
    assert check_numbers("On July 10, 2020, the bureau was told.", source, 0, document=source) == []
    flags = check_numbers("On July 10, 2022, the bureau was told.", source, 0, document=source)
    assert _codes(flags) == ["2022"]


@pytest.mark.parametrize(
    ("english", "source"),
    [
        ("over the past six months", "这一波疫情是半年以来最严峻的"),
        ("more than 2,000 nest in Yinchuan", "银川湿地就栖息着2千多只"),
        ("the 1980s film", "上世纪80年代的影片"),
        ("In the 1980’s, Arthur Miller visited", "上世纪八十年代，阿瑟·米勒来到中国"),
        ("For more than three decades, he led the chorus", "三十余年来，他率领这支合唱团"),
        ("about 667 hectares of farmland", "1万亩农田"),
        ("1,647 acres of farmland", "1万亩农田"),
        ("5,000 kilograms of rice", "1万斤大米"),
        ("a result of 28.4mg/100ml", "检测结果为28.4mg/100ml"),
    ],
)
def test_the_same_number_written_another_way_is_supported(english: str, source: str) -> None:
    assert check_numbers(english, source, 0, document=source) == []


@pytest.mark.parametrize(
    ("english", "source"),
    [
        ("over the past seven months", "这一波疫情是半年以来最严峻的"),
        ("more than 3,000 nest in Yinchuan", "银川湿地就栖息着2千多只"),
        ("the 1990s film", "上世纪80年代的影片"),
        ("about 867 hectares of farmland", "1万亩农田"),
        ("a result of 29.4mg/100ml", "检测结果为28.4mg/100ml"),
    ],
)
def test_a_changed_number_written_another_way_is_flagged(english: str, source: str) -> None:
    assert len(check_numbers(english, source, 0, document=source)) == 1


def test_clock_times_are_read_as_hours_and_minutes() -> None:
    source = "黄某某曾于7月13日17时07分通过乃吉沟检查站，7月25日20时至26日20时有山洪。"
    english = "at 17:07 of July 13, and between 20: 00 on July 25th and 20: 00 on the 26th"
    assert check_numbers(english, source, 0, document=source) == []
    assert check_dates(english, source, 0, document=source) == []
    assert [hit.text for hit in numbers_en(english)] == ["17", "13", "20", "25th", "20", "26th"]
    assert ("07 of July", 7, 7) not in dates_en(english)
    changed = english.replace("17:07", "17:08")
    assert _codes(check_numbers(changed, source, 0, document=source)) == ["17:08"]


def test_that_day_restored_as_its_date_is_supported_once() -> None:
    source = "黄某某7日4时抵达格尔木市。当日8时，黄某某乘坐出租车出发。"
    english = "Huang arrived at 4:00 on July 7th. At 8:00 of July 7th, Huang took a taxi."
    document = "新华社西宁7月26日电\n" + source
    assert check_numbers(english, source, 1, document=document) == []
    assert check_dates(english, source, 1, document=document) == []
    thrice = english + " On July 7th she left."
    assert check_dates(thrice, source, 1, document=document)


def test_a_bare_day_without_a_dateline_takes_a_month_near_the_documents_dates() -> None:
    document = "\n".join(
        (
            "巴西确诊病例累计近240万-中新网",
            "数据显示，巴西累计确诊病例居全球第二。",
            "里约热内卢市长25日宣布取消新年庆祝活动。",
            "圣保罗市长已于24日宣布，取消原定于今年12月31日的活动。",
        )
    )
    paragraph = document.split("\n")[3]
    assert dateline(document) == ()
    for month in ("November", "December"):  # the month of a date it names, or the one before
        english = f"The mayor announced on {month} 24th that the December 31 events are cancelled."
        assert check_dates(english, paragraph, 3, document=document) == []
    unsupported = "The mayor announced on July 24th that the December 31 events are cancelled."
    assert _codes(check_dates(unsupported, paragraph, 3, document=document)) == ["July 24th"]
    dated = "新华社北京5月20日电 记者20日获悉。"
    assert _codes(check_dates("Beijing, October 20 (Xinhua)", dated, 0, document=dated)) == [
        "October 20"
    ]


@pytest.mark.parametrize(
    "english",
    [
        "In Ningxia’s Yinchuan, wastewater is treated.",
        "The Chongqing Flood Control Headquarters issued a warning.",
        "The Hong Kong dollar is stable.",
        "the Guangdong-Hong Kong-Macao Greater Bay Area",
        "Director of the Police Fang Shibao, played by Li Liqun.",
    ],
)
def test_capitalised_common_words_are_not_names(english: str) -> None:
    source = (
        "在宁夏银川，重庆市防汛抗旱指挥部，港元汇价稳定，粤港澳大湾区，"
        "李立群饰演的警察厅厅长方世宝。"
    )
    assert check_names(english, source, 0) == []


def test_names_are_still_checked_after_a_sentence_initial_word() -> None:
    source = "李立群饰演的警察厅厅长方世宝。"
    flags = check_names("In the series, Li Liqin plays the director.", source, 0)
    assert [(flag.code, flag.text) for flag in flags] == [("name.misspelled", "Li Liqin")]


def test_english_sentences_do_not_break_at_abbreviations_or_before_a_closing_quote() -> None:
    text = (
        "“I was busy until 4:30 a.m. and then worked on defects.” JD.com began to move its "
        "listing. The U.S. Department of Commerce agreed."
    )
    assert english_sentences(text) == (
        "“I was busy until 4:30 a.m. and then worked on defects.”",
        "JD.com began to move its listing.",
        "The U.S. Department of Commerce agreed.",
    )
    open_quote = "He said, “for a long time, the U.S. has done it. There were doubts."
    assert len(english_sentences(open_quote)) == 2


def test_a_free_rendering_without_room_for_an_added_sentence_is_not_flagged() -> None:
    source = "四是全力做好追赃挽损工作。"
    free = "Efforts were made to make criminals give up their takings and retrieve losses."
    assert check_coverage(free, source, 0) == []
    inserted = free + " The football team scored five goals in the final match of the league."
    flagged = [flag.text for flag in check_coverage(inserted, source, 0)]
    assert "The football team scored five goals in the final match of the league." in flagged


def test_a_dated_year_may_repeat_the_year_the_paragraph_states() -> None:
    source = "新华社北京7月26日电（记者贾启龙）部署展开2020年从高校毕业生中直接招收士官工作。"
    english = "Beijing, July 26th, 2020 (Journalist: Jia Qilong) recruitment of graduates in 2020."
    assert check_numbers(english, source, 1, document=source) == []
    changed = english.replace("in 2020", "in 2021")
    assert _codes(check_numbers(changed, source, 1, document=source)) == ["2021"]


def test_without_a_dateline_a_bare_day_takes_the_month_last_named_before_it() -> None:
    document = "\n".join(
        (
            "某市举办文化节-华声在线",
            "文化节活动丰富多彩。",
            "市民积极参与各项活动。",
            "12月10日，文化节在市中心开幕。",
            "13日，主办方公布了获奖名单。",
        )
    )
    paragraph = document.split("\n")[4]
    assert dateline(document) == ()
    assert (
        check_dates("On December 13, the winners were named.", paragraph, 4, document=document)
        == []
    )
    changed = check_dates("On October 13, the winners were named.", paragraph, 4, document=document)
    assert _codes(changed) == ["October 13"]
