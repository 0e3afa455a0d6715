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
