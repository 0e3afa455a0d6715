"""Turn raw bytes (or a str) into text, or fail with an error that says what to do.

Scraped Chinese news arrives as UTF-8, GBK/GB18030 or Big5, sometimes with a BOM or as UTF-16.
charset-normalizer alone is unreliable on short Chinese texts (it often calls GBK "Big5" or
"cp1252"), so CJK candidates are decoded strictly and compared by how plausible the resulting
characters are as Chinese; charset-normalizer only decides for non-CJK legacy encodings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.errors import BinaryInputError, EmptyInputError, UndecodableInputError
from summarizer.text.repair import lexicon

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"BM", "a BMP image"),
)

#: CJK encodings tried when a text is not UTF-8; each group's later members are supersets tried
#: only when the earlier ones fail (so the reported name is the narrowest that fits).
_CJK_CANDIDATES = (("gb18030",), ("big5", "big5hkscs", "cp950"))

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: Characters bytes 0x80-0xFF become in the code pages that keep C1 controls (Latin-1, ISO 8859-2
#: and ISO 8859-5): a NEL (U+0085) right after one is the byte 0x85 of UTF-8 read with that code
#: page (``å\x86\x85`` is ``内``), which the mojibake repair needs; anywhere else it is a line end.
_C1_CODE_PAGE_CHARS = re.escape(
    "".join(sorted({c for codec in ("latin-1", "iso-8859-2", "iso-8859-5")
                    for c in bytes(range(0x80, 0x100)).decode(codec)}))
)  # fmt: skip
_NEWLINES = re.compile(f"\r\n?|[\x0b\x0c\u2028\u2029]|(?<![{_C1_CODE_PAGE_CHARS}])\x85")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


#: A UTF-8 text with at most this share of invalid bytes is read as UTF-8 (bad bytes -> U+FFFD).
_MAX_BAD_UTF8 = 0.005


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    #: Invalid bytes replaced by U+FFFD (a mostly-UTF-8 file with a few corrupt bytes).
    replaced: int = 0


def decode(raw: str | bytes) -> Decoded:
    """Decode ``raw`` and normalize line ends to "\\n"; raise a typed ``InputError`` on failure."""
    replaced = 0
    if isinstance(raw, str):
        text, encoding = raw, "str"
        # Lone surrogates (bytes smuggled in by ``surrogateescape``) are not text: like invalid
        # bytes, they become U+FFFD and are counted.
        text, replaced = _LONE_SURROGATE.subn("\ufffd", text)
    else:
        text, encoding, replaced = _decode_bytes(bytes(raw))
    _reject_binary_text(text)
    text = _NEWLINES.sub("\n", text)
    if not text.strip():
        raise EmptyInputError(
            "the input is empty or only whitespace; pass the article text (or a file that has it)"
        )
    return Decoded(text, encoding, replaced)


def binary_kind(head: bytes) -> str | None:
    """What a file starting with ``head`` (its first 64 bytes will do) is when its signature is
    a known binary format ("a PDF file", "a gzip archive"), else None."""
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature) and (signature != b"BM" or b"\x00" in head[:64]):
            return what
    return None


def _decode_bytes(raw: bytes) -> tuple[str, str, int]:
    if not raw.strip():
        raise EmptyInputError("the input is empty; pass the article text (or a file that has it)")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise UndecodableInputError(
                    f"the input starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} ({error.reason} at byte {error.start}); re-save it as UTF-8"
                ) from None
            return text.removeprefix("\ufeff"), encoding.removesuffix("-sig"), 0
    what = binary_kind(raw)
    if what is not None:
        raise BinaryInputError(
            f"the input looks like {what}, not text; pass the article's text (extract it "
            "first, e.g. copy the text or use a PDF-to-text tool)"
        )
    if b"\x00" in raw:
        raise BinaryInputError(
            "the input contains NUL bytes, so it is binary data, not text; pass the article's "
            "text as UTF-8 (or UTF-16 with a byte-order mark)"
        )
    try:
        return raw.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    lenient = raw.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if bad <= _MAX_BAD_UTF8 * len(raw) and len(lenient) < len(raw):
        return lenient, "utf-8", bad  # a UTF-8 text with a few corrupt bytes
    best = _best_cjk_decoding(raw)
    if best is not None:
        return (*best, 0)
    fallback = _charset_normalizer_guess(raw)
    if fallback is not None:
        return (*fallback, 0)
    raise UndecodableInputError(
        "could not decode the input as UTF-8, GBK/GB18030, Big5 or another known encoding; "
        "convert it to UTF-8 first (e.g. `iconv -f <encoding> -t UTF-8 file`)"
    )


def _best_cjk_decoding(raw: bytes) -> tuple[str, str] | None:
    """The CJK decoding whose characters read most like Chinese, if any reads like Chinese."""
    scored: list[tuple[float, str, str]] = []
    for group in _CJK_CANDIDATES:
        found = next(
            ((encoding, text) for encoding in group if (text := _try(raw, encoding)) is not None),
            None,
        )
        if found is None:
            continue
        encoding, text = found
        score = _chinese_plausibility(text)
        if score is not None:
            name = encoding
            if encoding == "gb18030" and _decodes(raw, "gbk"):
                name = "gbk"
            scored.append((score, text, name))
    if not scored:
        return None
    score, text, name = max(scored)
    # Real Chinese averages about -8 per character; misread bytes average below -12.
    if score < -11.0:
        return None
    return text, name


def _chinese_plausibility(text: str) -> float | None:
    """Mean character score of the non-ASCII characters (None when there are none)."""
    chars = [char for char in text if not char.isascii()]
    if not chars:
        return None
    simplified = lexicon.to_simplified_aligned("".join(chars))
    return sum(lexicon.char_score(char) for char in simplified) / len(simplified)


def _try(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _charset_normalizer_guess(raw: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    match = from_bytes(raw).best()
    if match is None or match.encoding is None:
        return None
    encoding = match.encoding
    if encoding.startswith(("cp125", "latin", "iso8859")) and _decodes(raw, "cp1252"):
        encoding = "cp1252"  # the usual Western code page; near-identical guesses misread letters
    text = raw.decode(encoding)
    letters = sum(char.isalpha() for char in text)
    if letters < 0.5 * len(text.replace(" ", "").replace("\n", "")):
        return None
    return text, encoding


def _reject_binary_text(text: str) -> None:
    if "\x00" in text:
        raise BinaryInputError(
            "the input contains NUL characters, so it is binary data, not text; pass the "
            "article's text"
        )
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 20):
        raise BinaryInputError(
            f"the input has {controls} control characters, so it looks like binary data, not "
            "text; pass the article's text"
        )
