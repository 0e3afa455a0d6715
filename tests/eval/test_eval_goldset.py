"""Gold sets: shipped sets load, hashes are verified, malformed sets are refused clearly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarizer.eval.goldset import GoldSetError, content_hash, load_set, shipped_set_names


def test_shipped_sets_load_with_expected_sizes() -> None:
    assert {"seed", "wmt22-zhen", "zh-news-summaries"} <= set(shipped_set_names())
    assert len(load_set("seed")) == 1
    assert len(load_set("wmt22-zhen")) == 15
    assert len(load_set("zh-news-summaries")) == 40


def test_every_example_keeps_provenance_and_license() -> None:
    for name in ("seed", "wmt22-zhen", "zh-news-summaries"):
        goldset = load_set(name)
        assert goldset.provenance and goldset.license
        for example in goldset:
            assert example.provenance and example.license and example.source


def test_seed_references_are_complete_and_paragraph_aligned() -> None:
    (example,) = load_set("seed").examples
    assert (
        example.provenance == "written by the summarizer project team, checked against the source"
    )
    assert len(example.source_clean) == 8
    (translation,) = example.translations()
    assert len(translation) == 8
    people = {p["name"]: p for p in example.references["people"]}
    assert people["张建华"]["name_en"] == "Zhang Jianhua"
    assert "Secretary of the Tongzhou District Party Committee" in people["张建华"]["titles_en"]
    for name in ("吴瑕", "陈艳梅", "成宾", "吴冰冰", "施伟办", "瞿镇辅", "葛燕", "宋金平"):
        assert name in people
        assert name in "".join(example.source_clean)
    assert example.references["events"][0]["date_iso"] == "2025-12-13"
    assert 3 <= example.references["summary"][0].count(". ") + 1 <= 4


def test_seed_source_is_the_scraped_original_byte_for_byte(seed_text: str) -> None:
    (example,) = load_set("seed").examples
    assert example.source == seed_text


def test_wmt_keeps_both_references_sentence_aligned() -> None:
    for example in load_set("wmt22-zhen"):
        references = example.translations()
        assert len(references) == 2
        sentences = example.source.split("\n")
        assert len(references[0]) == len(references[1]) == len(sentences)


def test_summaries_set_has_chinese_references() -> None:
    for example in load_set("zh-news-summaries"):
        (reference,) = example.texts("summary_zh")
        assert any("\u4e00" <= char <= "\u9fff" for char in reference)


def _copy(name: str, tmp_path: Path) -> Path:
    source = load_set(name).path
    assert source is not None
    target = tmp_path / name
    shutil.copytree(source, target)
    return target


def test_an_edited_example_is_refused_with_the_hashes(tmp_path: Path) -> None:
    folder = _copy("seed", tmp_path)
    examples = folder / "examples.jsonl"
    examples.write_text(
        examples.read_text(encoding="utf-8").replace("Zhang", "Zhong"), encoding="utf-8"
    )
    with pytest.raises(GoldSetError, match="does not match its manifest"):
        load_set(folder)
    assert len(load_set(folder, verify=False)) == 1


def test_hash_is_independent_of_key_order() -> None:
    assert content_hash([{"a": 1, "b": "中"}]) == content_hash([{"b": "中", "a": 1}])
    assert content_hash([{"a": 1}]) != content_hash([{"a": 2}])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"id": "x"}', "missing or non-string"),
        (
            '{"id": "x", "source": "s", "provenance": "p", "license": "l", '
            '"references": {"headlines": []}}',
            "unknown reference fields",
        ),
        (
            '{"id": "x", "source": "s", "provenance": "p", "license": "l", '
            '"references": {"translation": ["one paragraph"]}}',
            "list of references",
        ),
        (
            '{"id": "x", "source": "s", "provenance": "p", "license": "l", '
            '"references": {"summary": "not a list"}}',
            "list of strings",
        ),
    ],
)
def test_malformed_examples_are_named(tmp_path: Path, line: str, message: str) -> None:
    folder = _copy("seed", tmp_path)
    (folder / "examples.jsonl").write_text(line + "\n", encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["content_hash"] = "sha256:whatever"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(GoldSetError, match=message):
        load_set(folder, verify=False)


def test_unknown_set_lists_the_shipped_ones() -> None:
    with pytest.raises(GoldSetError, match="wmt22-zhen"):
        load_set("no-such-set")
