"""The one JSONL reader: "\\n" alone ends a line, bad lines are one typed error with a number."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from summarizer.errors import InputError, InvalidJSONError
from summarizer.jsonl import MAX_JSON_DEPTH, JSONLError, iter_objects, load_json, read_objects

AWKWARD = "a\u2028b\u2029c\x85d\x0ce\rf"


def test_only_newline_ends_a_line(tmp_path: Path) -> None:
    path = tmp_path / "awkward.jsonl"
    rows = [{"id": 1, "text": AWKWARD}, {"id": 2, "text": "二"}]
    path.write_bytes(
        b"\xef\xbb\xbf"
        + b"".join(json.dumps(row, ensure_ascii=False).encode() + b"\n\n" for row in rows)
    )
    assert list(read_objects(path)) == [(1, rows[0]), (3, rows[1])]  # blank lines still count
    text_lines = path.read_bytes().decode("utf-8").split("\n")
    assert list(read_objects(text_lines, where="text")) == [(1, rows[0]), (3, rows[1])]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b'{"id": 1}\n\xff\xfe\n', "line 2 is not UTF-8"),
        (b'{"id": 1}\n{"id": \n', "not valid JSON (Expecting value at column 8)"),
        (b'{"id": 1}\n[1, 2]\n', "each line must be a JSON object, not list"),
    ],
)
def test_a_bad_line_is_one_typed_error_naming_it(tmp_path: Path, raw: bytes, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(raw)
    with pytest.raises(JSONLError) as caught:
        list(read_objects(path))
    assert isinstance(caught.value, InputError)
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{path}:2: ")
    if problem.startswith("line 2"):
        assert "not UTF-8 (byte 0)" in str(caught.value)
    else:
        assert str(caught.value).endswith(problem)


def test_the_lenient_reader_hands_bad_lines_back_and_goes_on() -> None:
    stream = io.BytesIO(b'{"id": 1}\nnot json\n{"id": 3}\n')
    results = list(iter_objects(stream, where=""))
    assert [number for number, _ in results] == [1, 2, 3]
    assert results[0][1] == {"id": 1} and results[2][1] == {"id": 3}
    bad = results[1][1]
    assert isinstance(bad, JSONLError) and str(bad).startswith("line 2: not valid JSON")


def test_a_missing_file_surfaces_as_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_objects(tmp_path / "absent.jsonl"))


# --- what parses but cannot be used: too deep, lone surrogates ------------------------------------


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_nesting_is_bounded_with_a_typed_error_not_a_recursion_error() -> None:
    assert load_json(_nested(MAX_JSON_DEPTH)) is not None
    for levels in (MAX_JSON_DEPTH + 1, 5000):  # 5000: past Python's own recursion limit
        with pytest.raises(InvalidJSONError, match=f"nested deeper than {MAX_JSON_DEPTH} levels"):
            load_json(_nested(levels))
    text = '{"id": 1, "meta": ' + _nested(5000) + "}\n"
    ((_, bad),) = list(iter_objects([text.encode()], where="in.jsonl"))
    assert isinstance(bad, JSONLError) and isinstance(bad, InputError)
    assert (
        str(bad) == f"in.jsonl:1: nested deeper than {MAX_JSON_DEPTH} levels of arrays and objects"
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (r'{"id": 1, "text": "a\ud800b"}', "text"),
        (r'{"id": 1, "meta": {"tags": ["ok", "x\udfff"]}}', "meta.tags[1]"),
        (r'{"\udc00": 1}', "a key of the object"),
    ],
)
def test_a_lone_surrogate_escape_is_refused_naming_where_it_is(text: str, where: str) -> None:
    with pytest.raises(InvalidJSONError) as caught:
        load_json(text)
    assert str(caught.value).startswith(f"{where} holds an unpaired UTF-16 surrogate escape")
    assert caught.value.kind == "input.bad_json"


def test_escaped_surrogate_pairs_and_look_alikes_are_fine() -> None:
    assert load_json(r'"\ud83d\ude00"') == "\U0001f600"
    assert load_json(r'"\\ud800"') == "\\ud800"  # an escaped backslash, then plain letters


def test_result_files_keep_what_the_model_wrote() -> None:
    """Batch output escapes a model's lone surrogate; reading it back must not refuse the line
    (a resumed run would do that article twice)."""
    line = json.dumps({"id": "a", "result": {"headline_en": "half \ud800"}})
    assert load_json(line, results=True)["result"]["headline_en"] == "half \ud800"
    assert [value["id"] for _, value in read_objects([line], results=True)] == ["a"]
    with pytest.raises(JSONLError):
        list(read_objects([line]))


def test_a_utf16_file_is_named_as_such_on_every_line(tmp_path: Path) -> None:
    """Review 7: a UTF-16 JSONL (Windows "Unicode") gave "not UTF-8 (byte 0)" for line 1 and
    "not valid JSON" for the NUL byte left on line 2; every line now says what the file is."""
    stream = io.BytesIO('{"id": "u", "text": "区委召开会议。"}\n{"id": "v"}\n'.encode("utf-16"))
    results = list(iter_objects(stream, where=""))
    assert len(results) >= 2
    for _, bad in results:
        assert isinstance(bad, JSONLError)
        assert "holds NUL bytes: UTF-16 or binary data, not UTF-8 text" in str(bad)
