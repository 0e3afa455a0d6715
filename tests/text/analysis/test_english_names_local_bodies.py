"""Local bodies tied to their place in English, and airports and zones named after a place.

The outside review found the seed's bodies named without their place ("Municipal Party
Committee" for the article's 市委, which is Nantong's) and 南通新机场 / 南通高新区 missed. The
tests of what was wrong fail on the code before this change; the others guard what must stay.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from summarizer.engines.offline import OfflineEngine
from summarizer.text import analyze, prepare
from summarizer.text.analysis import local_bodies
from summarizer.text.analysis.glossary import with_place
from tests.text.analysis.entity_lookups import organizations, places, run

SEED = Path(__file__).resolve().parents[3] / "examples" / "tongzhou_2025-12-13_scraped.txt"


def test_a_body_the_chinese_names_with_its_place_carries_the_place() -> None:
    found = organizations("12月13日，通州区委召开会议，南通市委也派员参加。")
    assert found["通州区委"] == "Tongzhou District Party Committee"
    assert found["南通市委"] == "Nantong Municipal Party Committee"


def test_a_title_in_a_named_local_body_puts_the_place_before_the_body() -> None:
    people = {
        p.text: p.titles_en for p in run("南通市委书记王晖、通州区委书记张建华出席会议。").people
    }
    assert people["王晖"] == ("Secretary of the Nantong Municipal Party Committee",)
    assert people["张建华"] == ("Secretary of the Tongzhou District Party Committee",)


def test_a_place_with_a_level_still_reads_as_one_place_where_no_body_follows() -> None:
    assert places("通州区位于南通。")["通州区"] == "Tongzhou District"


def test_with_place_says_a_level_once_and_goes_inside_of_the() -> None:
    assert with_place("District Party Committee", "Tongzhou District") == (
        "Tongzhou District Party Committee"
    )
    assert with_place("Standing Committee of the District People's Congress", "Tongzhou") == (
        "Standing Committee of the Tongzhou District People's Congress"
    )


def test_a_bare_body_is_the_one_place_of_its_level_the_article_names() -> None:
    analysis = run(
        "通州日报讯 区委召开会议，认真落实省委、市委部署。推动通州发展，争当南通、江苏排头兵。"
    )
    found = {org.text: org.name_en for org in analysis.organizations}
    assert found["区委"] == "Tongzhou District Party Committee"
    assert found["市委"] == "Nantong Municipal Party Committee"
    assert found["省委"] == "Jiangsu Provincial Party Committee"


def test_a_bare_body_stays_bare_when_two_places_of_its_level_are_named() -> None:
    found = organizations("市委召开会议，北京、上海两地代表参加。")
    assert found["市委"] == "Municipal Party Committee"


def test_a_place_only_visited_does_not_name_the_articles_own_body() -> None:
    found = organizations("区委副书记吴冰冰到江苏省海门区调研，区委将继续支持。")
    assert found["区委"] == "District Party Committee"
    assert organizations("区委召开会议，推动通州区发展。")["区委"] == (
        "Tongzhou District Party Committee"
    )


def test_a_bare_body_stays_bare_when_no_place_of_its_level_is_named() -> None:
    assert organizations("区委召开务虚会，研究明年工作。")["区委"] == "District Party Committee"


def test_the_admin_area_table_is_what_the_builder_makes_of_cpcas_codes() -> None:
    from importlib.metadata import distribution

    adcodes = Path(str(distribution("cpca").locate_file("cpca/resources/adcodes.csv")))
    built = local_bodies.build(adcodes.read_text("utf-8"))
    shipped = Path(local_bodies.__file__).parent.joinpath(local_bodies.DATA_FILE).read_text("utf-8")
    assert built == shipped
    levels = local_bodies.area_levels()
    assert levels["通州"] == {"区"}
    assert levels["南通"] == {"市"}
    assert levels["江苏"] == {"省"}


def test_the_seed_names_its_bodies_with_their_places_and_says_how() -> None:
    document = prepare(SEED.read_text("utf-8"))
    summary = asyncio.run(OfflineEngine().summarize(document, analyze(document)))
    bodies = {org.name_as_written: org.name_en for org in summary.organizations}
    assert bodies["区委"] == "Tongzhou District Party Committee"
    assert bodies["市委"] == "Nantong Municipal Party Committee"
    assert bodies["区政府"] == "Tongzhou District Government"
    people = {person.name_as_written: person for person in summary.people}
    assert people["张建华"].role_en == (
        "Member of the Standing Committee of the Nantong Municipal Party Committee; "
        "Secretary of the Tongzhou District Party Committee"
    )
    assert people["张建华"].organization_en == "Tongzhou District Party Committee"
    note = summary.meta.status["organizations"]
    assert "区委" in note and "Tongzhou's" in note and "one district" in note
    assert bodies["南通新机场"] == "Nantong New Airport"
    zones = {place.name_as_written: place.name_en for place in summary.places}
    assert zones["南通高新区"] == "Nantong High-tech Zone"


def test_a_place_and_an_airport_or_zone_word_name_an_airport_or_a_zone() -> None:
    text = "苏州工业园区和南京经开区、无锡高新区、合肥新机场、厦门机场。"
    airports = organizations(text)
    assert airports["合肥新机场"] == "Hefei New Airport"
    assert airports["厦门机场"] == "Xiamen Airport"
    found = places(text)
    assert found["南京经开区"] == "Nanjing Economic Development Zone"
    assert found["无锡高新区"] == "Wuxi High-tech Zone"
    assert found["苏州工业园区"] == "Suzhou Industrial Park"
    assert found["南京"] == "Nanjing"  # the place inside the name stays a place


def test_a_countrys_airports_and_a_road_are_no_airport() -> None:
    text = "中国机场建设加快，日本机场也在扩建，南通机场路拥堵。"
    found = [*places(text), *organizations(text)]
    assert not [name for name in found if "机场" in name]
