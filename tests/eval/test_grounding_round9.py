"""Grounding checks of issue 10, round 9 (designed on the flags and the missed name swaps of
``fresh-7``, and on classes seen on two of ``fresh-4`` to ``fresh-7``). Each case comes with its
changed twin, which is still flagged. The sentences are our own."""

from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType

import pytest

from summarizer.eval.checks.mentions import check_name_mentions
from summarizer.eval.checks.names import (
    CAP_PAIR,
    check_names,
    is_name_pair,
    pinyin_index,
    verified_names,
)
from tests.eval.script_modules import load_script

ROOT = Path(__file__).resolve().parents[2]


def _texts(flags: list) -> list[str]:  # type: ignore[type-arg]
    return [flag.text for flag in flags]


@pytest.fixture(scope="module")
def meta_eval() -> ModuleType:
    return load_script("meta_eval", ROOT / "benchmarks" / "meta_eval.py")


# --- names written with pinyin's syllable-dividing apostrophe (fresh-7 line-0701) ---------------

APOSTROPHE_SOURCE = "主持人王志安在微博上发表言论，兰越峰随后提出起诉。"


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_a_name_with_a_syllable_apostrophe_is_read_whole(apostrophe: str) -> None:
    """ "Wang Zhi'an" (王志安) was read as "Wang Zhi", a name of its own: its second syllable
    was never checked, and the meta-evaluation planted "Wang Zhi" as a person of the document."""
    english = f"The host Wang Zhi{apostrophe}an posted on Weibo, and Lan Yuefeng sued."
    assert verified_names(english, APOSTROPHE_SOURCE) == [f"Wang Zhi{apostrophe}an", "Lan Yuefeng"]
    assert check_names(english, APOSTROPHE_SOURCE, 0) == []
    # the syllable after the apostrophe changed: another name, flagged
    changed = english.replace(f"Zhi{apostrophe}an", f"Zhi{apostrophe}en")
    assert _texts(check_names(changed, APOSTROPHE_SOURCE, 0)) == [f"Wang Zhi{apostrophe}en"]


def test_a_possessive_is_no_syllable() -> None:
    english = "Lan Yuefeng's lawsuit named the host Wang Zhian's posts."
    assert verified_names(english, APOSTROPHE_SOURCE) == ["Lan Yuefeng", "Wang Zhian"]


# --- a place before a name (surfaced by the apostrophe: "Xing'an Yuan Longping") ---------------

PLACE_SOURCE = "内蒙古兴安盟袁隆平院士工作站今年水稻测产。"


@pytest.mark.parametrize("place", ["Xing'an", "Xingan"])
def test_a_source_word_before_a_source_name_is_no_name(place: str) -> None:
    """兴安盟袁隆平: the place 兴安 and the name 袁隆平 are not consecutive in the source, so
    "Xing'an Yuan" was a name the source does not state."""
    english = f"The {place} Yuan Longping Academician Workstation measured its rice."
    assert check_names(english, PLACE_SOURCE, 0) == []
    # the name after it changed: still flagged (the pair before it too: it no longer precedes a
    # source name)
    swapped = english.replace("Yuan Longping", "Wang Longping")
    assert f"{place} Wang" in _texts(check_names(swapped, PLACE_SOURCE, 0))
    assert "Wang Longping" in _texts(check_names(swapped, PLACE_SOURCE, 0))


def test_a_word_the_source_does_not_write_before_a_name_is_still_checked() -> None:
    english = "The Xiamen Yuan Longping Academician Workstation measured its rice."
    assert _texts(check_names(english, PLACE_SOURCE, 0)) == ["Xiamen Yuan"]


# --- a swap into the person a pronoun refers to (fresh-7 line-0701, the real swaps missed) ------

DEMAND_SOURCE = [
    "李明和张华因一篇文章发生争执。",
    "李明要求张华删除文章并向其道歉。",
]
DEMAND_ENGLISH = [
    "Li Ming and Zhang Hua quarrelled over an article.",
    "Li Ming demanded that Zhang Hua delete the article and apologize to him.",
]


def test_a_name_swapped_for_the_pronouns_antecedent_is_flagged() -> None:
    """其 refers back to the person named last before it (张华), so "Zhang Hua" could be named
    twice: the swap Li Ming -> Zhang Hua passed. Li Ming, whom the source paragraph names, is
    then missing from the English: a swap, not a pronoun written as its name."""
    assert check_name_mentions(DEMAND_ENGLISH, DEMAND_SOURCE) == []
    swapped = [DEMAND_ENGLISH[0], DEMAND_ENGLISH[1].replace("Li Ming", "Zhang Hua")]
    assert _texts(check_name_mentions(swapped, DEMAND_SOURCE)) == ["Zhang Hua"]


def test_a_pronoun_written_as_its_name_still_passes() -> None:
    """The twin: the translator writes 其 as the name it stands for and keeps every person."""
    english = [
        DEMAND_ENGLISH[0],
        "Li Ming demanded that Zhang Hua delete the article and that Zhang Hua apologize.",
    ]
    assert check_name_mentions(english, DEMAND_SOURCE) == []
    # and naming that person once more than the pronoun allows is still flagged
    more = [english[0], english[1] + " Zhang Hua refused."]
    assert _texts(check_name_mentions(more, DEMAND_SOURCE)) == ["Zhang Hua"]


# --- the seeder: a swap is for another person, never another spelling of the same one --------


def _people_named(paragraph: str, source: str) -> list[frozenset[int]]:
    """Who a paragraph names: each name pair as the places it reads in the source."""
    index = pinyin_index(source)
    return sorted(
        (
            index.pair_positions(*match.groups())
            for match in CAP_PAIR.finditer(paragraph)
            if is_name_pair(*match.groups()) and index.pair_positions(*match.groups())
        ),
        key=sorted,
    )


def test_the_seeder_swaps_a_name_only_for_another_person(meta_eval: ModuleType) -> None:
    """fresh-7 line-0701 writes 王志安 as "Wang Zhian" and "Wang Zhi'an": 9 of the 13 swaps
    missed there replaced one spelling with the other (or with "Wang Zhi", the fragment the old
    name pattern read), which names the same person and is no error."""
    source = ["王志安发表言论。", "兰越峰起诉王志安。", "王志安回应。"]
    whole = "\n".join(source)
    english = ["Wang Zhian made remarks.", "Lan Yuefeng sued Wang Zhi'an.", "Wang Zhian responded."]
    pair = meta_eval.Pair("doc/A", source, english, "tune")
    copies = 0
    for seed in range(10):
        for copy in meta_eval.swap_name(pair, random.Random(seed), []):
            copies += 1
            (index,) = [
                i for i, (new, old) in enumerate(zip(copy, english, strict=True)) if new != old
            ]
            assert _people_named(copy[index], whole) != _people_named(english[index], whole)
    assert copies == 40


def test_the_seeder_misspells_letters_not_the_apostrophe(meta_eval: ModuleType) -> None:
    """ "Zhi'an" -> "Zh'ian" moves the syllable mark and leaves every letter: no misspelling."""
    pair = meta_eval.Pair(
        "doc/A", APOSTROPHE_SOURCE.split("，"), ["Wang Zhi'an posted.", "Lan Yuefeng sued."], "tune"
    )
    planted = [
        copy[0]
        for seed in range(30)
        for copy in meta_eval.misspell_name(pair, random.Random(seed), [])
        if copy[0] != pair.english[0]
    ]
    assert planted  # "Zhi'an" is still misspelled, by its letters
    for text in planted:
        word = text.split()[1]
        assert word.index("'") == 3, text
