"""evals/tools/build_long_summaries.py: a long-article summary set from a fetched data file."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from summarizer.eval.goldset import load_set

TOOL = Path(__file__).resolve().parents[2] / "evals" / "tools" / "build_long_summaries.py"
LONG = "国务院常务会议今天召开，部署进一步扩大内需。" * 30  # 660 characters


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_long_summaries", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nlpcc_file(folder: Path) -> Path:
    lines = [
        {"summarization": f"摘要{n}", "article": f"第{n}篇<Paragraph>" + LONG} for n in range(12)
    ]
    lines[3]["article"] = "太短的文章。"  # not long: never chosen
    lines[5]["summarization"] = ""  # no summary: never chosen
    path = folder / "train_with_summ.txt"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def test_selection_is_by_id_hash_among_long_records_and_split_by_id(tmp_path: Path) -> None:
    build = tool()
    folder = build.build(
        nlpcc_file(tmp_path),
        "nlpcc-jsonl",
        "demo",
        "a test file",
        "test terms",
        count=5,
        out=tmp_path / "demo",
    )
    gold = load_set(folder)
    ids = [example.id for example in gold]
    eligible = [f"demo-{n}" for n in range(12) if n not in (3, 5)]
    expected = sorted(eligible, key=lambda i: hashlib.sha256(i.encode()).hexdigest())[:5]
    assert ids == expected
    for example in gold:
        first_byte = hashlib.sha256(example.id.encode()).digest()[0]
        assert example.extra["split"] == ("tune" if first_byte % 2 == 0 else "held-out")
        number = example.id.removeprefix("demo-")
        assert example.texts("summary_zh") == [f"摘要{number}"]
        assert example.source.startswith(f"第{number}篇\n")  # <Paragraph> is a line break
        assert example.provenance == "a test file" and example.license == "test terms"
    assert "smallest SHA-256" in (folder / "PROVENANCE.md").read_text("utf-8")


def test_clean_json_and_src_tgt_formats(tmp_path: Path) -> None:
    build = tool()
    clean = tmp_path / "nlpcc2017_clean.json"
    clean.write_text(
        json.dumps({"data": [{"title": "摘要", "content": LONG}]}, ensure_ascii=False), "utf-8"
    )
    assert [r[1:] for r in build.records(clean, "nlpcc-clean-json")] == [(LONG, "摘要")]
    source, target = tmp_path / "test.src", tmp_path / "test.tgt"
    source.write_text(LONG + "\n" + LONG + "\n", "utf-8")
    target.write_text("甲\n乙\n", "utf-8")
    assert [r[2] for r in build.records(source, "src-tgt", target)] == ["甲", "乙"]
    target.write_text("甲\n", "utf-8")
    with pytest.raises(SystemExit, match="lines"):
        list(build.records(source, "src-tgt", target))


def test_no_long_record_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text(json.dumps({"summarization": "摘要", "article": "短文。"}) + "\n", "utf-8")
    with pytest.raises(SystemExit, match="500"):
        tool().build(path, "nlpcc-jsonl", "demo", "p", "l", out=tmp_path / "x")


def test_catamaran_format_puts_the_headline_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "CATAMARAN_Samples.json"
    record = {
        "Title": {"chinese": "标题一", "english": "Title"},
        "Content": [
            {"chinese": "第一段。", "english": "P1"},
            {"chinese": "第二段。", "english": "P2"},
        ],
        "Summary": {"chinese": "中文摘要", "english": "summary"},
    }
    path.write_text(json.dumps({"Data": [record]}, ensure_ascii=False), "utf-8")
    assert list(tool().records(path, "catamaran-json")) == [
        (0, "标题一\n第一段。\n第二段。", "中文摘要")
    ]


def test_content_summary_format_reads_a_list_of_records_in_order(tmp_path: Path) -> None:
    path = tmp_path / "eval_news.json"
    records = [{"content": "正文一。", "summary": "摘要一"}, {"content": "正文二。", "summary": ""}]
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    assert list(tool().records(path, "content-summary-json")) == [
        (0, "正文一。", "摘要一"),
        (1, "正文二。", ""),
    ]


def test_provenance_lists_every_chosen_id_with_its_split_and_the_content_hash(
    tmp_path: Path,
) -> None:
    folder = tool().build(nlpcc_file(tmp_path), "nlpcc-jsonl", "demo", "p", "l", out=tmp_path / "d")
    text = (folder / "PROVENANCE.md").read_text("utf-8")
    gold = load_set(folder)
    assert gold.signature.split("#")[1] in text
    for example in gold:
        assert f"| `{example.id}` | {example.extra['split']} |" in text
