"""Ruby pinyin removal: exactly the annotations, never real parentheses."""

from __future__ import annotations

import re

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
        ("我們(men)的书", "我们的书"),  # neutral tone: toneless but matches the character
        ("婦(fù)女", "妇女"),
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
    assert prepare("王毅(wáng yì)說").text == "王毅(wáng yì)说"  # kept: 王毅 is the same in both


POEM_FOR_LEARNERS = (
    "静(jìng)夜(yè)思(sī)\n"
    "床(chuáng)前(qián)明(míng)月(yuè)光(guāng)，疑(yí)是(shì)地(dì)上(shàng)霜(shuāng)。\n"
    "举(jǔ)头(tóu)望(wàng)明(míng)月(yuè)，低(dī)头(tóu)思(sī)故(gù)乡(xiāng)。"
)


@pytest.mark.parametrize(
    "raw",
    [
        POEM_FOR_LEARNERS,
        # The same poem printed in traditional script: most characters are common to both.
        "靜(jìng)夜(yè)思(sī)\n床(chuáng)前(qián)明(míng)月(yuè)光(guāng)，疑(yí)是(shì)地(dì)上(shàng)霜(shuāng)。",
        "“行”在银行(háng)里读háng，在行(xíng)走里读xíng。",
        "我的(de)书",
        "女(nǚ)士",
        "记者采访了王喆(zhé)。",  # a rare character in a name, annotated for readers
    ],
)
def test_intentional_pinyin_is_kept_and_said(raw: str) -> None:
    document = prepare(raw)
    kept = re.findall(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ ]+\)", raw)
    assert kept and all(annotation in document.text for annotation in kept)
    assert not [r for r in document.repairs if r.kind == "pinyin_annotation"]
    (warning,) = [w for w in document.warnings if w.code == "pinyin_kept"]
    assert f"kept {len(kept)} pinyin annotation(s)" in warning.message


def test_scraped_ruby_on_a_common_character_is_removed_but_uncertain() -> None:
    document = prepare("區(qū)委務(wù)虛會(huì)召開(kāi)，各(gè)部門參加會(huì)議。")
    assert document.text == "区委务虚会召开，各部门参加会议。"
    removed = [r for r in document.repairs if r.kind == "pinyin_annotation"]
    assert len(removed) == 6
    assert [r.original for r in removed if not r.certain] == ["(gè)"]
    assert "pinyin_removed_uncertain" in [w.code for w in document.warnings]
