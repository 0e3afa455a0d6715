"""JSON Lines, read one way everywhere: batch input, the batch journal, gold sets, predictions.

Only ``"\\n"`` ends a line. Text written with raw non-ASCII (``ensure_ascii=False``) may hold
U+2028, U+2029, NEL or form feed inside a string; ``str.splitlines`` would cut a record there, so
readers iterate a *binary* stream (which splits on ``b"\\n"`` alone) or split on ``"\\n"``. Blank
lines are skipped and a UTF-8 byte-order mark on the first line is dropped; line numbers count
every line, blank ones included, so they match an editor's.

A bad line (not UTF-8, not JSON, not an object) is one typed error, ``JSONLError``, whose message
starts with where it is (``path:12`` or ``line 12``). Strict readers raise it; lenient ones (the
batch input, where a bad record becomes an error line, and the journal, which counts unreadable
lines) get it back as a value from ``parse_object`` and carry on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from summarizer.errors import JSONLError

UTF8_BOM = b"\xef\xbb\xbf"


def numbered_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, bytes | str]]:
    """The non-blank lines, numbered from 1, with a byte-order mark cut from the first."""
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            raw = (
                raw.removeprefix(UTF8_BOM) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
            )
        if raw.strip():
            yield number, raw


def parse_object(raw: bytes | str, where: str, line: int) -> dict[str, Any] | JSONLError:
    """The JSON object on one line, or the ``JSONLError`` saying why there is none."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return JSONLError(where, line, f"not UTF-8 (byte {error.start}); JSONL must be UTF-8")
    try:
        value = json.loads(raw.rstrip("\r\n"))  # so that a column counts within the line
    except json.JSONDecodeError as error:
        return JSONLError(where, line, f"not valid JSON ({error.msg} at column {error.colno})")
    if not isinstance(value, dict):
        return JSONLError(
            where, line, f"each line must be a JSON object, not {type(value).__name__}"
        )
    return value


def iter_objects(
    lines: Iterable[bytes | str], *, where: str
) -> Iterator[tuple[int, dict[str, Any] | JSONLError]]:
    """Every non-blank line as ``(number, object or error)``; ``where`` prefixes ``:number``."""
    for number, raw in numbered_lines(lines):
        yield number, parse_object(raw, f"{where}:{number}" if where else f"line {number}", number)


def read_objects(
    source: Path | Iterable[bytes | str], *, where: str | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every object of a JSONL file or stream with its line number; a bad line raises.

    A ``Path`` is opened lazily (an ``OSError`` surfaces at the first ``next``); ``where``
    defaults to the path and names the source in messages.
    """
    if isinstance(source, Path):
        with source.open("rb") as stream:
            yield from read_objects(stream, where=str(source) if where is None else where)
        return
    for number, value in iter_objects(source, where=where or ""):
        if isinstance(value, JSONLError):
            raise value
        yield number, value


__all__ = ["JSONLError", "iter_objects", "numbered_lines", "parse_object", "read_objects"]
