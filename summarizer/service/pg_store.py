"""``PostgresStore``: the ``Store`` shared by API replicas and worker processes on many machines.

Same tables and semantics as ``SQLiteStore``, with PostgreSQL doing the concurrency:

* ``claim`` picks rows with ``SELECT ... FOR UPDATE SKIP LOCKED``: concurrent workers never wait
  on each other's rows nor get the same one.
* results go in with ``INSERT ... ON CONFLICT DO NOTHING`` on ``(job_id, article_id)``: whatever
  delivers an item twice (an expired lease, a queue's redelivery), its result is written once.
* leases are timed by the database's clock, so machines with skewed clocks agree on expiry.
* key usage rows live here too, so every API replica sees one quota per key.

``claim_item`` is the extra door for a task queue: a queue message names one item, and its
consumer claims that item (or learns that it is finished, or leased until when).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import asyncpg

from summarizer.errors import ConfigError
from summarizer.service.sqlite_store import REDELIVERY_EXHAUSTED
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

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    key_id TEXT NOT NULL,
    options TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    total INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    job_id TEXT NOT NULL REFERENCES jobs (job_id),
    article_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload BYTEA NOT NULL,
    payload_is_text BOOLEAN NOT NULL,
    metadata TEXT NOT NULL,
    source_name TEXT,
    encoding TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_token TEXT,
    lease_expires DOUBLE PRECISION,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (job_id, article_id)
);
-- Added after the first release: a database made before gets it here.
ALTER TABLE items ADD COLUMN IF NOT EXISTS encoding TEXT;
CREATE INDEX IF NOT EXISTS items_claimable ON items (created_at, seq)
    WHERE status IN ('queued', 'running');
CREATE UNIQUE INDEX IF NOT EXISTS items_order ON items (job_id, seq);
CREATE TABLE IF NOT EXISTS results (
    job_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    status TEXT NOT NULL,
    result TEXT,
    error_kind TEXT,
    error_message TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd DOUBLE PRECISION,
    seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
    finished_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (job_id, article_id)
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    read_only BOOLEAN NOT NULL,
    requests_per_minute INTEGER,
    tokens_per_minute INTEGER,
    created_at DOUBLE PRECISION NOT NULL,
    revoked_at DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS key_usage (
    key_id TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
    requests INTEGER NOT NULL,
    tokens INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS key_usage_by_time ON key_usage (key_id, at);
"""

#: Placeholders of the item columns (``store.item_columns``) and the status after them, from $3.
_ITEM_AND_STATUS_VALUES = ", ".join(f"${number}" for number in range(3, len(ITEM_COLUMNS) + 4))
#: The database's clock, in seconds since the epoch (leases are timed by it).
_NOW = "EXTRACT(EPOCH FROM clock_timestamp())::double precision"
_RESULTS_PAGE = 200
_USAGE_KEEP_SECONDS = 3600.0
#: Serializes schema creation: ``CREATE ... IF NOT EXISTS`` races between processes otherwise.
_SCHEMA_LOCK = 0x5EB7_1CE5


@dataclass(frozen=True)
class ItemClaim:
    """What ``claim_item`` found: a new lease, a finished item, or a live lease to wait out."""

    state: Literal["claimed", "finished", "leased"]
    lease: Lease | None = None
    #: For ``leased``: when the current lease expires (database clock, epoch seconds).
    leased_until: float | None = None
    #: For ``leased``: seconds left on the current lease.
    leased_for: float = 0.0


#: The user info of a URL (``scheme://user:password@``), matched without parsing the rest.
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:@/?#\s]*):[^@/?#\s]*@")
#: Query parameters that carry secrets (libpq ``password``/``sslpassword``, tokens, keys).
_SECRET_PARAMETER = re.compile(r"(?i)([?&][^=&#\s]*(?:pass|secret|token|key)[^=&#\s]*=)[^&#\s\"']*")


def describe_url(url: str) -> str:
    """The URL without its password (in the user info or the query), for logs and messages.

    Works on the text, not a parse, so that a malformed URL (a port that is not a number) is
    still described, and the error about it can be raised; any text holding URLs (a log line)
    can be passed too.
    """
    url = _USERINFO.sub(r"\g<scheme>\g<user>:***@", url)
    return _SECRET_PARAMETER.sub(r"\1***", url)


def is_postgres_url(value: str) -> bool:
    return value.startswith(("postgresql://", "postgres://"))


class PostgresStore:
    """A ``Store`` in a PostgreSQL database, shared by any number of processes."""

    def __init__(self, url: str, *, min_connections: int = 1, max_connections: int = 10) -> None:
        if not is_postgres_url(url):
            raise ConfigError(f"not a PostgreSQL URL: {describe_url(url)[:120]!r}")
        self.url = url
        self.min_connections = min_connections
        self.max_connections = max_connections
        self._pool: asyncpg.Pool | None = None
        self._usage_writes = 0

    def __repr__(self) -> str:
        return f"PostgresStore({describe_url(self.url)!r})"

    # lifecycle

    async def open(self) -> None:
        if self._pool is not None:
            return
        try:
            pool = await asyncpg.create_pool(
                self.url, min_size=self.min_connections, max_size=self.max_connections
            )
        except (OSError, ValueError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise ConfigError(
                f"cannot connect to PostgreSQL at {describe_url(self.url)} ({type(error).__name__})"
            ) from None
        async with pool.acquire() as db, db.transaction():
            await db.execute("SELECT pg_advisory_xact_lock($1)", _SCHEMA_LOCK)
            await db.execute(_SCHEMA)
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def ping(self) -> None:
        await self._db.fetchval("SELECT 1")

    @property
    def _db(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the store is not open")
        return self._pool

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
        async with self._db.acquire() as db, db.transaction():
            now = float(await db.fetchval(f"SELECT {_NOW}"))
            await db.execute(
                "INSERT INTO jobs (job_id, kind, key_id, options, created_at, total) "
                "VALUES ($1, $2, $3, $4, $5, $6)",
                job_id,
                kind,
                key_id,
                json.dumps(options),
                now,
                len(items),
            )
            await db.copy_records_to_table(
                "items",
                columns=[
                    "job_id",
                    "article_id",
                    "seq",
                    *ITEM_COLUMNS,
                    "status",
                    "created_at",
                ],
                records=[
                    (
                        job_id,
                        item.article_id,
                        seq,
                        *item_columns(item),
                        "queued",
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
        async with self._db.acquire() as db, db.transaction():
            await self._insert_one_item_job(db, job_id, kind, key_id, options, item, outcome.status)
            await self._finish(db, job_id, item.article_id, outcome)

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
        token = uuid.uuid4().hex
        async with self._db.acquire() as db, db.transaction():
            await self._insert_one_item_job(db, job_id, kind, key_id, options, item, "running")
            expires = await db.fetchval(
                f"UPDATE items SET lease_owner = $1, lease_token = $2, lease_expires = {_NOW} + $3 "
                "WHERE job_id = $4 AND article_id = $5 RETURNING lease_expires",
                worker_id,
                token,
                lease_seconds,
                job_id,
                item.article_id,
            )
        return first_lease(
            job_id=job_id,
            key_id=key_id,
            options=options,
            item=item,
            worker_id=worker_id,
            token=token,
            expires_at=float(expires),
        )

    @staticmethod
    async def _insert_one_item_job(
        db: asyncpg.Connection,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        item: NewItem,
        status: str,
    ) -> None:
        await db.execute(
            "INSERT INTO jobs (job_id, kind, key_id, options, created_at, total) "
            f"VALUES ($1, $2, $3, $4, {_NOW}, 1)",
            job_id,
            kind,
            key_id,
            json.dumps(options),
        )
        await db.execute(
            f"INSERT INTO items (job_id, article_id, seq, {', '.join(ITEM_COLUMNS)}, status, "
            f"attempts, created_at) VALUES ($1, $2, 0, {_ITEM_AND_STATUS_VALUES}, 1, {_NOW})",
            job_id,
            item.article_id,
            *item_columns(item),
            status,
        )

    async def get_job(self, job_id: str) -> JobRecord | None:
        row = await self._db.fetchrow("SELECT * FROM jobs WHERE job_id = $1", job_id)
        if row is None:
            return None
        return JobRecord(
            job_id=row["job_id"],
            kind=row["kind"],
            key_id=row["key_id"],
            options=json.loads(row["options"]),
            created_at=row["created_at"],
            cancelled=row["cancelled"],
            total=row["total"],
        )

    async def job_counts(self, job_id: str) -> JobCounts:
        async with self._db.acquire() as db:
            by_status = {
                row["status"]: row["n"]
                for row in await db.fetch(
                    "SELECT status, COUNT(*) AS n FROM items WHERE job_id = $1 GROUP BY status",
                    job_id,
                )
            }
            sums = await db.fetchrow(
                "SELECT COALESCE(SUM(prompt_tokens), 0) AS p,"
                " COALESCE(SUM(completion_tokens), 0) AS c,"
                " SUM(cost_usd) AS cost, COUNT(cost_usd) AS priced,"
                " AVG(CASE WHEN status != 'cancelled' THEN seconds END) AS mean_seconds,"
                " MAX(finished_at) AS last FROM results WHERE job_id = $1",
                job_id,
            )
        waiting = by_status.get("queued", 0) + by_status.get("running", 0)
        return JobCounts(
            by_status=by_status,
            prompt_tokens=int(sums["p"]),
            completion_tokens=int(sums["c"]),
            cost_usd=sums["cost"] if sums["priced"] else None,
            mean_item_seconds=sums["mean_seconds"],
            finished_at=sums["last"] if waiting == 0 else None,
        )

    async def cancel_job(self, job_id: str) -> None:
        async with self._db.acquire() as db, db.transaction():
            await db.execute("UPDATE jobs SET cancelled = TRUE WHERE job_id = $1", job_id)
            await db.execute(
                "INSERT INTO results (job_id, article_id, status, error_kind, error_message, "
                "finished_at) SELECT job_id, article_id, 'cancelled', 'cancelled', "
                f"'the job was cancelled before this item ran', {_NOW} FROM items "
                "WHERE job_id = $1 AND status = 'queued' ON CONFLICT DO NOTHING",
                job_id,
            )
            await db.execute(
                "UPDATE items SET status = 'cancelled' WHERE job_id = $1 AND status = 'queued'",
                job_id,
            )

    async def queue_depth(self) -> int:
        value = await self._db.fetchval(
            "SELECT COUNT(*) FROM items WHERE status = 'queued' "
            f"OR (status = 'running' AND lease_expires < {_NOW})"
        )
        return int(value)

    # work

    async def claim(
        self, worker_id: str, *, lease_seconds: float, limit: int = 1, max_attempts: int = 3
    ) -> list[Lease]:
        leases: list[Lease] = []
        async with self._db.acquire() as db, db.transaction():
            rows = await db.fetch(
                f"SELECT i.*, j.options, j.key_id, {_NOW} AS now "
                "FROM items i JOIN jobs j USING (job_id) "
                "WHERE NOT j.cancelled AND (i.status = 'queued' "
                f"OR (i.status = 'running' AND i.lease_expires < {_NOW})) "
                "ORDER BY i.created_at, i.seq LIMIT $1 FOR UPDATE OF i SKIP LOCKED",
                limit,
            )
            for row in rows:
                lease = await self._take(db, row, worker_id, lease_seconds, max_attempts)
                if lease is not None:
                    leases.append(lease)
        return leases

    async def claim_item(
        self,
        job_id: str,
        article_id: str,
        worker_id: str,
        *,
        lease_seconds: float,
        max_attempts: int = 3,
    ) -> ItemClaim:
        """Lease this one item if it is claimable (a queue message named it)."""
        async with self._db.acquire() as db, db.transaction():
            row = await db.fetchrow(
                f"SELECT i.*, j.options, j.key_id, j.cancelled, {_NOW} AS now "
                "FROM items i JOIN jobs j USING (job_id) "
                "WHERE i.job_id = $1 AND i.article_id = $2 FOR UPDATE OF i",
                job_id,
                article_id,
            )
            if row is None or row["status"] not in ("queued", "running") or row["cancelled"]:
                return ItemClaim("finished")
            if row["status"] == "running" and row["lease_expires"] >= row["now"]:
                left = float(row["lease_expires"] - row["now"])
                return ItemClaim("leased", leased_until=row["lease_expires"], leased_for=left)
            lease = await self._take(db, row, worker_id, lease_seconds, max_attempts)
        return ItemClaim("claimed", lease) if lease is not None else ItemClaim("finished")

    async def _take(
        self,
        db: asyncpg.Connection,
        row: asyncpg.Record,
        worker_id: str,
        lease_seconds: float,
        max_attempts: int,
    ) -> Lease | None:
        """Lease a locked row, or end it as an error when it was delivered too often."""
        attempt = row["attempts"] + 1
        if attempt > max_attempts:
            await self._finish(
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
            return None
        token = uuid.uuid4().hex
        expires = float(row["now"]) + lease_seconds
        await db.execute(
            "UPDATE items SET status = 'running', attempts = $1, lease_owner = $2, "
            "lease_token = $3, lease_expires = $4 WHERE job_id = $5 AND article_id = $6",
            attempt,
            worker_id,
            token,
            expires,
            row["job_id"],
            row["article_id"],
        )
        raw = bytes(row["payload"])
        return Lease(
            job_id=row["job_id"],
            article_id=row["article_id"],
            worker_id=worker_id,
            token=token,
            attempt=attempt,
            expires_at=expires,
            payload=raw.decode() if row["payload_is_text"] else raw,
            source_name=row["source_name"],
            options=json.loads(row["options"]),
            key_id=row["key_id"],
            encoding=row["encoding"],
        )

    async def renew(self, lease: Lease, *, lease_seconds: float) -> bool:
        status = await self._db.execute(
            f"UPDATE items SET lease_expires = {_NOW} + $1 WHERE job_id = $2 AND article_id = $3 "
            "AND lease_token = $4 AND status = 'running'",
            lease_seconds,
            lease.job_id,
            lease.article_id,
            lease.token,
        )
        return _row_count(status) == 1

    async def release(self, lease: Lease) -> None:
        await self._db.execute(
            "UPDATE items SET status = 'queued', attempts = GREATEST(attempts - 1, 0), "
            "lease_owner = NULL, lease_token = NULL, lease_expires = NULL "
            "WHERE job_id = $1 AND article_id = $2 AND lease_token = $3 AND status = 'running'",
            lease.job_id,
            lease.article_id,
            lease.token,
        )

    async def ack(self, lease: Lease, outcome: Outcome) -> bool:
        async with self._db.acquire() as db, db.transaction():
            return await self._finish(db, lease.job_id, lease.article_id, outcome)

    @staticmethod
    async def _finish(
        db: asyncpg.Connection, job_id: str, article_id: str, outcome: Outcome
    ) -> bool:
        status = await db.execute(
            "INSERT INTO results (job_id, article_id, status, result, error_kind, "
            "error_message, prompt_tokens, completion_tokens, cost_usd, seconds, finished_at) "
            f"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, {_NOW}) ON CONFLICT DO NOTHING",
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
        )
        await db.execute(
            "UPDATE items i SET status = r.status, lease_owner = NULL, lease_token = NULL, "
            "lease_expires = NULL FROM results r WHERE r.job_id = i.job_id "
            "AND r.article_id = i.article_id AND i.job_id = $1 AND i.article_id = $2",
            job_id,
            article_id,
        )
        return _row_count(status) == 1

    # results

    async def iter_results(self, job_id: str) -> AsyncIterator[ResultRecord]:
        last_seq = -1
        while True:
            rows = await self._db.fetch(
                "SELECT r.*, i.seq, i.metadata FROM results r JOIN items i "
                "USING (job_id, article_id) WHERE r.job_id = $1 AND i.seq > $2 "
                "ORDER BY i.seq LIMIT $3",
                job_id,
                last_seq,
                _RESULTS_PAGE,
            )
            for row in rows:
                yield _result_record(row)
            if len(rows) < _RESULTS_PAGE:
                return
            last_seq = rows[-1]["seq"]

    async def get_result(self, job_id: str, article_id: str) -> ResultRecord | None:
        row = await self._db.fetchrow(
            "SELECT r.*, i.metadata FROM results r JOIN items i USING (job_id, article_id) "
            "WHERE r.job_id = $1 AND r.article_id = $2",
            job_id,
            article_id,
        )
        return None if row is None else _result_record(row)

    async def claimable_items(
        self, *, older_than: float, limit: int = 1000
    ) -> list[tuple[str, str]]:
        """(job, article) of items queued or with an expired lease for over ``older_than`` s.

        For a queue's reconciler: an item whose notification was lost (an API replica died
        between committing the job and enqueueing) is found here and notified again.
        """
        rows = await self._db.fetch(
            "SELECT i.job_id, i.article_id FROM items i JOIN jobs j USING (job_id) "
            f"WHERE NOT j.cancelled AND ((i.status = 'queued' AND i.created_at < {_NOW} - $1) "
            f"OR (i.status = 'running' AND i.lease_expires < {_NOW} - $1)) "
            "ORDER BY i.created_at, i.seq LIMIT $2",
            older_than,
            limit,
        )
        return [(row["job_id"], row["article_id"]) for row in rows]

    # keys and quotas

    async def add_key(self, key: KeyRecord) -> None:
        await self._db.execute(
            "INSERT INTO api_keys (key_id, secret_hash, name, read_only, requests_per_minute, "
            "tokens_per_minute, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            key.key_id,
            key.secret_hash,
            key.name,
            key.read_only,
            key.requests_per_minute,
            key.tokens_per_minute,
            key.created_at,
            key.revoked_at,
        )

    async def get_key(self, key_id: str) -> KeyRecord | None:
        row = await self._db.fetchrow("SELECT * FROM api_keys WHERE key_id = $1", key_id)
        return None if row is None else _key_record(row)

    async def list_keys(self) -> list[KeyRecord]:
        rows = await self._db.fetch("SELECT * FROM api_keys ORDER BY created_at")
        return [_key_record(row) for row in rows]

    async def revoke_key(self, key_id: str) -> bool:
        status = await self._db.execute(
            f"UPDATE api_keys SET revoked_at = {_NOW} WHERE key_id = $1 AND revoked_at IS NULL",
            key_id,
        )
        return _row_count(status) == 1

    async def record_usage(self, key_id: str, *, requests: int, tokens: int, at: float) -> None:
        await self._db.execute(
            "INSERT INTO key_usage (key_id, at, requests, tokens) VALUES ($1, $2, $3, $4)",
            key_id,
            at,
            requests,
            tokens,
        )
        self._usage_writes += 1
        if self._usage_writes % 1000 == 0:
            await self._db.execute("DELETE FROM key_usage WHERE at < $1", at - _USAGE_KEEP_SECONDS)

    async def usage_since(self, key_id: str, since: float) -> tuple[int, int, float | None]:
        row = await self._db.fetchrow(
            "SELECT COALESCE(SUM(requests), 0) AS r, COALESCE(SUM(tokens), 0) AS t, MIN(at) AS m "
            "FROM key_usage WHERE key_id = $1 AND at >= $2",
            key_id,
            since,
        )
        return int(row["r"]), int(row["t"]), row["m"]

    async def admit_request(
        self, key_id: str, *, since: float, at: float, check: UsageCheck
    ) -> None:
        async with self._db.acquire() as db, db.transaction():
            # One admission per key at a time across every replica; other keys are not held up
            # (a hash collision only makes two keys take turns).
            await db.execute("SELECT pg_advisory_xact_lock(hashtext($1))", key_id)
            row = await db.fetchrow(
                "SELECT COALESCE(SUM(requests), 0) AS r, COALESCE(SUM(tokens), 0) AS t, "
                "MIN(at) AS m FROM key_usage WHERE key_id = $1 AND at >= $2",
                key_id,
                since,
            )
            check(int(row["r"]), int(row["t"]), row["m"])
            await db.execute(
                "INSERT INTO key_usage (key_id, at, requests, tokens) VALUES ($1, $2, 1, 0)",
                key_id,
                at,
            )
            self._usage_writes += 1
            if self._usage_writes % 1000 == 0:
                await db.execute("DELETE FROM key_usage WHERE at < $1", at - _USAGE_KEEP_SECONDS)


def _row_count(status: str) -> int:
    """Rows touched, from a command tag such as ``UPDATE 1`` or ``INSERT 0 1``."""
    return int(status.rsplit(" ", 1)[-1])


def _result_record(row: asyncpg.Record) -> ResultRecord:
    return ResultRecord(
        article_id=row["article_id"],
        status=row["status"],
        result=None if row["result"] is None else json.loads(row["result"]),
        error_kind=row["error_kind"],
        error_message=row["error_message"],
        metadata=json.loads(row["metadata"]),
    )


def _key_record(row: asyncpg.Record) -> KeyRecord:
    return KeyRecord(
        key_id=row["key_id"],
        secret_hash=row["secret_hash"],
        name=row["name"],
        read_only=row["read_only"],
        requests_per_minute=row["requests_per_minute"],
        tokens_per_minute=row["tokens_per_minute"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )
