"""The sixth round's blind sets follow rules 6 to 8 of ``evals/tools/build_wmt20.py``: the grounding
split ``fresh-5`` (``evals/external/wmt20-zhen-fresh-5``) and the entity split ``held-out-7`` (texts
in ``evals/external/wmt20-zhen-held-out-7``, labels in ``evals/labelled/entities.jsonl``) continue
the SHA-256 order past ``fresh-4`` and ``held-out-6``. The builder is tested on document ids and
lines written here, the committed sets through their manifests, the labels through their ids,
counts and hashes. No check or extractor runs here, and no text of these sets is read."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from script_modules import load_script
from test_wmt20_set import _aligned_files, _details, _order

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "evals" / "external"
LABELS = ROOT / "evals" / "labelled" / "entities.jsonl"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script("build_wmt20_round_6", ROOT / "evals" / "tools" / "build_wmt20.py")


def _manifest(name: str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((EXTERNAL / name / "manifest.json").read_text("utf-8"))
    return manifest


def _records(split: str) -> list[dict[str, Any]]:
    lines = LABELS.read_text("utf-8").splitlines()
    return [record for record in map(json.loads, lines) if record["split"] == split]


# -- the rule, on ids written here ---------------------------------------------------------------


def test_round_6_continues_the_order_past_every_earlier_pick(
    builder: ModuleType, tmp_path: Path
) -> None:
    sizes = [4, 5, 30, 22, *range(5, 21)] * 6  # too short, long ones held-out-6 passes over
    documents = [(f"doc.{number}", segments) for number, segments in enumerate(sizes)]
    cut = builder.documents(_details(tmp_path / "zh-en.txt", documents))
    used = "doc.9 is used elsewhere"
    fresh_4, held_out_6 = builder.select(cut, used)
    fresh_5, held_out_7 = builder.select_round_6(cut, used)
    taken = {d.document for d in fresh_4 + held_out_6}
    eligible = sorted(
        (d for d in cut if d.segments >= 5 and d.document != "doc.9" and d.document not in taken),
        key=lambda d: d.order,
    )
    assert fresh_5 == eligible[:40]
    assert held_out_7 == [d for d in eligible[40:] if d.segments <= 20][:12]
    assert len(held_out_7) == 12 and all(5 <= d.segments <= 20 for d in held_out_7)
    picks = [fresh_4, held_out_6, fresh_5, held_out_7]
    every = [d.document for pick in picks for d in pick]
    assert len(every) == len(set(every)) and "doc.9" not in every
    assert max(d.order for d in fresh_4) < min(d.order for d in fresh_5)
    assert max(d.order for d in fresh_5) < min(d.order for d in held_out_7)
    # the long documents held-out-6 passed over (read by nobody) are eligible again
    passed_over = [
        d
        for d in cut
        if d.segments > 20
        and d.document not in taken
        and max(d.order for d in fresh_4) < d.order < max(d.order for d in held_out_6)
    ]
    assert passed_over and set(passed_over) <= set(fresh_5)


def test_when_fewer_than_40_remain_fresh_5_takes_them_all(
    builder: ModuleType, tmp_path: Path
) -> None:
    documents = [(f"doc.{number}", 6) for number in range(60)]
    cut = builder.documents(_details(tmp_path / "zh-en.txt", documents))
    fresh_4, held_out_6 = builder.select(cut, "")
    fresh_5, held_out_7 = builder.select_round_6(cut, "")
    assert (len(fresh_4), len(held_out_6), len(fresh_5), held_out_7) == (40, 12, 8, [])
    assert {d.document for d in fresh_5} == {
        d.document for d in cut if d not in fresh_4 and d not in held_out_6
    }


def test_round_6_examples_keep_the_shape_of_wmt20_zhen(builder: ModuleType, tmp_path: Path) -> None:
    sizes = [5, 6, 30, *range(5, 21)] * 6
    documents = [(f"doc.{number}", segments) for number, segments in enumerate(sizes)]
    details = _details(tmp_path / "zh-en.txt", documents)
    total = sum(sizes)
    source, reference_a, reference_b = _aligned_files(tmp_path, total)
    inputs = (source, reference_a, reference_b, details, "")
    fresh_4 = builder.wmt20_examples(*inputs)
    fresh_5 = builder.set_examples(builder.FRESH_5, *inputs)
    held_out_7 = builder.set_examples(builder.HELD_OUT_7, *inputs)
    chosen_5, chosen_7 = builder.select_round_6(builder.documents(details), "")
    assert len(fresh_5) == 40 and {e["extra"]["split"] for e in fresh_5} == {"fresh-5"}
    starts = [e["extra"]["lines"][0] for e in fresh_5]
    assert starts == sorted(starts)  # file order, as wmt20-zhen
    assert {e["id"] for e in fresh_5} == {d.example_id for d in chosen_5}
    assert [e["id"] for e in held_out_7] == [d.example_id for d in chosen_7]  # the rule's order
    assert {e["extra"]["split"] for e in held_out_7} == {"held-out-7"}
    assert set(fresh_4[0]) == set(fresh_5[0]) and set(fresh_4[0]["extra"]) == set(
        fresh_5[0]["extra"]
    )
    first = fresh_5[0]
    start = first["extra"]["lines"][0] - 1
    count = len(first["source"].split("\n"))
    assert first["references"]["translation"] == [
        [f"A {i}." for i in range(start, start + count)],
        [f"B {i}." for i in range(start, start + count)],
    ]
    labelled = builder.entity_documents(source, reference_a, details, "", "held-out-7")
    assert [d["text"] for d in labelled] == [e["source"] for e in held_out_7]


# -- the committed sets --------------------------------------------------------------------------


def test_committed_fresh_5_is_the_40_documents_provenance_lists(builder: ModuleType) -> None:
    manifest = _manifest("wmt20-zhen-fresh-5")
    assert manifest["name"] == "wmt20-zhen-fresh-5" and manifest["split"] == "fresh-5"
    assert manifest["examples"] == len(manifest["ids"]) == len(set(manifest["ids"])) == 40
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", manifest["content_hash"])
    assert "536 segments" in manifest["description"] and manifest["build"] == builder.BUILD
    provenance = (EXTERNAL / "wmt20-zhen-fresh-5" / "PROVENANCE.md").read_text("utf-8")
    listed = provenance.split("The 40 documents, in file order:")[1].split(".\n")[0]
    documents = [d.strip() for d in " ".join(listed.split()).split(",")]
    assert manifest["ids"] == [f"wmt20.zh-en.{document}" for document in documents]
    assert manifest["content_hash"].removeprefix("sha256:") in provenance
    for pinned in builder.INPUTS:
        assert pinned.commit in provenance and pinned.sha256 in provenance


def test_committed_round_6_sets_continue_the_order_and_never_overlap(
    builder: ModuleType,
) -> None:
    fresh_4 = _manifest("wmt20-zhen")["ids"]
    held_out_6 = _manifest("wmt20-zhen-held-out-6")["ids"]
    fresh_5 = _manifest("wmt20-zhen-fresh-5")["ids"]
    texts = _manifest("wmt20-zhen-held-out-7")
    held_out_7 = texts["ids"]
    assert texts["split"] == "held-out-7" and texts["labelled_texts"] == "held-out-7"
    assert texts["build"] == builder.BUILD and len(held_out_7) == texts["examples"] == 12
    every = [*fresh_4, *held_out_6, *fresh_5, *held_out_7]
    assert len(every) == len(set(every)) == 104
    assert max(map(_order, fresh_4)) < min(map(_order, fresh_5))
    assert max(map(_order, fresh_5)) < min(map(_order, held_out_7))
    assert held_out_7 == sorted(held_out_7, key=_order)
    provenance = (EXTERNAL / "wmt20-zhen-held-out-7" / "PROVENANCE.md").read_text("utf-8")
    assert texts["content_hash"].removeprefix("sha256:") in provenance
    listed = provenance.split("The rule gives, in its order:")[1].split("(126 segments)")[0]
    assert [f"wmt20.zh-en.{d.strip()}" for d in " ".join(listed.split()).split(",")] == held_out_7


def _details_are_mirrored(builder: ModuleType) -> bool:
    """Whether the pinned ``zh-en.txt`` (document ids and segment numbers, no text) is here."""
    fetched = load_script("fetched_round_6", ROOT / "evals" / "tools" / "fetched.py")
    details = builder.INPUTS[3]
    try:
        where = fetched.git_dir(builder.DEFAULT_MIRRORS, details.repository)
    except SystemExit:
        return False
    result = subprocess.run(
        ["git", f"--git-dir={where}", "cat-file", "-e", f"{details.commit}:{details.path}"],
        check=False,
    )
    return result.returncode == 0


def test_the_rule_gives_the_committed_ids_from_the_document_ids(
    builder: ModuleType, tmp_path: Path
) -> None:
    """Rules 1 to 8 on the pinned document-id file give exactly the four committed id lists."""
    if not _details_are_mirrored(builder):
        pytest.skip(f"no mirror of {builder.DETAILS_REPOSITORY} under {builder.DEFAULT_MIRRORS}")
    (details,) = builder.materialize(builder.DEFAULT_MIRRORS, [builder.INPUTS[3]], tmp_path)
    cut = builder.documents(details)
    used = builder.ids_used_in_evals()
    expected = {
        "wmt20-zhen": builder.FRESH_4.documents(cut, used),
        "wmt20-zhen-held-out-6": builder.HELD_OUT_6.documents(cut, used),
        "wmt20-zhen-fresh-5": builder.FRESH_5.documents(cut, used),
        "wmt20-zhen-held-out-7": builder.HELD_OUT_7.documents(cut, used),
    }
    for name, chosen in expected.items():
        assert [d.example_id for d in chosen] == _manifest(name)["ids"], name
    fresh_4, held_out_6 = builder.select(cut, used)
    fresh_5, held_out_7 = builder.select_round_6(cut, used)
    assert sum(d.segments for d in fresh_5) == 536
    assert sum(d.segments for d in held_out_7) == 126
    # the two long documents held-out-6 passed over (read by nobody) are in fresh-5
    passed_over = {
        d.document
        for d in cut
        if d.segments > 20
        and max(x.order for x in fresh_4) < d.order < max(x.order for x in held_out_6)
    }
    assert passed_over == {"tsrus.cn.2112", "xinhua-zh-01.6202"}
    assert passed_over <= {d.document for d in fresh_5}


# -- the held-out-7 labels -----------------------------------------------------------------------


def test_held_out_7_labels_name_their_texts_and_were_written_blind() -> None:
    records = _records("held-out-7")
    assert [r["id"] for r in records] == _manifest("wmt20-zhen-held-out-7")["ids"]
    counts = {
        kind: sum(len(r["entities"][kind]) for r in records) for kind in records[0]["entities"]
    }
    assert counts == {"person": 29, "organization": 40, "place": 34}
    for record in records:
        assert record["source"] == "wmt20"
        assert "before any extractor" in record["labelled_by"].lower()
        assert "sixth round" in record["labelled_by"]
        assert "text" not in record  # read from the built texts set, checked by its hash
        assert record["text_from"] == {"set": "wmt20-zhen-held-out-7", "id": record["id"]}
        assert re.fullmatch(r"[0-9a-f]{64}", record["text_sha256"])
        assert set(record["entities"]) == {"person", "organization", "place"}
        for kind, labels in record["entities"].items():
            assert len(labels) == len(set(labels)) and all(labels)
            assert set(record["names_en"][kind]) <= set(labels)
    fresh_5 = set(_manifest("wmt20-zhen-fresh-5")["ids"])
    assert not fresh_5 & {r["id"] for r in records}
    # a document is labelled in one split only
    labelled = [json.loads(line)["id"] for line in LABELS.read_text("utf-8").splitlines()]
    assert len(labelled) == len(set(labelled))
