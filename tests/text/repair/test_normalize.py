"""Width, whitespace and invisible-character normalization, with traceable offsets."""

from __future__ import annotations

import pytest

from summarizer.text import prepare
from summarizer.text.document import Document


def assert_traceable(document: Document) -> None:
    for repair in document.repairs:
        assert document.original[repair.original_start : repair.original_end] == repair.original
        assert document.text[repair.normalized_start : repair.normalized_end] == repair.replacement


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＧＤＰ增长３．５％，达到１２３亿元。", "GDP增长3.5%，达到123亿元。"),
        ("他说：“好！”（完）", "他说：“好！”（完）"),  # Chinese punctuation is kept
        ("第１２届，共３名：甲、乙；丙？", "第12届，共3名：甲、乙；丙？"),
        ("价格＋税＝总额", "价格+税=总额"),
        ("句号．不是小数", "句号．不是小数"),  # only a point between digits is a decimal point
    ],
)
def test_width_rule(raw: str, expected: str) -> None:
    document = prepare(raw)
    assert document.text == expected
    assert_traceable(document)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  第一段  内容 \n\n\n   第二段\t\t内容  \n", "第一段 内容\n第二段 内容"),
        ("第一段\u00a0\u00a0内容\u3000结束", "第一段 内容 结束"),
        ("零\u200b宽\u200d字\ufeff符\u2060。", "零宽字符。"),
        ("\n\n\n只有一段\n\n", "只有一段"),
        ("软\u00adhyphen", "软hyphen"),
        ("cafe\u0301 au lait", "café au lait"),
    ],
)
def test_whitespace_and_invisible_characters(raw: str, expected: str) -> None:
    document = prepare(raw)
    assert document.text == expected
    assert_traceable(document)


@pytest.mark.parametrize(
    "emoji",
    [
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag, after a variation selector
        "\U0001f469\U0001f3fd\u200d\U0001f4bb",  # technologist, after a skin tone
    ],
)
def test_a_joiner_inside_an_emoji_sequence_is_kept(emoji: str) -> None:
    document = prepare(f"一家人好{emoji}。零\u200d宽。")
    assert document.text == f"一家人好{emoji}。零宽。"
    assert_traceable(document)


def test_offsets_map_back_through_many_changes() -> None:
    raw = "  區(qū)委\u200b書記\u3000ＧＤＰ\n\n\n張(zhāng)建華講話。 "
    document = prepare(raw)
    assert document.text == "区委书记 GDP\n张建华讲话。"
    assert_traceable(document)
    # Every normalized character comes from where the map says.
    for index, char in enumerate(document.text):
        source = document.original[document.to_original_offset(index)]
        assert char == source or char in {
            "区",
            "书",
            "记",
            "张",
            "华",
            "讲",
            "话",
            "G",
            "D",
            "P",
            " ",
        }
    start = document.text.index("张建华")
    assert document.original[document.to_original_offset(start) :].startswith("張(zhāng)建華")
    assert document.to_original_offset(len(document.text)) == len(raw)


def test_identical_text_has_no_repairs_and_no_map() -> None:
    document = prepare("区委书记张建华讲话。")
    assert document.repairs == () and document.offset_map == ()
    assert document.to_original_offset(3) == 3


def test_each_repair_kind_is_named() -> None:
    document = prepare("區(qū)委　ＧＤＰ  增长\u200b。")
    kinds = {repair.kind for repair in document.repairs}
    assert kinds == {"pinyin_annotation", "script", "width", "whitespace", "unicode"}
