"""The seventh round's blind sets follow rules 9 to 11 of ``evals/tools/build_wmt20.py``: the
grounding split ``fresh-6`` (``evals/external/wmt20-zhen-fresh-6``) and the entity split
``held-out-8`` (texts in ``evals/external/wmt20-zhen-held-out-8``, labels in
``evals/labelled/entities.jsonl``) continue the SHA-256 order past ``fresh-4``, ``held-out-6``,
``fresh-5`` and ``held-out-7``. The builder is tested on document ids and lines written here, the
committed sets through their manifests, the labels through their ids, counts and hashes. No check
or extractor runs here, and no text of these sets is read."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from script_modules import load_script
from test_wmt20_round_6_sets import _details_are_mirrored
from test_wmt20_set import _aligned_files, _details, _order

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "evals" / "external"
LABELS = ROOT / "evals" / "labelled" / "entities.jsonl"
FOLDERS = (
    "wmt20-zhen",
    "wmt20-zhen-held-out-6",
    "wmt20-zhen-fresh-5",
    "wmt20-zhen-held-out-7",
    "wmt20-zhen-fresh-6",
    "wmt20-zhen-held-out-8",
)


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script("build_wmt20_round_7", ROOT / "evals" / "tools" / "build_wmt20.py")


def _manifest(name: str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((EXTERNAL / name / "manifest.json").read_text("utf-8"))
    return manifest


def _listed(provenance: str, after: str, before: str) -> list[str]:
    """The example ids a PROVENANCE.md lists between two phrases."""
    listed = provenance.split(after)[1].split(before)[0]
    return [f"wmt20.zh-en.{d.strip()}" for d in " ".join(listed.split()).split(",")]


# -- the rule, on ids written here ---------------------------------------------------------------


def test_round_7_continues_the_order_past_every_earlier_pick(
    builder: ModuleType, tmp_path: Path
) -> None:
    sizes = [4, 5, 30, 22, *range(5, 21)] * 9  # too short, long ones the caps pass over
    documents = [(f"doc.{number}", segments) for number, segments in enumerate(sizes)]
    cut = builder.documents(_details(tmp_path / "zh-en.txt", documents))
    used = "doc.9 is used elsewhere"
    earlier = [*builder.select(cut, used), *builder.select_round_6(cut, used)]
    fresh_6, held_out_8 = builder.select_round_7(cut, used)
    taken = {d.document for pick in earlier for d in pick}
    assert len(taken) == 40 + 12 + 40 + 12
    eligible = sorted(
        (d for d in cut if d.segments >= 5 and d.document != "doc.9" and d.document not in taken),
        key=lambda d: d.order,
    )
    assert fresh_6 == eligible[:33]
    assert held_out_8 == [d for d in eligible[33:] if d.segments <= 20][:12]
    assert len(held_out_8) == 12 and all(5 <= d.segments <= 20 for d in held_out_8)
    every = [d.document for pick in [*earlier, fresh_6, held_out_8] for d in pick]
    assert len(every) == len(set(every)) and "doc.9" not in every
    fresh_5, held_out_7 = earlier[2:]
    assert max(d.order for d in fresh_5) < min(d.order for d in fresh_6)
    assert max(d.order for d in fresh_6) < min(d.order for d in held_out_8)
    # the long documents held-out-7 passed over (read by nobody) are eligible again
    passed_over = [
        d
        for d in cut
        if d.segments > 20
        and d.document not in taken
        and max(d.order for d in fresh_5) < d.order < max(d.order for d in held_out_7)
    ]
    assert passed_over and set(passed_over) <= set(fresh_6)


def test_when_fewer_than_33_remain_fresh_6_takes_them_all(
    builder: ModuleType, tmp_path: Path
) -> None:
    documents = [(f"doc.{number}", 6) for number in range(120)]
    cut = builder.documents(_details(tmp_path / "zh-en.txt", documents))
    fresh_5, held_out_7 = builder.select_round_6(cut, "")
    fresh_6, held_out_8 = builder.select_round_7(cut, "")
    assert (len(fresh_5), len(held_out_7), len(fresh_6), held_out_8) == (40, 12, 16, [])
    earlier = {d.document for d in [*builder.select(cut, "")[0], *builder.select(cut, "")[1]]}
    assert {d.document for d in fresh_6} == (
        {d.document for d in cut} - earlier - {d.document for d in [*fresh_5, *held_out_7]}
    )


def test_the_rules_read_none_of_the_six_folders_nor_a_record_they_pick(
    builder: ModuleType, tmp_path: Path
) -> None:
    """Rules 2, 6 and 9 look for ids in the data files of ``evals/``, but not in the six folders
    this builder writes nor in the entity records its rules pick (``held-out-7`` and ``held-out-8``
    included, and records whose text is read from one of those folders)."""
    for number, name in enumerate(FOLDERS, start=1):
        (tmp_path / "external" / name).mkdir(parents=True)
        line = json.dumps({"x": f"doc.{number}"}) + "\n"
        (tmp_path / "external" / name / "examples.jsonl").write_text(line, "utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "examples.jsonl").write_text(json.dumps({"x": "doc.7"}) + "\n", "utf-8")
    records = [
        {"split": "held-out-8", "id": "doc.8"},
        {"split": "held-out-7", "id": "doc.10"},
        {"split": "design-6", "id": "doc.11", "text_from": {"set": "wmt20-zhen-held-out-6"}},
        {"split": "design-7", "id": "doc.9", "text_from": {"set": "wmt20-zhen-held-out-8"}},
        {"split": "tune", "id": "doc.0", "text_from": {"set": "wmt21-zhen"}},
    ]
    (tmp_path / "labelled").mkdir()
    (tmp_path / "labelled" / "entities.jsonl").write_text(
        "".join(json.dumps(record) + "\n" for record in records), "utf-8"
    )
    used = builder.ids_used_in_evals(tmp_path)
    assert set(re.findall(r"doc\.\d+", used)) == {"doc.7", "doc.0"}


def test_round_7_examples_keep_the_shape_of_wmt20_zhen(builder: ModuleType, tmp_path: Path) -> None:
    sizes = [5, 6, 30, *range(5, 21)] * 9
    documents = [(f"doc.{number}", segments) for number, segments in enumerate(sizes)]
    details = _details(tmp_path / "zh-en.txt", documents)
    source, reference_a, reference_b = _aligned_files(tmp_path, sum(sizes))
    inputs = (source, reference_a, reference_b, details, "")
    fresh_5 = builder.set_examples(builder.FRESH_5, *inputs)
    fresh_6 = builder.set_examples(builder.FRESH_6, *inputs)
    held_out_8 = builder.set_examples(builder.HELD_OUT_8, *inputs)
    chosen_6, chosen_8 = builder.select_round_7(builder.documents(details), "")
    assert len(fresh_6) == 33 and {e["extra"]["split"] for e in fresh_6} == {"fresh-6"}
    starts = [e["extra"]["lines"][0] for e in fresh_6]
    assert starts == sorted(starts)  # file order, as wmt20-zhen
    assert {e["id"] for e in fresh_6} == {d.example_id for d in chosen_6}
    assert [e["id"] for e in held_out_8] == [d.example_id for d in chosen_8]  # the rule's order
    assert {e["extra"]["split"] for e in held_out_8} == {"held-out-8"}
    assert set(fresh_5[0]) == set(fresh_6[0])
    assert set(fresh_5[0]["extra"]) == set(fresh_6[0]["extra"])
    labelled = builder.entity_documents(source, reference_a, details, "", "held-out-8")
    assert [d["text"] for d in labelled] == [e["source"] for e in held_out_8]


# -- the committed sets --------------------------------------------------------------------------


def test_committed_fresh_6_is_the_33_documents_provenance_lists(builder: ModuleType) -> None:
    manifest = _manifest("wmt20-zhen-fresh-6")
    assert manifest["name"] == "wmt20-zhen-fresh-6" and manifest["split"] == "fresh-6"
    assert manifest["examples"] == len(manifest["ids"]) == len(set(manifest["ids"])) == 33
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", manifest["content_hash"])
    assert "412 segments" in manifest["description"] and manifest["build"] == builder.BUILD
    provenance = (EXTERNAL / "wmt20-zhen-fresh-6" / "PROVENANCE.md").read_text("utf-8")
    listed = _listed(provenance, "The 33 documents, in file order:", ".\n")
    assert manifest["ids"] == listed
    assert manifest["content_hash"].removeprefix("sha256:") in provenance
    for pinned in builder.INPUTS:
        assert pinned.commit in provenance and pinned.sha256 in provenance


def test_committed_round_7_sets_continue_the_order_and_never_overlap(
    builder: ModuleType,
) -> None:
    ids = {name: _manifest(name)["ids"] for name in FOLDERS}
    texts = _manifest("wmt20-zhen-held-out-8")
    assert texts["split"] == "held-out-8" and texts["labelled_texts"] == "held-out-8"
    assert texts["build"] == builder.BUILD and len(ids["wmt20-zhen-held-out-8"]) == 12
    every = [identifier for name in FOLDERS for identifier in ids[name]]
    assert len(every) == len(set(every)) == 104 + 33 + 12
    fresh_5, fresh_6 = ids["wmt20-zhen-fresh-5"], ids["wmt20-zhen-fresh-6"]
    held_out_8 = ids["wmt20-zhen-held-out-8"]
    assert max(map(_order, fresh_5)) < min(map(_order, fresh_6))
    assert max(map(_order, fresh_6)) < min(map(_order, held_out_8))
    assert held_out_8 == sorted(held_out_8, key=_order)
    provenance = (EXTERNAL / "wmt20-zhen-held-out-8" / "PROVENANCE.md").read_text("utf-8")
    assert texts["content_hash"].removeprefix("sha256:") in provenance
    assert _listed(provenance, "The rule gives, in its order:", "(146 segments)") == held_out_8


def test_the_rule_gives_the_committed_ids_from_the_document_ids(
    builder: ModuleType, tmp_path: Path
) -> None:
    """Rules 1 to 11 on the pinned document-id file give exactly the six committed id lists,
    and 33 is the most ``fresh-6`` can take while 12 short documents remain after it."""
    if not _details_are_mirrored(builder):
        pytest.skip(f"no mirror of {builder.DETAILS_REPOSITORY} under {builder.DEFAULT_MIRRORS}")
    (details,) = builder.materialize(builder.DEFAULT_MIRRORS, [builder.INPUTS[3]], tmp_path)
    cut = builder.documents(details)
    used = builder.ids_used_in_evals()
    for blind in builder.BLIND_SETS:
        chosen = [d.example_id for d in blind.documents(cut, used)]
        assert chosen == _manifest(blind.name)["ids"], blind.name
    fresh_6, held_out_8 = builder.select_round_7(cut, used)
    assert sum(d.segments for d in fresh_6) == 412
    assert sum(d.segments for d in held_out_8) == 146
    taken = {
        d.document
        for pick in [*builder.select(cut, used), *builder.select_round_6(cut, used)]
        for d in pick
    }
    eligible = builder._eligible(cut, used, frozenset(taken))
    assert len(eligible) == 47 and sum(d.segments > 20 for d in eligible) == 7
    _, short_after_34 = builder._first_then_short(eligible, 34, 12, 20)
    assert len(short_after_34) == 11  # one more for fresh-6 leaves too few for held-out-8
    left = [d.document for d in eligible[33:] if d not in held_out_8]
    # read by nobody: 26 segments (passed over by the cap) and 25 (after the 12th)
    assert left == ["chinanews.com.102605", "chinanews.com.102580"]


# -- the held-out-8 labels -----------------------------------------------------------------------


def test_held_out_8_labels_name_their_texts_and_were_written_blind() -> None:
    records = [
        record
        for record in map(json.loads, LABELS.read_text("utf-8").splitlines())
        if record["split"] == "held-out-8"
    ]
    assert [r["id"] for r in records] == _manifest("wmt20-zhen-held-out-8")["ids"]
    counts = {
        kind: sum(len(r["entities"][kind]) for r in records) for kind in records[0]["entities"]
    }
    assert counts == {"person": 43, "organization": 45, "place": 57}
    for record in records:
        assert record["source"] == "wmt20"
        assert "before any extractor" in record["labelled_by"].lower()
        assert "seventh round" in record["labelled_by"]
        assert "text" not in record  # read from the built texts set, checked by its hash
        assert record["text_from"] == {"set": "wmt20-zhen-held-out-8", "id": record["id"]}
        assert re.fullmatch(r"[0-9a-f]{64}", record["text_sha256"])
        assert set(record["entities"]) == {"person", "organization", "place"}
        for kind, labels in record["entities"].items():
            assert len(labels) == len(set(labels)) and all(labels)
            assert set(record["names_en"][kind]) <= set(labels)
    assert not set(_manifest("wmt20-zhen-fresh-6")["ids"]) & {r["id"] for r in records}
    # a document is labelled in one split only
    labelled = [json.loads(line)["id"] for line in LABELS.read_text("utf-8").splitlines()]
    assert len(labelled) == len(set(labelled))
