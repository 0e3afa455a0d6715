"""Service fixtures: a service per test on its own SQLite file, stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from service_helpers import (
    SEED_PATH,
    RunningService,
    ServiceFactory,
    make_key,
    start_service,
    stop_service,
)

from summarizer.service import EngineSettings, ServiceSettings


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
