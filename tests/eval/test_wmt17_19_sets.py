"""The eighth to tenth rounds' blind sets follow the rules of ``evals/tools/build_wmt17_19.py``:
the grounding splits ``fresh-7`` and ``fresh-8`` (``evals/external/wmt17-zhen-fresh-7`` and
``-fresh-8``: WMT17 documents, references A and B) and ``fresh-9``
(``evals/external/wmt19-zhen-fresh-9``: WMT19 documents, reference A only), and the entity splits
``held-out-9``, ``held-out-10`` and ``held-out-11`` (texts in
``evals/external/wmt19-zhen-held-out-9``, ``-held-out-10`` and ``-held-out-11``, labels in
``evals/labelled/entities.jsonl``). The builder is tested on lines and tiny git mirrors
written here, the committed sets through their manifests, the labels through their ids, counts and
hashes. No check or extractor runs here, and no fetched line appears in this file."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from script_modules import load_script

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "evals" / "external"
LABELS = ROOT / "evals" / "labelled" / "entities.jsonl"
FRESH_7 = "wmt17-zhen-fresh-7"
HELD_OUT_9 = "wmt19-zhen-held-out-9"
FRESH_8 = "wmt17-zhen-fresh-8"
HELD_OUT_10 = "wmt19-zhen-held-out-10"
HELD_OUT_11 = "wmt19-zhen-held-out-11"
FRESH_9 = "wmt19-zhen-fresh-9"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script("build_wmt17_19", ROOT / "evals" / "tools" / "build_wmt17_19.py")


def _manifest(name: str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((EXTERNAL / name / "manifest.json").read_text("utf-8"))
    return manifest


def _order(example_id: str) -> str:
    return hashlib.sha256(example_id.encode("utf-8")).hexdigest()


def _article(number: int, segments: int) -> list[str]:
    """An article of our own: a headline without final punctuation, then full sentences."""
    body = [f"第{number}篇第{line}句说明本县今年的新计划。" for line in range(1, segments)]
    return [f"第{number}篇新闻的标题", *body]


def _source(sizes: list[int]) -> list[str]:
    return [line for number, size in enumerate(sizes) for line in _article(number, size)]


# -- rule 1: documents from structure only ---------------------------------------------------


@pytest.mark.parametrize(
    ("line", "ends"),
    [
        ("县里召开了会议。", True),
        ("他说：“我们会做好。”", True),  # a closing quote after the full stop
        ("这是真的吗？", True),
        ("要抓紧！", True),
        ("列出三项；", True),
        ("会议结束。（完）", True),  # an end mark in brackets closes an article
        ("本县举行秋季运动会", False),  # a headline
        ("“新时代”的好日子", False),  # a headline ending in a quotation mark
        ("记者：", False),
        ("", False),
    ],
)
def test_a_line_ends_a_sentence_by_its_last_mark(
    builder: ModuleType, line: str, ends: bool
) -> None:
    assert builder.ends_a_sentence(line) is ends


def test_a_document_starts_after_a_sentence_at_a_line_without_one(builder: ModuleType) -> None:
    source = [
        "第一篇标题",  # 0: the first line always starts one
        "第一句。",
        "第二句。",
        "第二篇标题",  # 3
        "副标题",  # 4: a run of lines without final marks stays together
        "正文一句。",
        "正文两句。",
        "第三篇标题",  # 7
        "只有一句。",
    ]
    assert builder.document_starts(source) == [0, 3, 7]
    cut = builder.documents(source, "wmt17.zh-en")
    assert [(d.start, d.end, d.segments) for d in cut] == [(0, 3, 3), (3, 7, 4), (7, 9, 2)]
    assert [d.example_id for d in cut] == [
        "wmt17.zh-en.line-0001",
        "wmt17.zh-en.line-0004",
        "wmt17.zh-en.line-0008",
    ]
    assert cut[1].order == _order("wmt17.zh-en.line-0004")
    # a file that starts with a full sentence is still one document from its first line
    assert builder.document_starts(["一句。", "两句。"]) == [0]


# -- rules 2 to 4: the selection --------------------------------------------------------------


def test_fresh_7_takes_the_smallest_hashes_within_the_caps_in_file_order(
    builder: ModuleType,
) -> None:
    sizes = [4, 5, 31, 30, *range(5, 31)] * 3  # too short and too long ones among them
    cut = builder.documents(_source(sizes), "wmt17.zh-en")
    assert [d.segments for d in cut] == sizes
    chosen = builder.select_fresh_7(cut)
    eligible = sorted((d for d in cut if 5 <= d.segments <= 30), key=lambda d: d.order)
    assert len(eligible) > 35
    assert set(chosen) == set(eligible[:35]) and len(chosen) == 35
    assert [d.start for d in chosen] == sorted(d.start for d in chosen)  # file order
    assert max(d.order for d in chosen) < min(d.order for d in eligible[35:])


def test_held_out_9_takes_12_short_documents_in_the_rule_order(builder: ModuleType) -> None:
    sizes = [3, 21, 40, *range(5, 21)] * 2
    cut = builder.documents(_source(sizes), "wmt19.zh-en")
    chosen = builder.select_held_out_9(cut)
    eligible = sorted((d for d in cut if 5 <= d.segments <= 20), key=lambda d: d.order)
    assert chosen == eligible[:12]  # the rule's order, not file order
    assert all(d.example_id.startswith("wmt19.zh-en.line-") for d in chosen)


def test_fresh_8_takes_every_eligible_document_fresh_7_left_in_file_order(
    builder: ModuleType,
) -> None:
    sizes = [4, 5, 31, 30, *range(5, 31)] * 3  # 84 eligible: more than the 56 of newstest2017
    cut = builder.documents(_source(sizes), "wmt17.zh-en")
    fresh_7, fresh_8 = builder.select_fresh_7(cut), builder.select_fresh_8(cut)
    eligible = sorted((d for d in cut if 5 <= d.segments <= 30), key=lambda d: d.order)
    assert set(fresh_8) == set(eligible[35:56]) and len(fresh_8) == 21
    assert not set(fresh_7) & set(fresh_8)
    assert [d.start for d in fresh_8] == sorted(d.start for d in fresh_8)  # file order
    assert max(d.order for d in fresh_7) < min(d.order for d in fresh_8)
    # on a file with exactly 56 eligible documents (as newstest2017), none is left after it
    exact = builder.documents(_source([3, *([5, 12, 30, 17] * 14), 33]), "wmt17.zh-en")
    eligible = [d for d in exact if 5 <= d.segments <= 30]
    assert len(eligible) == 56
    chosen = {*builder.select_fresh_7(exact), *builder.select_fresh_8(exact)}
    assert chosen == set(eligible)


def test_held_out_10_takes_the_12_after_held_out_9_in_the_rule_order(
    builder: ModuleType,
) -> None:
    sizes = [3, 21, 40, *range(5, 21)] * 2
    cut = builder.documents(_source(sizes), "wmt19.zh-en")
    held_9, held_10 = builder.select_held_out_9(cut), builder.select_held_out_10(cut)
    eligible = sorted((d for d in cut if 5 <= d.segments <= 20), key=lambda d: d.order)
    assert held_10 == eligible[12:24]  # the rule's order, not file order
    assert held_9 + held_10 == eligible[:24]


def test_held_out_11_and_fresh_9_continue_the_same_order(builder: ModuleType) -> None:
    """Rule 7 takes the 25th to 36th eligible document in the rule's order, rule 8 the 37th to
    56th in file order; none is taken twice and the rest is left."""
    sizes = [3, 21, 40, *range(5, 21)] * 4  # 64 eligible: more than the 56 the rules take
    cut = builder.documents(_source(sizes), "wmt19.zh-en")
    eligible = sorted((d for d in cut if 5 <= d.segments <= 20), key=lambda d: d.order)
    held_9, held_10 = builder.select_held_out_9(cut), builder.select_held_out_10(cut)
    held_11, fresh_9 = builder.select_held_out_11(cut), builder.select_fresh_9(cut)
    assert held_11 == eligible[24:36]  # the rule's order, not file order
    assert set(fresh_9) == set(eligible[36:56]) and len(fresh_9) == 20
    assert [d.start for d in fresh_9] == sorted(d.start for d in fresh_9)  # file order
    assert set(held_9 + held_10 + held_11 + fresh_9) == set(eligible[:56])
    assert len(eligible) - 56 == 8  # left for later rounds
    # on a file with exactly the 72 eligible documents of newstest2019, 16 are left
    exact = builder.documents(_source([2, *([5, 11, 20, 14] * 18), 23]), "wmt19.zh-en")
    eligible = [d for d in exact if 5 <= d.segments <= 20]
    taken = {
        *builder.select_held_out_9(exact),
        *builder.select_held_out_10(exact),
        *builder.select_held_out_11(exact),
        *builder.select_fresh_9(exact),
    }
    assert len(eligible) == 72 and len(taken) == 56 and taken <= set(eligible)


def test_misaligned_or_empty_lines_are_refused(builder: ModuleType, tmp_path: Path) -> None:
    source, reference = tmp_path / "a.zh", tmp_path / "a.en"
    source.write_text("标题\n一句。\n", "utf-8")
    reference.write_text("Title\n", "utf-8")
    with pytest.raises(SystemExit, match="not aligned"):
        builder.aligned(source, reference)
    reference.write_text("Title\n \n", "utf-8")
    with pytest.raises(SystemExit, match="empty line 2"):
        builder.aligned(source, reference)


# -- the build, from tiny git mirrors ----------------------------------------------------------


def _git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    return subprocess.run(
        ["git", *identity, *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def _repository(work: Path, files: dict[str, str]) -> str:
    """A git work tree holding ``files``; returns its commit."""
    for path, text in files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_text(text, "utf-8")
    _git("init", "-q", cwd=work)
    _git("add", ".", cwd=work)
    _git("commit", "-q", "-m", "data", cwd=work)
    return _git("rev-parse", "HEAD", cwd=work).strip()


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _english(label: str, count: int) -> str:
    return "".join(f"{label} sentence {n} of our own.\n" for n in range(count))


def test_the_build_reads_both_mirror_layouts_and_writes_both_sets(
    builder: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test-set copy as a bare repository (``owner+name/repo``), the Human Parity release as
    a clone (``owner+name/repo/.git``), reference B with a byte order mark."""
    sizes_17 = [6, 40, *range(5, 31)] * 3
    sizes_19 = [2, *range(5, 21), 25] * 4  # 64 eligible: enough for rules 4 and 6 to 8
    zh17, zh19 = _source(sizes_17), _source(sizes_19)
    tests_files = {
        f"{builder.NEWSTEST_2017}.zh": "\n".join(zh17) + "\n",
        f"{builder.NEWSTEST_2017}.en": _english("A", len(zh17)),
        f"{builder.NEWSTEST_2019}.zh": "\n".join(zh19) + "\n",
        f"{builder.NEWSTEST_2019}.en": _english("A19", len(zh19)),
    }
    parity_files = {builder.REFERENCE_HT: "\ufeff" + _english("B", len(zh17))}
    (work := tmp_path / "tests").mkdir()
    tests_commit = _repository(work, tests_files)
    mirrors = tmp_path / "mirrors"
    bare = mirrors / "Helsinki-NLP+OPUS-MT-testsets" / "repo"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    clone = mirrors / "MicrosoftTranslator+Translator-HumanParityData" / "repo"
    clone.mkdir(parents=True)
    parity_commit = _repository(clone, parity_files)
    every = {**tests_files, **parity_files}
    pinned = [
        builder.PinnedFile(
            pin.repository,
            tests_commit if pin.repository == builder.TESTSETS else parity_commit,
            pin.path,
            hashlib.sha256(every[pin.path].encode("utf-8")).hexdigest(),
        )
        for pin in builder.INPUTS
    ]
    monkeypatch.setattr(builder, "INPUTS", tuple(pinned))
    fresh_out, held_out = tmp_path / "fresh-7", tmp_path / "held-out-9"
    fresh_8_out, held_10_out = tmp_path / "fresh-8", tmp_path / "held-out-10"
    argv = ["build", "--mirrors", str(mirrors), "--no-verify"]
    argv += ["--fresh-7-out", str(fresh_out), "--held-out-9-out", str(held_out)]
    argv += ["--fresh-8-out", str(fresh_8_out), "--held-out-10-out", str(held_10_out)]
    held_11_out, fresh_9_out = tmp_path / "held-out-11", tmp_path / "fresh-9"
    argv += ["--held-out-11-out", str(held_11_out), "--fresh-9-out", str(fresh_9_out)]
    monkeypatch.setattr(sys, "argv", argv)
    builder.main()
    fresh = [json.loads(line) for line in (fresh_out / "examples.jsonl").open(encoding="utf-8")]
    texts = [json.loads(line) for line in (held_out / "examples.jsonl").open(encoding="utf-8")]
    fresh_8 = _read(fresh_8_out / "examples.jsonl")
    texts_10 = _read(held_10_out / "examples.jsonl")
    assert len(fresh) == 35 and len(texts) == 12
    assert len(fresh_8) == 21 and len(texts_10) == 12
    assert not {e["id"] for e in fresh} & {e["id"] for e in fresh_8}
    assert not {e["id"] for e in texts} & {e["id"] for e in texts_10}
    assert {e["extra"]["split"] for e in fresh_8} == {"fresh-8"}
    assert {e["extra"]["split"] for e in texts_10} == {"held-out-10"}
    assert all(len(e["references"]["translation"]) == 2 for e in fresh_8)
    assert all(len(e["references"]["translation"]) == 1 for e in texts_10)
    for example in fresh_8:
        start, end = example["extra"]["lines"]
        assert example["source"].split("\n") == zh17[start - 1 : end]
        assert example["references"]["translation"][1][0] == f"B sentence {start - 1} of our own."
    texts_11, fresh_9 = _read(held_11_out / "examples.jsonl"), _read(fresh_9_out / "examples.jsonl")
    assert len(texts_11) == 12 and len(fresh_9) == 20
    assert {e["extra"]["split"] for e in texts_11} == {"held-out-11"}
    assert {e["extra"]["split"] for e in fresh_9} == {"fresh-9"}
    assert all(len(e["references"]["translation"]) == 1 for e in texts_11 + fresh_9)
    earlier = {e["id"] for e in texts + texts_10}
    assert not earlier & {e["id"] for e in texts_11 + fresh_9}
    assert not {e["id"] for e in texts_11} & {e["id"] for e in fresh_9}
    starts = [e["extra"]["lines"][0] for e in fresh_9]
    assert starts == sorted(starts)  # file order
    for example in fresh_9:
        start, end = example["extra"]["lines"]
        assert example["source"].split("\n") == zh19[start - 1 : end]
        assert example["references"]["translation"][0][0] == f"A19 sentence {start - 1} of our own."
    manifest_9 = json.loads((fresh_9_out / "manifest.json").read_text("utf-8"))
    assert "labelled_texts" not in manifest_9 and manifest_9["split"] == "fresh-9"
    assert manifest_9["ids"] == [e["id"] for e in fresh_9]
    manifest_11 = json.loads((held_11_out / "manifest.json").read_text("utf-8"))
    assert manifest_11["labelled_texts"] == "held-out-11"
    manifest_10 = json.loads((held_10_out / "manifest.json").read_text("utf-8"))
    assert manifest_10["labelled_texts"] == "held-out-10" and manifest_10["build"] == builder.BUILD
    assert manifest_10["ids"] == [e["id"] for e in texts_10]
    first = fresh[0]
    start, end = first["extra"]["lines"]
    source_lines = first["source"].split("\n")
    assert source_lines == zh17[start - 1 : end]
    reference_a, reference_b = first["references"]["translation"]
    assert reference_b[0] == f"B sentence {start - 1} of our own."  # no byte order mark left
    assert len(reference_a) == len(reference_b) == len(source_lines)
    assert {e["extra"]["split"] for e in fresh} == {"fresh-7"}
    assert {e["extra"]["split"] for e in texts} == {"held-out-9"}
    assert all(len(e["references"]["translation"]) == 1 for e in texts)
    manifest = json.loads((held_out / "manifest.json").read_text("utf-8"))
    assert manifest["labelled_texts"] == "held-out-9" and manifest["build"] == builder.BUILD
    assert manifest["ids"] == [e["id"] for e in texts]
    # rebuilt against what was just written, the build is the same or nothing
    monkeypatch.setattr(builder, "FRESH_7_FOLDER", fresh_out)
    monkeypatch.setattr(builder, "HELD_OUT_9_FOLDER", held_out)
    monkeypatch.setattr(builder, "FRESH_8_FOLDER", fresh_8_out)
    monkeypatch.setattr(builder, "HELD_OUT_10_FOLDER", held_10_out)
    monkeypatch.setattr(builder, "HELD_OUT_11_FOLDER", held_11_out)
    monkeypatch.setattr(builder, "FRESH_9_FOLDER", fresh_9_out)
    before = (fresh_out / "examples.jsonl").read_bytes()
    monkeypatch.setattr(sys, "argv", argv[:3] + argv[4:])  # without --no-verify
    before_8 = (fresh_8_out / "examples.jsonl").read_bytes()
    before_9 = (fresh_9_out / "examples.jsonl").read_bytes()
    builder.main()
    assert (fresh_out / "examples.jsonl").read_bytes() == before
    assert (fresh_8_out / "examples.jsonl").read_bytes() == before_8
    assert (fresh_9_out / "examples.jsonl").read_bytes() == before_9
    # a fresh-8 that is not the committed one is refused, and nothing of it is written
    (fresh_8_out / "examples.jsonl").unlink()
    committed = json.loads((fresh_8_out / "manifest.json").read_text("utf-8"))
    committed["content_hash"] = "sha256:" + "0" * 64
    (fresh_8_out / "manifest.json").write_text(json.dumps(committed), "utf-8")
    with pytest.raises(SystemExit, match="not the committed set"):
        builder.main()
    assert not (fresh_8_out / "examples.jsonl").exists()


def test_examples_keep_the_shape_of_the_wmt20_sets(builder: ModuleType) -> None:
    wmt20 = load_script("build_wmt20_shape", ROOT / "evals" / "tools" / "build_wmt20.py")
    lines = ["第一篇标题", "一句。", "两句。"]
    theirs = wmt20._example(
        wmt20.Document("doc.1", 0, 3), lines, ["a"] * 3, ["b"] * 3, "fresh-6", "rule"
    )
    ours = builder.example(
        builder.Document("wmt17.zh-en", 0, 3),
        lines,
        [["A"] * 3, ["B"] * 3],
        source_set="newstest2017",
        labels=["A", "B"],
        split="fresh-7",
        selection="rule",
        provenance="p",
        license_="l",
    )
    assert set(ours) == set(theirs)
    assert set(theirs["extra"]) <= set(ours["extra"])
    assert ours["extra"]["document"] == "line-0001" and ours["extra"]["lines"] == [1, 3]
    assert ours["references"]["translation"] == [["A"] * 3, ["B"] * 3]


# -- the committed sets ------------------------------------------------------------------------


def test_the_committed_manifests_follow_the_rules(builder: ModuleType) -> None:
    fresh = _manifest(FRESH_7)
    assert fresh["split"] == "fresh-7" and fresh["build"] == builder.BUILD
    assert len(fresh["ids"]) == 35 and "labelled_texts" not in fresh
    starts = [int(identifier.rsplit("-", 1)[1]) for identifier in fresh["ids"]]
    assert starts == sorted(starts)  # file order
    assert all(re.fullmatch(r"wmt17\.zh-en\.line-\d{4}", i) for i in fresh["ids"])
    assert "508 segments" in fresh["description"]
    texts = _manifest(HELD_OUT_9)
    assert texts["split"] == "held-out-9" and texts["labelled_texts"] == "held-out-9"
    assert len(texts["ids"]) == 12 and texts["build"] == builder.BUILD
    orders = [_order(identifier) for identifier in texts["ids"]]
    assert orders == sorted(orders)  # the rule's order
    for name, prefix in ((FRESH_7, "wmt17.zh-en."), (HELD_OUT_9, "wmt19.zh-en.")):
        provenance = (EXTERNAL / name / "PROVENANCE.md").read_text("utf-8")
        listed = re.findall(r"line-\d{4}", " ".join(provenance.split()))
        ids = _manifest(name)["ids"]
        assert [prefix + line for line in listed[-len(ids) :]] == ids
        assert _manifest(name)["content_hash"] in provenance
        pins = [pin for pin in builder.INPUTS if pin.path in provenance]
        assert len(pins) >= 2 and all(pin.sha256 in provenance for pin in pins)
    terms = " ".join((EXTERNAL / FRESH_7 / "PROVENANCE.md").read_text("utf-8").split())
    assert "may not be distributed" in terms and "Reference-PE" in terms


def test_the_ninth_round_manifests_follow_rules_5_and_6(builder: ModuleType) -> None:
    fresh = _manifest(FRESH_8)
    assert fresh["split"] == "fresh-8" and fresh["build"] == builder.BUILD
    assert len(fresh["ids"]) == 21 and "labelled_texts" not in fresh
    starts = [int(identifier.rsplit("-", 1)[1]) for identifier in fresh["ids"]]
    assert starts == sorted(starts)  # file order
    assert "307 segments" in fresh["description"]
    # rule 5 continues rule 3's order: every fresh-8 id sorts after every fresh-7 id
    assert max(map(_order, _manifest(FRESH_7)["ids"])) < min(map(_order, fresh["ids"]))
    texts = _manifest(HELD_OUT_10)
    assert texts["split"] == "held-out-10" and texts["labelled_texts"] == "held-out-10"
    assert len(texts["ids"]) == 12 and texts["build"] == builder.BUILD
    orders = [_order(identifier) for identifier in texts["ids"]]
    assert orders == sorted(orders)  # the rule's order
    assert max(map(_order, _manifest(HELD_OUT_9)["ids"])) < orders[0]
    for name, prefix in ((FRESH_8, "wmt17.zh-en."), (HELD_OUT_10, "wmt19.zh-en.")):
        provenance = " ".join((EXTERNAL / name / "PROVENANCE.md").read_text("utf-8").split())
        listed = re.findall(r"line-\d{4}", provenance)
        assert [prefix + line for line in listed] == _manifest(name)["ids"]
        assert _manifest(name)["content_hash"] in provenance
        pins = [pin for pin in builder.INPUTS if pin.path in provenance]
        assert len(pins) >= 2 and all(pin.sha256 in provenance for pin in pins)
    terms = " ".join((EXTERNAL / FRESH_8 / "PROVENANCE.md").read_text("utf-8").split())
    assert "may not be distributed" in terms and "Reference-PE" in terms


def test_the_tenth_round_manifests_follow_rules_7_and_8(builder: ModuleType) -> None:
    texts = _manifest(HELD_OUT_11)
    assert texts["split"] == "held-out-11" and texts["labelled_texts"] == "held-out-11"
    assert len(texts["ids"]) == 12 and texts["build"] == builder.BUILD
    assert "130 segments" in texts["description"]
    orders = [_order(identifier) for identifier in texts["ids"]]
    assert orders == sorted(orders)  # the rule's order
    assert max(map(_order, _manifest(HELD_OUT_10)["ids"])) < orders[0]
    fresh = _manifest(FRESH_9)
    assert fresh["split"] == "fresh-9" and fresh["build"] == builder.BUILD
    assert len(fresh["ids"]) == 20 and "labelled_texts" not in fresh
    assert "199 segments" in fresh["description"]
    starts = [int(identifier.rsplit("-", 1)[1]) for identifier in fresh["ids"]]
    assert starts == sorted(starts)  # file order
    # rule 8 continues rule 7's order: every fresh-9 id sorts after every held-out-11 id
    assert orders[-1] < min(map(_order, fresh["ids"]))
    for name in (HELD_OUT_11, FRESH_9):
        provenance = " ".join((EXTERNAL / name / "PROVENANCE.md").read_text("utf-8").split())
        listed = re.findall(r"line-\d{4}", provenance)
        assert ["wmt19.zh-en." + line for line in listed] == _manifest(name)["ids"]
        assert _manifest(name)["content_hash"] in provenance
        pins = [pin for pin in builder.INPUTS if pin.path in provenance]
        assert len(pins) == 2 and all(pin.sha256 in provenance for pin in pins)
        assert "before any line" in provenance and "16 newstest2019 documents" in provenance


def _mirrored(builder: ModuleType) -> bool:
    fetched = load_script("fetched_wmt17_19", ROOT / "evals" / "tools" / "fetched.py")
    try:
        for pin in builder.INPUTS:
            fetched.git_dir(builder.DEFAULT_MIRRORS, pin.repository)
    except SystemExit:
        return False
    return True


def test_the_rule_gives_the_committed_ids(builder: ModuleType, tmp_path: Path) -> None:
    """Rules 1 to 4 on the pinned Chinese files give exactly the committed id lists (only the
    ids and counts are compared; nothing of the text is printed)."""
    if not _mirrored(builder):
        pytest.skip(f"no mirrors of the pinned repositories under {builder.DEFAULT_MIRRORS}")
    zh17, zh19 = builder.materialize(
        builder.DEFAULT_MIRRORS, [builder.INPUTS[0], builder.INPUTS[3]], tmp_path
    )
    cut_17 = builder.documents(builder.read_lines(zh17), "wmt17.zh-en")
    cut_19 = builder.documents(builder.read_lines(zh19), "wmt19.zh-en")
    assert (len(cut_17), len(cut_19)) == (80, 144)
    fresh = builder.select_fresh_7(cut_17)
    assert [d.example_id for d in fresh] == _manifest(FRESH_7)["ids"]
    assert sum(d.segments for d in fresh) == 508
    held = builder.select_held_out_9(cut_19)
    assert [d.example_id for d in held] == _manifest(HELD_OUT_9)["ids"]
    assert sum(d.segments for d in held) == 125
    fresh_8 = builder.select_fresh_8(cut_17)
    assert [d.example_id for d in fresh_8] == _manifest(FRESH_8)["ids"]
    assert sum(d.segments for d in fresh_8) == 307
    # rules 3 and 5 take every document of 5 to 30 segments, none twice
    assert len({*fresh, *fresh_8}) == sum(1 for d in cut_17 if 5 <= d.segments <= 30) == 56
    held_10 = builder.select_held_out_10(cut_19)
    assert [d.example_id for d in held_10] == _manifest(HELD_OUT_10)["ids"]
    assert sum(d.segments for d in held_10) == 84
    assert not {*held} & {*held_10}
    held_11 = builder.select_held_out_11(cut_19)
    assert [d.example_id for d in held_11] == _manifest(HELD_OUT_11)["ids"]
    assert sum(d.segments for d in held_11) == 130
    fresh_9 = builder.select_fresh_9(cut_19)
    assert [d.example_id for d in fresh_9] == _manifest(FRESH_9)["ids"]
    assert sum(d.segments for d in fresh_9) == 199
    # rules 4 and 6 to 8 take 56 of the 72 documents of 5 to 20 segments, none twice
    taken = {*held, *held_10, *held_11, *fresh_9}
    assert len(taken) == 56 and sum(1 for d in cut_19 if 5 <= d.segments <= 20) == 72


def test_no_other_data_file_of_evals_holds_a_wmt17_or_wmt19_document() -> None:
    """The sources are new: outside the six folders and the ``held-out-9`` to ``held-out-11``
    labels, no data file of ``evals/`` names a WMT17 or WMT19 document."""
    found = []
    for path in sorted((ROOT / "evals").rglob("*")):
        if not path.is_file() or (path.suffix != ".jsonl" and path.name != "splits.json"):
            continue
        if {FRESH_7, HELD_OUT_9, FRESH_8, HELD_OUT_10, HELD_OUT_11, FRESH_9} & set(
            path.relative_to(ROOT / "evals").parts
        ):
            continue
        for line in path.read_text("utf-8").splitlines():
            split = json.loads(line)["split"] if path.name == "entities.jsonl" else ""
            if split in ("held-out-9", "held-out-10", "held-out-11"):
                continue
            found += re.findall(r"wmt1[79]\.zh-en\.[\w.-]+", line)
    assert found == []


# -- the held-out-9 labels ---------------------------------------------------------------------


def test_held_out_9_labels_name_their_texts_by_hash() -> None:
    records = [
        record
        for record in map(json.loads, LABELS.read_text("utf-8").splitlines())
        if record["split"] == "held-out-9"
    ]
    assert [r["id"] for r in records] == _manifest(HELD_OUT_9)["ids"]
    counts = {
        kind: sum(len(r["entities"][kind]) for r in records) for kind in records[0]["entities"]
    }
    assert counts == {"person": 31, "organization": 45, "place": 54}
    for record in records:
        assert record["source"] == "wmt19"
        assert "before any extractor" in record["labelled_by"].lower()
        assert "text" not in record  # read from the built texts set, checked by its hash
        assert record["text_from"] == {"set": HELD_OUT_9, "id": record["id"]}
        assert re.fullmatch(r"[0-9a-f]{64}", record["text_sha256"])
        for kind, labels in record["entities"].items():
            assert len(labels) == len(set(labels))
            assert set(record["names_en"][kind]) <= set(labels)


def test_held_out_10_labels_name_their_texts_by_hash() -> None:
    records = [
        record
        for record in map(json.loads, LABELS.read_text("utf-8").splitlines())
        if record["split"] == "held-out-10"
    ]
    assert [r["id"] for r in records] == _manifest(HELD_OUT_10)["ids"]
    counts = {
        kind: sum(len(r["entities"][kind]) for r in records) for kind in records[0]["entities"]
    }
    assert counts == {"person": 15, "organization": 28, "place": 41}
    for record in records:
        assert record["source"] == "wmt19"
        assert "before any extractor" in record["labelled_by"].lower()
        assert "ninth round" in record["labelled_by"] and "rule 6" in record["provenance"]
        assert "text" not in record  # read from the built texts set, checked by its hash
        assert record["text_from"] == {"set": HELD_OUT_10, "id": record["id"]}
        assert re.fullmatch(r"[0-9a-f]{64}", record["text_sha256"])
        for kind, labels in record["entities"].items():
            assert len(labels) == len(set(labels))
            assert set(record["names_en"][kind]) <= set(labels)


def test_held_out_11_labels_name_their_texts_by_hash() -> None:
    records = [
        record
        for record in map(json.loads, LABELS.read_text("utf-8").splitlines())
        if record["split"] == "held-out-11"
    ]
    assert [r["id"] for r in records] == _manifest(HELD_OUT_11)["ids"]
    counts = {
        kind: sum(len(r["entities"][kind]) for r in records) for kind in records[0]["entities"]
    }
    assert counts == {"person": 22, "organization": 55, "place": 58}
    for record in records:
        assert record["source"] == "wmt19"
        assert "before any extractor" in record["labelled_by"].lower()
        assert "tenth round" in record["labelled_by"] and "rule 7" in record["provenance"]
        assert "text" not in record  # read from the built texts set, checked by its hash
        assert record["text_from"] == {"set": HELD_OUT_11, "id": record["id"]}
        assert re.fullmatch(r"[0-9a-f]{64}", record["text_sha256"])
        for kind, labels in record["entities"].items():
            assert len(labels) == len(set(labels))
            assert set(record["names_en"][kind]) <= set(labels)


def test_benchmarks_report_the_tenth_round_splits_first() -> None:
    extraction = load_script("extraction_wmt19", ROOT / "benchmarks" / "extraction.py")
    assert extraction.SPLITS[:3] == ("held-out-11", "held-out-10", "held-out-9")
    assert not {"held-out-11", "held-out-10", "held-out-9"} & set(extraction.TUNING)
    meta_eval = load_script("meta_eval_wmt17", ROOT / "benchmarks" / "meta_eval.py")
    assert meta_eval.SPLITS[:3] == ("fresh-9", "fresh-8", "fresh-7")
    assert (meta_eval.FRESH_7_SET, meta_eval.FRESH_8_SET) == (FRESH_7, FRESH_8)
    assert meta_eval.FRESH_9_SET == FRESH_9
    assert {meta_eval.FRESH_7, meta_eval.FRESH_8, meta_eval.FRESH_9} <= set(meta_eval.OWN_GENERATOR)
