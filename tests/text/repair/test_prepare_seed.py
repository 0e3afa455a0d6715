"""prepare() on the real scraped article: every defect found, repaired or flagged, and traceable."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from summarizer.text import prepare
from summarizer.text.document import Document
from summarizer.text.repair.lexicon import to_simplified

SEED = Path(__file__).resolve().parents[3] / "examples" / "tongzhou_2025-12-13_scraped.txt"


@pytest.fixture(scope="module")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="module")
def seed_document(seed_bytes: bytes) -> Document:
    return prepare(seed_bytes, source_name=SEED.name)


LATIN_PINYIN = re.compile(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{2,}")


def test_all_pinyin_annotations_are_removed(seed_document: Document) -> None:
    kinds = Counter(repair.kind for repair in seed_document.repairs)
    assert kinds["pinyin_annotation"] == 278
    assert kinds["damaged_annotation"] == 2
    assert LATIN_PINYIN.search(seed_document.text) is None
    assert not re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", seed_document.text)


def test_real_parentheses_survive(seed_document: Document) -> None:
    assert "(通讯员施伟办 瞿镇辅 记者葛燕 宋金平)" in seed_document.text


def test_key_phrases_read_correctly(seed_document: Document) -> None:
    for phrase in ("通州日报讯", "市委常委、区委书记张建华", "区委副书记、区长吴瑕", "要务实担当"):
        assert phrase in seed_document.text
    for name in ("瞿镇辅", "吴瑕", "成宾", "陈艳梅", "张建华", "吴冰冰"):
        assert name in seed_document.text


def test_damaged_annotations_are_uncertain_and_warned(seed_document: Document) -> None:
    damaged = [r for r in seed_document.repairs if r.kind == "damaged_annotation"]
    assert [r.original for r in damaged] == ["?qǐng)?bào)", "?jiǎng)?wù)"]
    assert [r.replacement for r in damaged] == ["报", "务"]
    assert all(not r.certain for r in damaged)
    codes = {(w.code, w.start) for w in seed_document.warnings}
    for repair in damaged:
        assert ("damaged_annotation_restored", repair.normalized_start) in codes


def test_both_misdecoded_runs_are_found_where_they_are(seed_document: Document) -> None:
    runs = [r for r in seed_document.repairs if r.kind == "mojibake"]
    assert len(runs) == 2
    first, second = runs
    original = seed_document.original
    assert first.original == "?!笆逦濉比匀皇峭ㄖ菥C"
    assert first.original_start == original.index("?!笆逦濉")
    assert "”仍然是通州综" in first.replacement
    assert "”仍然是通州综合" in seed_document.text
    assert second.original == "?qū)嵉某尚А?"
    assert second.original_start == original.index("?qū)嵉")
    assert (
        seed_document.text[second.normalized_start - 2 : second.normalized_end] == "实打实的成效。"
    )
    assert all(not run.certain for run in runs)  # bytes were lost: the edges are inferred
    for run in runs:
        located = [w for w in seed_document.warnings if w.code.startswith("mojibake")]
        assert any(w.start == run.normalized_start and w.end == run.normalized_end for w in located)
        assert "bytes were lost" in run.note


def test_lost_bytes_are_described_not_hidden(seed_document: Document) -> None:
    first = next(r for r in seed_document.repairs if r.kind == "mojibake")
    # The re-decoding alone gives 叔五; 十五五 is an inference from the article, and says so.
    assert "'叔'" in first.note and "'十五'" in first.note and "inferred" in first.note
    assert "。“十五五”仍然是通州综合" in seed_document.text


def test_stray_closing_tag_is_removed_and_recorded(seed_document: Document) -> None:
    tags = [r for r in seed_document.repairs if r.kind == "html_tag"]
    assert [r.original for r in tags] == ["/p>"]
    assert "/p>" not in seed_document.text and "<" not in seed_document.text


def test_eight_lines_make_eight_paragraphs(seed_document: Document) -> None:
    assert len(seed_document.paragraphs) == 8
    assert seed_document.text.count("\n") == 7
    for paragraph in seed_document.paragraphs:
        assert seed_document.text[paragraph.start : paragraph.end] == paragraph.text
    assert seed_document.paragraphs[-1].text == "区四套班子全体成员参加会议。"


def test_sentences_cover_paragraphs(seed_document: Document) -> None:
    sentences = seed_document.sentences
    assert len(sentences) > 20
    for sentence in sentences:
        assert seed_document.text[sentence.start : sentence.end] == sentence.text
        paragraph = seed_document.paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
    assert any(s.text == "市委常委、区委书记张建华主持会议并讲话。" for s in sentences)


def test_script_language_encoding(seed_document: Document) -> None:
    assert seed_document.script == "traditional"
    assert seed_document.language == "zh"
    assert seed_document.encoding == "utf-8"
    assert seed_document.original.startswith("區(qū)委務(wù)虛會(huì)")
    assert "區" not in seed_document.text  # fully simplified


def test_every_repair_points_into_both_texts(seed_document: Document) -> None:
    for repair in seed_document.repairs:
        span = seed_document.original[repair.original_start : repair.original_end]
        assert span == repair.original, repair
        normalized = seed_document.text[repair.normalized_start : repair.normalized_end]
        assert normalized == repair.replacement, repair


def test_unchanged_characters_map_back(seed_document: Document) -> None:
    changed = [False] * len(seed_document.text)
    for repair in seed_document.repairs:
        for index in range(repair.normalized_start, repair.normalized_end):
            changed[index] = True
    offset_map = seed_document.offset_map
    assert len(offset_map) == len(seed_document.text) + 1
    assert offset_map[-1] == len(seed_document.original)
    checked = 0
    for index, char in enumerate(seed_document.text):
        if not changed[index]:
            assert seed_document.original[seed_document.to_original_offset(index)] == char
            checked += 1
    assert checked > 800
    assert list(offset_map) == sorted(offset_map)  # monotonic


def test_warnings_point_into_normalized_text(seed_document: Document) -> None:
    located = [w for w in seed_document.warnings if w.code != "script_converted"]
    assert len(located) == len(seed_document.warnings) - 1
    for warning in located:
        assert warning.start is not None and warning.end is not None
        assert 0 <= warning.start <= warning.end <= len(seed_document.text)
        assert warning.message


def test_str_and_bytes_give_the_same_text(seed_bytes: bytes, seed_document: Document) -> None:
    from_str = prepare(seed_bytes.decode("utf-8"))
    assert from_str.text == seed_document.text
    assert from_str.encoding == "str"
    assert prepare(seed_bytes.decode("utf-8").encode("gb18030")).text == seed_document.text


def test_source_info_round_trips(seed_document: Document) -> None:
    info = seed_document.source_info()
    assert info.script == "traditional"
    assert info.paragraphs == [p.text for p in seed_document.paragraphs]
    assert len(info.repairs) == len(seed_document.repairs)


def test_pinyin_repairs_are_pure_deletions(seed_document: Document) -> None:
    """A removed annotation stays a removal at its place, even inside a converted run."""
    pinyin = [r for r in seed_document.repairs if r.kind == "pinyin_annotation"]
    assert pinyin and all(r.replacement == "" for r in pinyin)
    text = seed_document.text
    for repair in pinyin:
        annotated = seed_document.original[repair.original_start - 1]
        assert text[repair.normalized_start - 1] == to_simplified(annotated)
