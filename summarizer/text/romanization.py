"""Romanizations of Chinese personal names, and whether an English name is one of them.

A model writes ``name_en`` for a name the article writes in Chinese; it must be that person's
name, not another person's (张建华 is "Zhang Jianhua", never "Li Qiang"). Real English names
mix systems and add Western given names ("Carrie Lam" for 林郑月娥, "Lee Hsien Loong" for
李显龙), so the rule is about the surname and about swapped syllables, not about one spelling:

* the surname (first or last word, or two words for a compound surname: "Au Yeung") must read as
  the Chinese surname: Hanyu Pinyin of any reading (pypinyin's heteronyms, and the surname table's
  reading, 单 "Shan"), Wade-Giles and its passport variants (蒋 "Chiang", 蔡 "Tsai"), Hong Kong
  Cantonese (``cantonese-romanisation``: 林 "Lam", 黄 "Wong"), or a common Hokkien, Teochew,
  Hakka or Malaysian/Singaporean spelling from ``DIALECT_SURNAMES`` (陈 "Tan", 林 "Lim");
* the other words either read as the given name, one syllable per character, in one word,
  hyphenated or separate (the whole of it: "Zhang Hua" is not 张建华); or are no romanized syllable
  at all, a Western given name or initials ("Carrie", "Jimmy", "Pony", "C.Y."); or mix both, the
  romanized words reading the given name in order and the others standing for at most one
  character each ("Hsien Loong": 显 "Hsien", 龙 the Singaporean "Loong"). A given name of valid
  syllables that are another name's ("Zhang Jianhua" for 张伟) is refused: that is the swap the
  rule exists for. The price: a Western given name that is also a syllable ("Sam", "Ben", "Linda")
  counts as romanized, so "Sam Li" for 李伟 is refused.

Case, tone marks, apostrophes and dots do not matter. Names that are not Chinese names
(transliterated foreign names such as 斯皮尔伯格, names with no known surname) have no
requirement, and a well-known name's English form (``known_names``) is always accepted.

Wade-Giles comes from pinyin by the system's fixed correspondence of initials and finals (no
well-kept library with a permissive licence offers it); Cantonese comes from the package's
character table (traditional characters, so simplified ones are converted with OpenCC first). No
maintained library gives the Southeast Asian dialect spellings of surnames, hence the short table.
Eval's grounding (``summarizer.eval.checks.romanizations``) uses the same tables.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

from summarizer.text.analysis.romanize import (
    TRANSLITERATION,
    known_names,
    split_name,
    surname_table,
)
from summarizer.text.chars import HAN_RUN

#: Pinyin initials and their Wade-Giles forms, apostrophes of aspiration dropped (p' -> p).
_WG_INITIALS = (
    ("zh", "ch"),
    ("ch", "ch"),
    ("sh", "sh"),
    ("b", "p"),
    ("p", "p"),
    ("d", "t"),
    ("t", "t"),
    ("g", "k"),
    ("k", "k"),
    ("j", "ch"),
    ("q", "ch"),
    ("x", "hs"),
    ("z", "ts"),
    ("c", "ts"),
    ("r", "j"),
    ("s", "s"),
    ("m", "m"),
    ("f", "f"),
    ("n", "n"),
    ("l", "l"),
    ("h", "h"),
    ("y", "y"),
    ("w", "w"),
)
#: Whole syllables Wade-Giles spells apart from the rules below.
_WG_SYLLABLES = {
    "zi": ("tzu",),
    "ci": ("tzu",),
    "si": ("ssu", "szu"),
    "zhi": ("chih",),
    "chi": ("chih",),
    "shi": ("shih",),
    "ri": ("jih",),
    "er": ("erh",),
    "e": ("o", "e"),
    "yi": ("i", "yi"),
    "you": ("yu",),
    "yan": ("yen",),
    "ye": ("yeh",),
    "yue": ("yueh",),
    "yong": ("yung",),
}


def _wg_final(initial: str, final: str) -> str:
    """The Wade-Giles spelling of a pinyin final after ``initial`` (its pinyin form)."""
    final = final.replace("ü", "u")
    if final == "e":
        return "o" if initial in ("g", "k", "h") else "e"
    if final == "uo":
        return "uo" if initial in ("g", "k", "h", "sh") else "o"
    if final == "ui" and initial in ("g", "k"):
        return "uei"
    for pinyin_end, wg_end in (("iong", "iung"), ("ong", "ung"), ("ian", "ien"), ("ie", "ieh")):
        if final.endswith(pinyin_end):
            return final[: -len(pinyin_end)] + wg_end
    if final == "ue":
        return "ueh"
    return final


def _passport_variants(form: str) -> set[str]:
    """Wade-Giles as Taiwanese and diaspora passports write it: the final -ung also as -ong
    (董 "Tong", 洪 "Hong"), and a y- before i dropped (英 "Ing" in "Tsai Ing-wen")."""
    variants = {form}
    if form.endswith("ung"):
        variants.add(form[:-3] + "ong")
    if form.startswith("yi"):
        variants.add(form[1:])
    return variants


@lru_cache(maxsize=4096)
def wade_giles(syllable: str) -> frozenset[str]:
    """The Wade-Giles forms (without apostrophes or umlauts) of a toneless pinyin syllable, with
    their common passport variants: "jiang" -> "chiang", "deng" -> "teng", "dong" -> "tung" and
    "tong", "ying" -> "ying" and "ing"."""
    syllable = syllable.lower().replace("v", "ü")
    if syllable in _WG_SYLLABLES:
        forms = set(_WG_SYLLABLES[syllable])
    else:
        initial, wg_initial = next(
            ((p, w) for p, w in _WG_INITIALS if syllable.startswith(p)), ("", "")
        )
        forms = {wg_initial + _wg_final(initial, syllable[len(initial) :])}
    return frozenset(variant for form in forms for variant in _passport_variants(form))


#: Common Hokkien, Teochew, Hakka and Malaysian/Singaporean spellings of surnames that pinyin,
#: Wade-Giles and the Hong Kong table do not give (陈 "Tan", 林 "Lim", 黄 "Ng"), lowercase. Kept
#: short on purpose: the surnames of most Southeast Asian Chinese public figures. One surname a
#: line, then its spellings.
_DIALECT_SURNAME_LINES = """
陈 tan chin chen ting
林 lim lin liem
黄 ng wee oei huang bong
吴 goh ng woo gouw
王 ong heng wang
李 lee lie
张 teo teoh chong cheong
许 koh khoo kho hee
郑 tay teh cheng tee
刘 lau low liew lao
蔡 chua tsai
杨 yeo yeoh yong yang
谢 seah chia tse sia
郭 quek kwek kuok kuek
何 ho hoe hor
曾 tsang chen
周 chew chow chou
邱 khoo hew yau chiu
胡 ooi oh wu
梁 neo leong leung nio
叶 yap yeap yip ip
苏 soh saw so
徐 chee tsui hsu
萧 seow siow siew
罗 lo loh law
卓 toh tok
朱 choo chu
潘 phua poon
洪 ang hung
庄 chng chong
钟 chong chung
余 ee yee yu
方 png fong
孙 soon sun
马 beh mah
魏 gui ngai
侯 kow hau
姚 yeow yao
严 giam yim
颜 gan ngan
龚 kong
彭 phang pang
赖 lai nai
游 yu iu
廖 liao leow liew
"""
DIALECT_SURNAMES: dict[str, frozenset[str]] = {
    line.split()[0]: frozenset(line.split()[1:])
    for line in _DIALECT_SURNAME_LINES.splitlines()
    if line.strip()
}


@lru_cache(maxsize=1)
def _cantonese_table() -> dict[str, list[str]]:
    from cantoroman import Cantonese

    table: dict[str, list[str]] = Cantonese().charToRoman
    return table


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2hk")


@lru_cache(maxsize=65536)
def cantonese_readings(char: str) -> frozenset[str]:
    """Hong Kong Government Cantonese romanizations of one character (陈 -> "chan", "chun")."""
    table = _cantonese_table()
    converter = _to_traditional()
    traditional = converter.convert(char)
    return frozenset(
        reading.lower()
        for form in {char, traditional}
        for reading in table.get(form, ())
        if reading.isascii() and reading.isalpha()
    )


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless Hanyu Pinyin syllable with a vowel (``ng`` and ``hm`` are no name's)."""
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    syllables = {
        to_normal(reading).replace("ü", "v")
        for readings in PINYIN_DICT.values()
        for reading in readings.split(",")
    }
    return frozenset(s for s in syllables if any(vowel in s for vowel in "aeiouv"))


@cache
def name_syllables() -> frozenset[str]:
    """Every syllable a romanized Chinese name may be made of: pinyin and Wade-Giles."""
    pinyin = pinyin_syllables()
    return pinyin | {form for syllable in pinyin for form in wade_giles(syllable)}


@lru_cache(maxsize=8192)
def char_readings(char: str) -> frozenset[str]:
    """Every romanization of one Han character, lowercase: its pinyin readings (ü also as u and
    v), their Wade-Giles forms, and its Cantonese readings."""
    from pypinyin import Style, pinyin

    readings: set[str] = set()
    for reading in pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0]:
        plain = reading.lower().replace("ü", "v")
        # 吕: lv, lu, and lyu as passports write it
        readings.update({plain, plain.replace("v", "u"), plain.replace("v", "yu")})
        readings.update(wade_giles(plain))
    readings.update(cantonese_readings(char))
    return frozenset(readings)


def is_chinese_name(name: str) -> bool:
    """Whether ``name`` is a Chinese personal name a romanization is required for: two to four
    Han characters starting with a known surname, no character typical of transliterated foreign
    names after it, and not a well-known foreign name."""
    name = name.strip()
    if not 2 <= len(name) <= 4 or not HAN_RUN.fullmatch(name) or name in known_names():
        return False
    parts = split_name(name)
    return parts is not None and not any(char in TRANSLITERATION for char in parts[1])


def _reads_as(word: str, chars: str, surname: str | None = None) -> bool:
    """Whether ``word`` (lowercase letters) is ``chars`` read one syllable per character; the
    whole ``surname``, when given, may also read as the surname table's romanization."""
    if surname is not None and word == surname_table()[surname].lower().replace("'", ""):
        return chars == surname or _reads_as("", chars[len(surname) :])

    @cache
    def walk(offset: int, position: int) -> bool:
        if position == len(chars):
            return offset == len(word)
        return any(
            word.startswith(reading, offset) and walk(offset + len(reading), position + 1)
            for reading in char_readings(chars[position])
            if reading
        )

    return walk(0, 0)


_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_APOSTROPHES = re.compile(r"['’ʼ`.]")


def name_words(name_en: str) -> list[str]:
    """The words of an English name, lowercase, tone marks, apostrophes and dots dropped,
    hyphenated parts as separate words ("Ying-jeou" -> "ying", "jeou"; "Lü" -> "lu")."""
    decomposed = unicodedata.normalize("NFKD", name_en.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word for word in _SEPARATORS.split(_APOSTROPHES.sub("", plain)) if word]


def romanizes(name_en: str, name: str) -> bool:
    """Whether ``name_en`` can be the English name of the Chinese name ``name`` (see the module
    docstring); ``True`` for names that are not Chinese names, which need no particular spelling."""
    name = name.strip()
    if not is_chinese_name(name):
        return True
    known = known_names().get(name)
    if known is not None and known.casefold() == name_en.strip().casefold():
        return True
    parts = split_name(name)
    words = name_words(name_en)
    if parts is None or not words or not all(word.isascii() and word.isalpha() for word in words):
        return False
    surname, given = parts
    # "Carrie Lam Cheng Yuet-ngor": a Western given name before the name in Chinese order
    western = next((i for i, word in enumerate(words) if is_romanized_word(word)), 0)
    for surname_words_count in (1, 2):
        if surname_words_count >= len(words):
            break
        first = words[:surname_words_count], words[surname_words_count:]
        last = words[-surname_words_count:], words[:-surname_words_count]
        after_western = (
            words[western : western + surname_words_count],
            words[western + surname_words_count :],
        )
        for surname_part, given_part in (first, last, after_western):
            if (
                given_part
                and _reads_as_surname("".join(surname_part), surname)
                and _given_fits(given_part, given)
            ):
                return True
    return False


def _reads_as_surname(word: str, surname: str) -> bool:
    return word in DIALECT_SURNAMES.get(surname, ()) or _reads_as(word, surname, surname)


def _given_fits(words: list[str], given: str) -> bool:
    """Whether ``words`` (all but the surname) can be the given name ``given``: read as it, or no
    romanized syllable (a Western given name), or romanized words reading it in order with the
    others standing for at most one character each."""
    if _reads_as("".join(words), given):
        return True
    romanized = [is_romanized_word(word) for word in words]
    if not any(romanized):
        return True

    @cache
    def fits(word_index: int, char_index: int) -> bool:
        if word_index == len(words):
            return char_index == len(given)
        if not romanized[word_index]:
            return fits(word_index + 1, char_index) or (
                char_index < len(given) and fits(word_index + 1, char_index + 1)
            )
        return any(
            _reads_as(words[word_index], given[char_index:end]) and fits(word_index + 1, end)
            for end in range(char_index + 1, len(given) + 1)
        )

    return fits(0, 0)


@cache
def single_syllables() -> frozenset[str]:
    """Every syllable of a romanized name in one system or another: pinyin, Wade-Giles,
    Hong Kong Cantonese and the dialect surname spellings."""
    cantonese = {
        reading.lower()
        for readings in _cantonese_table().values()
        for reading in readings
        if reading.isascii() and reading.isalpha()
    }
    dialect = {spelling for spellings in DIALECT_SURNAMES.values() for spelling in spellings}
    return name_syllables() | cantonese | dialect


@lru_cache(maxsize=4096)
def is_romanized_word(word: str) -> bool:
    """Whether ``word`` (lowercase letters) is a romanized given-name word: one syllable of any
    system, or two or three pinyin syllables of two letters or more written together ("jianhua").
    "Carrie", "Jimmy", "Joshua" are not; "Sam" and "Linda" (lin-da) are."""
    if word in single_syllables():
        return True
    pinyin = pinyin_syllables()

    def joined(offset: int, count: int) -> bool:
        if offset == len(word):
            return count >= 2
        return count < 3 and any(
            word[offset:end] in pinyin and joined(end, count + 1)
            for end in range(offset + 2, len(word) + 1)
        )

    return joined(0, 0)


def is_name_word(word: str) -> bool:
    """Whether ``word`` (one word, any case) is made of romanized-name syllables."""
    letters = "".join(name_words(word))
    syllables = name_syllables()

    @cache
    def walk(offset: int) -> bool:
        if offset == len(letters):
            return True
        return any(
            letters[offset:end] in syllables and walk(end)
            for end in range(len(letters), offset, -1)
        )

    return bool(letters) and letters.isascii() and letters.isalpha() and walk(0)


@cache
def surname_words() -> frozenset[str]:
    """Lowercase romanizations of the known surnames (pinyin of the table, and Wade-Giles)."""
    words: set[str] = set()
    for romanized in surname_table().values():
        plain = romanized.lower().replace("'", "")
        words.add(plain)
        if plain in pinyin_syllables():
            words.update(wade_giles(plain))
    return frozenset(words)
