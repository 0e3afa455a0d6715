"""Chinese personal names in Hanyu Pinyin: surname first, given name as one word, both capitalized.

pypinyin reads characters as ordinary words, which is wrong for many surnames (单 is Shan, not Dan;
曾 Zeng, not Ceng), so surnames come from ``data/surnames.tsv`` (compound surnames such as 欧阳 or
尉迟 are matched first). The given name is pypinyin's reading written as one word, with an
apostrophe before a syllable starting with a, o or e (建安 -> Jian'an), as pinyin orthography
requires.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

#: Characters common in transliterated foreign names and rare in Chinese names.
TRANSLITERATION = frozenset("阿斯尔克特波尼亚娜丝莎奥普夫姆兹茨罗拉雷登默萨曼森")
_VOWEL_INITIALS = ("a", "o", "e")


@cache
def surname_table() -> dict[str, str]:
    """Surname -> romanization, read once from the package data."""
    table: dict[str, str] = {}
    text = (
        resources.files("summarizer.text.analysis").joinpath("data/surnames.tsv").read_text("utf-8")
    )
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        surname, romanized = line.split("\t")[:2]
        table[surname.strip()] = romanized.strip()
    return table


@cache
def known_names() -> dict[str, str]:
    """Chinese form -> English of the well-known foreign names in ``data/known_names.tsv``."""
    return {chinese: english for chinese, english, _ in _known_name_rows()}


@cache
def full_known_names() -> frozenset[str]:
    """The known names written in full (奥拉夫·肖尔茨, 岸田文雄): a person wherever written."""
    return frozenset(chinese for chinese, _, form in _known_name_rows() if form == "full")


@cache
def _known_name_rows() -> tuple[tuple[str, str, str], ...]:
    text = (
        resources.files("summarizer.text.analysis")
        .joinpath("data/known_names.tsv")
        .read_text("utf-8")
    )
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            chinese, english, form = (column.strip() for column in line.split("\t")[:3])
            rows.append((chinese, english, form))
    return tuple(rows)


@cache
def _max_surname_length() -> int:
    return max(len(surname) for surname in surname_table())


def split_name(name: str) -> tuple[str, str] | None:
    """(surname, given name) of a Chinese name, or None when it starts with no known surname.

    Compound surnames win over single ones (欧阳修 -> 欧阳 + 修), but never leave the given
    name empty (司马 alone is the surname 司 + given name 马).
    """
    table = surname_table()
    for length in range(min(_max_surname_length(), len(name) - 1), 0, -1):
        if name[:length] in table:
            return name[:length], name[length:]
    return None


def join_syllables(syllables: list[str]) -> str:
    """Syllables as one pinyin word, apostrophe before a/o/e after the first syllable (Xi'an)."""
    word = ""
    for index, syllable in enumerate(syllables):
        if index and syllable.startswith(_VOWEL_INITIALS):
            word += "'"
        word += syllable
    return word


@lru_cache(maxsize=4096)
def romanize_given_name(given: str) -> str:
    """The given name as one capitalized pinyin word (建华 -> Jianhua).

    pypinyin is imported here, not at module level: loading its dictionaries takes most of a
    second, and ``import summarizer`` must stay fast for commands that never romanize.
    """
    from pypinyin import lazy_pinyin

    syllables = [syllable.lower() for syllable in lazy_pinyin(given, v_to_u=True) if syllable]
    return join_syllables(syllables).capitalize()


def romanize_name(name: str) -> str:
    """A Chinese personal name in Hanyu Pinyin, surname first: 张建华 -> Zhang Jianhua.

    A name that starts with no known surname is romanized as one word (still capitalized).
    """
    name = name.strip()
    parts = split_name(name)
    if parts is None:
        return romanize_given_name(name)
    surname, given = parts
    surname_en = surname_table()[surname]
    return f"{surname_en} {romanize_given_name(given)}" if given else surname_en


def romanize_place(name: str) -> str:
    """A Chinese place name as one capitalized pinyin word (如皋 -> Rugao, 海安 -> Hai'an)."""
    return romanize_given_name(name)


#: Natural features a Chinese place name ends with, and their English. A one-character name
#: keeps the feature in its pinyin (唐河: Tanghe River, as 淮河 is the Huaihe River).
_FEATURES = {"河": "River", "江": "River", "溪": "Stream", "湖": "Lake"}


def romanize_natural_place(name: str) -> str:
    """A river, stream or lake named in Chinese, in English: 滹沱河 -> Hutuo River, 唐河 ->
    Tanghe River; any other name as ``romanize_place`` writes it."""
    feature = _FEATURES.get(name[-1:])
    if feature is None or len(name) < 2:
        return romanize_place(name)
    stem = name[:-1] if len(name) > 2 else name
    return f"{romanize_place(stem)} {feature}"


# fmt: off
#: The English names of China's peoples (as the State Ethnic Affairs Commission writes them),
#: as autonomous areas are named after them: 巍山彝族回族自治县, Weishan Yi and Hui Autonomous
#: County.
PEOPLES = {
    "汉": "Han", "蒙古": "Mongolian", "回": "Hui", "藏": "Tibetan", "维吾尔": "Uygur",
    "苗": "Miao", "彝": "Yi", "壮": "Zhuang", "布依": "Bouyei", "朝鲜": "Korean", "满": "Manchu",
    "侗": "Dong", "瑶": "Yao", "白": "Bai", "土家": "Tujia", "哈尼": "Hani", "哈萨克": "Kazak",
    "傣": "Dai", "黎": "Li", "傈僳": "Lisu", "佤": "Va", "畲": "She", "高山": "Gaoshan",
    "拉祜": "Lahu", "水": "Shui", "东乡": "Dongxiang", "纳西": "Naxi", "景颇": "Jingpo",
    "柯尔克孜": "Kirgiz", "土": "Tu", "达斡尔": "Daur", "仫佬": "Mulao", "羌": "Qiang",
    "布朗": "Blang", "撒拉": "Salar", "毛南": "Maonan", "仡佬": "Gelao", "锡伯": "Xibe",
    "阿昌": "Achang", "普米": "Pumi", "塔吉克": "Tajik", "怒": "Nu", "乌孜别克": "Uzbek",
    "俄罗斯": "Russian", "鄂温克": "Ewenki", "德昂": "De'ang", "保安": "Bonan", "裕固": "Yugur",
    "京": "Gin", "塔塔尔": "Tatar", "独龙": "Derung", "鄂伦春": "Oroqen", "赫哲": "Hezhen",
    "门巴": "Monba", "珞巴": "Lhoba", "基诺": "Jino",
}
# fmt: on
_AUTONOMOUS_LEVELS = {
    "区": "Autonomous Region",
    "州": "Autonomous Prefecture",
    "县": "Autonomous County",
    "旗": "Autonomous Banner",
}
_PEOPLE = "族"
_AUTONOMOUS = "自治"


def autonomous_area_english(name: str, place_english: str | None = None) -> str | None:
    """An autonomous area in English, named after its place and peoples: 巍山彝族回族自治县 ->
    Weishan Yi and Hui Autonomous County. ``place_english`` is the place's English where it is
    known (pinyin otherwise). None for any other name, or a people not in ``PEOPLES``."""
    level = _AUTONOMOUS_LEVELS.get(name[-1:])
    rest = name[:-1]
    if level is None or not rest.endswith(_AUTONOMOUS):
        return None
    rest = rest.removesuffix(_AUTONOMOUS)
    peoples: list[str] = []
    while rest.endswith(_PEOPLE):
        rest = rest.removesuffix(_PEOPLE)
        people = next((p for p in sorted(PEOPLES, key=len, reverse=True) if rest.endswith(p)), None)
        if people is None:
            return None
        peoples.insert(0, PEOPLES[people])
        rest = rest.removesuffix(people)
    if not peoples or len(rest) < 2:
        return None
    named = peoples[0] if len(peoples) == 1 else f"{', '.join(peoples[:-1])} and {peoples[-1]}"
    return f"{place_english or romanize_place(rest)} {named} {level}"
