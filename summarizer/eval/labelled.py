"""The hand-labelled entity records (``evals/labelled/entities.jsonl``), each with its text.

Records whose text comes from public data that the repository does not redistribute (an external
set, ``evals/external``) carry ``text_from`` (``{"set": NAME, "id": EXAMPLE_ID}``) and
``text_sha256`` instead of ``text``. ``load_labelled`` is the one reader of the file: it fills each
such text in from the locally built set and refuses one whose SHA-256 differs, so the labels are
always scored against the text they were written for. Records from ``shared/`` keep their text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import GoldSetError, GoldSetNotBuiltError, JSONLError
from summarizer.eval.goldset import Example, load_set, shipped_roots
from summarizer.jsonl import read_objects

LABELLED_FILE = Path("labelled") / "entities.jsonl"


@dataclass(frozen=True)
class LabelledRecords:
    """The records that have their text here, and the sets whose records were left out."""

    records: list[dict[str, Any]]
    #: One error per external set that is not built (its records are not in ``records``).
    not_built: list[GoldSetNotBuiltError] = field(default_factory=list)


def labelled_path() -> Path:
    """``entities.jsonl`` of the checkout (or of the wheel's ``summarizer/_evals``)."""
    for root in reversed(shipped_roots()):
        if (root / LABELLED_FILE).is_file():
            return root / LABELLED_FILE
    return shipped_roots()[-1] / LABELLED_FILE


def text_sha256(text: str) -> str:
    """The hash ``text_sha256`` records: SHA-256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_labelled(path: Path | None = None, *, skip_not_built: bool = False) -> LabelledRecords:
    """Every record of ``path`` (default ``labelled_path()``) with ``text`` filled in.

    A record whose external set is not built raises ``GoldSetNotBuiltError`` (which names the
    build command), or with ``skip_not_built`` is left out and its set listed in ``not_built``.
    """
    path = path or labelled_path()
    examples: dict[str, dict[str, Example] | None] = {}
    records: list[dict[str, Any]] = []
    not_built: list[GoldSetNotBuiltError] = []
    try:
        for number, record in read_objects(path):
            where = f"{path}:{number}"
            if isinstance(record.get("text"), str):
                records.append(record)
                continue
            origin = record.get("text_from")
            expected = record.get("text_sha256")
            if not (
                isinstance(origin, dict)
                and isinstance(origin.get("set"), str)
                and isinstance(origin.get("id"), str)
                and isinstance(expected, str)
            ):
                raise GoldSetError(
                    f"{where}: a record needs 'text', or 'text_from' {{'set', 'id'}} and "
                    "'text_sha256'"
                )
            name = origin["set"]
            if name not in examples:
                try:
                    examples[name] = load_set(name).by_id()
                except GoldSetNotBuiltError as error:
                    if not skip_not_built:
                        raise
                    examples[name] = None
                    not_built.append(error)
            by_id = examples[name]
            if by_id is None:
                continue
            example = by_id.get(origin["id"])
            if example is None:
                raise GoldSetError(f"{where}: set {name!r} has no example {origin['id']!r}")
            actual = text_sha256(example.source)
            if actual != expected:
                raise GoldSetError(
                    f"{where}: the text of {origin['id']!r} in {name!r} has SHA-256 {actual}, "
                    f"but the label was written for {expected}"
                )
            records.append({**record, "text": example.source})
    except OSError as error:
        raise GoldSetError(f"cannot read {path}: {error.strerror}") from None
    except JSONLError as error:
        raise GoldSetError(str(error)) from None
    return LabelledRecords(records, not_built)
