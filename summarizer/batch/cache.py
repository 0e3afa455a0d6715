"""A response cache in one SQLite file, so that a rerun never pays twice for the same answer.

Keys are content hashes of everything that determines an output: the engine's ``fingerprint()``
(model, server profile, structured-output capability, prompt templates and versions, schema
hashes, sampling and re-ask settings: never a secret, and never the endpoint's address, so
``localhost:P``, ``127.0.0.1:P`` and a restarted server on another port share entries), the cache
format, the library version, and the lightly normalized input text. Values are JSON objects (the
``ArticleSummary`` as ``model_dump(mode="json")``). Only successes are stored: an error must be
retried, not remembered.

SQLite in WAL mode lets several processes (two batch runs, an eval) share one cache file safely.
Writes are committed in groups (every ``commit_interval`` seconds or ``commit_every`` writes, and
on close): a commit per answer cost 4% of a batch's CPU. A crash loses at most the last group's
entries, which only costs calls again: the batch's own output journal is what makes it resumable.
``open_cache`` is the one way a run turns its ``cache=`` argument into a cache (or none).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from summarizer._version import __version__
from summarizer.errors import ConfigError

#: Bump when the shape of stored values changes.
CACHE_FORMAT = "1"


def default_cache_path() -> Path:
    return Path(user_cache_dir("summarizer")) / "responses.sqlite3"


def normalize_for_key(text: str | bytes) -> bytes:
    """The input as hashed: NFC, Unix newlines, no surrounding whitespace (bytes stay bytes)."""
    if isinstance(text, bytes):
        return text.strip()
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text.encode("utf-8", "surrogatepass")


def key_for(fingerprint: Mapping[str, str], text: str | bytes) -> str:
    """The cache key of ``text`` summarized by an engine with this ``fingerprint``."""
    digest = hashlib.sha256()
    parts = {"format": CACHE_FORMAT, "library": __version__, **dict(fingerprint)}
    digest.update(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode())
    digest.update(b"\0")
    digest.update(normalize_for_key(text))
    return digest.hexdigest()


class ResponseCache:
    """``get(key)`` / ``put(key, value)`` over one SQLite file; safe across threads and processes.

    Close it (or use it as a context manager) when done.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        commit_interval: float = 1.0,
        commit_every: int = 200,
    ) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self.commit_interval = commit_interval
        self.commit_every = commit_every
        self._pending = 0
        self._last_commit = time.monotonic()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses ("
                " key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"cannot open the response cache at {self.path}: {error}; "
                "pass --cache PATH to use another file or --no-cache"
            ) from None
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: Mapping[str, Any]) -> None:
        payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, value, created) VALUES (?, ?, ?)",
                (key, payload, time.time()),
            )
            self._pending += 1
            now = time.monotonic()
            due = now - self._last_commit >= self.commit_interval
            if due or self._pending >= self.commit_every:
                self._commit(now)

    def flush(self) -> None:
        """Commit the writes not yet committed (``close`` does it too)."""
        with self._lock:
            self._commit(time.monotonic())

    def _commit(self, now: float) -> None:
        if self._pending:
            self._db.commit()
            self._pending = 0
        self._last_commit = now

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            # Entries that cannot be committed are only calls to make again.
            with contextlib.suppress(sqlite3.Error):
                self._commit(time.monotonic())
            self._db.close()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: What a caller may pass as ``cache=``: True for the default file, a path, a cache, or no cache.
CacheChoice = ResponseCache | str | Path | bool | None


@contextmanager
def open_cache(choice: CacheChoice, *, engine_name: str) -> Iterator[ResponseCache | None]:
    """The cache ``choice`` names, closed on exit if opened here (a given ``ResponseCache`` is not).

    ``True`` means the default file, except for the offline engine: the default cache is for
    answers that cost a call, and offline results are cheaper to redo than to look up. A path or
    a ``ResponseCache`` is used whatever the engine.
    """
    if isinstance(choice, ResponseCache):
        yield choice
        return
    owned: ResponseCache | None = None
    if choice is True and engine_name != "offline":
        owned = ResponseCache()
    elif isinstance(choice, str | Path):
        owned = ResponseCache(choice)
    try:
        yield owned
    finally:
        if owned is not None:
            owned.close()
