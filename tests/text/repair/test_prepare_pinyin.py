"""Ruby pinyin removal: exactly the annotations, never real parentheses."""

from __future__ import annotations

import pytest

from summarizer.text import prepare
from summarizer.text.repair.pinyin import is_pinyin_annotation, split_syllables


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("區(qū)委", "区委"),
        ("區（qū）委", "区委"),  # full-width parentheses
        ("綠(lǜ)色", "绿色"),
        ("綠(lǘ)色", "绿色"),  # wrong tone, still pinyin: removed (and warned)
        ("中國(zhōng guó)人", "中国人"),
        ("中國(zhōngguó)人", "中国人"),
        ("我的(de)书", "我的书"),  # neutral tone: toneless but matches the character
        ("女(nǚ)士", "女士"),
    ],
)
def test_annotations_are_removed(raw: str, expected: str) -> None:
    document = prepare(raw)
    assert document.text == expected
    assert [r.kind for r in document.repairs if r.kind != "script"] == ["pinyin_annotation"]


@pytest.mark.parametrize(
    "raw",
    [
        "人工智能(AI)发展",
        "国内生产总值(GDP)增长",
        "苹果(apple)公司",
        "能(ai)力",  # toneless and not a reading of 能
        "会议(会期两天)结束",
        "价格(price)上涨",
        "(zhōng)开头没有汉字",
        "Beijing (zhōng) is not after a character",
    ],
)
def test_real_parentheses_stay(raw: str) -> None:
    document = prepare(raw)
    assert document.text == raw
    assert not [r for r in document.repairs if r.kind == "pinyin_annotation"]


def test_annotation_inside_real_parentheses() -> None:
    document = prepare("(通訊(xùn)員施偉辦 瞿鎮(zhèn)輔 記者葛燕)12月13日")
    assert document.text == "(通讯员施伟办 瞿镇辅 记者葛燕)12月13日"


def test_reading_mismatch_is_warned() -> None:
    document = prepare("區(bào)委")
    assert document.text == "区委"
    assert [w.code for w in document.warnings] == ["script_converted", "pinyin_mismatch"]


def test_damaged_annotation_restored_from_dictionary_words() -> None:
    document = prepare("通州日?bào)訊")
    assert document.text == "通州日报讯"
    (repair,) = [r for r in document.repairs if r.kind == "damaged_annotation"]
    assert repair.original == "?bào)" and repair.replacement == "报" and not repair.certain
    (warning,) = [w for w in document.warnings if w.code.startswith("damaged")]
    assert warning.code == "damaged_annotation_restored"
    assert warning.start == document.text.index("报")


def test_damaged_annotation_without_evidence_is_removed_and_flagged() -> None:
    document = prepare("他说?zhuāng)了")
    assert document.text == "他说了"
    (repair,) = document.repairs
    assert repair.kind == "damaged_annotation" and repair.replacement == "" and not repair.certain
    assert [w.code for w in document.warnings] == ["damaged_annotation_removed"]


def test_syllable_splitting() -> None:
    assert split_syllables("zhōngguó") == ["zhōng", "guó"]
    assert split_syllables("xi'ān") == ["xi", "ān"]
    assert split_syllables("GDP") is None
    assert split_syllables("hello") is None
    assert is_pinyin_annotation("lǜ", "綠")
    assert not is_pinyin_annotation("an", "能")


def test_capitalized_toneless_name_gloss_stays() -> None:
    assert prepare("王毅(Wang Yi)说").text == "王毅(Wang Yi)说"
    assert prepare("王毅(wáng yì)说").text == "王毅说"
