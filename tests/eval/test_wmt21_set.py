"""``evals/external/wmt21-zhen`` follows its fixed headline rule, builds deterministically, and its
blind splits are wired into the benchmarks (``fresh-2`` in meta_eval, ``held-out-4`` in
extraction). The set's text is not in the repository: the builder is tested on lines written here,
the set through its committed manifest (ids, content hash), the labels through their ids."""

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
MANIFEST = ROOT / "evals" / "external" / "wmt21-zhen" / "manifest.json"
LABELS = ROOT / "evals" / "labelled" / "entities.jsonl"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script("build_wmt21", ROOT / "evals" / "tools" / "build_wmt21.py")


@pytest.mark.parametrize(
    ("line", "starts"),
    [
        ("春游升温 某市首趟观光专列今日开行-新华网", True),
        ("某省12个县普降大雨 启动防汛四级响应-中新网", True),
        ("奖励3万元 某地表扬山洪“报警第一人” - 中新网", True),
        ("某公司发布半年报－专业财经新闻网站", True),
        ("标题 - 华声在线", True),
        ("新华社北京7月25日电 记者从新华网获悉", False),  # a site named mid-sentence
        ("我打脸我自己？", False),  # a headline without a site: merged, by the rule
        ("新冠疫苗-新闻", False),  # not a site name ending
        # the rule's known imperfection, kept: any short run ending in 网 after a dash counts
        ("COVID-19疫情在全国网", True),
    ],
)
def test_headline_rule(builder: ModuleType, line: str, starts: bool) -> None:
    assert builder.is_headline(line) is starts


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_builds_deterministically_and_cuts_at_headlines(
    builder: ModuleType, tmp_path: Path
) -> None:
    source = _write(
        tmp_path / "src.zh",
        ["开头一句。", "第一篇-新华网", "正文一。", "第二篇 - 经济观察网", "正文二。", "正文三。"],
    )
    reference = _write(
        tmp_path / "ref.en",
        ["Lead.", "First - Xinhuanet", "Body one.", "Second", "Body two.", "Body three."],
    )
    first = builder.wmt21_examples(source, reference)
    assert [example["id"] for example in first] == [
        "wmt21.zh-en.line-0001",
        "wmt21.zh-en.line-0002",
        "wmt21.zh-en.line-0004",
    ]
    assert first[2]["source"] == "第二篇 - 经济观察网\n正文二。\n正文三。"
    assert first[2]["references"] == {"translation": [["Second", "Body two.", "Body three."]]}
    assert first[0]["extra"]["starts_with_headline"] is False
    assert {example["extra"]["split"] for example in first} == {"fresh-2"}
    assert builder.wmt21_examples(source, reference) == first


def test_misaligned_files_are_refused(builder: ModuleType, tmp_path: Path) -> None:
    source = _write(tmp_path / "src.zh", ["一-新华网", "二。"])
    reference = _write(tmp_path / "ref.en", ["One"])
    with pytest.raises(SystemExit, match="not aligned"):
        builder.wmt21_examples(source, reference)


def _manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return manifest


def _first_lines() -> list[int]:
    return [int(identifier.rsplit("-", 1)[1]) for identifier in _manifest()["ids"]]


def test_committed_manifest_is_the_rule_applied_to_all_1948_segments() -> None:
    """Ids are the documents' first lines: they start at line 1, rise, and with the 1948
    segments the description states, give every document's length."""
    manifest = _manifest()
    assert manifest["name"] == "wmt21-zhen" and manifest["split"] == "fresh-2"
    assert manifest["examples"] == len(manifest["ids"]) == 103
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", manifest["content_hash"])
    assert all(re.fullmatch(r"wmt21\.zh-en\.line-\d{4}", i) for i in manifest["ids"])
    first = _first_lines()
    assert first[0] == 1 and first == sorted(set(first)) and first[-1] <= 1948
    assert "1948 segments" in manifest["description"]
    assert manifest["build"] == "python evals/tools/build_wmt21.py --mirrors /work/.mirror"


def _lengths() -> dict[str, int]:
    """Lines per document, from the ids alone (the next document starts after the last line)."""
    first = _first_lines()
    ends = [*first[1:], 1948 + 1]
    return {
        identifier: end - start
        for identifier, start, end in zip(_manifest()["ids"], first, ends, strict=True)
    }


def test_extraction_reports_the_wmt21_labels_first() -> None:
    extraction = load_script("extraction_benchmark", ROOT / "benchmarks" / "extraction.py")
    assert extraction.SPLITS[5:8] == ("held-out-6", "held-out-5", "held-out-4")
    assert "held-out-4" not in extraction.TUNING and "held-out-5" not in extraction.TUNING
    eligible = sorted(
        (i for i, lines in _lengths().items() if lines >= 5),
        key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest(),
    )
    by_split: dict[str, list[dict[str, Any]]] = {}
    for line in LABELS.read_text("utf-8").splitlines():
        record = json.loads(line)
        by_split.setdefault(record["split"], []).append(record)
    # chosen by the rule: the smallest hashes, each split continuing after the ones before it
    assert [r["id"] for r in by_split["held-out-4"]] == eligible[:10]
    assert [r["id"] for r in by_split["tune-3"]] == eligible[10:22]
    assert [r["id"] for r in by_split["held-out-5"]] == eligible[22:33]
    for record in (*by_split["held-out-4"], *by_split["tune-3"], *by_split["held-out-5"]):
        # the text is not committed: it comes from the built set, checked by its hash
        assert "text" not in record
        assert record["text_from"] == {"set": "wmt21-zhen", "id": record["id"]}
        assert re.fullmatch(r"[0-9a-f]{64}", record["text_sha256"])
        for kind, labels in record["entities"].items():
            assert set(record["names_en"][kind]) <= set(labels)
    assert all(all(r["entities"].values()) for r in by_split["held-out-4"])
    assert all(any(r["entities"].values()) for r in by_split["held-out-5"])


def test_labelled_ids_are_unique() -> None:
    lines = LABELS.read_text("utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert len(ids) == len(set(ids))
