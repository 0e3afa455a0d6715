"""``benchmarks/meta_eval.py`` keeps its splits apart: the blind sets built from fetched data
(``fresh-2``: WMT21, ``fresh-3``: WMT23, ``fresh-4``, ``fresh-5`` and ``fresh-6``: WMT20,
``fresh-7`` and ``fresh-8``: WMT17, ``fresh-9``: WMT19, one reference per document) are
reported on their own, first, come after the shipped documents, draw their planted errors from
generators of their own, and adding them changes none of the errors planted in the other splits.
Their text is not in the repository: these tests put small sets of the same shape, written here,
where the built sets would be, and check that a set that is not built is left out with one line
saying how to build it."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from summarizer.eval import goldset

ROOT = Path(__file__).resolve().parents[2]
MONTHS = ("March", "April", "May", "June")


@pytest.fixture(scope="module")
def meta_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("meta_eval", ROOT / "benchmarks" / "meta_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["meta_eval"] = module
    spec.loader.exec_module(module)
    return module


def _document(prefix: str, place: str, number: int, references: int, split: str) -> dict[str, Any]:
    """A small news-like document of our own: numbers, dates, names and long sentences."""
    source, english = [], []
    for line in range(5):
        day, count = number + line + 2, 10 * number + line
        source.append(f"{prefix}第{line}段：某县{day}日召开会议，王建国等{count}人出席。")
        english.append(
            f"On {MONTHS[line % 4]} {day}, the county of {place} held its meeting number {line} "
            f"and Wang Jianguo attended it with {count} other delegates from nearby towns."
        )
    translations = [[f"{text} ({label})" for text in english] for label in "AB"[:references]]
    return {
        "id": f"{prefix}.doc-{number}",
        "source": "\n".join(source),
        "provenance": "written for this test",
        "license": "MIT",
        "references": {"translation": translations},
        "extra": {"split": split},
    }


SYNTHETIC = {
    "wmt21-zhen": ("wmt21.zh-en.line", "Lakeside", 4, 1, "fresh-2"),
    "wmt23-zhen": ("wmt23.zh-en.news", "Hillview", 3, 1, "fresh-3"),
    "wmt20-zhen": ("wmt20.zh-en.doc", "Riverbend", 3, 2, "fresh-4"),
    "wmt20-zhen-fresh-5": ("wmt20.zh-en.next", "Stonebridge", 2, 2, "fresh-5"),
    "wmt20-zhen-fresh-6": ("wmt20.zh-en.later", "Millbrook", 2, 2, "fresh-6"),
    "wmt17-zhen-fresh-7": ("wmt17.zh-en.line", "Oakfield", 2, 2, "fresh-7"),
    "wmt17-zhen-fresh-8": ("wmt17.zh-en.more", "Elmwood", 2, 2, "fresh-8"),
    "wmt19-zhen-fresh-9": ("wmt19.zh-en.line", "Ashford", 3, 1, "fresh-9"),
}


def _external(root: Path, *, built: bool, unbuilt: tuple[str, ...] = ()) -> Path:
    """The blind sets as ``evals/external`` would hold them: manifests, examples if built (and
    not named in ``unbuilt``)."""
    for name, (prefix, place, documents, references, split) in SYNTHETIC.items():
        examples = [_document(prefix, place, n, references, split) for n in range(documents)]
        manifest = {
            "name": name,
            "version": "1",
            "description": f"{documents} documents written for a test",
            "provenance": "written for this test",
            "license": "MIT",
            "build": f"python evals/tools/build_{name[:5]}.py --mirrors DIR",
        }
        goldset.write_set(root / name, manifest, examples)
        if not built or name in unbuilt:
            (root / name / "examples.jsonl").unlink()
    return root


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = _external(tmp_path / "external", built=True)
    monkeypatch.setattr(goldset, "external_root", lambda: root)
    yield root


@pytest.fixture
def not_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = _external(tmp_path / "external", built=False)
    monkeypatch.setattr(goldset, "external_root", lambda: root)
    yield root


def _planted(meta_eval: ModuleType, pairs: list[Any], splits: set[str]) -> list[Any]:
    """Every copy a detection run plants, seed 1, in the order it plants them, for ``splits``."""
    copies = []
    for kind, (corrupt, _codes) in meta_eval.KINDS.items():
        shared = random.Random(f"1:{kind}")
        for pair in pairs:
            rng = meta_eval._generator(shared, 1, kind, pair)
            for count, english in enumerate(corrupt(pair, rng, pairs)):
                if count >= 5:
                    break
                if pair.split in splits:
                    copies.append((kind, pair.name, english))
    return copies


def test_not_built_sets_are_left_out_with_one_line_each(
    meta_eval: ModuleType, not_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs = meta_eval.human_pairs()
    lines = capsys.readouterr().out.splitlines()
    assert sorted(lines) == sorted(
        [
            f"not built: {name} (its split is left out): python evals/tools/build_{name[:5]}.py "
            "--mirrors DIR"
            for name in (
                "wmt20-zhen",
                "wmt20-zhen-fresh-5",
                "wmt20-zhen-fresh-6",
                "wmt17-zhen-fresh-7",
                "wmt17-zhen-fresh-8",
                "wmt19-zhen-fresh-9",
                "wmt21-zhen",
                "wmt23-zhen",
            )
        ]
    )
    assert {pair.split for pair in pairs} == {"tune", "held-out", "fresh"}
    fresh = [pair for pair in pairs if pair.split == "fresh"]
    assert len(fresh) == 16 and len({pair.document for pair in fresh}) == 8


def test_blind_sets_come_last_and_change_no_other_split(
    meta_eval: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_root = _external(tmp_path / "without", built=False)
    with_root = _external(tmp_path / "with", built=True)
    monkeypatch.setattr(goldset, "external_root", lambda: without_root)
    without = meta_eval.human_pairs()
    monkeypatch.setattr(goldset, "external_root", lambda: with_root)
    pairs = meta_eval.human_pairs()
    assert pairs[: len(without)] == without  # the shipped documents first, unchanged
    added = [pair.split for pair in pairs[len(without) :]]
    # fresh-2 (both halves) after the shipped ones, then fresh-3 to fresh-9; fresh-4 to fresh-8
    # have references A and B, fresh-9 (the last) only A
    assert added[:4] == [meta_eval.fresh_2_split(f"wmt21.zh-en.line.doc-{n}") for n in range(4)]
    assert added[4:] == (
        ["fresh-3"] * 3
        + ["fresh-4"] * 6
        + ["fresh-5"] * 4
        + ["fresh-6"] * 4
        + ["fresh-7"] * 4
        + ["fresh-8"] * 4
        + ["fresh-9"] * 3
    )
    assert [pair.name[-2:] for pair in pairs[-5:]] == ["/A", "/B", "/A", "/A", "/A"]
    assert len({pair.document for pair in pairs if pair.split == "fresh-9"}) == 3
    shipped = {"tune", "held-out", "fresh"}
    assert _planted(meta_eval, pairs, shipped) == _planted(meta_eval, without, shipped)
    recorded = json.loads((ROOT / "evals" / "splits.json").read_text(encoding="utf-8"))
    listed = {
        identifier
        for value in recorded.values()
        if isinstance(value, dict)
        for identifiers in value.values()
        for identifier in identifiers
    }
    assert not listed & {pair.document for pair in pairs if pair.split == "fresh"}
    # reported first, the newest set first, the report half before the design half
    assert meta_eval.SPLITS[:10] == (
        "fresh-9",
        "fresh-8",
        "fresh-7",
        "fresh-6",
        "fresh-5",
        "fresh-4",
        "fresh-3",
        "fresh-2-held",
        "fresh-2-tune",
        "fresh",
    )


@pytest.mark.parametrize("newest", ["fresh-5", "fresh-6", "fresh-7", "fresh-8", "fresh-9"])
def test_adding_a_newer_blind_set_changes_no_earlier_split(
    meta_eval: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newest: str
) -> None:
    """``fresh-9`` (and before it ``fresh-8``, ``fresh-7``, ``fresh-6`` and ``fresh-5``) comes
    after every other reference, draws from its own generators and gives no other split a
    sentence to insert, so every copy planted elsewhere is the one planted before it existed."""
    later = (
        "wmt20-zhen-fresh-5",
        "wmt20-zhen-fresh-6",
        "wmt17-zhen-fresh-7",
        "wmt17-zhen-fresh-8",
        "wmt19-zhen-fresh-9",
    )
    unbuilt = later[[name.endswith(newest) for name in later].index(True) :]
    without_root = _external(tmp_path / "without", built=True, unbuilt=unbuilt)
    with_root = _external(tmp_path / "with", built=True, unbuilt=unbuilt[1:])
    monkeypatch.setattr(goldset, "external_root", lambda: without_root)
    without = meta_eval.human_pairs()
    monkeypatch.setattr(goldset, "external_root", lambda: with_root)
    pairs = meta_eval.human_pairs()
    assert pairs[: len(without)] == without
    assert {pair.split for pair in pairs[len(without) :]} == {newest}
    others = {pair.split for pair in without}
    assert {"fresh-4", "fresh-3", "fresh-2-held", "tune"} <= others
    assert newest not in others
    assert _planted(meta_eval, pairs, others) == _planted(meta_eval, without, others)


def test_blind_splits_draw_errors_from_a_generator_of_their_own(
    meta_eval: ModuleType, built: Path
) -> None:
    """So a ``--splits fresh-2`` run plants the same errors as a full run, and the shared
    generator of the other splits never advances for a blind reference."""
    pairs = meta_eval.human_pairs()
    tune = next(pair for pair in pairs if pair.split == "tune")
    shared = random.Random("1:number changed")
    assert meta_eval._generator(shared, 1, "number changed", tune) is shared
    own_generator = ("fresh-2-", "fresh-3", "fresh-4", "fresh-5", "fresh-6", "fresh-7")
    for split in (*own_generator, "fresh-8", "fresh-9"):
        blind = next(pair for pair in pairs if pair.split.startswith(split))
        own = meta_eval._generator(shared, 1, "number changed", blind)
        again = meta_eval._generator(random.Random(5), 1, "number changed", blind)
        assert own is not shared
        first = list(meta_eval.change_number(blind, own, pairs))
        assert first and first == list(meta_eval.change_number(blind, again, pairs))
    assert shared.random() == random.Random("1:number changed").random()  # untouched


def _sentences(meta_eval: ModuleType, pairs: list[Any], splits: tuple[str, ...]) -> set[str]:
    return {
        sentence.strip()
        for pair in pairs
        if pair.split.startswith(splits)
        for paragraph in pair.english
        for sentence in meta_eval._SENTENCE.findall(paragraph)
    }


def test_inserted_sentences_never_come_from_a_newer_blind_split(
    meta_eval: ModuleType, built: Path
) -> None:
    blind = (
        "fresh",
        "fresh-2-",
        "fresh-3",
        "fresh-4",
        "fresh-5",
        "fresh-6",
        "fresh-7",
        "fresh-8",
        "fresh-9",
    )
    pairs = meta_eval.human_pairs()
    own = {split: _sentences(meta_eval, pairs, (split,)) for split in blind}
    barred_for = {"tune": blind} | {split: blind[i + 1 :] for i, split in enumerate(blind)}
    assert barred_for["fresh-8"] == ("fresh-9",) and barred_for["fresh-9"] == ()
    rng = random.Random(0)
    for split, barred in barred_for.items():
        pair = next(p for p in pairs if p.split.startswith(split) and p.split != "fresh-2")
        if split == "fresh":
            pair = next(p for p in pairs if p.split == "fresh")
        taken = set()
        for english in list(meta_eval.insert_sentence(pair, rng, pairs))[:40]:
            (changed,) = [i for i, p in enumerate(english) if p != pair.english[i]]
            taken.add(english[changed][len(pair.english[changed].rstrip()) + 1 :])
        assert taken
        for other in barred:
            assert not taken & own[other], (split, other)


def test_fresh_2_is_halved_by_the_hash_of_its_ids(meta_eval: ModuleType) -> None:
    """The design half (first SHA-256 byte of the id even) and the report half (odd), fixed by
    rule before any flag of either was read; every WMT21 document is in exactly one. The ids are
    the committed manifest's."""
    manifest = json.loads(
        (ROOT / "evals" / "external" / "wmt21-zhen" / "manifest.json").read_text("utf-8")
    )
    halves = {split: 0 for split in meta_eval.FRESH_2_SPLITS}
    for identifier in manifest["ids"]:
        even = hashlib.sha256(identifier.encode("utf-8")).digest()[0] % 2 == 0
        split = meta_eval.fresh_2_split(identifier)
        assert split == ("fresh-2-tune" if even else "fresh-2-held")
        halves[split] += 1
    assert halves == {"fresh-2-held": 46, "fresh-2-tune": 57}


def test_fresh_9_has_one_reference_per_document_and_refuses_two(
    meta_eval: ModuleType, built: Path
) -> None:
    """``fresh-9`` (WMT19) has only reference A: one pair per document, named ``/A``; a built
    set with a second reference is refused with one line, not read as A and B."""
    pairs = [pair for pair in meta_eval.human_pairs() if pair.split == "fresh-9"]
    assert [pair.name for pair in pairs] == [f"wmt19.zh-en.line.doc-{n}/A" for n in range(3)]
    assert all(len(pair.english) == len(pair.source) == 5 for pair in pairs)
    two = [_document("wmt19.zh-en.line", "Ashford", 0, 2, "fresh-9")]
    manifest = json.loads((built / "wmt19-zhen-fresh-9" / "manifest.json").read_text("utf-8"))
    goldset.write_set(built / "wmt19-zhen-fresh-9", manifest, two)
    with pytest.raises(SystemExit, match="has 2 references; split 'fresh-9' has one"):
        meta_eval.human_pairs()
