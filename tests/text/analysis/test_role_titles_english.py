"""English of people found offline: titles name a country as English writes it ("the United
States", plain "France"); a transliterated name gets no pinyin guess."""

from __future__ import annotations

import pytest
from entity_lookups import run


def titles_en(text: str) -> dict[str, tuple[str, ...]]:
    return {person.text: person.titles_en for person in run(text).people}


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("美国总统特朗普周五表示。", "特朗普", "President of the United States"),
        ("英国首相约翰逊周五表示。", "约翰逊", "Prime Minister of the United Kingdom"),
        ("法国总统马克龙周五表示。", "马克龙", "President of France"),
        ("南通市市长王晖出席会议。", "王晖", "Mayor of Nantong"),
    ],
)
def test_a_title_held_in_a_country_takes_the_article_english_gives_it(
    text: str, name: str, title: str
) -> None:
    assert titles_en(text)[name] == (title,)


def test_a_long_transliterated_name_in_a_list_gets_no_pinyin_guess() -> None:
    found = {
        person.text: person.name_en for person in run("乔治·卢卡斯和斯皮尔伯格都出席了。").people
    }
    assert found.get("斯皮尔伯格") == ""  # no English form: null in the result, not "Si Pi'erboge"
