"""``benchmarks/meta_eval.py`` keeps its splits apart: the blind ``fresh`` documents are reported
on their own, and adding them changed none of the errors planted in the other splits."""

from __future__ import annotations

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
    assert pairs[-16:] == fresh  # the other splits' seeded generator runs as before
    recorded = json.loads((ROOT / "evals" / "splits.json").read_text(encoding="utf-8"))
    listed = {
        identifier
        for value in recorded.values()
        if isinstance(value, dict)
        for identifiers in value.values()
        for identifier in identifiers
    }
    assert not listed & {pair.document for pair in fresh}
    assert meta_eval.SPLITS[0] == "fresh"  # reported first


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
    fresh = next(pair for pair in pairs if pair.split == "fresh")
    rng = random.Random(0)
    for pair, may_take_fresh in ((tune, False), (fresh, True)):
        taken = set()
        for english in list(meta_eval.insert_sentence(pair, rng, pairs))[:40]:
            (changed,) = [i for i, p in enumerate(english) if p != pair.english[i]]
            taken.add(english[changed][len(pair.english[changed].rstrip()) + 1 :])
        if not may_take_fresh:
            assert not taken & fresh_sentences
        assert taken
