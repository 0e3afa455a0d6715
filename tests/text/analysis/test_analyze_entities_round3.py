"""Entity rules of the third round of issue 10, from the failure classes of the `tune-3` split.

Each case is a sentence written for the test in the shape the WMT21 documents showed: bodies
named by a place and what they do, state bodies after a country's one-character name, missions,
departments, lists of rivers, transliterated places, outlets, reporters' bylines, and the words
that must stay out (an idiom ending in 局, an ethnic group, an unnamed university).
"""

from __future__ import annotations

from summarizer.text import analyze, prepare
from summarizer.text.document import Analysis


def run(text: str) -> Analysis:
    return analyze(prepare(text))


def people(text: str) -> list[str]:
    return [person.text for person in run(text).people]


def organizations(text: str) -> dict[str, str | None]:
    return {o.text: o.name_en for o in run(text).organizations}


def places(text: str) -> list[str]:
    return [place.text for place in run(text).places]


def test_a_body_named_by_its_place_and_work() -> None:
    found = organizations("记者从山西省水利厅获悉，湖南省交通运输厅和长沙县总工会联合开展慰问。")
    assert found["山西省水利厅"] == "Shanxi Provincial Department of Water Resources"
    assert found["长沙县总工会"] == "Changsha County Federation of Trade Unions"
    assert "湖南省交通运输厅" in found


def test_a_title_completes_the_body_before_it() -> None:
    assert "美国运输部" in organizations("当天，美国运输部长赵小兰在会上发言。")


def test_a_country_abbreviation_heads_a_state_body() -> None:
    found = organizations("俄国防部当天发表声明说，演习顺利结束。")
    assert found == {"俄国防部": "Russian Ministry of National Defense"}


def test_a_mission_is_one_body_and_its_city_no_place() -> None:
    text = "中国驻芝加哥总领事馆提醒在当地的中国公民注意安全。"
    assert "中国驻芝加哥总领事馆" in organizations(text)
    assert "芝加哥" not in places(text)


def test_a_hospital_keeps_its_department() -> None:
    found = organizations("上海长海医院血管外科主任接受采访。")
    assert list(found) == ["上海长海医院血管外科"]


def test_a_list_the_text_calls_rivers_gives_places() -> None:
    assert places("今年以来，当地向漳河、唐河、拒马河等河流实施了生态补水。") == [
        "漳河",
        "唐河",
        "拒马河",
    ]


def test_a_transliterated_county_and_a_region() -> None:
    assert places("一辆货车在德国北威州默尔斯县侧翻。") == ["德国", "北威州", "默尔斯县"]
    assert places("加泰罗尼亚地区也已重启禁足令。") == ["加泰罗尼亚地区"]


def test_a_place_word_after_a_known_place() -> None:
    assert places("警方正与南京江宁警方联系。") == ["南京", "江宁"]


def test_outlets_in_marks_and_by_place() -> None:
    assert list(organizations("《柳叶刀》杂志刊文称，研究发表在《柳叶刀》上。")) == ["柳叶刀"]
    assert "红星报" in organizations("俄国防部机关报《红星报》报道了此事。")
    assert "重庆晨报" in organizations("来源：重庆晨报 作者：于晓")


def test_a_foreign_firm_after_a_noun_that_calls_it_one() -> None:
    text = "据报道，全球最大钢铁生产商安赛乐米塔尔的一家工厂出现疫情。"
    assert "安赛乐米塔尔" in organizations(text)


def test_an_acronym_in_brackets_names_the_body_again() -> None:
    found = organizations("菲律宾总统府新闻部(PCOO)表示，PCOO已准备两套方案。")
    assert set(found) == {"菲律宾总统府新闻部", "PCOO"}


def test_bylines_without_brackets() -> None:
    assert people("来源：重庆晨报 作者：于晓") == ["于晓"]
    assert people("总台记者 杨洪") == ["杨洪"]
    assert people("中新网厦门7月26日电 (杨伏山 张舒姗)当天，两家医院签约。") == ["杨伏山", "张舒姗"]


def test_a_name_glossed_in_latin() -> None:
    assert people("英国交通大臣沙普斯（Grant Shapps）目前在西班牙度假。") == ["沙普斯"]
    # a place glossed in Latin is no person
    assert people("政府希望把巴利阿里群岛（Balearic Islands）排除在外。") == []


def test_words_that_are_not_names() -> None:
    assert places("他出生在内蒙古，是蒙古族人。") == ["内蒙古"]  # 蒙古族 is a people
    assert places("伤亡人员中无中国公民。") == []  # an adjective, not the place
    assert organizations("山东已成定局。") == {}  # an idiom ending in 局
    assert organizations("抗疫跨部门工作小组表示，检测将加快。") == {}
    assert organizations("南京某大学学生黄某某失联。") == {}  # an unnamed university
    assert organizations("公司党委副书记说，要做好防控。") == {}  # 党委 alone names no body
    assert places("她骑自行车来到圣彼得堡市中心。") == ["圣彼得堡"]  # 市中心 is the centre


def test_a_short_body_is_not_read_across_two_words() -> None:
    # 央视 in 央|视频 (an app's name) is cut across jieba's words
    assert "央视" not in organizations("节目也在央视频、学习强国等平台上线。")
