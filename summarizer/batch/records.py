"""Batch input as a lazy stream of records: a JSONL file, a folder of files, stdin, or any iterable.

Nothing is loaded whole, so memory stays flat however many articles there are. A record that cannot
become an ``Article`` (bad JSON line, missing id, text not a string, unreadable file) is a
``BadRecord`` carrying a ``RecordError`` whose ``kind`` appears in the output and the summary; it
never stops the batch. Duplicate ids are found by the runner, which sees the records in order.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from summarizer.errors import (
    InputFileError,
    InvalidJSONError,
    InvalidJSONLineError,
    JSONLError,
    MissingIdError,
    MissingTextError,
    RecordError,
)
from summarizer.jsonl import check_json_value, iter_objects, parse_object
from summarizer.text.document import Analysis, Document
from summarizer.text.repair.decode import binary_kind

#: File types read as one article each, in an input folder or given alone (Markdown as text).
FOLDER_SUFFIXES = (".txt", ".html", ".htm", ".md", ".markdown")


# --- records ---


@dataclass(frozen=True)
class Article:
    """One input record: ``text`` is ``str`` (JSONL) or raw ``bytes`` (files, decoded later)."""

    id: str
    text: str | bytes
    metadata: Mapping[str, Any] = field(default_factory=dict)
    #: Where it came from, for messages: ``"line 12"`` or a relative path.
    record: str = ""
    #: The file name, when it came from one (tells text preparation that ``.html`` is HTML).
    source_name: str | None = None
    #: The article already prepared (document, analysis), when a caller shares that work
    #: between several engines (the eval matrix); the runner then skips text preparation.
    prepared: tuple[Document, Analysis] | None = None
    #: Seconds that shared preparation took: they count against the article's deadline as if
    #: it had been prepared here (one deadline per article, preparation included), also when
    #: that preparation was stopped by the deadline and ``prepared`` is None.
    preparation_seconds: float = 0.0


@dataclass(frozen=True)
class BadRecord:
    """An input record that cannot become an ``Article``; reported as an error line."""

    record: str
    error: RecordError
    id: str | None = None


Record = Article | BadRecord


def read_input(source: str | Path, *, exclude: Iterable[Path] = ()) -> Iterator[Record]:
    """Records from a JSONL file, a folder of article files (``FOLDER_SUFFIXES``), one article
    file (its name is the id), or ``"-"`` (stdin JSONL). ``exclude``: files a folder's scan
    skips (the batch's own output and its side files, see ``own_files``)."""
    if str(source) == "-":
        return read_jsonl(sys.stdin.buffer)
    path = Path(source)
    if path.is_dir():
        return read_folder(path, exclude=exclude)
    if not path.exists():
        raise InputFileError(f"batch input not found: {path} (give a JSONL file, a folder, or -)")
    if is_article_file(path):  # read as JSONL it was one error line per line of the article
        return _read_files([(path.name, path, None)])
    _refuse_binary_jsonl(path)
    return _read_jsonl_file(path)


def is_article_file(path: Path) -> bool:
    """Whether ``path`` is read as one article (text, HTML, Markdown) rather than as JSONL."""
    return path.name.lower().endswith(FOLDER_SUFFIXES)


def ignored_files(source: str | Path, *, exclude: Iterable[Path] = ()) -> list[str]:
    """The files below the folder ``source`` that a batch does not read (not article files),
    as relative paths, so that they can be reported; empty for anything but a folder. Files in
    ``exclude`` (the batch's own) are neither read nor listed."""
    path = Path(source)
    if str(source) == "-" or not path.is_dir():
        return []
    ignored: list[str] = []
    for _ in _walk_folder(path, ignored=ignored, exclude=exclude):
        pass
    return ignored


def own_files(output: str | Path, *others: str | Path | None) -> list[Path]:
    """The files a batch writing ``output`` creates (the output, its lock and rewrite files) and
    ``others`` (e.g. ``--summary-json``): a folder being read must not read them back as
    articles when they are inside it (``batch folder -o folder/results.txt``)."""
    path = Path(output)
    return [
        path,
        path.with_name("." + path.name + ".lock"),
        path.with_name(path.name + ".rewrite.tmp"),
        path.with_name(path.name + ".ordered.tmp"),
        *(Path(other) for other in others if other is not None),
    ]


def refuse_same_file(source: str | Path, output: str | Path) -> None:
    """Refuse an output that is the input file (same path, a symlink or a hard link to it).

    Appending results to the file being read would make the run read its own lines back forever.
    """
    if str(source) == "-":
        return
    source_path, output_path = Path(source), Path(output)
    try:
        same = os.path.samefile(source_path, output_path)
    except OSError:  # one of them does not exist (yet): compare where they would resolve
        same = source_path.resolve() == output_path.resolve()
    if same:
        raise InputFileError(
            f"the output {output_path} is the input file {source_path}; "
            "choose another output file (-o)"
        )


def _read_jsonl_file(path: Path) -> Iterator[Record]:
    try:
        stream = path.open("rb")
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror}") from None
    with stream:
        yield from read_jsonl(stream)


def _refuse_binary_jsonl(path: Path) -> None:
    """A PDF, image or archive given as the JSONL input is refused before the run starts (read
    as JSONL it was one "not valid JSON" error line per chunk of its bytes)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(64)
    except OSError:
        return  # reading it for the run says why, as for any JSONL file
    what = binary_kind(head)
    if what is not None:
        raise InputFileError(
            f"{path} looks like {what}, not JSONL; give a JSONL file of "
            '{"id", "text"} records, a folder of articles, or one article file '
            f"({', '.join(FOLDER_SUFFIXES)})"
        )


def read_jsonl(stream: IO[bytes]) -> Iterator[Record]:
    """One record per line: ``{"id": ..., "text": ..., other keys kept as metadata}``."""
    for number, value in iter_objects(stream, where=""):
        yield _record_from(value, f"line {number}")


def _record_from(value: dict[str, Any] | JSONLError, where: str) -> Record:
    """The ``Article`` a parsed JSONL object describes, or the ``BadRecord`` saying why not."""
    if isinstance(value, JSONLError):
        return BadRecord(where, InvalidJSONLineError(str(value)))
    identifier = value.get("id")
    if (
        isinstance(identifier, bool)
        or not isinstance(identifier, str | int)
        or str(identifier) == ""
    ):
        return BadRecord(
            where,
            MissingIdError(f'{where}: missing or empty "id" (a string or integer is required)'),
        )
    identifier = str(identifier)
    text = value.get("text")
    if not isinstance(text, str | bytes):  # bytes only from an (id, raw bytes) pair
        found = (
            "missing" if "text" not in value else _JSON_TYPE_NAMES.get(type(text), "another type")
        )
        return BadRecord(
            where,
            MissingTextError(f'{where}: "text" must be a string, found {found}'),
            id=identifier,
        )
    if OPTIONS_KEY in value:
        return BadRecord(where, RecordError(per_record_options_message(where)), id=identifier)
    metadata = {key: item for key, item in value.items() if key not in ("id", "text")}
    return Article(identifier, text, metadata, where)


#: A record key that is refused rather than kept as metadata: it reads as per-record engine
#: options (as ``/v1/summaries`` takes them), which a batch does not apply record by record.
#: What a JSON value that is not a string is, in JSON's words ("found a number", not "a int").
_JSON_TYPE_NAMES: dict[type, str] = {
    type(None): "null",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    list: "an array",
    dict: "an object",
}

OPTIONS_KEY = "options"


def per_record_options_message(
    where: str = "", remedy: str = "set options for the whole batch instead"
) -> str:
    """Why a record with an ``options`` key is refused (the CLI and the service say the same)."""
    return (
        f'{where + ": " if where else ""}per-record "options" are not supported (they would '
        f"not be applied); {remedy}"
    )


def read_folder(folder: Path, *, exclude: Iterable[Path] = ()) -> Iterator[Record]:
    """Every article file below ``folder`` (``FOLDER_SUFFIXES``; sorted, lazily) but those in
    ``exclude``; id = relative POSIX path; other files are not read (``ignored_files`` lists them).

    A file that cannot be read (a broken link, no permission) and a folder that cannot be listed
    are error lines, never skipped in silence.
    """
    return _read_files(_walk_folder(folder, exclude=exclude))


def _read_files(found: Iterable[tuple[str, Path, str | None]]) -> Iterator[Record]:
    """An ``Article`` per ``(id, path, None)``, a ``BadRecord`` per ``(id, path, problem)``."""
    for identifier, path, problem in found:
        if problem is not None:
            yield BadRecord(identifier, RecordError(f"{identifier}: {problem}"), id=identifier)
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            yield BadRecord(
                identifier,
                RecordError(f"{identifier}: cannot read the file ({error.strerror})"),
                id=identifier,
            )
            continue
        yield Article(identifier, data, {}, identifier, source_name=path.name)


def _walk_folder(
    folder: Path, *, ignored: list[str] | None = None, exclude: Iterable[Path] = ()
) -> Iterator[tuple[str, Path, str | None]]:
    """``(id, path, None)`` for each article file below ``folder`` in sorted order, and
    ``(id, path, problem)`` for each folder that cannot be listed; the ids of other files are
    added to ``ignored`` when it is given; files in ``exclude`` are skipped.

    Linked folders are followed (``os.walk`` would list them and skip them), each folder once:
    one reached again through a link (a loop, or two links to it) is not read twice.
    """
    problems: list[OSError] = []
    seen: set[tuple[int, int]] = set()
    skipped = {path.resolve() for path in exclude}
    walk = os.walk(folder, onerror=problems.append, followlinks=True)
    for directory, subdirectories, files in walk:
        for problem in problems:
            place = Path(problem.filename or directory)
            yield (
                _relative_id(place, folder),
                place,
                f"cannot list the folder ({problem.strerror})",
            )
        problems.clear()
        try:
            status = os.stat(directory)
        except OSError:
            continue  # gone since it was listed: its error comes from the walk
        if (status.st_dev, status.st_ino) in seen:
            subdirectories.clear()
            continue
        seen.add((status.st_dev, status.st_ino))
        subdirectories.sort()
        resolved = Path(directory).resolve() if skipped else None
        for name in sorted(files):
            path = Path(directory) / name
            if resolved is not None and resolved / name in skipped:
                continue
            if name.lower().endswith(FOLDER_SUFFIXES):
                yield _relative_id(path, folder), path, None
            elif ignored is not None:
                ignored.append(_relative_id(path, folder))
    for problem in problems:  # the top folder itself could not be listed
        place = Path(problem.filename or folder)
        yield _relative_id(place, folder), place, f"cannot list the folder ({problem.strerror})"


def _relative_id(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix() or "."
    except ValueError:
        return path.as_posix()


def count_records(source: str | Path, *, exclude: Iterable[Path] = ()) -> int | None:
    """How many records ``source`` holds (for the ETA), without loading it; None for stdin."""
    if str(source) == "-":
        return None
    path = Path(source)
    if path.is_dir():
        return sum(1 for _ in _walk_folder(path, exclude=exclude))
    if is_article_file(path):
        return 1
    try:
        with path.open("rb") as stream:
            return sum(1 for raw in stream if raw.strip())
    except OSError:
        return None


#: Value types a JSON round trip gives back unchanged (floats may not: NaN, infinities).
_JSON_SCALARS = frozenset({str, int, bool, type(None)})


def as_records(articles: Iterable[Any]) -> Iterator[Record]:
    """Accept ``Article``/``BadRecord``, ``(id, text)`` pairs, mappings with ``id``/``text``, or
    strings (id = their index)."""
    for index, item in enumerate(articles):
        where = f"item {index}"
        if isinstance(item, Article | BadRecord):
            yield item
        elif isinstance(item, str | bytes):
            yield _checked_record({"id": str(index), "text": item}, where)
        elif isinstance(item, tuple) and len(item) == 2:
            yield _checked_record({"id": item[0], "text": item[1]}, where)
        elif isinstance(item, Mapping):
            plain = dict(item)
            if all(
                type(key) is str and type(value) in _JSON_SCALARS for key, value in plain.items()
            ):
                # Already exactly what a JSONL line gives (the usual {"id", "text"}): no round trip.
                yield _checked_record(plain, where)
                continue
            # Round-trip through JSON so that a mapping is held to exactly what a JSONL line is.
            raw = json.dumps(plain, ensure_ascii=False)
            yield _record_from(parse_object(raw, where, index), where)
        else:
            yield BadRecord(
                where,
                InvalidJSONLineError(
                    f"{where}: expected a str, an (id, text) pair or a mapping with id and "
                    f"text, got {type(item).__name__}"
                ),
            )


def _checked_record(value: dict[str, Any], where: str) -> Record:
    """``_record_from`` for Python data that skipped JSON parsing, held to the same rule: a
    string with a lone surrogate (``"\\ud800"``) is a bad record, never replaced in silence."""
    try:
        check_json_value(value)
    except InvalidJSONError as error:
        return BadRecord(where, InvalidJSONLineError(f"{where}: {error.problem}"))
    return _record_from(value, where)
