"""``benchmarks/meta_eval.py`` keeps its splits apart: the ``fresh-2`` (WMT21) halves and ``fresh``
documents are reported on their own, the report half ``fresh-2-held`` first, and adding them changed
none of the errors
planted in the other splits."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def meta_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("meta_eval", ROOT / "benchmarks" / "meta_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["meta_eval"] = module
    spec.loader.exec_module(module)
    return module


def test_fresh_documents_are_their_own_split_and_come_last(meta_eval: ModuleType) -> None:
    pairs = meta_eval.human_pairs()
    fresh = [pair for pair in pairs if pair.split == "fresh"]
    assert len(fresh) == 16 and len({pair.document for pair in fresh}) == 8
    fresh_2 = [pair for pair in pairs if pair.split.startswith("fresh-2")]
    fresh_3 = [pair for pair in pairs if pair.split == "fresh-3"]
    fresh_4 = [pair for pair in pairs if pair.split == "fresh-4"]
    # the other splits' seeded generator runs as before: fresh-4 last, then fresh-3, fresh-2, fresh
    assert fresh_4 and pairs[-len(fresh_4) :] == fresh_4
    before_4 = pairs[: -len(fresh_4)]
    assert fresh_3 and before_4[-len(fresh_3) :] == fresh_3
    before_3 = before_4[: -len(fresh_3)]
    assert before_3[-len(fresh_2) :] == fresh_2
    assert before_3[-len(fresh_2) - 16 : -len(fresh_2)] == fresh
    recorded = json.loads((ROOT / "evals" / "splits.json").read_text(encoding="utf-8"))
    listed = {
        identifier
        for value in recorded.values()
        if isinstance(value, dict)
        for identifiers in value.values()
        for identifier in identifiers
    }
    assert not listed & {pair.document for pair in fresh}
    # reported first, the newest set first, the report half before the design half
    assert meta_eval.SPLITS[:5] == ("fresh-4", "fresh-3", "fresh-2-held", "fresh-2-tune", "fresh")


def test_fresh_2_is_the_wmt21_set_with_one_reference_per_document(meta_eval: ModuleType) -> None:
    pairs = [pair for pair in meta_eval.human_pairs() if pair.split.startswith("fresh-2")]
    assert len(pairs) == 103 and len({pair.document for pair in pairs}) == 103
    assert all(pair.name.endswith("/A") and pair.document.startswith("wmt21.") for pair in pairs)
    assert sum(len(pair.english) for pair in pairs) == 1948
    assert all(len(pair.english) == len(pair.source) for pair in pairs)


def test_fresh_2_errors_come_from_a_generator_of_their_own(meta_eval: ModuleType) -> None:
    """So a ``--splits fresh-2`` run plants the same errors as a full run, and the shared
    generator of the other splits never advances for a fresh-2 reference."""
    pairs = meta_eval.human_pairs()
    tune = next(pair for pair in pairs if pair.split == "tune")
    wmt21 = next(pair for pair in pairs if pair.split.startswith("fresh-2"))
    shared = random.Random("1:number changed")
    assert meta_eval._generator(shared, 1, "number changed", tune) is shared
    own = meta_eval._generator(shared, 1, "number changed", wmt21)
    again = meta_eval._generator(random.Random(5), 1, "number changed", wmt21)
    assert own is not shared
    first = list(meta_eval.change_number(wmt21, own, pairs))
    assert first and first == list(meta_eval.change_number(wmt21, again, pairs))
    assert shared.random() == random.Random("1:number changed").random()  # untouched


def test_only_fresh_documents_take_inserted_sentences_from_fresh_documents(
    meta_eval: ModuleType,
) -> None:
    pairs = meta_eval.human_pairs()
    fresh_sentences = {
        sentence.strip()
        for pair in pairs
        if pair.split == "fresh"
        for paragraph in pair.english
        for sentence in meta_eval._SENTENCE.findall(paragraph)
    }
    tune = next(pair for pair in pairs if pair.split == "tune")
    fresh_2_sentences = {
        sentence.strip()
        for pair in pairs
        if pair.split.startswith("fresh-2")
        for paragraph in pair.english
        for sentence in meta_eval._SENTENCE.findall(paragraph)
    } - fresh_sentences
    fresh = next(pair for pair in pairs if pair.split == "fresh")
    wmt21 = next(pair for pair in pairs if pair.split.startswith("fresh-2"))
    rng = random.Random(0)
    for pair, may_take_fresh, may_take_fresh_2 in (
        (tune, False, False),
        (fresh, True, False),
        (wmt21, True, True),
    ):
        taken = set()
        for english in list(meta_eval.insert_sentence(pair, rng, pairs))[:40]:
            (changed,) = [i for i, p in enumerate(english) if p != pair.english[i]]
            taken.add(english[changed][len(pair.english[changed].rstrip()) + 1 :])
        if not may_take_fresh:
            assert not taken & fresh_sentences
        if not may_take_fresh_2:
            assert not taken & fresh_2_sentences
        assert taken


def test_fresh_2_is_halved_by_the_hash_of_its_ids(meta_eval: ModuleType) -> None:
    """The design half (first SHA-256 byte of the id even) and the report half (odd), fixed by
    rule before any flag of either was read; every WMT21 document is in exactly one."""
    pairs = [pair for pair in meta_eval.human_pairs() if pair.split.startswith("fresh-2")]
    for pair in pairs:
        even = hashlib.sha256(pair.document.encode("utf-8")).digest()[0] % 2 == 0
        assert pair.split == ("fresh-2-tune" if even else "fresh-2-held")
    halves = {
        split: sum(pair.split == split for pair in pairs) for split in meta_eval.FRESH_2_SPLITS
    }
    assert halves == {"fresh-2-held": 46, "fresh-2-tune": 57}
