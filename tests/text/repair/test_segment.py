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
        # numbered lists are not split at their numbers (issue 10)
        (
            "研究方向：1.深层网络；2.游戏化；3.在线学习。下一句。",
            ["研究方向：1.深层网络；2.游戏化；3.在线学习。", "下一句。"],
        ),
        ("1.首先做好准备。2.然后开始。", ["1.首先做好准备。", "2.然后开始。"]),
        # a list number straight after Chinese text, with no punctuation before it (round 10)
        (
            "重点方向主要包括1.深层网络；2.游戏化。下一句。",
            ["重点方向主要包括1.深层网络；2.游戏化。", "下一句。"],
        ),
        ("增长率为12.5%。下一句。", ["增长率为12.5%。", "下一句。"]),
        ("产量达到2019.下一句。", ["产量达到2019.", "下一句。"]),
        ("He scored 2. Then he left.", ["He scored 2.", "Then he left."]),
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
