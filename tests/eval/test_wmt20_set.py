"""``evals/external/wmt20-zhen`` (grounding split ``fresh-4``) and the entity split ``held-out-6``
follow the selection rule of ``evals/tools/build_wmt20.py``, and both are wired into the benchmarks
as blind splits reported first. The text is not in the repository: the builder is tested on lines
written here, the sets through their committed manifests and the labels through their ids. No
check or extractor runs here."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from script_modules import load_script

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "evals" / "external"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script("build_wmt20", ROOT / "evals" / "tools" / "build_wmt20.py")


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


def _aligned_files(folder: Path, lines: int) -> tuple[Path, Path, Path]:
    """A source and references A and B of ``lines`` aligned segments each."""
    paths = (folder / "src.zh", folder / "a.en", folder / "b.en")
    for path, line in zip(paths, ("第{}句。", "A {}.", "B {}."), strict=True):
        path.write_text("".join(line.format(i) + "\n" for i in range(lines)), encoding="utf-8")
    return paths


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


def test_held_out_6_examples_are_the_next_short_documents(
    builder: ModuleType, tmp_path: Path
) -> None:
    sizes = [5, 6, 30, *range(5, 21)] * 4
    documents = [(f"doc.{number}", segments) for number, segments in enumerate(sizes)]
    details = _details(tmp_path / "zh-en.txt", documents)
    total = sum(sizes)
    source, reference_a, reference_b = _aligned_files(tmp_path, total)
    fresh = builder.wmt20_examples(source, reference_a, reference_b, details, "")
    held = builder.held_out_6_examples(source, reference_a, reference_b, details, "")
    _, chosen = builder.select(builder.documents(details), "")
    assert [e["id"] for e in held] == [d.example_id for d in chosen]  # the rule's order
    assert len(held) == 12 and not {e["id"] for e in held} & {e["id"] for e in fresh}
    assert all(5 <= len(e["source"].split("\n")) <= 20 for e in held)
    assert {e["extra"]["split"] for e in held} == {"held-out-6"}
    # the entity documents written for labelling hold the same text
    labelled = builder.entity_documents(source, reference_a, details, "")
    assert [d["text"] for d in labelled] == [e["source"] for e in held]


def test_the_rule_ignores_both_wmt20_folders_and_the_held_out_6_labels(
    builder: ModuleType, tmp_path: Path
) -> None:
    """Rule 2 looks for document ids in the data files of ``evals/``, but not in the two sets it
    builds (built or not) nor in the labels it picked."""
    for folder, line in (
        ("external/wmt20-zhen", "doc.1"),
        ("external/wmt20-zhen-held-out-6", "doc.2"),
        ("other", "doc.3"),
    ):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "examples.jsonl").write_text(json.dumps({"x": line}) + "\n", "utf-8")
    (tmp_path / "labelled").mkdir()
    (tmp_path / "labelled" / "entities.jsonl").write_text(
        json.dumps({"split": "held-out-6", "id": "doc.4"})
        + "\n"
        + json.dumps({"split": "tune", "id": "doc.5"})
        + "\n",
        "utf-8",
    )
    used = builder.ids_used_in_evals(tmp_path)
    assert "doc.3" in used and "doc.5" in used
    assert not {"doc.1", "doc.2", "doc.4"} & set(re.findall(r"doc\.\d", used))


def _manifest(name: str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((EXTERNAL / name / "manifest.json").read_text("utf-8"))
    return manifest


def test_committed_manifest_is_the_40_documents_provenance_lists() -> None:
    manifest = _manifest("wmt20-zhen")
    assert manifest["name"] == "wmt20-zhen" and manifest["split"] == "fresh-4"
    assert manifest["examples"] == len(manifest["ids"]) == len(set(manifest["ids"])) == 40
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", manifest["content_hash"])
    assert "587 segments" in manifest["description"]
    provenance = (EXTERNAL / "wmt20-zhen" / "PROVENANCE.md").read_text("utf-8")
    listed = provenance.split("The 40 documents, in file order:")[1].split(".\n")[0]
    documents = [d.strip() for d in " ".join(listed.split()).split(",")]
    assert manifest["ids"] == [f"wmt20.zh-en.{document}" for document in documents]


def test_the_builder_pins_the_files_provenance_names(builder: ModuleType) -> None:
    provenance = (EXTERNAL / "wmt20-zhen" / "PROVENANCE.md").read_text("utf-8")
    for pinned in builder.INPUTS:
        assert pinned.commit in provenance and pinned.sha256 in provenance
        assert pinned.repository in provenance
    assert builder.BUILD in provenance
    for name in ("wmt20-zhen", "wmt20-zhen-held-out-6"):
        assert _manifest(name)["build"] == builder.BUILD


def test_held_out_6_follows_the_rule_after_fresh_4() -> None:
    fresh_4 = set(_manifest("wmt20-zhen")["ids"])
    texts = _manifest("wmt20-zhen-held-out-6")
    assert texts["split"] == "held-out-6" and texts["labelled_texts"] == "held-out-6"
    records = _held_out_6()
    assert len(records) == 12
    assert [r["id"] for r in records] == sorted((r["id"] for r in records), key=_order)
    assert [r["id"] for r in records] == texts["ids"]  # the texts set holds them, in that order
    assert not fresh_4 & {r["id"] for r in records}
    # the next documents in the rule's order: every one after the 40 of fresh-4
    assert max(map(_order, fresh_4)) < min(_order(r["id"]) for r in records)
    counts = {
        kind: sum(len(r["entities"][kind]) for r in records) for kind in records[0]["entities"]
    }
    assert counts == {"person": 31, "organization": 39, "place": 43}
    for record in records:
        assert (
            record["source"] == "wmt20" and "before any extractor" in record["labelled_by"].lower()
        )
        assert "text" not in record  # read from the built texts set, checked by its hash
        assert record["text_from"] == {"set": "wmt20-zhen-held-out-6", "id": record["id"]}
        assert re.fullmatch(r"[0-9a-f]{64}", record["text_sha256"])
        for kind, labels in record["entities"].items():
            assert len(labels) == len(set(labels))
            assert set(record["names_en"][kind]) <= set(labels)


def test_benchmarks_report_the_new_blind_splits_first() -> None:
    extraction = load_script("extraction_wmt20", ROOT / "benchmarks" / "extraction.py")
    assert extraction.SPLITS[3:6] == ("held-out-8", "held-out-7", "held-out-6")
    assert "held-out-6" not in extraction.TUNING
    meta_eval = load_script("meta_eval_wmt20", ROOT / "benchmarks" / "meta_eval.py")
    assert meta_eval.SPLITS[3:6] == ("fresh-6", "fresh-5", "fresh-4")
    assert meta_eval.FRESH_4_SET == "wmt20-zhen" and meta_eval.FRESH_6_SET == "wmt20-zhen-fresh-6"
    assert {meta_eval.FRESH_4, meta_eval.FRESH_6} <= set(meta_eval.OWN_GENERATOR)
