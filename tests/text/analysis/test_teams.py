"""Teams named by their place (``teams.find_teams``): 中国女排, 荷兰队. Sentences are written for
the test."""

from __future__ import annotations

from entity_lookups import organizations, places


def test_a_place_and_a_team_word_make_a_team_with_its_english() -> None:
    text = "昨晚中国女排以三比一战胜荷兰女排，中国队下一场对阵日本队。"
    found = organizations(text)
    assert found.get("中国女排") == "China women's volleyball team"
    assert found.get("荷兰女排") == "Netherlands women's volleyball team"
    assert found.get("中国队") == "China team"
    assert "日本队" in found
    # the place is part of the team's name, not a place of its own here
    assert "中国" not in places(text)


def test_a_country_alone_stays_a_place_beside_its_team() -> None:
    text = "中国女排力克荷兰，晋级决赛。"
    assert "中国女排" in organizations(text)
    assert "荷兰" in places(text)


def test_a_word_that_goes_on_after_the_team_word_is_no_team() -> None:
    text = "几名中国队员赛后接受采访，美国队长电影也在热映。"
    found = organizations(text)
    assert "中国队" not in found and "美国队" not in found
