"""API keys and per-key quotas.

A key looks like ``sk-sum-<key id>-<secret>``. The store keeps the key id (to find the record
without scanning) and the SHA-256 of the secret, never the key: a stolen database gives no usable
key, and the key is shown exactly once, by ``summarizer keys create``. SHA-256 rather than a slow
password hash because the secret is 192 random bits, not a human password. The ``sk-`` shape is
also what ``summarizer.config.redact`` scrubs from any text, so a key pasted by mistake into an
error message does not survive.

Quotas are sliding one-minute windows over usage rows in the store, so every API replica sees the
same budget: one row per admitted request, one per finished item's tokens. Reads are counted
apart from work, under a far higher limit (see ``admit``).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import time
from dataclasses import dataclass

from summarizer.errors import ForbiddenError, InvalidKeyError, QuotaExceededError
from summarizer.service.store import KeyRecord, Store

KEY_PREFIX = "sk-sum-"
_KEY_SHAPE = re.compile(r"^sk-sum-([0-9a-f]{12})-([0-9a-f]{48})$")
QUOTA_WINDOW_SECONDS = 60.0
ANONYMOUS = "anonymous"
#: Reads per minute allowed per request of a key's quota, and the least reads per minute.
READS_PER_REQUEST = 20
MIN_READS_PER_MINUTE = 600
#: Reads are recorded as usage of this pseudo key id (the key id plus the suffix).
READS_SUFFIX = "/reads"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key id (never the key), its rights and quotas."""

    key_id: str
    read_only: bool = False
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_key(
    store: Store,
    *,
    name: str,
    read_only: bool = False,
    requests_per_minute: int | None = None,
    tokens_per_minute: int | None = None,
) -> tuple[str, KeyRecord]:
    """A new key (returned once, to be shown once) and the record stored for it."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_hex(24)
    record = KeyRecord(
        key_id=key_id,
        secret_hash=hash_secret(secret),
        name=name,
        read_only=read_only,
        requests_per_minute=requests_per_minute,
        tokens_per_minute=tokens_per_minute,
        created_at=time.time(),
    )
    await store.add_key(record)
    return f"{KEY_PREFIX}{key_id}-{secret}", record


async def authenticate(store: Store, presented: str) -> Principal:
    """The principal of a presented key; ``InvalidKeyError`` for unknown, wrong or revoked keys."""
    match = _KEY_SHAPE.match(presented.strip())
    if match is None:
        raise InvalidKeyError("the API key is not valid")
    key_id, secret = match.groups()
    record = await store.get_key(key_id)
    if (
        record is None
        or record.revoked_at is not None
        or not hmac.compare_digest(record.secret_hash, hash_secret(secret))
    ):
        raise InvalidKeyError("the API key is not valid (unknown or revoked)")
    return Principal(
        key_id=record.key_id,
        read_only=record.read_only,
        requests_per_minute=record.requests_per_minute,
        tokens_per_minute=record.tokens_per_minute,
    )


def may_see(principal: Principal, owner_key_id: str) -> bool:
    """Whether ``principal`` may read a job made with the key ``owner_key_id``.

    A key sees the jobs made with it, and only those (the anonymous loopback caller is one more
    key here). A read-only key sees every job: read-only keys are handed to reviewers, whose
    work is reading the service's results on the review page; they cannot submit, cancel or
    change anything.
    """
    return principal.read_only or principal.key_id == owner_key_id


def require_write(principal: Principal) -> None:
    if principal.read_only:
        raise ForbiddenError("this API key is read-only; this route needs a key that can write")


def read_limit(principal: Principal) -> int | None:
    """Reads a key may make per minute: ``READS_PER_REQUEST`` times its request quota (at least
    ``MIN_READS_PER_MINUTE``), or no limit when it has no request quota."""
    if principal.requests_per_minute is None:
        return None
    return max(MIN_READS_PER_MINUTE, READS_PER_REQUEST * principal.requests_per_minute)


async def admit(
    store: Store, principal: Principal, *, reading: bool = False, now: float | None = None
) -> None:
    """Count one request against the key's quotas, or raise ``QuotaExceededError`` (429).

    Work (submitting, normalizing) counts against the key's requests and tokens per minute.
    Reads (``GET``: polling a job, streaming results, the review page) are counted apart, under
    a far higher limit (``read_limit``): polling a job must not use up the quota meant for
    submitting work, yet a key cannot flood the service with reads either.
    """
    if reading:
        limit = read_limit(principal)
        if limit is None:
            return
        principal = Principal(principal.key_id + READS_SUFFIX, requests_per_minute=limit)
    if principal.requests_per_minute is None and principal.tokens_per_minute is None:
        return  # nothing to enforce; quotas are fixed when a key is created
    current = now or time.time()
    what = "reads" if reading else "requests"

    def check(requests: int, tokens: int, oldest: float | None) -> None:
        retry_after = max(1.0, math.ceil((oldest or current) + QUOTA_WINDOW_SECONDS - current))
        if principal.requests_per_minute is not None and requests >= principal.requests_per_minute:
            raise QuotaExceededError(
                f"this key is over its quota of {principal.requests_per_minute} {what} per "
                f"minute; retry in {retry_after:.0f} s",
                retry_after=retry_after,
            )
        if principal.tokens_per_minute is not None and tokens >= principal.tokens_per_minute:
            raise QuotaExceededError(
                f"this key is over its quota of {principal.tokens_per_minute} tokens per minute; "
                f"retry in {retry_after:.0f} s",
                retry_after=retry_after,
            )

    # Check and record in one step: concurrent requests must not all see the same count.
    await store.admit_request(
        principal.key_id, since=current - QUOTA_WINDOW_SECONDS, at=current, check=check
    )
