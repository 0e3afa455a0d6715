"""``evals/wmt20-zhen`` (grounding split ``fresh-4``) and the entity split ``held-out-6`` follow the
selection rule of ``evals/tools/build_wmt20.py``, and both are wired into the benchmarks as blind
splits reported first. No check or extractor runs here: these tests only load the files."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from summarizer.eval.goldset import load_set
from summarizer.text import prepare

ROOT = Path(__file__).resolve().parents[2]


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return _module("build_wmt20", ROOT / "evals" / "tools" / "build_wmt20.py")


def _order(example_id: str) -> str:
    return hashlib.sha256(example_id.encode("utf-8")).hexdigest()


def _details(path: Path, documents: list[tuple[str, int]]) -> Path:
    rows, number = [], 0
    for document, segments in documents:
        for segment in range(1, segments + 1):
            number += 1
            rows.append(f"{number}\tnewstest2020\tzh-en\t{document}\t{segment}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _held_out_6() -> list[dict[str, Any]]:
    lines = (ROOT / "evals" / "labelled" / "entities.jsonl").read_text("utf-8").splitlines()
    return [record for record in map(json.loads, lines) if record["split"] == "held-out-6"]


def test_documents_are_the_runs_of_one_id(builder: ModuleType, tmp_path: Path) -> None:
    details = _details(tmp_path / "zh-en.txt", [("a.1", 3), ("b.2", 1), ("c.3", 2)])
    cut = builder.documents(details)
    assert [(d.document, d.start, d.end) for d in cut] == [
        ("a.1", 0, 3),
        ("b.2", 3, 4),
        ("c.3", 4, 6),
    ]
    assert cut[0].example_id == "wmt20.zh-en.a.1"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [
                "1\tnewstest2020\tzh-en\ta\t1",
                "2\tnewstest2020\tzh-en\tb\t1",
                "3\tnewstest2020\tzh-en\ta\t2",
            ],
            "not contiguous",
        ),
        (["1\tnewstest2020\tzh-en\ta\t1", "2\tnewstest2020\tzh-en\ta\t3"], "out of order"),
        (["1\tnewstest2020\tzh-en\ta\t2"], "does not start at segment 1"),
        (["1\tnewstest2019\tzh-en\ta\t1"], "not newstest2020"),
    ],
)
def test_malformed_document_ids_are_refused(
    builder: ModuleType, tmp_path: Path, rows: list[str], message: str
) -> None:
    details = tmp_path / "zh-en.txt"
    details.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=message):
        builder.documents(details)


def test_selection_takes_the_smallest_hashes_and_never_overlaps(
    builder: ModuleType, tmp_path: Path
) -> None:
    sizes = [4, 5, 30, *range(5, 21)] * 4  # some too short, some too long for held-out-6
    documents = [(f"doc.{number}", segments) for number, segments in enumerate(sizes)]
    cut = builder.documents(_details(tmp_path / "zh-en.txt", documents))
    used = "doc.7 is used elsewhere"
    fresh, held = builder.select(cut, used)
    eligible = sorted(
        (d for d in cut if d.segments >= 5 and d.document != "doc.7"), key=lambda d: d.order
    )
    assert fresh == eligible[:40]
    assert all(d.segments >= 5 for d in fresh) and "doc.7" not in {d.document for d in fresh}
    assert held == [d for d in eligible[40:] if d.segments <= 20][:12]
    assert not {d.document for d in fresh} & {d.document for d in held}
    assert max(d.order for d in fresh) < min(d.order for d in held)


def test_too_few_documents_are_refused(builder: ModuleType, tmp_path: Path) -> None:
    cut = builder.documents(_details(tmp_path / "zh-en.txt", [("a", 5), ("b", 6)]))
    with pytest.raises(SystemExit, match="only 2 eligible"):
        builder.select(cut, "")


def test_examples_carry_both_references_line_by_line(builder: ModuleType, tmp_path: Path) -> None:
    documents = [(f"doc.{number}", 5) for number in range(41)]
    details = _details(tmp_path / "zh-en.txt", documents)
    total = 41 * 5
    source = tmp_path / "src.zh"
    source.write_text("\n".join(f" 第{i}句。" for i in range(total)) + "\n", encoding="utf-8")
    reference_a, reference_b = tmp_path / "a.en", tmp_path / "b.en"
    reference_a.write_text("\n".join(f"A {i}." for i in range(total)) + "\n", encoding="utf-8")
    reference_b.write_text("\n".join(f"B {i}." for i in range(total)) + "\n", encoding="utf-8")
    examples = builder.wmt20_examples(source, reference_a, reference_b, details, "")
    assert len(examples) == 40
    assert [e["extra"]["lines"][0] for e in examples] == sorted(
        e["extra"]["lines"][0] for e in examples
    )  # file order
    first = examples[0]
    start = first["extra"]["lines"][0] - 1
    assert first["source"].split("\n")[0] == f"第{start}句。"  # surrounding whitespace stripped
    assert first["references"]["translation"] == [
        [f"A {i}." for i in range(start, start + 5)],
        [f"B {i}." for i in range(start, start + 5)],
    ]
    assert {e["extra"]["split"] for e in examples} == {"fresh-4"}
    reference_b.write_text("\n".join(f"B {i}." for i in range(total - 1)) + "\n", "utf-8")
    with pytest.raises(SystemExit, match="not aligned"):
        builder.wmt20_examples(source, reference_a, reference_b, details, "")


def test_shipped_set_is_40_whole_documents_with_two_references() -> None:
    wmt20 = load_set("wmt20-zhen")
    assert len(wmt20) == 40
    lines = 0
    previous_end = 0
    for example in wmt20:
        source = example.source.split("\n")
        reference_a, reference_b = example.translations()
        assert len(source) == len(reference_a) == len(reference_b) >= 5
        assert all(source) and all(reference_a) and all(reference_b)
        assert reference_a != reference_b  # two independent translations
        first, last = example.extra["lines"]
        assert last - first + 1 == len(source) and first > previous_end  # file order
        assert example.id == f"wmt20.zh-en.{example.extra['document']}"
        assert example.extra["split"] == "fresh-4"
        previous_end = last
        lines += len(source)
    assert lines == 587


def test_held_out_6_follows_the_rule_after_fresh_4() -> None:
    fresh_4 = {example.id for example in load_set("wmt20-zhen")}
    records = _held_out_6()
    assert len(records) == 12
    assert [r["id"] for r in records] == sorted((r["id"] for r in records), key=_order)
    assert not fresh_4 & {r["id"] for r in records}
    # the next documents in the rule's order: every one after the 40 of fresh-4
    assert max(map(_order, fresh_4)) < min(_order(r["id"]) for r in records)
    assert all(5 <= len(r["text"].split("\n")) <= 20 for r in records)
    counts = {
        kind: sum(len(r["entities"][kind]) for r in records) for kind in records[0]["entities"]
    }
    assert counts == {"person": 31, "organization": 39, "place": 43}
    for record in records:
        assert (
            record["source"] == "wmt20" and "before any extractor" in record["labelled_by"].lower()
        )
        prepared = prepare(record["text"]).text
        for kind, labels in record["entities"].items():
            assert len(labels) == len(set(labels))
            assert all(label in prepared for label in labels)
            assert set(record["names_en"][kind]) <= set(labels)


def test_benchmarks_report_the_new_blind_splits_first() -> None:
    extraction = _module("extraction_wmt20", ROOT / "benchmarks" / "extraction.py")
    assert extraction.SPLITS[0] == "held-out-6" and "held-out-6" not in extraction.TUNING
    meta_eval = _module("meta_eval_wmt20", ROOT / "benchmarks" / "meta_eval.py")
    assert meta_eval.SPLITS[0] == "fresh-4"
    pairs = meta_eval.human_pairs()
    fresh_4 = [pair for pair in pairs if pair.split == "fresh-4"]
    assert len(fresh_4) == 80 and pairs[-80:] == fresh_4  # A and B of 40 documents, last
    assert [pair.name[-2:] for pair in fresh_4[:2]] == ["/A", "/B"]
    shared = random.Random("1:number changed")
    own = meta_eval._generator(shared, 1, "number changed", fresh_4[0])
    again = meta_eval._generator(random.Random(5), 1, "number changed", fresh_4[0])
    assert own is not shared and own.random() == again.random()


def test_no_other_split_takes_inserted_sentences_from_fresh_4() -> None:
    meta_eval = _module("meta_eval_wmt20_insert", ROOT / "benchmarks" / "meta_eval.py")
    pairs = meta_eval.human_pairs()
    fresh_4_sentences = {
        sentence.strip()
        for pair in pairs
        if pair.split == "fresh-4"
        for paragraph in pair.english
        for sentence in meta_eval._SENTENCE.findall(paragraph)
    }
    others = {
        sentence.strip()
        for pair in pairs
        if pair.split != "fresh-4"
        for paragraph in pair.english
        for sentence in meta_eval._SENTENCE.findall(paragraph)
    }
    rng = random.Random(0)
    for split in ("fresh-3", "fresh-2-held", "fresh", "tune", "fresh-4"):
        pair = next(p for p in pairs if p.split == split)
        taken = set()
        for english in list(meta_eval.insert_sentence(pair, rng, pairs))[:40]:
            (changed,) = [i for i, p in enumerate(english) if p != pair.english[i]]
            taken.add(english[changed][len(pair.english[changed].rstrip()) + 1 :])
        assert taken
        if split == "fresh-4":
            assert taken & others  # fresh-4 takes donors from the other sets
        else:
            assert not taken & (fresh_4_sentences - others)
