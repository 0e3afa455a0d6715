"""A titled name longer than a Chinese one (a Japanese or Mongolian name) is not cut after three
characters by the surname rule (``_longer_than_chinese``). Sentences are written for the test."""

from __future__ import annotations

from entity_lookups import people


def test_a_four_character_name_after_a_title_runs_to_its_boundary_without_pinyin() -> None:
    found = people("电影节主席松村智康、评委会成员今天出席。")
    assert found.get("松村智康") == ""
    assert "松村智" not in found
    assert people("草原题材影片由演员巴特木尔、其其格主演。").get("巴特木尔") == ""


def test_chinese_names_before_a_verb_or_a_closing_word_keep_three_characters() -> None:
    assert "张建华" in people("市委书记张建华主持会议。")
    assert "王建国" in people("董事长王建国表示，公司将扩产。")
    assert "刘海峰" in people("摄影记者刘海峰摄。")
    assert "李明华" in people("局长李明华说，要加强管理。")


def test_a_transliterated_name_is_not_grown_into_the_next_word() -> None:
    found = people("美国总统戴维斯曾多次访问该地。")
    assert "戴维斯曾" not in found
