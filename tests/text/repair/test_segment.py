"""Paragraph and sentence segmentation with offsets into the normalized text."""

from __future__ import annotations

import pytest

from summarizer.text import prepare
from summarizer.text.repair.segment import paragraphs, sentences


def split(text: str) -> list[str]:
    return [sentence.text for sentence in sentences(text, paragraphs(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("他说：“要坚持……。”随后离开。", ["他说：“要坚持……。”", "随后离开。"]),
        ("他说：“好。”（完）", ["他说：“好。”", "（完）"]),
        ("增长3.5%，达到12.8亿元。下降。", ["增长3.5%，达到12.8亿元。", "下降。"]),
        ("真的吗？！是的。", ["真的吗？！", "是的。"]),
        ("没有结尾的句子", ["没有结尾的句子"]),
        (
            "The U.S. economy grew 3.5 percent. Dr. Smith agreed! Did it? Yes.",
            ["The U.S. economy grew 3.5 percent.", "Dr. Smith agreed!", "Did it?", "Yes."],
        ),
        ('He said "Go." Then he left.', ['He said "Go."', "Then he left."]),
        ("Wait... what happened. Nothing.", ["Wait...", "what happened.", "Nothing."]),
        ("美国(U.S.)经济增长。好。", ["美国(U.S.)经济增长。", "好。"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_sentence_offsets_and_paragraph_indexes() -> None:
    document = prepare("第一段第一句。第一段第二句。\n第二段。")
    assert [(s.text, s.paragraph) for s in document.sentences] == [
        ("第一段第一句。", 0),
        ("第一段第二句。", 0),
        ("第二段。", 1),
    ]
    for sentence in document.sentences:
        assert document.text[sentence.start : sentence.end] == sentence.text
    assert [(p.start, p.end) for p in document.paragraphs] == [(0, 14), (15, 19)]


def test_empty_lines_are_not_paragraphs() -> None:
    assert [p.text for p in paragraphs("甲\n\n乙\n")] == ["甲", "乙"]
