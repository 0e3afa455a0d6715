"""``SQLiteStore``: the embedded ``Store`` of ``summarizer serve`` (one machine, no other services).

Why plain ``sqlite3`` on the event loop rather than a thread pool: every statement is an indexed
lookup or a short write in WAL mode with ``synchronous=NORMAL`` (no fsync per commit), which takes
well under a millisecond, far less than a hop to another thread. Writes that must be atomic
(claiming, acking) run in ``BEGIN IMMEDIATE`` transactions, so a second process on the same file
(a restarted server whose predecessor is still dying) cannot claim the same item.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError
from summarizer.service.store import (
    ITEM_COLUMNS,
    JobCounts,
    JobKind,
    JobRecord,
    KeyRecord,
    Lease,
    NewItem,
    Outcome,
    ResultRecord,
    UsageCheck,
    first_lease,
    item_columns,
)

#: Kind of the error written when an item was redelivered too often (its workers keep dying).
REDELIVERY_EXHAUSTED = "service.redelivery_exhausted"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    key_id TEXT NOT NULL,
    options TEXT NOT NULL,
    created_at REAL NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    job_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload BLOB NOT NULL,
    payload_is_text INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    source_name TEXT,
    encoding TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_token TEXT,
    lease_expires REAL,
    created_at REAL NOT NULL,
    PRIMARY KEY (job_id, article_id)
);
CREATE INDEX IF NOT EXISTS items_claimable ON items (status, lease_expires);
CREATE INDEX IF NOT EXISTS items_order ON items (job_id, seq);
CREATE TABLE IF NOT EXISTS results (
    job_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    status TEXT NOT NULL,
    result TEXT,
    error_kind TEXT,
    error_message TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL,
    seconds REAL NOT NULL DEFAULT 0,
    finished_at REAL NOT NULL,
    PRIMARY KEY (job_id, article_id)
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    read_only INTEGER NOT NULL,
    requests_per_minute INTEGER,
    tokens_per_minute INTEGER,
    created_at REAL NOT NULL,
    revoked_at REAL
);
CREATE TABLE IF NOT EXISTS key_usage (
    key_id TEXT NOT NULL,
    at REAL NOT NULL,
    requests INTEGER NOT NULL,
    tokens INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS key_usage_by_time ON key_usage (key_id, at);
"""

#: Columns added to a table after its first release: ``(table, column, type)``; a database made
#: before is given them when opened (``CREATE TABLE IF NOT EXISTS`` leaves an old table as it is).
_ADDED_COLUMNS = (("items", "encoding", "TEXT"),)


def _add_missing_columns(db: sqlite3.Connection) -> None:
    for table, column, kind in _ADDED_COLUMNS:
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column in present:
            continue
        try:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        except sqlite3.OperationalError as error:  # another process added it meanwhile
            if "duplicate column" not in str(error):
                raise


#: The item columns every store writes the same way (``store.item_columns``), for the INSERTs.
_ITEM_COLUMNS = ", ".join(ITEM_COLUMNS)
_ITEM_VALUES = ", ".join("?" for _ in ITEM_COLUMNS)

_RESULTS_PAGE = 200
#: Usage rows older than this are deleted now and then (quotas look back one minute).
_USAGE_KEEP_SECONDS = 3600.0


class SQLiteStore:
    """A ``Store`` in one SQLite file (``":memory:"`` works too, for one process)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._db: sqlite3.Connection | None = None
        self._usage_writes = 0

    # lifecycle

    async def open(self) -> None:
        if self._db is not None:
            return
        try:
            self._db = self._connect()
        except (OSError, sqlite3.Error) as error:
            # A wrong --db (not a database, unwritable folder) is the user's to fix: one line.
            raise ConfigError(
                f"cannot open the service database {self.path}: {error}; "
                "give --db a writable path to a new or existing service database"
            ) from None

    def _connect(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            _add_missing_columns(db)
        except BaseException:
            db.close()
            raise
        return db

    async def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    async def ping(self) -> None:
        self._conn.execute("SELECT 1").fetchone()

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._conn
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # jobs

    async def create_job(
        self,
        *,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        items: Sequence[NewItem],
    ) -> JobRecord:
        now = time.time()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO jobs (job_id, kind, key_id, options, created_at, total) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (job_id, kind, key_id, json.dumps(options), now, len(items)),
            )
            db.executemany(
                f"INSERT INTO items (job_id, article_id, seq, {_ITEM_COLUMNS}, status, created_at) "
                f"VALUES (?, ?, ?, {_ITEM_VALUES}, 'queued', ?)",
                [
                    (
                        job_id,
                        item.article_id,
                        seq,
                        *item_columns(item),
                        now,
                    )
                    for seq, item in enumerate(items)
                ],
            )
        return JobRecord(job_id, kind, key_id, dict(options), now, False, len(items))

    async def record_finished(
        self,
        *,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        item: NewItem,
        outcome: Outcome,
    ) -> None:
        now = time.time()
        with self._transaction() as db:
            self._insert_one_item_job(db, job_id, kind, key_id, options, item, outcome.status, now)
            self._finish(db, job_id, item.article_id, outcome)

    async def create_leased_job(
        self,
        *,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        item: NewItem,
        worker_id: str,
        lease_seconds: float,
    ) -> Lease:
        now = time.time()
        token = uuid.uuid4().hex
        with self._transaction() as db:
            self._insert_one_item_job(db, job_id, kind, key_id, options, item, "running", now)
            db.execute(
                "UPDATE items SET lease_owner = ?, lease_token = ?, lease_expires = ? "
                "WHERE job_id = ? AND article_id = ?",
                (worker_id, token, now + lease_seconds, job_id, item.article_id),
            )
        return first_lease(
            job_id=job_id,
            key_id=key_id,
            options=options,
            item=item,
            worker_id=worker_id,
            token=token,
            expires_at=now + lease_seconds,
        )

    @staticmethod
    def _insert_one_item_job(
        db: sqlite3.Connection,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        item: NewItem,
        status: str,
        now: float,
    ) -> None:
        db.execute(
            "INSERT INTO jobs (job_id, kind, key_id, options, created_at, total) "
            "VALUES (?, ?, ?, ?, ?, 1)",
            (job_id, kind, key_id, json.dumps(options), now),
        )
        db.execute(
            f"INSERT INTO items (job_id, article_id, seq, {_ITEM_COLUMNS}, status, attempts, "
            f"created_at) VALUES (?, ?, 0, {_ITEM_VALUES}, ?, 1, ?)",
            (
                job_id,
                item.article_id,
                *item_columns(item),
                status,
                now,
            ),
        )

    async def get_job(self, job_id: str) -> JobRecord | None:
        row = self._conn.execute("SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        return JobRecord(
            job_id=row["job_id"],
            kind=row["kind"],
            key_id=row["key_id"],
            options=json.loads(row["options"]),
            created_at=row["created_at"],
            cancelled=bool(row["cancelled"]),
            total=row["total"],
        )

    async def job_counts(self, job_id: str) -> JobCounts:
        db = self._conn
        by_status = {
            row["status"]: row["n"]
            for row in db.execute(
                "SELECT status, COUNT(*) AS n FROM items WHERE job_id = ? GROUP BY status",
                (job_id,),
            )
        }
        sums = db.execute(
            "SELECT COALESCE(SUM(prompt_tokens), 0) AS p, COALESCE(SUM(completion_tokens), 0) AS c,"
            " SUM(cost_usd) AS cost, COUNT(cost_usd) AS priced,"
            " AVG(CASE WHEN status != 'cancelled' THEN seconds END) AS mean_seconds,"
            " MAX(finished_at) AS last FROM results WHERE job_id = ?",
            (job_id,),
        ).fetchone()
        waiting = by_status.get("queued", 0) + by_status.get("running", 0)
        return JobCounts(
            by_status=by_status,
            prompt_tokens=sums["p"],
            completion_tokens=sums["c"],
            cost_usd=sums["cost"] if sums["priced"] else None,
            mean_item_seconds=sums["mean_seconds"],
            finished_at=sums["last"] if waiting == 0 else None,
        )

    async def cancel_job(self, job_id: str) -> None:
        now = time.time()
        with self._transaction() as db:
            db.execute("UPDATE jobs SET cancelled = 1 WHERE job_id = ?", (job_id,))
            db.execute(
                "INSERT OR IGNORE INTO results (job_id, article_id, status, error_kind, "
                "error_message, finished_at) SELECT job_id, article_id, 'cancelled', 'cancelled', "
                "'the job was cancelled before this item ran', ? FROM items "
                "WHERE job_id = ? AND status = 'queued'",
                (now, job_id),
            )
            db.execute(
                "UPDATE items SET status = 'cancelled' WHERE job_id = ? AND status = 'queued'",
                (job_id,),
            )

    async def queue_depth(self) -> int:
        row = self._conn.execute(
            "SELECT COUNT(*) FROM items WHERE status = 'queued' "
            "OR (status = 'running' AND lease_expires < ?)",
            (time.time(),),
        ).fetchone()
        return int(row[0])

    # work

    async def claim(
        self, worker_id: str, *, lease_seconds: float, limit: int = 1, max_attempts: int = 3
    ) -> list[Lease]:
        now = time.time()
        leases: list[Lease] = []
        with self._transaction() as db:
            rows = db.execute(
                "SELECT i.*, j.options, j.key_id FROM items i JOIN jobs j USING (job_id) "
                "WHERE j.cancelled = 0 AND (i.status = 'queued' "
                "OR (i.status = 'running' AND i.lease_expires < ?)) "
                "ORDER BY i.created_at, i.seq LIMIT ?",
                (now, limit),
            ).fetchall()
            for row in rows:
                attempt = row["attempts"] + 1
                if attempt > max_attempts:
                    self._finish(
                        db,
                        row["job_id"],
                        row["article_id"],
                        Outcome(
                            status="error",
                            error_kind=REDELIVERY_EXHAUSTED,
                            error_message=(
                                f"the item was delivered {row['attempts']} times and its worker "
                                "stopped each time; not trying again"
                            ),
                        ),
                    )
                    continue
                token = uuid.uuid4().hex
                expires = now + lease_seconds
                db.execute(
                    "UPDATE items SET status = 'running', attempts = ?, lease_owner = ?, "
                    "lease_token = ?, lease_expires = ? WHERE job_id = ? AND article_id = ?",
                    (attempt, worker_id, token, expires, row["job_id"], row["article_id"]),
                )
                payload: str | bytes = (
                    bytes(row["payload"]).decode()
                    if row["payload_is_text"]
                    else bytes(row["payload"])
                )
                leases.append(
                    Lease(
                        job_id=row["job_id"],
                        article_id=row["article_id"],
                        worker_id=worker_id,
                        token=token,
                        attempt=attempt,
                        expires_at=expires,
                        payload=payload,
                        source_name=row["source_name"],
                        options=json.loads(row["options"]),
                        key_id=row["key_id"],
                        encoding=row["encoding"],
                    )
                )
        return leases

    async def renew(self, lease: Lease, *, lease_seconds: float) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE items SET lease_expires = ? WHERE job_id = ? AND article_id = ? "
                "AND lease_token = ? AND status = 'running'",
                (time.time() + lease_seconds, lease.job_id, lease.article_id, lease.token),
            )
        return cursor.rowcount == 1

    async def release(self, lease: Lease) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE items SET status = 'queued', attempts = MAX(attempts - 1, 0), "
                "lease_owner = NULL, lease_token = NULL, lease_expires = NULL "
                "WHERE job_id = ? AND article_id = ? AND lease_token = ? AND status = 'running'",
                (lease.job_id, lease.article_id, lease.token),
            )

    async def ack(self, lease: Lease, outcome: Outcome) -> bool:
        with self._transaction() as db:
            return self._finish(db, lease.job_id, lease.article_id, outcome)

    @staticmethod
    def _finish(db: sqlite3.Connection, job_id: str, article_id: str, outcome: Outcome) -> bool:
        cursor = db.execute(
            "INSERT OR IGNORE INTO results (job_id, article_id, status, result, error_kind, "
            "error_message, prompt_tokens, completion_tokens, cost_usd, seconds, finished_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job_id,
                article_id,
                outcome.status,
                outcome.stored_json(),
                outcome.error_kind,
                outcome.error_message,
                outcome.prompt_tokens,
                outcome.completion_tokens,
                outcome.cost_usd,
                outcome.seconds,
                time.time(),
            ),
        )
        written = cursor.rowcount == 1
        db.execute(
            "UPDATE items SET status = (SELECT status FROM results r WHERE r.job_id = ? "
            "AND r.article_id = ?), lease_owner = NULL, lease_token = NULL, lease_expires = NULL "
            "WHERE job_id = ? AND article_id = ?",
            (job_id, article_id, job_id, article_id),
        )
        return written

    # results

    async def iter_results(self, job_id: str) -> AsyncIterator[ResultRecord]:
        last_seq = -1
        while True:
            rows = self._conn.execute(
                "SELECT r.*, i.seq, i.metadata FROM results r JOIN items i "
                "USING (job_id, article_id) WHERE r.job_id = ? AND i.seq > ? "
                "ORDER BY i.seq LIMIT ?",
                (job_id, last_seq, _RESULTS_PAGE),
            ).fetchall()
            for row in rows:
                yield _result_record(row)
            if len(rows) < _RESULTS_PAGE:
                return
            last_seq = rows[-1]["seq"]

    async def get_result(self, job_id: str, article_id: str) -> ResultRecord | None:
        row = self._conn.execute(
            "SELECT r.*, i.metadata FROM results r JOIN items i USING (job_id, article_id) "
            "WHERE r.job_id = ? AND r.article_id = ?",
            (job_id, article_id),
        ).fetchone()
        return None if row is None else _result_record(row)

    # keys and quotas

    async def add_key(self, key: KeyRecord) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO api_keys (key_id, secret_hash, name, read_only, requests_per_minute, "
                "tokens_per_minute, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key.key_id,
                    key.secret_hash,
                    key.name,
                    key.read_only,
                    key.requests_per_minute,
                    key.tokens_per_minute,
                    key.created_at,
                    key.revoked_at,
                ),
            )

    async def get_key(self, key_id: str) -> KeyRecord | None:
        row = self._conn.execute("SELECT * FROM api_keys WHERE key_id = ?", (key_id,)).fetchone()
        return None if row is None else _key_record(row)

    async def list_keys(self) -> list[KeyRecord]:
        rows = self._conn.execute("SELECT * FROM api_keys ORDER BY created_at").fetchall()
        return [_key_record(row) for row in rows]

    async def revoke_key(self, key_id: str) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (time.time(), key_id),
            )
        return cursor.rowcount == 1

    async def record_usage(self, key_id: str, *, requests: int, tokens: int, at: float) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO key_usage (key_id, at, requests, tokens) VALUES (?, ?, ?, ?)",
                (key_id, at, requests, tokens),
            )
            self._usage_writes += 1
            if self._usage_writes % 1000 == 0:
                db.execute("DELETE FROM key_usage WHERE at < ?", (at - _USAGE_KEEP_SECONDS,))

    async def usage_since(self, key_id: str, since: float) -> tuple[int, int, float | None]:
        row = self._conn.execute(
            "SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(tokens), 0), MIN(at) "
            "FROM key_usage WHERE key_id = ? AND at >= ?",
            (key_id, since),
        ).fetchone()
        return int(row[0]), int(row[1]), row[2]

    async def admit_request(
        self, key_id: str, *, since: float, at: float, check: UsageCheck
    ) -> None:
        with self._transaction() as db:  # BEGIN IMMEDIATE: other processes wait for the write
            row = db.execute(
                "SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(tokens), 0), MIN(at) "
                "FROM key_usage WHERE key_id = ? AND at >= ?",
                (key_id, since),
            ).fetchone()
            check(int(row[0]), int(row[1]), row[2])
            db.execute(
                "INSERT INTO key_usage (key_id, at, requests, tokens) VALUES (?, ?, 1, 0)",
                (key_id, at),
            )
            self._usage_writes += 1
            if self._usage_writes % 1000 == 0:
                db.execute("DELETE FROM key_usage WHERE at < ?", (at - _USAGE_KEEP_SECONDS,))


def _result_record(row: sqlite3.Row) -> ResultRecord:
    return ResultRecord(
        article_id=row["article_id"],
        status=row["status"],
        result=None if row["result"] is None else json.loads(row["result"]),
        error_kind=row["error_kind"],
        error_message=row["error_message"],
        metadata=json.loads(row["metadata"]),
    )


def _key_record(row: sqlite3.Row) -> KeyRecord:
    return KeyRecord(
        key_id=row["key_id"],
        secret_hash=row["secret_hash"],
        name=row["name"],
        read_only=bool(row["read_only"]),
        requests_per_minute=row["requests_per_minute"],
        tokens_per_minute=row["tokens_per_minute"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )
