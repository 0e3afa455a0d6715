"""Round 6 (issue 10): name practices of human translators that the checks took for errors.

Found on the WMT23 (``fresh-3``) and WMT20 (``fresh-4``) references once those became design data;
every test sentence here is written for the test, not taken from those texts.
"""

from __future__ import annotations

from summarizer.eval.checks.flags import Flag
from summarizer.eval.checks.mentions import check_name_mentions
from summarizer.eval.checks.names import check_names


def _texts(flags: list[Flag]) -> list[str]:
    return [flag.text for flag in flags]


def test_a_byline_name_spaced_out_in_the_source_is_the_same_name() -> None:
    # Newspaper bylines pad a two-character name with a space to the width of three characters.
    source = "（光明日报 记者 颜 欢 通讯员 王小平）"
    english = "(Guangming Daily reporter Yan Huan, correspondent Wang Xiaoping)"
    assert check_names(english, source, 0) == []
    # a name the source does not state is still flagged
    assert _texts(check_names(english.replace("Yan Huan", "Yan Hong"), source, 0)) == ["Yan Hong"]


def test_a_name_right_after_hong_kong_is_no_kong_name() -> None:
    source = "驻港部队副司令员卢新宁和副政委陈亚丁出席。"
    english = (
        "Deputy commander of the garrison in Hong Kong Lu Xinning and "
        "political commissar in Hong Kong Chen Yading attended."
    )
    assert check_names(english, source, 0) == []
    # a misspelt name after the exonym is still flagged
    misspelt = english.replace("Lu Xinning", "Lu Xinnign")
    assert _texts(check_names(misspelt, source, 0)) == ["Lu Xinnign"]


def test_company_abbreviations_are_no_name_parts() -> None:
    source = "杉杉股份的董事长出席了会议，宁波杉杉新材料有限公司也派人参加。"
    english = (
        "The chairman of Shanshan Co Ltd attended, and Ningbo Shanshan New "
        "Materials Co Ltd sent staff."
    )
    assert check_names(english, source, 0) == []


def test_a_three_word_cantonese_name_is_the_source_name() -> None:
    # 柯 "Ko" (Wade-Giles), 淑 "Suk" and 丹 "Tan" (Cantonese), written without hyphens.
    source = "旅游局助理局长柯淑丹介绍，不少游客正在探索新的路线。"
    english = "Assistant director Ko Suk Tan said many visitors were exploring new routes."
    assert check_names(english, source, 0) == []
    # the same given name after a surname the source does not give is not excused
    assert check_names(english.replace("Ko Suk Tan", "Lim Suk Tan"), source, 0) != []


RESTORED_SOURCE = [
    "研究员钱立华指出，今年的粮食产量比去年增加了不少。",
    "由于天气一直不错，农民也愿意多种一季，预计明年还会继续增长。",
]
RESTORED_ENGLISH = [
    "Researcher Qian Lihua pointed out that this year's grain output rose "
    "a good deal on last year.",
    "Because the weather stayed good and farmers were willing to plant one "
    "more season, Qian Lihua expects further growth next year.",
]


def test_a_subject_restored_from_the_paragraph_before_is_no_extra_mention() -> None:
    assert check_name_mentions(RESTORED_ENGLISH, RESTORED_SOURCE) == []


def test_a_restored_subject_must_be_the_person_of_the_paragraph_before() -> None:
    source = [
        "新华社北京3月2日电（记者孙志刚）研究员钱立华指出，今年的粮食产量增加了不少。",
        *RESTORED_SOURCE[1:],
    ]
    english = [
        "BEIJING, March 2 (Xinhua, Sun Zhigang) Researcher Qian Lihua pointed "
        "out that this year's grain output rose a good deal.",
        RESTORED_ENGLISH[1],
    ]
    assert check_name_mentions(english, source) == []
    # the reporter, named before the researcher, is no restored subject
    swapped = [english[0], english[1].replace("Qian Lihua", "Sun Zhigang")]
    assert _texts(check_name_mentions(swapped, source)) == ["Sun Zhigang"]


def test_no_restored_subject_where_the_paragraph_names_someone_the_english_dropped() -> None:
    # The swap removes the only English mention of 高小军, so only the Chinese side shows that the
    # paragraph has a person of its own.
    source = [
        "研究员钱立华指出，今年的粮食产量比去年增加了不少。",
        "种粮大户高小军在田边拍下了收割的场面。",
    ]
    english = [
        RESTORED_ENGLISH[0],
        "The harvest, filmed at the edge of the field by Gao Xiaojun, a large-scale grain grower.",
    ]
    assert check_name_mentions(english, source) == []
    swapped = [english[0], english[1].replace("Gao Xiaojun", "Qian Lihua")]
    assert _texts(check_name_mentions(swapped, source)) == ["Qian Lihua"]


def test_no_restored_subject_in_a_paragraph_with_a_pronoun_of_another_antecedent() -> None:
    source = [
        "研究员钱立华指出，今年的粮食产量增加了不少，种粮大户高小军也认同。",
        "他说，由于天气一直不错，明年还会继续增长。",
    ]
    english = [
        "Researcher Qian Lihua pointed out that grain output rose a good deal "
        "this year, and large-scale grower Gao Xiaojun agreed.",
        "Gao Xiaojun said that since the weather stayed good, growth would go on next year.",
    ]
    assert check_name_mentions(english, source) == []
    swapped = [english[0], english[1].replace("Gao Xiaojun", "Qian Lihua")]
    assert _texts(check_name_mentions(swapped, source)) == ["Qian Lihua"]


def test_only_a_speaker_of_the_paragraph_before_is_a_restored_subject() -> None:
    # The translator restores the girl, not her sister, whom the paragraph before names last: the
    # restored name stays flagged, and a swap to the sister must not pass as restored.
    source = [
        "警方说，这名女孩叫王小红，她在为姐姐王小青筹钱。",
        "但由于手术还差二十多万元，一时想不到办法，才做出了这种事。",
    ]
    english = [
        "The police said the girl is called Wang Xiaohong and was raising "
        "money for her sister Wang Xiaoqing.",
        "But with more than 200,000 yuan still missing for the surgery, Wang "
        "Xiaohong saw no other way.",
    ]
    assert _texts(check_name_mentions(english, source)) == ["Wang Xiaohong"]
    swapped = [english[0], english[1].replace("Wang Xiaohong", "Wang Xiaoqing")]
    assert _texts(check_name_mentions(swapped, source)) == ["Wang Xiaoqing"]
