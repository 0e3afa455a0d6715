"""The repairs of a document are edits of its original text that, applied, give its text.

Whoever marks repairs in a reader, counts them, or re-applies them needs each stretch of the
original changed by exactly one repair: ``apply(document.repairs, document.original)`` must be
``document.text``, with no two repairs over the same characters of either text. A script
conversion over characters between which an earlier stage removed a pinyin annotation
(``務(wù)虛會``) is two repairs (``務``, ``虛會``) beside the annotation's, not one around it.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from summarizer.schema import Repair
from summarizer.text import prepare
from summarizer.text.document import Document

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
MOJIBAKE = ROOT / "tests" / "data" / "mojibake_samples.jsonl"


def apply(repairs: Sequence[Repair], original: str) -> str:
    """``original`` with every repair's replacement put over its original span."""
    parts, position = [], 0
    for repair in sorted(repairs, key=lambda r: (r.original_start, r.original_end)):
        assert repair.original_start >= position, f"overlapping repair {repair}"
        parts += [original[position : repair.original_start], repair.replacement]
        position = repair.original_end
    parts.append(original[position:])
    return "".join(parts)


def assert_repairs_reapply(document: Document) -> None:
    repairs = document.repairs
    for repair in repairs:
        assert document.original[repair.original_start : repair.original_end] == repair.original
        assert document.text[repair.normalized_start : repair.normalized_end] == repair.replacement
    by_original = sorted(repairs, key=lambda r: (r.original_start, r.original_end))
    for before, after in itertools.pairwise(by_original):
        assert before.original_end <= after.original_start, (before, after)
    by_normalized = sorted(repairs, key=lambda r: (r.normalized_start, r.normalized_end))
    for before, after in itertools.pairwise(by_normalized):
        assert before.normalized_end <= after.normalized_start, (before, after)
    assert [r.original_start for r in by_original] == [r.original_start for r in by_normalized]
    assert apply(repairs, document.original) == document.text


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_bytes().decode("utf-8")


def test_the_seed_repairs_reapply_and_do_not_overlap(seed_text: str) -> None:
    document = prepare(seed_text)
    assert_repairs_reapply(document)
    kinds = [repair.kind for repair in document.repairs]
    assert kinds.count("pinyin_annotation") == 278
    # 務(wù)虛會: the conversion of 務 and of 虛會 beside the annotation removed between them.
    start = document.original.index("務(wù)虛會")
    around = [
        (r.kind, r.original, r.replacement)
        for r in document.repairs
        if start <= r.original_start < start + len("務(wù)虛會")
    ]
    assert around == [
        ("script", "務", "务"),
        ("pinyin_annotation", "(wù)", ""),
        ("script", "虛會", "虚会"),
    ]


def seed_slices(text: str, count: int) -> Iterator[str]:
    """Stretches of the seed cut anywhere: inside an annotation, a mis-decoded run, a line end."""
    rng = random.Random(20261201)
    for _ in range(count):
        start = rng.randrange(len(text))
        yield text[start : start + rng.randrange(1, 400)]


def test_repairs_reapply_on_any_stretch_of_the_seed(seed_text: str) -> None:
    checked = 0
    for piece in seed_slices(seed_text, 150):
        if not piece.strip():
            continue
        assert_repairs_reapply(prepare(piece))
        checked += 1
    assert checked >= 140


_ANNOTATED = re.compile(r"(.)\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+)\)")


def test_repairs_reapply_on_the_seed_as_an_html_page_with_ruby(seed_text: str) -> None:
    """The page form: annotations as ``<ruby>`` markup, one ``<p>`` per line."""
    paragraphs = "".join(
        "<p>" + _ANNOTATED.sub(r"<ruby>\1<rt>\2</rt></ruby>", line) + "</p>"
        for line in seed_text.splitlines()
        if line.strip()
    )
    markup = f"<!DOCTYPE html><html><body><article>{paragraphs}</article></body></html>"
    document = prepare(markup.encode("utf-8"))
    assert any(repair.kind == "pinyin_annotation" for repair in document.repairs)
    assert any(repair.kind == "script" for repair in document.repairs)
    assert_repairs_reapply(document)


def test_repairs_reapply_on_real_mojibake() -> None:
    samples = [json.loads(line)["text"] for line in MOJIBAKE.read_text("utf-8").splitlines()]
    assert samples
    for sample in samples:
        document = prepare(sample)
        assert document.repairs
        assert_repairs_reapply(document)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "gbk"])
def test_repairs_reapply_on_the_seed_in_legacy_encodings(seed_text: str, encoding: str) -> None:
    lines = [line for line in seed_text.splitlines() if line.strip()]
    encodable = "\n".join(line for line in lines if _encodes(line, encoding))
    assert len(encodable) > len(seed_text) / 2
    assert_repairs_reapply(prepare(encodable.encode(encoding)))


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
