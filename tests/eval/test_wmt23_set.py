"""``evals/wmt23-zhen`` follows its fixed cutting rule, builds deterministically from the MQM
document ids, and is wired into ``benchmarks/meta_eval.py`` as the blind split ``fresh-3``."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from summarizer.eval.goldset import load_set

ROOT = Path(__file__).resolve().parents[2]
MQM_HEADER = "system\tdoc\tdocSegId\tglobalSegId\trater\tsource\ttarget\tcategory"


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return _module("build_wmt23", ROOT / "evals" / "tools" / "build_wmt23.py")


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _mqm(path: Path, rows: list[tuple[str, int, str]]) -> Path:
    lines = [MQM_HEADER]
    for rater, (doc, number, source) in enumerate(rows * 2):  # two raters repeat each segment
        lines.append(f"sysA\t{doc}\t{number}\t{number}\trater{rater % 2}\t{source}\tout\tno-error")
    return _write(path, lines)


def test_cuts_at_the_next_documents_first_line(builder: ModuleType, tmp_path: Path) -> None:
    source = _write(
        tmp_path / "src.zh",
        ["别的。", "标题一", "正文 一。", "未评正文。", "标题二", "正文二。", "尾巴。", "别的。"],
    )
    reference = _write(
        tmp_path / "ref.en",
        ["Other.", "Title one", "Body one.", "Unrated.", "Title two", "Body two.", "Tail.", "X."],
    )
    mqm = _mqm(
        tmp_path / "mqm.tsv",
        [
            ("news_a.1:zh-en", 1, "<v>标题一</v>"),
            ("news_a.1:zh-en", 2, "正文一。"),  # the txt file has a space: still matched
            ("news_b.2:zh-en", 1, "标题二"),
            ("news_b.2:zh-en", 2, "正文二。"),
            ("manuals_c.3:zh-en", 1, "别的。"),  # not news: ignored
        ],
    )
    first = builder.wmt23_examples(source, reference, mqm)
    assert [example["id"] for example in first] == ["wmt23.zh-en.news_a.1", "wmt23.zh-en.news_b.2"]
    assert first[0]["source"] == "标题一\n正文 一。\n未评正文。"  # runs to the next first line
    assert first[0]["references"] == {"translation": [["Title one", "Body one.", "Unrated."]]}
    assert first[1]["extra"]["lines"] == [5, 6]  # the last ends at its last rated line
    assert {example["extra"]["split"] for example in first} == {"fresh-3"}
    assert builder.wmt23_examples(source, reference, mqm) == first


def test_a_document_found_nowhere_is_refused(builder: ModuleType, tmp_path: Path) -> None:
    source = _write(tmp_path / "src.zh", ["标题一", "正文一。"])
    reference = _write(tmp_path / "ref.en", ["Title", "Body."])
    mqm = _mqm(tmp_path / "mqm.tsv", [("news_a:zh-en", 1, "别处"), ("news_a:zh-en", 2, "没有")])
    with pytest.raises(SystemExit, match="fewer than half"):
        builder.wmt23_examples(source, reference, mqm)


def test_misaligned_files_are_refused(builder: ModuleType, tmp_path: Path) -> None:
    source = _write(tmp_path / "src.zh", ["标题一", "正文一。"])
    reference = _write(tmp_path / "ref.en", ["Title"])
    mqm = _mqm(tmp_path / "mqm.tsv", [("news_a:zh-en", 1, "标题一")])
    with pytest.raises(SystemExit, match="not aligned"):
        builder.wmt23_examples(source, reference, mqm)


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("美国升级“芯片战”重创全球半导体产业-中新网", True),
        ("土叙地震救灾夜以继日", True),
        ("买贵退差价！", False),  # the mechanical check is strict; PROVENANCE.md says who read them
        ("（德国之声中文网）拜登政府本周五将6个中国实体列入黑名单。", False),
    ],
)
def test_headline_check(builder: ModuleType, line: str, headline: bool) -> None:
    assert builder.looks_like_headline(line) is headline


def test_shipped_set_is_38_contiguous_news_documents() -> None:
    wmt23 = load_set("wmt23-zhen")
    assert len(wmt23) == 38
    previous_end = None
    for example in wmt23:
        lines = example.source.split("\n")
        (reference,) = example.translations()
        assert len(reference) == len(lines) and all(lines) and all(reference)
        first, last = example.extra["lines"]
        assert last - first + 1 == len(lines) >= example.extra["rated_segments"]
        assert previous_end is None or first == previous_end + 1  # no line left out between
        assert example.id == f"wmt23.zh-en.{example.extra['document'].removesuffix(':zh-en')}"
        assert example.extra["document"].startswith("news_")
        assert example.extra["split"] == "fresh-3"
        previous_end = last
    assert sum(len(example.translations()[0]) for example in wmt23) == 751
    assert wmt23.examples[0].extra["lines"][0] == 488


def test_meta_eval_reports_fresh_3_first_with_its_own_generator() -> None:
    meta_eval = _module("meta_eval_wmt23", ROOT / "benchmarks" / "meta_eval.py")
    assert meta_eval.SPLITS[:2] == ("fresh-4", "fresh-3")  # the newer blind set first
    pairs = meta_eval.human_pairs()
    fresh_3 = [pair for pair in pairs if pair.split == "fresh-3"]
    fresh_4 = [pair for pair in pairs if pair.split == "fresh-4"]
    assert len(fresh_3) == 38 and pairs[-len(fresh_4) - 38 : -len(fresh_4)] == fresh_3
    assert sum(len(pair.english) for pair in fresh_3) == 751
    shared = random.Random("1:number changed")
    own = meta_eval._generator(shared, 1, "number changed", fresh_3[0])
    again = meta_eval._generator(random.Random(5), 1, "number changed", fresh_3[0])
    assert own is not shared and own.random() == again.random()
