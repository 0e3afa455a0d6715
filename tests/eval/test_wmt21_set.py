"""``evals/wmt21-zhen`` follows its fixed headline rule, builds deterministically, and its blind
splits are wired into the benchmarks (``fresh-2`` in meta_eval, ``held-out-4`` in extraction)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
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
    return _module("build_wmt21", ROOT / "evals" / "tools" / "build_wmt21.py")


@pytest.mark.parametrize(
    ("line", "starts"),
    [
        ("跨省游恢复 全国首趟跨省动车旅游专列开行-新华网", True),
        ("重庆33个区县降暴雨 当地启动防汛Ⅳ级应急响应-中新网", True),
        ("奖励5万元 湖北恩施表扬沙子坝滑坡“预警第一人” - 中新网", True),
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


def test_shipped_set_is_the_rule_applied_to_all_1948_segments(builder: ModuleType) -> None:
    wmt21 = load_set("wmt21-zhen")
    assert len(wmt21) == 103
    covered = 0
    for example in wmt21:
        lines = example.source.split("\n")
        (reference,) = example.translations()
        assert len(reference) == len(lines)
        first, last = example.extra["lines"]
        assert (first, last) == (covered + 1, covered + len(lines))
        assert example.id == f"wmt21.zh-en.line-{first:04d}"
        assert example.extra["split"] == "fresh-2"
        assert not any(builder.is_headline(line) for line in lines[1:])
        assert builder.is_headline(lines[0]) or first == 1
        covered = last
    assert covered == 1948


def test_extraction_reports_the_wmt21_labels_first() -> None:
    extraction = _module("extraction_benchmark", ROOT / "benchmarks" / "extraction.py")
    assert extraction.SPLITS[:3] == ("held-out-6", "held-out-5", "held-out-4")
    assert "held-out-4" not in extraction.TUNING and "held-out-5" not in extraction.TUNING
    wmt21 = {example.id: example for example in load_set("wmt21-zhen")}
    eligible = sorted(
        (i for i, example in wmt21.items() if example.source.count("\n") >= 4),
        key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest(),
    )
    by_split: dict[str, list[dict[str, Any]]] = {}
    for record in extraction.load_records():
        by_split.setdefault(record["split"], []).append(record)
    # chosen by the rule: the smallest hashes, each split continuing after the ones before it
    assert [r["id"] for r in by_split["held-out-4"]] == eligible[:10]
    assert [r["id"] for r in by_split["tune-3"]] == eligible[10:22]
    assert [r["id"] for r in by_split["held-out-5"]] == eligible[22:33]
    for record in (*by_split["held-out-4"], *by_split["held-out-5"]):
        assert record["text"] == wmt21[record["id"]].source
        prepared = prepare(record["text"]).text
        for kind, labels in record["entities"].items():
            assert all(label in prepared for label in labels)
            assert set(record["names_en"][kind]) <= set(labels)
    assert all(all(r["entities"].values()) for r in by_split["held-out-4"])
    assert all(any(r["entities"].values()) for r in by_split["held-out-5"])


def test_labelled_ids_are_unique() -> None:
    lines = (ROOT / "evals" / "labelled" / "entities.jsonl").read_text("utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert len(ids) == len(set(ids))
