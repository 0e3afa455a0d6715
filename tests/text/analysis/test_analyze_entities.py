"""People with titles, organizations and places, on clean simplified text."""

from __future__ import annotations

from collections.abc import Callable

from summarizer.text.analysis.analyze import analyze
from summarizer.text.document import Analysis, Document

MakeDocument = Callable[..., Document]  # the fixture is in conftest.py


def people_by_name(analysis: Analysis) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return {p.text: (p.name_en, p.titles, p.titles_en) for p in analysis.people}


def test_title_chain_attaches_to_the_name(make_document: MakeDocument) -> None:
    analysis = analyze(
        make_document("市委常委、区委书记张建华主持会议并讲话。区委副书记、区长吴瑕参加会议。")
    )
    people = people_by_name(analysis)
    assert people["张建华"] == (
        "Zhang Jianhua",
        ("市委常委", "区委书记"),
        (
            "Member of the Standing Committee of the Municipal Party Committee",
            "Secretary of the District Party Committee",
        ),
    )
    assert people["吴瑕"][1:] == (
        ("区委副书记", "区长"),
        ("Deputy Secretary of the District Party Committee", "District Mayor"),
    )
    assert set(people) == {"张建华", "吴瑕"}  # 吴瑕参加 does not swallow 参


def test_offsets_point_into_the_text(make_document: MakeDocument) -> None:
    document = make_document("会上,区政协主席成宾,区委副书记吴冰冰发言。深圳市长王伟中出席。")
    analysis = analyze(document)
    mentions = [*analysis.people, *analysis.organizations, *analysis.places, *analysis.glossary]
    assert mentions
    for mention in mentions:
        assert document.text[mention.start : mention.end] == mention.text


def test_short_mentions_resolve_to_the_titled_person(make_document: MakeDocument) -> None:
    text = "区委书记张建华主持会议。张建华指出,要实干争先。张书记强调,要抓落实。"
    analysis = analyze(make_document(text))
    texts = [(p.text, p.name_en, p.titles) for p in analysis.people]
    assert texts == [
        ("张建华", "Zhang Jianhua", ("区委书记",)),
        ("张建华", "Zhang Jianhua", ("区委书记",)),
        ("张书记", "Zhang Jianhua", ("区委书记",)),
    ]


def test_surname_with_title_is_not_resolved_when_ambiguous(make_document: MakeDocument) -> None:
    text = "区委书记张建华、区长张明出席。张书记讲话。"
    analysis = analyze(make_document(text))
    assert "张书记" not in [p.text for p in analysis.people]


def test_names_listed_after_a_title_share_it(make_document: MakeDocument) -> None:
    analysis = analyze(make_document("副市长王刚、李娜、赵伟出席活动。"))
    people = people_by_name(analysis)
    assert set(people) == {"王刚", "李娜", "赵伟"}
    assert {titles for _, titles, _ in people.values()} == {("副市长",)}


def test_reporter_byline(make_document: MakeDocument) -> None:
    analysis = analyze(
        make_document("通州日报讯 (通讯员施伟办 瞿镇辅 记者葛燕 宋金平)12月13日,区委召开会议。")
    )
    people = {p.text: p.titles_en for p in analysis.people}
    assert people == {
        "施伟办": ("Correspondent",),
        "瞿镇辅": ("Correspondent",),
        "葛燕": ("Reporter",),
        "宋金平": ("Reporter",),
    }


def test_bare_name_list(make_document: MakeDocument) -> None:
    text = "向刘遵义、陈凯先、李兰娟、李效良、朱丽兰及江朝晖颁授荣誉博士学位。"
    names = {p.text for p in analyze(make_document(text)).people}
    assert {"刘遵义", "陈凯先", "李兰娟", "李效良", "朱丽兰"} <= names


def test_organizations_and_places(make_document: MakeDocument) -> None:
    text = "区委副书记、南通高新区党工委常务副书记吴冰冰,区人大常委会主任陈艳梅到江苏省海门区调研。"
    analysis = analyze(make_document(text))
    organizations = {o.text: o.name_en for o in analysis.organizations}
    assert organizations == {
        "区委": "District Party Committee",
        "南通高新区党工委": "Nantong High-tech Zone Party Working Committee",
        "区人大常委会": "Standing Committee of the District People's Congress",
    }
    places = {p.text: p.name_en for p in analysis.places}
    # a place keeps its administrative level, and two places in a row stay two places; the
    # zone a body is named after is a place (sites.py)
    assert places == {
        "江苏省": "Jiangsu Province",
        "海门区": "Haimen District",
        "南通高新区": "Nantong High-tech Zone",
    }
    # the place inside an organization's name is part of the organization
    assert "南通" not in places
    people = people_by_name(analysis)
    assert people["吴冰冰"][2] == (
        "Deputy Secretary of the District Party Committee",
        "Executive Deputy Secretary of the Nantong High-tech Zone Party Working Committee",
    )


def test_glossary_hits_exclude_topic_vocabulary(make_document: MakeDocument) -> None:
    analysis = analyze(make_document("围绕“十五五”时期发展,召开务虚会。"))
    hits = {hit.text: hit.english for hit in analysis.glossary}
    assert hits == {
        "“十五五”": "15th Five-Year Plan period",
        "务虚会": "theory-oriented (strategy) meeting",
    }


def test_keywords(make_document: MakeDocument) -> None:
    text = "新能源汽车产业快速发展。新能源汽车出口增长,新能源汽车企业加快创新。"
    assert "新能源汽车" in analyze(make_document(text)).keywords


def test_english_document_gets_keywords_and_no_chinese_entities(
    make_document: MakeDocument,
) -> None:
    text = "The port handled record cargo. Cargo volumes at the port rose in March."
    analysis = analyze(make_document(text, language="en"))
    assert analysis.keywords[:2] == ("port", "cargo")
    assert analysis.people == ()


def test_title_written_after_the_name(make_document: MakeDocument) -> None:
    analysis = analyze(make_document("习近平总书记对江苏工作作出重要指示。李克强总理18日座谈。"))
    people = people_by_name(analysis)
    assert people["习近平"] == ("Xi Jinping", ("总书记",), ("General Secretary",))
    assert people["李克强"] == ("Li Keqiang", ("总理",), ("Premier",))
