"""Romanizations of Chinese names other than Hanyu Pinyin, and English names of ethnic groups.

Names from Taiwan, Hong Kong and the diaspora are written in the romanization their holders use,
not in pinyin of their characters: Wade-Giles (蒋经国 "Chiang Ching-kuo", 李登辉 "Lee Teng-hui"),
its Taiwanese passport variants (蔡英文 "Tsai Ing-wen", 董 "Tong" for Wade-Giles "Tung") and Hong
Kong Government Cantonese romanization (陈 "Chan", 郑 "Cheng", 月娥 "Yuet-ngor"). A name written
so is the source's name, not a name the translator made up.

Wade-Giles comes from pinyin by the system's fixed correspondence of initials and finals (no
well-kept library with a permissive licence offers it); Cantonese comes from the
``cantonese-romanisation`` package's character table (traditional characters, so simplified
ones are converted with OpenCC first). Both live in ``summarizer.text.romanization``, where
the engine's checks of ``name_en`` use them too. Apostrophes, umlauts and hyphens are dropped, as
English text mostly does ("Chiang" for Ch'iang, "Hsu" for Hsü).

The 55 minority nationalities of China have official English names (the state standard GB/T
3304), most of them pinyin; those that are not ("Va" for 佤, "Uygur" for 维吾尔) are listed in
``ETHNIC_GROUPS``.
"""

from __future__ import annotations

from functools import lru_cache

from summarizer.eval.checks.names import pinyin_index
from summarizer.text.repair.lexicon import t2s_converter
from summarizer.text.romanization import cantonese_readings, wade_giles

__all__ = ["cantonese_readings", "ethnic_group_in_source", "romanized_name_in_source", "wade_giles"]


@lru_cache(maxsize=65536)
def _other_readings(char: str, pinyin: frozenset[str]) -> frozenset[str]:
    """Every romanization of one character: its pinyin, Wade-Giles and Cantonese readings."""
    return frozenset(
        {
            *pinyin,
            *(form for reading in pinyin for form in wade_giles(reading)),
            *cantonese_readings(char),
        }
    )


def _word_parts(word: str) -> list[str]:
    """A name word's hyphen-separated parts, lowercase, without apostrophes ("Teng-hui")."""
    return [part for part in word.lower().replace("'", "").replace("’", "").split("-") if part]


def _matches_at(parts: list[str], chars: tuple[frozenset[str], ...], start: int) -> int | None:
    """The position after ``parts`` read from ``start``: each part one or (unhyphenated) two or
    three characters, each character one reading; None when they do not read there."""

    def walk(part_index: int, offset: int, position: int) -> int | None:
        if part_index == len(parts):
            return position
        part = parts[part_index]
        if offset == len(part):
            return walk(part_index + 1, 0, position)
        if position >= len(chars) or (offset and len(parts) > 1):
            return None  # a hyphenated part is exactly one syllable
        for reading in chars[position]:
            if reading and part.startswith(reading, offset):
                found = walk(part_index, offset + len(reading), position + 1)
                if found is not None:
                    return found
        return None

    return walk(0, 0, start)


@lru_cache(maxsize=64)
def _source_readings(source: str) -> tuple[frozenset[str], ...]:
    """Every romanization of each character of ``source`` (none for a non-Han character)."""
    index = pinyin_index(source)
    return tuple(
        _other_readings(char, readings) if readings else frozenset()
        for char, readings in zip(source, index.readings, strict=True)
    )


def _surname_length(source: str, start: int) -> int:
    """How many characters of a known surname (the offline engine's table, compound ones first)
    ``source`` has at ``start``, simplified or traditional; 0 when none."""
    from summarizer.text.analysis.romanize import surname_table

    table = surname_table()
    for length in (2, 1):
        written = source[start : start + length]
        if len(written) == length and (
            written in table or t2s_converter().convert(written) in table
        ):
            return length
    return 0


def romanized_name_in_source(first: str, second: str, source: str) -> bool:
    """Whether two capitalized words are a name of ``source`` written in Wade-Giles, a passport
    variant of it or Cantonese romanization, surname first or last ("Chiling Tong" for 董继玲,
    "Lee Teng-hui" for 李登辉, "Cheng Yuet-ngor" for 郑月娥): a known surname and one to three
    characters after it. Pinyin may fill in for syllables the systems spell alike ("Chi-ling":
    chi is Wade-Giles, ling both)."""
    words = (_word_parts(first), _word_parts(second))
    if not all(words) or not all(p.isascii() and p.isalpha() for w in words for p in w):
        return False
    chars = _source_readings(source)
    initials = {parts[0][0] for parts in words}
    for start, options in enumerate(chars):
        if not any(reading[:1] in initials for reading in options):
            continue
        surname = _surname_length(source, start)
        if not surname:
            continue  # 鲤鱼 reads "Lei Yue" in Cantonese, but 鲤 is no surname
        for head, tail in (words, words[::-1]):
            middle = _matches_at(head, chars, start)
            if middle is None or middle - start != surname:
                continue
            end = _matches_at(tail, chars, middle)
            if end is not None and end - middle <= 3:
                return True
    return False


#: Official English names (GB/T 3304) of China's nationalities that pinyin of their Chinese name
#: does not give, with that name: "Ximeng Va Autonomous County" for 西盟佤族自治县.
# fmt: off
ETHNIC_GROUPS = {
    "va": "佤", "gin": "京", "daur": "达斡尔", "xibe": "锡伯", "blang": "布朗", "jino": "基诺",
    "monba": "门巴", "lhoba": "珞巴", "bonan": "保安", "yugur": "裕固", "salar": "撒拉",
    "derung": "独龙", "oroqen": "鄂伦春", "ewenki": "鄂温克", "kazak": "哈萨克",
    "kazakh": "哈萨克", "uygur": "维吾尔", "uyghur": "维吾尔", "uighur": "维吾尔",
    "tajik": "塔吉克", "uzbek": "乌孜别克", "kirgiz": "柯尔克孜", "kyrgyz": "柯尔克孜",
    "tatar": "塔塔尔", "mongol": "蒙古", "russ": "俄罗斯", "tibetan": "藏", "korean": "朝鲜",
    "deang": "德昂", "hezhen": "赫哲", "bouyei": "布依",
}
# fmt: on


def ethnic_group_in_source(first: str, second: str, source: str) -> bool:
    """Whether either word is the official English name of a nationality ``source`` names
    ("Ximeng Va" where the source writes 西盟佤族): part of a place or group's name, not a
    person's."""
    groups = [ETHNIC_GROUPS.get(word.lower().replace("'", "")) for word in (first, second)]
    if not any(groups):
        return False
    simplified = t2s_converter().convert(source)
    return any(group and (group in source or group in simplified) for group in groups)
