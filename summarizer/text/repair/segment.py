"""Split normalized text into paragraphs (lines) and sentences, with offsets into the text.

Sentences end at Chinese or Western sentence punctuation, and keep their closing quotes and brackets
(``……。”`` stays with its sentence). A Western full stop only ends a sentence when it is not a
decimal point (``3.5``), a list number (``1.深层网络；2.游戏化`` and ``包括1.深层网络`` are one
sentence each, not "1." and "游戏化；3.") or part of an abbreviation (``U.S.``, ``Dr.``).
"""

from __future__ import annotations

import re

from summarizer.text.document import Checkpoint, Sentence, Span, run_to_end

_CLOSERS = "”’」』）)】》〉\"'］]"
_BOUNDARY = re.compile(rf"(?:[。！？!?｡]+|…+[。！？!?]*|\.+)[{re.escape(_CLOSERS)}]*")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "no",
        "gen",
        "gov",
        "sen",
        "rep",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "fig",
        "al",
        "approx",
        "dept",
        "est",
    ]
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\Z")
#: A list number right before a full stop: ``1.`` at the start, after punctuation (``；2.``) or
#: straight after Chinese text (``主要包括1.深层网络``: Chinese ends a sentence with 。, not ".").
_LIST_NUMBER = re.compile(r"(?:\A|[\s，,。；;：:、（(）)！？!?\u3400-\u9fff])\d{1,2}\Z")


def paragraphs(text: str) -> tuple[Span, ...]:
    spans = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append(Span(start, end, line))
        start = end + 1
    return tuple(spans)


#: What ``sentences`` tells its checkpoint it was doing.
SEGMENTING = "while its text was split into sentences"


def sentences(
    text: str, paragraph_spans: tuple[Span, ...], checkpoint: Checkpoint = run_to_end
) -> tuple[Sentence, ...]:
    """The sentences of every paragraph; ``checkpoint`` is called per paragraph."""
    found: list[Sentence] = []
    for index, paragraph in enumerate(paragraph_spans):
        checkpoint(SEGMENTING)
        for start, end in _split(paragraph.text):
            found.append(
                Sentence(
                    paragraph.start + start,
                    paragraph.start + end,
                    paragraph.text[start:end],
                    paragraph=index,
                )
            )
    return tuple(found)


def _split(text: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if not _ends_sentence(text, match):
            continue
        _append(text, pieces, start, end)
        start = end
    _append(text, pieces, start, len(text))
    return pieces


def _append(text: str, pieces: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        pieces.append((start, end))


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    marks = match.group(0).rstrip(_CLOSERS)
    after = text[match.end() : match.end() + 1]
    if marks.startswith("…") and marks.strip("…") == "":
        # A bare ellipsis ends a sentence only at a quote's end or the paragraph's end.
        return (match.group(0) != marks and (not after or after.isspace())) or not after
    if marks[0] in ".":
        if len(marks) > 1 and marks.count(".") == len(marks) and len(marks) >= 3:
            return not after or after.isspace()  # "..." as an ellipsis
        before = text[: match.start()]
        if before[-1:].isdigit() and after.isdigit():
            return False  # decimal point
        if len(marks) == 1 and after and not after.isspace() and _LIST_NUMBER.search(before):
            return False  # a numbered list item: 1.深层网络；2.游戏化
        word = _WORD_BEFORE.search(before)
        if word is not None:
            token = word.group(1).lower()
            if token in _ABBREVIATIONS or len(token) == 1 or "." in token:
                return False
        return not after or after.isspace() or ord(after) > 0x2E7F
    if marks[0] in "!?":
        return not after or after.isspace() or ord(after) > 0x2E7F
    return True
