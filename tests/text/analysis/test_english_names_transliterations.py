"""A transliterated foreign name of three or four characters gets no pinyin guess as its English.

Pinyin for a transliteration is wrong (安德鲁 is Andrew, not "An Delu"): ``name_en`` stays empty
and the offline engine says why. A real surname with a Chinese given name keeps its pinyin.
"""

from __future__ import annotations

import pytest

from summarizer.text.analysis.people import foreign_by_list, reads_as_transliteration
from tests.text.analysis.entity_lookups import people


@pytest.mark.parametrize(
    "name",
    [
        "尼科尔",  # no Chinese surname first
        "索洛里奥",  # four characters after the one-character surname 索
        "阿雷亚萨",
        "莫里亚蒂",
    ],
)
def test_a_transliteration_without_a_chinese_name_shape_reads_as_foreign(name: str) -> None:
    assert reads_as_transliteration(name)


@pytest.mark.parametrize("name", ["艾福梅", "鲁金博", "林丽娜", "马丽莎", "欧阳娜娜", "李斯博"])
def test_a_surname_and_a_two_character_given_name_stay_chinese(name: str) -> None:
    assert not reads_as_transliteration(name)


def test_a_name_listed_beside_a_foreign_name_gets_no_pinyin() -> None:
    found = people("出席活动的有特朗普、安德鲁等人。")
    assert found["特朗普"] == "Trump"
    assert found["安德鲁"] == ""


def test_a_name_listed_beside_a_dotted_name_gets_no_pinyin() -> None:
    assert people("记者：莎拉·弗格森、安德鲁。")["安德鲁"] == ""


def test_a_list_passes_foreignness_along_from_name_to_name() -> None:
    text = "特朗普、安德鲁、罗伯塔和王海松"
    spans = {0: (3, "特朗普"), 4: (7, "安德鲁"), 8: (11, "罗伯塔"), 12: (15, "王海松")}
    found = foreign_by_list(text, spans, set())
    assert {"安德鲁", "罗伯塔"} <= found
    assert "王海松" not in found


def test_chinese_names_in_a_list_keep_their_pinyin() -> None:
    found = people("参与记者：尹南、张笑然、艾福梅、鲁金博、林丽娜。")
    assert found["艾福梅"] == "Ai Fumei"
    assert found["鲁金博"] == "Lu Jinbo"
    assert found["林丽娜"] == "Lin Lina"


def test_a_chinese_name_beside_a_foreign_one_keeps_its_pinyin_unless_it_reads_foreign() -> None:
    # 王海松 has characters no transliteration uses: the list does not make it foreign.
    assert people("出席的有特朗普、王海松。")["王海松"] == "Wang Haisong"
