"""Mis-decoded runs: real UTF-8-as-GBK samples, GBK read out of step, and no false alarms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer.eval.goldset import load_set
from summarizer.text import prepare
from summarizer.text.repair.lexicon import s2t_converter, to_simplified
from summarizer.text.repair.mojibake import LOST

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "mojibake_samples.jsonl"
CJK = re.compile("[\u4e00-\u9fff]")


def load(name: str) -> list[dict[str, object]]:
    path = SAMPLES.parent / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_real_utf8_as_gbk_samples_are_repaired() -> None:
    samples = load("mojibake_samples.jsonl")
    text = "\n".join(str(sample["text"]) for sample in samples)
    document = prepare(text)
    for word in (
        "文章标",
        "文章摘",
        "文章发布人ID",
        "文章发布时间",
        "用户id",
        "事件发布时间",
        "事件",
    ):
        assert word in document.text
    runs = [r for r in document.repairs if r.kind == "mojibake"]
    assert len(runs) >= 10
    for run in runs:
        located = [w for w in document.warnings if w.start == run.normalized_start]
        assert located and located[0].code.startswith("mojibake")
        if LOST in run.replacement:
            assert located[0].code == "mojibake_unrecoverable" and not run.certain


def test_repairs_never_invent_characters() -> None:
    """Every Han character we output is in the verified repair or was already shown."""
    for sample in load("mojibake_samples.jsonl"):
        shown_lines = str(sample["text"]).split("\n")
        verified_lines = str(sample["gbk_to_utf8_repair_attempt"]).split("\n")
        ours = prepare(str(sample["text"])).text.split("\n")
        assert len(ours) == len(shown_lines)
        for mine, shown, verified in zip(ours, shown_lines, verified_lines, strict=True):
            # Simplified, or as written where it sits beside lost bytes (kept from conversion).
            allowed = set(to_simplified(shown + verified)) | set(shown + verified)
            assert set(CJK.findall(mine)) <= allowed, (mine, verified)


def garble_one_byte_out_of_step(phrase: str) -> str:
    """What a GBK reader shows after losing the phrase's first byte (and its last)."""
    raw = phrase.encode("gbk")
    return "?" + raw[1:-1].decode("gbk") + "?"


@pytest.mark.parametrize(
    "phrase",
    ["时期分管领域工作的重点目标", "面对复杂环境和繁重任务", "敢于与强的比", "把该扛的责任扛起来"],
)
def test_gbk_read_out_of_step_is_recovered(phrase: str) -> None:
    garbled = garble_one_byte_out_of_step(phrase)
    assert CJK.search(garbled) and phrase[1:-1] not in garbled
    raw = f"张建华指出，{garbled}，各方面都要加快发展。"
    document = prepare(raw)
    (run,) = [r for r in document.repairs if r.kind == "mojibake"]
    assert run.original == garbled
    assert phrase[1:-1] in run.replacement  # every character whose two bytes survived
    assert not run.certain and "bytes were lost" in run.note
    first, last = run.replacement[0], run.replacement[-1]
    assert first in (phrase[0], LOST) and last in (phrase[-1], LOST)
    assert document.text.startswith("张建华指出，") and document.text.endswith(
        "，各方面都要加快发展。"
    )
    (warning,) = [w for w in document.warnings if w.code.startswith("mojibake")]
    assert (warning.start, warning.end) == (run.normalized_start, run.normalized_end)


def test_lost_edge_characters_are_inferred_only_from_the_article() -> None:
    phrase = "实打实的成效。"
    garbled = garble_one_byte_out_of_step(phrase)
    context = "要实现目标。要落实责任。要抓实工作。"  # 实 and 。 are the article's usual characters
    document = prepare(context + "\n确保取得" + garbled + "\n")
    assert "确保取得实打实的成效。" in document.text
    alone = prepare("确保取得" + garbled)  # nothing to infer from: visible markers stay
    assert LOST in alone.text and "的成效" in alone.text


@pytest.mark.parametrize("traditional", [False, True])
@pytest.mark.parametrize("name", ["wmt22-zhen", "zh-news-summaries"])
def test_no_false_alarms_on_clean_news(name: str, traditional: bool) -> None:
    for example in load_set(name).examples:
        text = example.source
        if traditional:
            text = str(s2t_converter().convert(text))
        document = prepare(text)
        suspicious = [
            r for r in document.repairs
            if r.kind in {"mojibake", "pinyin_annotation", "damaged_annotation", "html_tag"}
        ]  # fmt: skip
        assert suspicious == [], example.id
        assert document.language == "zh"
        assert document.script == ("traditional" if traditional else "simplified")
