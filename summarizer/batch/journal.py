"""The batch output file, which is also the batch's journal: one JSON line per finished record.

Crash safety rests on three rules:

* Each line goes to the file in one ``os.write`` on an ``O_APPEND`` descriptor, so a killed process
  (even ``kill -9``) leaves at most one partial last line and never interleaves two.
* On start, a partial last line (no trailing newline) is cut off (``OutputState.truncated_bytes``
  says so) and every complete line says which record is finished; those are skipped. Whatever was
  in flight when the run died has no line, so it is simply done again: nothing lost, nothing twice.
* ``fsync`` runs at most every ``fsync_interval`` seconds (0.5 s by default), in a background
  thread (on a busy disk one takes tens of milliseconds, which would stall every request of the
  event loop that writes), and at close, where it is waited for. A process crash loses nothing
  already written (the kernel has it); a power loss can lose at most the lines of the last
  interval or two, which the next run redoes.

Each line is keyed by the record's ``id``, or, for a record that has no usable id (missing id,
duplicate id, invalid JSON), by ``record`` (``"line 12"``) with ``"id": null``. At every moment the
file holds at most one line per key; ``--retry-failed`` first rewrites the file without its error
lines (atomically: temp file, fsync, rename), so a finished run holds exactly one line per key.

Lines are appended in completion order: that is what the guarantees above need. A run that asks for
input order (``--ordered``) gets it at the end, by the same kind of atomic rewrite
(``OutputJournal.rewrite_in_order``): a crash before or during it leaves the completion-ordered
file, which the next run resumes and sorts.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic_core

from summarizer.errors import JSONLError, OutputFileError
from summarizer.jsonl import parse_object

#: Tries to lock an output whose lock file other runs keep removing (each removal is one run's
#: clean exit, so a few tries always suffice in practice).
LOCK_ATTEMPTS = 20


def line_key(line: Mapping[str, Any]) -> str | None:
    """The key a result line finishes: its id, or its record position when it has no id."""
    identifier = line.get("id")
    if isinstance(identifier, str):
        return "id:" + identifier
    record = line.get("record")
    return "record:" + record if isinstance(record, str) else None


def id_key(identifier: str) -> str:
    return "id:" + identifier


def record_key(record: str) -> str:
    return "record:" + record


@dataclass
class OutputState:
    """What an existing output file says is finished."""

    ok: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    lines: int = 0
    #: Bytes of a partial last line (from a killed run) that were cut off.
    truncated_bytes: int = 0
    #: Complete lines that are not result JSON (left in place, not counted as finished).
    unreadable_lines: int = 0
    #: Lines dropped by a rewrite (``--retry-failed`` error lines, or superseded duplicates).
    dropped_lines: int = 0

    def finished(self, key: str) -> bool:
        return key in self.ok or key in self.failed


def _encode_line(line: Mapping[str, Any]) -> bytes:
    """One result line as compact UTF-8 JSON with its newline.

    pydantic-core's encoder writes what ``json.dumps(line, ensure_ascii=False, separators=(",",
    ":"))`` writes, about 4x faster on a summary's line. Text UTF-8 cannot carry (a lone
    surrogate) is written escaped instead, which reads back the same.
    """
    try:
        return pydantic_core.to_json(line) + b"\n"
    except pydantic_core.PydanticSerializationError:
        return (json.dumps(line, separators=(",", ":")) + "\n").encode()


class OutputJournal:
    """Appends result lines durably; see the module docstring for the guarantees."""

    def __init__(self, path: str | Path, *, fsync_interval: float = 0.5) -> None:
        self.path = Path(path)
        self.fsync_interval = fsync_interval
        self._fd: int | None = None
        self._last_sync = time.monotonic()
        self._unsynced = 0
        #: The background fsync in flight, if any, and the thread that runs it.
        self._pending_sync: Future[None] | None = None
        self._sync_pool: ThreadPoolExecutor | None = None
        self._lock_fd: int | None = None
        self._lock_path: Path | None = None

    def open(self, *, retry_failed: bool = False) -> OutputState:
        """Repair and read the existing file (if any), then open it for appending."""
        folder = self.path.parent
        if not folder.is_dir():  # as for any output file: a mistyped folder is not created
            raise OutputFileError(
                f"cannot write the output file {self.path}: the folder {folder} does not exist"
            )
        try:
            self._lock_output()
            state = scan_output(self.path)
            duplicates = state.lines - state.unreadable_lines - len(state.ok) - len(state.failed)
            if (retry_failed and state.failed) or duplicates > 0:
                state = _rewrite(self.path, drop_failed=retry_failed, before=state)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as error:
            self._unlock_output()
            raise OutputFileError(
                f"cannot open the output file {self.path}: {error.strerror}"
            ) from None
        return state

    def _lock_output(self) -> None:
        """One writer per output file: a second run on the same file stops instead of mixing in.

        ``flock`` on a sidecar file: the kernel drops it when the process dies, even by ``kill -9``,
        so a crashed run never leaves a stale lock behind (only the empty file). A clean close
        removes the file while still holding the lock; so that a run which opened the old file
        just before cannot lock a file nobody else will ever see, every run checks after
        locking that the path still names the file it locked, and starts over if not.
        """
        lock_path = self.path.with_name("." + self.path.name + ".lock")
        for _ in range(LOCK_ATTEMPTS):
            descriptor = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                raise OutputFileError(
                    f"another batch is writing to {self.path}; wait for it to finish or choose "
                    "another output file"
                ) from None
            if _same_file(descriptor, lock_path):
                self._lock_fd, self._lock_path = descriptor, lock_path
                return
            os.close(descriptor)  # removed by the run that held it: lock the current one
        raise OutputFileError(f"cannot lock {self.path}: its lock file keeps being replaced")

    def _unlock_output(self) -> None:
        """Remove the lock file (still locked, see ``_lock_output``), then release the lock."""
        if self._lock_fd is not None:
            if self._lock_path is not None:
                with contextlib.suppress(OSError):
                    self._lock_path.unlink()
            os.close(self._lock_fd)
            self._lock_fd = None
            self._lock_path = None

    def write(self, line: Mapping[str, Any]) -> None:
        if self._fd is None:
            raise RuntimeError("OutputJournal.write() before open()")
        data = _encode_line(line)
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError as error:
            raise OutputFileError(
                f"cannot write to {self.path}: {error.strerror}; free space (or fix permissions) "
                "and rerun the same command to resume"
            ) from None
        self._unsynced += 1
        if time.monotonic() - self._last_sync >= self.fsync_interval:
            self._sync_in_background()

    def _sync_in_background(self) -> None:
        """Start the periodic fsync in the journal's thread (one at a time; a slow one makes the
        next interval wait for it, never the caller)."""
        self._last_sync = time.monotonic()
        pending = self._pending_sync
        if pending is not None:
            if not pending.done():
                return
            self._finish_background_sync()
        if self._fd is None or not self._unsynced:
            return
        if self._sync_pool is None:
            self._sync_pool = ThreadPoolExecutor(1, thread_name_prefix="summarizer-journal-sync")
        self._unsynced = 0
        self._pending_sync = self._sync_pool.submit(os.fsync, self._fd)

    def _finish_background_sync(self) -> None:
        """Wait for the background fsync in flight, if any; its failure is the caller's."""
        pending, self._pending_sync = self._pending_sync, None
        if pending is None:
            return
        try:
            pending.result()
        except OSError as error:
            raise OutputFileError(
                f"cannot write to {self.path}: {error.strerror}; free space (or fix permissions) "
                "and rerun the same command to resume"
            ) from None

    def rewrite_in_order(self, position_of: Mapping[str, int]) -> None:
        """Rewrite the file with its lines sorted by ``position_of[key]`` (atomic, stays open).

        Only offsets are held in memory, not lines. Lines whose key has no position keep their
        order after all the others.
        """
        if self._fd is None:
            raise RuntimeError("OutputJournal.rewrite_in_order() before open()")
        self.sync()
        os.close(self._fd)
        self._fd = None
        try:
            _rewrite_sorted(self.path, position_of)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as error:
            raise OutputFileError(
                f"cannot rewrite {self.path} in input order: {error.strerror}; the file holds "
                "every result in completion order"
            ) from None

    def sync(self) -> None:
        """Everything written so far is on disk when this returns (waits for the background one)."""
        self._finish_background_sync()
        if self._fd is not None and self._unsynced:
            os.fsync(self._fd)
            self._unsynced = 0
        self._last_sync = time.monotonic()

    def close(self) -> None:
        try:
            if self._fd is not None:
                try:
                    self.sync()
                finally:
                    os.close(self._fd)
                    self._fd = None
        finally:
            if self._sync_pool is not None:
                self._sync_pool.shutdown(wait=True)
                self._sync_pool = None
            self._unlock_output()

    def __enter__(self) -> OutputJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _same_file(descriptor: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``descriptor``."""
    try:
        current = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(descriptor)
    return (current.st_dev, current.st_ino) == (opened.st_dev, opened.st_ino)


def scan_output(path: Path) -> OutputState:
    """Read an output file's finished keys (last line per key wins), cutting a partial last line."""
    state = OutputState()
    if not path.exists():
        return state
    _truncate_partial_line(path, state)
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            state.lines += 1
            key, status = _parse_line(raw, number)
            if key is None:
                state.unreadable_lines += 1
                continue
            state.ok.discard(key)
            state.failed.discard(key)
            (state.ok if status == "ok" else state.failed).add(key)
    return state


def _parse_line(raw: bytes, number: int) -> tuple[str | None, str | None]:
    line = parse_object(raw, f"line {number}", number, results=True)
    if isinstance(line, JSONLError) or line.get("status") not in ("ok", "error"):
        return None, None
    return line_key(line), line["status"]


def _truncate_partial_line(path: Path, state: OutputState) -> None:
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("r+b") as stream:
        stream.seek(size - 1)
        if stream.read(1) == b"\n":
            return
        # Walk back to the last newline: everything after it is a line a killed run never finished.
        position = size
        chunk = 65536
        keep = 0
        while position > 0:
            start = max(0, position - chunk)
            stream.seek(start)
            block = stream.read(position - start)
            newline = block.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            position = start
        stream.truncate(keep)
        stream.flush()
        os.fsync(stream.fileno())
        state.truncated_bytes = size - keep


def _rewrite(path: Path, *, drop_failed: bool, before: OutputState) -> OutputState:
    """Rewrite the file atomically keeping the last line per key (minus error lines if asked)."""
    last_line_of: dict[str, int] = {}
    with path.open("rb") as stream:
        for number, raw in enumerate(stream):
            key, _ = _parse_line(raw, number + 1)
            if key is not None:
                last_line_of[key] = number
    keep_lines = {
        number for key, number in last_line_of.items() if not (drop_failed and key in before.failed)
    }
    state = OutputState(truncated_bytes=before.truncated_bytes)
    temporary = path.with_name(path.name + ".rewrite.tmp")
    with path.open("rb") as source, temporary.open("wb") as target:
        for number, raw in enumerate(source):
            key, status = _parse_line(raw, number + 1)
            if key is None:
                target.write(raw)
                state.lines += 1
                state.unreadable_lines += 1
            elif number in keep_lines:
                target.write(raw)
                state.lines += 1
                (state.ok if status == "ok" else state.failed).add(key)
            else:
                state.dropped_lines += 1
        target.flush()
        os.fsync(target.fileno())
    os.replace(temporary, path)
    _fsync_directory(path.parent)
    return state


def _rewrite_sorted(path: Path, position_of: Mapping[str, int]) -> None:
    unknown = max(position_of.values(), default=-1) + 1
    order: list[tuple[int, int, int, int]] = []  # (position, line number, offset, length)
    offset = 0
    with path.open("rb") as stream:
        for number, raw in enumerate(stream):
            key, _ = _parse_line(raw, number + 1)
            position = position_of.get(key, unknown) if key is not None else unknown
            order.append((position, number, offset, len(raw)))
            offset += len(raw)
    order.sort()
    temporary = path.with_name(path.name + ".ordered.tmp")
    with path.open("rb") as source, temporary.open("wb") as target:
        for _, _, start, length in order:
            source.seek(start)
            target.write(source.read(length))
        target.flush()
        os.fsync(target.fileno())
    os.replace(temporary, path)
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
