"""``evals/external/wmt23-zhen`` follows its fixed cutting rule and builds deterministically from
the MQM document ids (tested on lines written here: the set's text is not in the repository), and
its committed manifest names the 38 news documents. Its wiring into ``benchmarks/meta_eval.py`` as
the blind split ``fresh-3`` is tested in ``test_meta_eval_splits.py``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from script_modules import load_script

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "evals" / "external" / "wmt23-zhen" / "manifest.json"
MQM_HEADER = "system\tdoc\tdocSegId\tglobalSegId\trater\tsource\ttarget\tcategory"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script("build_wmt23", ROOT / "evals" / "tools" / "build_wmt23.py")


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
        ("某国升级“贸易战”冲击全球汽车产业-中新网", True),
        ("山区抗洪抢险昼夜不停", True),
        ("买贵就退钱！", False),  # the mechanical check is strict; PROVENANCE.md says who read them
        ("（某某中文网）某国政府本周三将8家企业列入清单。", False),
    ],
)
def test_headline_check(builder: ModuleType, line: str, headline: bool) -> None:
    assert builder.looks_like_headline(line) is headline


def test_committed_manifest_names_the_38_news_documents() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert manifest["name"] == "wmt23-zhen" and manifest["split"] == "fresh-3"
    assert manifest["examples"] == len(manifest["ids"]) == len(set(manifest["ids"])) == 38
    assert all(re.fullmatch(r"wmt23\.zh-en\.news_[\w.-]+", i) for i in manifest["ids"])
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", manifest["content_hash"])
    assert "751 segments" in manifest["description"]
    assert manifest["build"] == "python evals/tools/build_wmt23.py --mirrors /work/.mirror"


def test_the_builder_pins_the_files_provenance_names(builder: ModuleType) -> None:
    provenance = (MANIFEST.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    for pinned in builder.INPUTS:
        assert pinned.commit in provenance and pinned.sha256 in provenance
        assert pinned.repository in provenance
    assert builder.BUILD in provenance
