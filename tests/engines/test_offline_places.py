"""A place written with and without its administrative suffix (北京, 北京市) is listed once.

The offline engine listed "Beijing (北京)" and "Beijing (北京市)" as two places; on the evals/
articles, 32 of 220 summaries had such a pair.
"""

from __future__ import annotations

import summarizer
from summarizer.engines.offline import unique_places
from summarizer.text.document import EntityMention


def place(text: str, name_en: str | None) -> EntityMention:
    return EntityMention(0, len(text), text, kind="place", name_en=name_en)


def test_one_place_written_two_ways_is_listed_once() -> None:
    text = (
        "北京市政府今天宣布新的交通规划。北京将在明年增加公共交通投资。"
        "上海和上海市的代表也出席了会议。"
    )
    result = summarizer.summarize(text, engine="offline")
    places = [(p.name_as_written, p.name_en) for p in result.places]
    assert places == [("北京", "Beijing"), ("上海", "Shanghai")]


def test_only_suffixes_with_matching_english_merge() -> None:
    merged = unique_places(
        (
            place("重庆市", "Chongqing"),
            place("重庆", "Chongqing"),
            place("特洛伊", None),
            place("特洛伊市", "Troy"),
            place("吉林", "Jilin"),
            place("吉林省", "Jilin Province"),
            place("海区", None),
            place("海", None),
        )
    )
    assert [(p.name_as_written, p.name_en) for p in merged] == [
        ("重庆市", "Chongqing"),  # the first written form stays
        ("特洛伊", "Troy"),  # the English name one of them had
        ("吉林", "Jilin"),
        ("吉林省", "Jilin Province"),  # different English: kept apart
        ("海区", None),  # a two-character name keeps its last character
        ("海", None),
    ]
