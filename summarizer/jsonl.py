"""JSON Lines, read one way everywhere: batch input, the batch journal, gold sets, predictions.

Only ``"\\n"`` ends a line. Text written with raw non-ASCII (``ensure_ascii=False``) may hold
U+2028, U+2029, NEL or form feed inside a string; ``str.splitlines`` would cut a record there, so
readers iterate a *binary* stream (which splits on ``b"\\n"`` alone) or split on ``"\\n"``. Blank
lines are skipped and a UTF-8 byte-order mark on the first line is dropped; line numbers count
every line, blank ones included, so they match an editor's.

A bad line (not UTF-8, not JSON, not an object) is one typed error, ``JSONLError``, whose message
starts with where it is (``path:12`` or ``line 12``). JSON that parses but cannot be used is bad
too (``load_json``, the one place JSON from outside is parsed): nesting deeper than
``MAX_JSON_DEPTH`` (which would otherwise end in a ``RecursionError`` somewhere later), and an
unpaired UTF-16 surrogate escape such as ``"\\ud800"`` (valid JSON, but not a character: it
cannot be written as UTF-8, and replacing it silently would change the article). Strict
readers raise it; lenient ones (the batch input, where a bad record becomes an error line, and
the journal, which counts unreadable lines) get it back as a value from ``parse_object`` and
carry on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from summarizer.errors import InvalidJSONError, JSONLError

UTF8_BOM = b"\xef\xbb\xbf"

#: Deepest nesting of arrays and objects accepted in JSON from outside (the limit pydantic's
#: parser has, so a service body and a JSONL line are held to the same rule).
MAX_JSON_DEPTH = 200
#: The limit for files summarizer wrote itself (batch output, the journal, predictions): a
#: result line nests an input record's metadata a level or two deeper than the input had it.
OUTPUT_MAX_DEPTH = MAX_JSON_DEPTH + 4

#: A ``\\uD800``-``\\uDFFF`` escape: only then can a parsed string hold a lone surrogate (raw
#: UTF-8 cannot encode one). A false alarm (an escaped backslash before ``ud800``) costs a walk.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(text: str, *, results: bool = False) -> Any:
    """The value of a JSON text, or ``InvalidJSONError`` saying why it cannot be used.

    Refused: text that is not JSON, nesting deeper than ``MAX_JSON_DEPTH``, and a string (key or
    value) holding an unpaired surrogate escape. ``results``: a file of results (batch output,
    predictions, a provider's batch results), which may nest input metadata a little deeper
    (``OUTPUT_MAX_DEPTH``) and holds a model's lone surrogate as it was written (escaped);
    refusing that line would make a resumed run do its article again.
    """
    max_depth = OUTPUT_MAX_DEPTH if results else MAX_JSON_DEPTH
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        place = f"line {error.lineno} column {error.colno}" if "\n" in text else ""
        place = place or f"column {error.colno}"
        raise InvalidJSONError(f"not valid JSON ({error.msg} at {place})") from None
    except RecursionError:
        raise InvalidJSONError(_too_deep(max_depth)) from None
    might_nest = text.count("[") + text.count("{") > max_depth
    might_hold_surrogates = not results and (
        _SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text)
    )
    if might_nest or might_hold_surrogates:
        check_json_value(value, max_depth=max_depth, lone_surrogates=results)
    return value


def _too_deep(max_depth: int) -> str:
    return f"nested deeper than {max_depth} levels of arrays and objects"


def check_json_value(
    value: Any, *, max_depth: int = MAX_JSON_DEPTH, lone_surrogates: bool = False
) -> None:
    """``InvalidJSONError`` if ``value`` (parsed JSON, or Python data held to what a JSON line
    may be) nests deeper than ``max_depth`` or (unless allowed) has a lone surrogate."""
    # (item, depth, parent's entry, key in parent): paths are spelled out only for a message.
    pending: list[tuple[Any, int, Any, str | int | None]] = [(value, 0, None, None)]
    while pending:
        entry = pending.pop()
        item, depth = entry[0], entry[1]
        if isinstance(item, str):
            found = None if lone_surrogates else _SURROGATE.search(item)
            if found is not None:
                raise _surrogate_error(_path(entry) or "the value", found)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth + 1 > max_depth:
            raise InvalidJSONError(_too_deep(max_depth))
        if isinstance(item, dict):
            for key, member in item.items():
                found = None if lone_surrogates else _SURROGATE.search(key)
                if found is not None:
                    raise _surrogate_error(f"a key of {_path(entry) or 'the object'}", found)
                pending.append((member, depth + 1, entry, key))
        else:
            pending.extend((member, depth + 1, entry, index) for index, member in enumerate(item))


def _path(entry: tuple[Any, int, Any, str | int | None]) -> str:
    """Where a walked value is, as ``meta.authors[2]`` ("" for the whole value)."""
    parts: list[str] = []
    while entry[2] is not None:
        key = entry[3]
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
        entry = entry[2]
    return "".join(reversed(parts)).removeprefix(".")


def _surrogate_error(where: str, found: re.Match[str]) -> InvalidJSONError:
    return InvalidJSONError(
        f"{where[:80]} holds an unpaired UTF-16 surrogate escape "
        f"(\\u{ord(found.group()):04x} at character {found.start()}), which is not a "
        "character; write the text as UTF-8, or escape whole surrogate pairs"
    )


def numbered_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, bytes | str]]:
    """The non-blank lines, numbered from 1, with a byte-order mark cut from the first."""
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            raw = (
                raw.removeprefix(UTF8_BOM) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
            )
        if raw.strip():
            yield number, raw


def parse_object(
    raw: bytes | str, where: str, line: int, *, results: bool = False
) -> dict[str, Any] | JSONLError:
    """The JSON object on one line, or the ``JSONLError`` saying why there is none."""
    if isinstance(raw, bytes):
        if b"\x00" in raw:  # never in JSON text; every other byte of UTF-16
            return JSONLError(
                where,
                line,
                "holds NUL bytes: UTF-16 or binary data, not UTF-8 text; JSONL must be UTF-8 "
                "(convert UTF-16 with iconv -f UTF-16 -t UTF-8)",
            )
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return JSONLError(where, line, f"not UTF-8 (byte {error.start}); JSONL must be UTF-8")
    try:
        value = load_json(raw.rstrip("\r\n"), results=results)  # columns count in the line
    except InvalidJSONError as error:
        return JSONLError(where, line, error.problem)
    if not isinstance(value, dict):
        return JSONLError(
            where, line, f"each line must be a JSON object, not {type(value).__name__}"
        )
    return value


def iter_objects(
    lines: Iterable[bytes | str], *, where: str, results: bool = False
) -> Iterator[tuple[int, dict[str, Any] | JSONLError]]:
    """Every non-blank line as ``(number, object or error)``; ``where`` prefixes ``:number``."""
    for number, raw in numbered_lines(lines):
        place = f"{where}:{number}" if where else f"line {number}"
        yield number, parse_object(raw, place, number, results=results)


def read_objects(
    source: Path | Iterable[bytes | str],
    *,
    where: str | None = None,
    results: bool = False,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every object of a JSONL file or stream with its line number; a bad line raises.

    A ``Path`` is opened lazily (an ``OSError`` surfaces at the first ``next``); ``where``
    defaults to the path and names the source in messages.
    """
    if isinstance(source, Path):
        with source.open("rb") as stream:
            yield from read_objects(
                stream, where=str(source) if where is None else where, results=results
            )
        return
    for number, value in iter_objects(source, where=where or "", results=results):
        if isinstance(value, JSONLError):
            raise value
        yield number, value


__all__ = [
    "MAX_JSON_DEPTH",
    "OUTPUT_MAX_DEPTH",
    "InvalidJSONError",
    "JSONLError",
    "check_json_value",
    "iter_objects",
    "load_json",
    "numbered_lines",
    "parse_object",
    "read_objects",
]
