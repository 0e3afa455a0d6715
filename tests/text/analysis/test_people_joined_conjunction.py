"""A dotted foreign name after a conjunction that jieba glues to its first part (和凯山·丰威汉)
starts after the conjunction; a first part jieba reads as a place (亚历山大·阿科斯塔) is kept.
Sentences are written for the test."""

from __future__ import annotations

from entity_lookups import people


def test_a_conjunction_glued_to_a_dotted_name_is_not_part_of_it() -> None:
    found = people("这座桥由胡志明主席和凯山·丰威汉主席共同题名。")
    assert "凯山·丰威汉" in found
    assert not [name for name in found if name.startswith("和")]


def test_a_dotted_name_whose_first_part_is_also_a_place() -> None:
    # 亚历山大 is a place word to jieba (Alexandria); a transliterated name follows the dot
    found = people("新部长将接替亚历山大·阿科斯塔的职务。")
    assert "亚历山大·阿科斯塔" in found
    assert "阿科斯塔" not in found


def test_a_place_and_a_dotted_place_are_no_person() -> None:
    assert people("博览会在中国·北京举行。") == {}
