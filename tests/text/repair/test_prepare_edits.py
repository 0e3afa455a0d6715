"""The edit tracker behind prepare(): offsets stay exact through any number of stages."""

from __future__ import annotations

import random

import pytest

from summarizer.text.repair.edits import Edit, EditTracker


def random_edits(text: str, rng: random.Random) -> list[Edit]:
    edits: list[Edit] = []
    position = 0
    while position < len(text):
        position += rng.randint(0, 6)
        if position > len(text):
            break
        length = rng.choice([0, 0, 1, 1, 2, 3])
        end = min(len(text), position + length)
        replacement = "".join(rng.choice("甲乙丙xyz ") for _ in range(rng.choice([0, 1, 1, 2])))
        if end == position and not replacement:
            replacement = "+"
        edits.append(Edit(position, end, replacement, f"kind{rng.randint(0, 3)}"))
        position = end + 1
    return edits


@pytest.mark.parametrize("seed", range(40))
def test_random_stages_keep_every_repair_traceable(seed: int) -> None:
    rng = random.Random(seed)
    original = "".join(rng.choice("區委書記張建華abc ,。\n") for _ in range(rng.randint(0, 60)))
    tracker = EditTracker(original)
    for _ in range(rng.randint(1, 5)):
        tracker.apply(random_edits(tracker.text, rng))
    text = tracker.text
    for repair in tracker.repairs():
        assert original[repair.original_start : repair.original_end] == repair.original
        assert text[repair.normalized_start : repair.normalized_end] == repair.replacement
    offset_map = tracker.offset_map()
    if text != original:
        assert len(offset_map) == len(text) + 1
        assert offset_map[-1] == len(original)
        assert all(0 <= offset <= len(original) for offset in offset_map)


def test_untouched_characters_map_to_themselves() -> None:
    tracker = EditTracker("ab(x)cd  ef")
    tracker.apply([Edit(2, 5, "", "pinyin_annotation")])
    tracker.apply([Edit(4, 6, " ", "whitespace")])
    assert tracker.text == "abcd ef"
    mapping = tracker.offset_map()
    for index, char in enumerate(tracker.text):
        if char != " ":
            assert tracker.original[mapping[index]] == char
    assert [(r.kind, r.original, r.replacement) for r in tracker.repairs()] == [
        ("pinyin_annotation", "(x)", ""),
        ("whitespace", "  ", " "),
    ]


def test_later_edit_inside_a_repair_updates_it_instead_of_adding_one() -> None:
    tracker = EditTracker("日?bào)訊")
    tracker.apply([Edit(1, 6, "報", "damaged_annotation", certain=False)])
    tracker.apply([Edit(1, 2, "报", "script"), Edit(2, 3, "讯", "script")])
    repairs = tracker.repairs()
    assert [(r.kind, r.original, r.replacement) for r in repairs] == [
        ("damaged_annotation", "?bào)", "报"),
        ("script", "訊", "讯"),
    ]
    assert not repairs[0].certain


def test_warnings_follow_their_text() -> None:
    tracker = EditTracker("甲(jiǎ)乙?丙")
    tracker.apply([Edit(7, 8, "", "x", warning=("lost", "a byte was lost"))])
    tracker.apply([Edit(1, 6, "", "pinyin_annotation")])
    (warning,) = tracker.warnings()
    assert tracker.text == "甲乙丙"
    assert (warning.code, warning.start, warning.end) == ("lost", 2, 2)


def test_overlapping_edits_are_rejected() -> None:
    tracker = EditTracker("abcdef")
    with pytest.raises(ValueError):
        tracker.apply([Edit(0, 3, "", "a"), Edit(2, 4, "", "b")])


def test_removal_inside_a_later_conversion_keeps_its_place() -> None:
    tracker = EditTracker("務(wù)虛會")
    tracker.apply([Edit(1, 5, "", "pinyin_annotation")])
    tracker.apply([Edit(0, 3, "务虚会", "script")])  # same length: every offset keeps its place
    # The conversion is recorded beside the removal, not around it: no two repairs overlap.
    assert [(r.kind, r.original, r.replacement, r.normalized_start) for r in tracker.repairs()] == [
        ("script", "務", "务", 0),
        ("pinyin_annotation", "(wù)", "", 1),
        ("script", "虛會", "虚会", 1),
    ]


def test_offset_inside_a_resized_replacement_goes_to_its_edge() -> None:
    tracker = EditTracker("abcd")
    tracker.apply([Edit(2, 2, "+", "insert", warning=("w", "marked"))])
    tracker.apply([Edit(1, 4, "X", "shrink")])
    (warning,) = tracker.warnings()
    assert tracker.text == "aXd"
    assert (warning.start, warning.end) == (1, 2)


def test_offsets_of_converted_names_point_at_the_names_in_the_original() -> None:
    """A span of the normalized seed maps back to the same words in the scraped original."""
    from pathlib import Path

    from opencc import OpenCC

    from summarizer.text import prepare

    seed = Path(__file__).parents[3] / "examples" / "tongzhou_2025-12-13_scraped.txt"
    document = prepare(seed.read_bytes())
    to_simplified = OpenCC("t2s")
    for word in ("张建华", "吴冰冰", "陈艳梅", "区委书记张建华", "吴瑕"):
        start = document.text.index(word)
        original_start = document.to_original_offset(start)
        original_end = document.to_original_offset(start + len(word))
        original = document.original[original_start:original_end]
        without_pinyin = "".join(part.split(")")[-1] for part in original.split("("))
        assert to_simplified.convert(without_pinyin) == word, original
