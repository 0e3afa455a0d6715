"""Parks named for their industry are sites (``sites.find_parks``): 空天产业园 on the seed was
missed. A frequent word before the park word names a kind of park, not one park.

Every sentence is written for the test (none is taken from a labelled or evaluation document).
"""

from __future__ import annotations

from entity_lookups import organizations, places


def test_a_park_named_for_its_industry_is_a_place_with_its_english() -> None:
    found = places("区里将加快空天产业园建设，年内完成一期工程。")
    assert found.get("空天产业园") == "Aerospace Industrial Park"


def test_the_place_before_an_industry_park_opens_its_name() -> None:
    found = places("南通空天产业园昨天举行开工仪式。")
    assert found.get("南通空天产业园") == "Nantong Aerospace Industrial Park"
    assert "空天产业园" not in found


def test_a_place_and_a_park_word_make_a_site_as_a_zone_does() -> None:
    found = places("南京软件园新引进企业二十家。")
    assert found.get("南京软件园") == "Nanjing Software Park"


def test_a_frequent_word_before_the_park_word_is_a_kind_of_park() -> None:
    text = "学校建设大学科技园，各地也在规划重点产业园和各类物流园。"
    assert not [name for name in places(text) if name.endswith("园")]
    assert not [name for name in organizations(text) if name.endswith("园")]


def test_a_park_road_is_no_park() -> None:
    found = places("车辆沿空天产业园路向东行驶。")
    assert not [name for name in found if "产业园" in name]
