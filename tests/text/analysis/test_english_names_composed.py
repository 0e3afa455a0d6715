"""English names composed from their Chinese parts the way English writes them.

Found on the design splits' output: "Xining Publicity Department of the Municipal Party
Committee", "China Ministry of Foreign Affairs", "Jiangxi Province Finance Department",
"Tianshan Mountains District", "Hutuohe", "Weishanyizuhuizuzizhi County".
"""

from __future__ import annotations

import pytest

from summarizer.text.analysis.glossary import default_glossary, name_before_level
from summarizer.text.analysis.romanize import autonomous_area_english, romanize_natural_place
from tests.text.analysis.entity_lookups import organizations, places


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("西宁市委宣传部", "Publicity Department of the Xining Municipal Party Committee"),
        ("西宁市人大常委会", "Standing Committee of the Xining Municipal People's Congress"),
        ("中国外交部", "Ministry of Foreign Affairs of China"),
        ("美国国防部", "Ministry of National Defense of the United States"),
        ("江西省财政厅", "Jiangxi Provincial Finance Department"),
        ("南通市委", "Nantong Municipal Party Committee"),
    ],
)
def test_a_body_after_its_place_reads_as_english_names_it(written: str, english: str) -> None:
    assert default_glossary().translate_name(written) == english


def test_a_states_bodies_are_of_the_state_and_a_firm_keeps_its_country_first() -> None:
    found = organizations(
        "中国政府、西班牙政府、新加坡卫生部和卡塔尔航空公司发表声明。美国白宫未回应。"
    )
    assert found["中国政府"] == "Government of China"
    assert found["西班牙政府"] == "Government of Spain"
    assert found["新加坡卫生部"] == "Ministry of Health of Singapore"
    assert found["卡塔尔航空公司"] == "Qatar Airways"
    assert found["美国白宫"] == "the White House"


def test_an_area_named_after_a_feature_drops_the_features_word_before_its_level() -> None:
    assert name_before_level("Tianshan Mountains") == "Tianshan"
    assert name_before_level("Yangtze River") == "Yangtze"
    assert name_before_level("Greater Bay Area") == "Greater Bay Area"
    assert places("乌鲁木齐市天山区发布通知。")["天山区"] == "Tianshan District"


@pytest.mark.parametrize(
    ("written", "english"),
    [("滹沱河", "Hutuo River"), ("唐河", "Tanghe River"), ("驴子溪", "Lüzi Stream"),
     ("洱海", "Erhai"), ("如皋", "Rugao")],
)  # fmt: skip
def test_rivers_streams_and_lakes_are_named_by_their_feature(written: str, english: str) -> None:
    assert romanize_natural_place(written) == english


def test_a_river_in_an_article_is_a_river_in_english_and_a_city_stays_a_city() -> None:
    found = places("河北省滹沱河、拒马河水位上涨，沙河市也受影响。")
    assert found["滹沱河"] == "Hutuo River"
    assert found["拒马河"] == "Juma River"
    assert found["沙河市"] == "Shahe"


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("巍山彝族回族自治县", "Weishan Yi and Hui Autonomous County"),
        ("西盟佤族自治县", "Ximeng Va Autonomous County"),
        ("玉树藏族自治州", "Yushu Tibetan Autonomous Prefecture"),
        ("双江拉祜族佤族布朗族傣族自治县", "Shuangjiang Lahu, Va, Blang and Dai Autonomous County"),
    ],
)
def test_an_autonomous_area_is_named_by_its_place_and_peoples(written: str, english: str) -> None:
    assert autonomous_area_english(written) == english


def test_an_autonomous_area_in_an_article_has_its_english_name() -> None:
    found = places("在青海省玉树藏族自治州曲麻莱县失联。云南省巍山彝族回族自治县受灾。")
    assert found["玉树藏族自治州"] == "Yushu Tibetan Autonomous Prefecture"
    assert found["巍山彝族回族自治县"] == "Weishan Yi and Hui Autonomous County"


def test_only_a_place_with_known_peoples_and_an_autonomous_level_is_an_autonomous_area() -> None:
    assert autonomous_area_english("宁夏回族自治区") == "Ningxia Hui Autonomous Region"
    assert autonomous_area_english("南通市") is None
    assert autonomous_area_english("某某族自治县") is None  # 某某 is no people
    assert autonomous_area_english("回族自治区") is None  # no place before the people


@pytest.mark.parametrize(
    ("title", "english"),
    [
        ("联合国秘书长", "Secretary-General of the United Nations"),
        (
            "西宁市人大常委会秘书长",
            "Secretary-General of the Standing Committee of the Xining Municipal People's Congress",
        ),
        (
            "西宁市委宣传部部长",
            "Head of the Publicity Department of the Xining Municipal Party Committee",
        ),
        ("外交部副部长", "Vice Minister of Foreign Affairs"),
        ("区政府副区长", "Deputy District Mayor"),  # the title names its body already
        ("宣传部部长", "Head of the Publicity Department"),
    ],
)
def test_a_title_names_the_body_it_is_held_in(title: str, english: str) -> None:
    assert default_glossary().translate_title(title) == english
