"""A dotted foreign name after a conjunction that jieba glues to its first part (和凯山·丰威汉)
starts after the conjunction. Sentences are written for the test."""

from __future__ import annotations

from entity_lookups import people


def test_a_conjunction_glued_to_a_dotted_name_is_not_part_of_it() -> None:
    found = people("这座桥由胡志明主席和凯山·丰威汉主席共同题名。")
    assert "凯山·丰威汉" in found
    assert not [name for name in found if name.startswith("和")]
