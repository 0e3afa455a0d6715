"""Decoding bytes: BOMs, UTF-8, GBK/GB18030, Big5, line ends, and typed failures."""

from __future__ import annotations

import os

import pytest

from summarizer.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    UndecodableInputError,
)
from summarizer.text import prepare
from summarizer.text.repair.decode import decode

SIMPLIFIED = "通州日报讯 区委召开务虚会暨调研成果交流会，深入学习贯彻党的二十届四中全会精神。"
TRADITIONAL = "區委召開務虛會暨調研成果交流會，深入學習貫徹黨的二十屆四中全會精神。"


@pytest.mark.parametrize(
    ("text", "encoding", "expected_name"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "gbk", "gbk"),
        (SIMPLIFIED + "𠮷", "gb18030", "gb18030"),  # outside GBK: only GB18030 has it
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "gbk", "gbk"),
        (SIMPLIFIED, "utf-16", "utf-16-le"),  # Python writes a BOM
        (SIMPLIFIED, "utf-8-sig", "utf-8"),
    ],
)
def test_decodes_chinese_encodings(text: str, encoding: str, expected_name: str) -> None:
    decoded = decode(text.encode(encoding))
    assert decoded.text == text
    assert decoded.encoding == expected_name


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        *[(text, "gbk") for text in ("你好", "通州", "中国", "報", "新闻", "日报讯")],
        *[(text, "big5") for text in ("你好", "通州", "中國", "報", "新聞", "日報訊")],
    ],
)
def test_short_chinese_texts_decode_reliably(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)).text == text


def test_utf16_big_endian_bom() -> None:
    raw = b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be")
    assert decode(raw).text == SIMPLIFIED


def test_line_ends_become_lf() -> None:
    decoded = decode("第一段\r\n第二段\r第三段\n".encode())
    assert decoded.text == "第一段\n第二段\n第三段\n"


def test_western_legacy_encoding_falls_back_to_charset_detection() -> None:
    text = "Café society: the naïve résumé of a señor, déjà vu. " * 3
    assert decode(text.encode("cp1252")).text == text


def test_str_input_is_kept_and_named_str() -> None:
    decoded = decode("hello\r\nworld")
    assert decoded == decoded.__class__("hello\nworld", "str")


@pytest.mark.parametrize("raw", [b"", b"   \n\t  ", "", " \u3000 \n"])
def test_empty_input_is_a_typed_error(raw: str | bytes) -> None:
    with pytest.raises(EmptyInputError) as caught:
        decode(raw)
    assert "empty" in str(caught.value)
    assert isinstance(caught.value, InputError) and caught.value.exit_code == 2


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
        b"PK\x03\x04\x14\x00\x06\x00",
        b"some text\x00with a NUL",
        "text with \x00 NUL",
        bytes(range(1, 32)) * 4,
    ],
)
def test_binary_input_is_a_typed_error(raw: str | bytes) -> None:
    with pytest.raises(BinaryInputError) as caught:
        decode(raw)
    assert "text" in str(caught.value)


def test_undecodable_input_is_a_typed_error() -> None:
    # Invalid in UTF-8, GB18030 and Big5 alike, and not a plausible single-byte text either.
    raw = bytes([0xFF, 0x80, 0xFE, 0x81]) * 40
    with pytest.raises(UndecodableInputError) as caught:
        decode(raw)
    assert "UTF-8" in str(caught.value)


def test_bom_with_broken_body_is_undecodable() -> None:
    with pytest.raises(UndecodableInputError):
        decode(b"\xef\xbb\xbf" + b"\xff\xfe\xfd abc")


def test_utf8_with_a_few_corrupt_bytes_is_read_and_counted() -> None:
    raw = ("区委书记张建华讲话。" * 30).encode("utf-8")
    decoded = decode(raw[:99] + b"\xff" + raw[99:])  # between two characters
    assert decoded.encoding == "utf-8" and decoded.replaced == 1
    assert decoded.text.count("\ufffd") == 1


def test_gbk_is_not_mistaken_for_corrupt_utf8() -> None:
    decoded = decode(("区委书记张建华讲话。" * 30).encode("gbk"))
    assert decoded.encoding == "gbk" and decoded.replaced == 0


def test_lone_surrogates_in_a_str_are_replaced_and_counted() -> None:
    # What os.fsdecode / surrogateescape make of an invalid byte: not text, so U+FFFD.
    decoded = decode(os.fsdecode("区委".encode() + b"\xff" + "书记".encode()))
    assert decoded.text == "区委\ufffd书记" and decoded.replaced == 1


def test_prepare_survives_lone_surrogates() -> None:
    document = prepare("區委\ud800書記")
    assert document.text == "区委\ufffd书记"
    assert "invalid_bytes" in {warning.code for warning in document.warnings}
