"""Service fixtures: a service per test on its own SQLite file, stopped afterwards.

For the scaled-out service: one real ``redis-server`` and one real PostgreSQL cluster on loopback
for the whole session (started on first use, stopped at the end), and a fresh database per test.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from service_helpers import (
    SEED_PATH,
    RunningService,
    ServiceFactory,
    make_key,
    start_service,
    stop_service,
)

from summarizer.service import EngineSettings, ServiceSettings
from summarizer.testing.local_services import PostgresServer, RedisServer

_DATABASE_NUMBERS = itertools.count()
_REDIS_DATABASES = itertools.count(1)


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[ServiceFactory]:
    """Start services (with a default read-write key) on a per-test database; stopped after."""
    started: list[RunningService] = []

    def start(*, with_key: bool = True, **overrides: Any) -> RunningService:
        database = tmp_path / f"service{len(started)}.sqlite3"
        settings = ServiceSettings(database=str(database), workers=2)
        for name, value in overrides.items():
            setattr(settings, name, value)
        service = start_service(settings)
        started.append(service)
        if with_key:
            service.key = make_key(settings.database, name="default")
        return service

    yield start
    for service in started:
        stop_service(service)


@pytest.fixture
def service(service_factory: ServiceFactory) -> RunningService:
    """The default service: offline engine, a read-write key."""
    return service_factory(engines=EngineSettings(engine="offline"))


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server on a free loopback port (Debian's ``redis-server`` package)."""
    with RedisServer() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL cluster in a temporary directory (Debian's ``postgresql`` package)."""
    with PostgresServer() as server:
        yield server


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's cluster."""
    return postgres_server.create_database(f"test_{next(_DATABASE_NUMBERS)}")


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of an emptied Redis database of the session's server, not used by another test."""
    url = redis_server.database_url(next(_REDIS_DATABASES) % RedisServer.databases)
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    return url
