"""Mappings given to the runner are read exactly as the same object on a JSONL line would be."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from summarizer.batch.records import Article, BadRecord, as_records, read_jsonl

MAPPINGS: list[dict[Any, Any]] = [
    {"id": "a", "text": "杭州市召开会议。"},
    {"id": 7, "text": "整数 id", "source": "人民网", "rank": 3, "draft": True, "note": None},
    {"id": "t", "text": "tuple metadata", "tags": ("x", "y")},
    {"id": "n", "text": "nested metadata", "meta": {"score": 0.5, "list": [1, 2]}},
    {"id": "f", "text": "float metadata", "score": 1e16},
    {1: "a non-string key", "id": "k", "text": "text"},
    {"id": "", "text": "empty id"},
    {"id": True, "text": "a boolean id"},
    {"id": "no text"},
]


def described(record: Article | BadRecord) -> tuple[Any, ...]:
    if isinstance(record, BadRecord):
        return ("bad", record.id, type(record.error).__name__)
    return ("article", record.id, record.text, dict(record.metadata))


@pytest.mark.parametrize("mapping", MAPPINGS, ids=[str(m.get("id")) for m in MAPPINGS])
def test_a_mapping_reads_like_its_jsonl_line(mapping: dict[Any, Any]) -> None:
    line = json.dumps(mapping, ensure_ascii=False).encode() + b"\n"
    (from_line,) = read_jsonl(io.BytesIO(line))
    (from_mapping,) = as_records([mapping])
    assert described(from_mapping) == described(from_line)
