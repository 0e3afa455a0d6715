"""Chinese names in Hanyu Pinyin: surname readings, compound surnames, apostrophes."""

from __future__ import annotations

import pytest

from summarizer.text.analysis.romanize import (
    join_syllables,
    romanize_name,
    split_name,
    surname_table,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张建华", "Zhang Jianhua"),
        ("吴冰冰", "Wu Bingbing"),
        ("吴瑕", "Wu Xia"),
        ("陈艳梅", "Chen Yanmei"),
        ("成宾", "Cheng Bin"),
        # surnames whose reading differs from the character's everyday one
        ("单雄信", "Shan Xiongxin"),
        ("曾国藩", "Zeng Guofan"),
        ("解缙", "Xie Jin"),
        ("仇英", "Qiu Ying"),
        ("朴正熙", "Piao Zhengxi"),
        ("区伟", "Ou Wei"),
        ("查良镛", "Zha Liangyong"),
        ("盖叫天", "Ge Jiaotian"),
        ("乐嘉", "Yue Jia"),
        ("覃明", "Qin Ming"),
        ("翟志刚", "Zhai Zhigang"),
        # compound surnames
        ("欧阳瑜", "Ouyang Yu"),
        ("司马光", "Sima Guang"),
        ("诸葛亮", "Zhuge Liang"),
        ("尉迟恭", "Yuchi Gong"),
        ("上官婉儿", "Shangguan Wan'er"),
        ("皇甫谧", "Huangfu Mi"),
        # ü is kept, not written v
        ("吕鸣", "Lü Ming"),
    ],
)
def test_names_are_romanized_surname_first(name: str, expected: str) -> None:
    assert romanize_name(name) == expected


def test_apostrophe_separates_a_o_e_syllables_in_the_given_name() -> None:
    assert romanize_name("王建安") == "Wang Jian'an"
    assert romanize_name("李西安") == "Li Xi'an"
    assert romanize_name("刘天鹅") == "Liu Tian'e"
    assert join_syllables(["xi", "an"]) == "xi'an"
    assert join_syllables(["an", "xi"]) == "anxi"  # only after the first syllable


def test_compound_surname_never_leaves_the_given_name_empty() -> None:
    assert split_name("欧阳修") == ("欧阳", "修")
    assert split_name("司马") == ("司", "马")


def test_name_without_a_known_surname_is_not_split() -> None:
    assert split_name("的确是") is None


def test_surname_table_is_package_data_with_compounds() -> None:
    table = surname_table()
    assert len(table) > 300
    assert table["单"] == "Shan"
    assert table["长孙"] == "Zhangsun"
