"""The one Han definition: its edges, and the regex and code-point forms agreeing."""

from __future__ import annotations

import pytest

from summarizer.text.chars import FIRST_HAN, FIVE_YEAR_PLAN, HAN_CHAR, HAN_RUN, is_han


@pytest.mark.parametrize(
    ("char", "han"),
    [
        ("中", True),
        ("\u3400", True),  # Extension A, first
        ("\u4dbf", True),  # Extension A, last
        ("\u4dc0", False),  # Yijing hexagram symbol, between Extension A and the main block
        ("\uf900", True),  # compatibility ideograph
        ("\U00020000", True),  # Extension B
        ("\U000323af", True),  # Extension H, last
        ("\u2f00", False),  # Kangxi radical
        ("。", False),
        ("ア", False),
        ("한", False),
        ("Ａ", False),
        ("a", False),
        ("", False),
        ("中文", False),
    ],
)
def test_is_han_edges(char: str, han: bool) -> None:
    assert is_han(char) is han


def test_regex_and_code_points_agree() -> None:
    checked = [chr(code) for code in range(0x2E00, 0x10000)] + [
        chr(code) for code in (0x1FFFF, 0x20000, 0x2A6DF, 0x3134F, 0x323AF, 0x323B0)
    ]
    disagreements = [c for c in checked if is_han(c) != (HAN_CHAR.fullmatch(c) is not None)]
    assert disagreements == []
    assert min(c for c in checked if is_han(c)) == FIRST_HAN


def test_runs_and_plan_periods() -> None:
    assert HAN_RUN.findall("“十四五”规划 in 2021，㐀𠀀") == ["十四五", "规划", "㐀𠀀"]
    assert [m.group(1) for m in FIVE_YEAR_PLAN.finditer("十三五、十四五和十五五；十五")] == [
        "三",
        "四",
        "五",
    ]
