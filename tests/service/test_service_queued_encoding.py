"""A body whose declared charset reads its bytes otherwise than detection: the summary reports
that charset as ``source.encoding``, whether it ran at once or waited in the queue, on SQLite
and on PostgreSQL (the charset is stored with the queued article)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from service_helpers import RunningService, start_service, stop_service

from summarizer.service import EngineSettings, ServiceSettings
from summarizer.service.pg_store import PostgresStore
from summarizer.text.repair.decode import decode

#: Latin-1 bytes that detection alone reads as another code page ("Caf\ufee0 au lait").
BODY = "Café au lait".encode("latin-1")
LATIN_1 = {"Content-Type": "text/plain; charset=latin-1"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningService]:
    settings = ServiceSettings(
        database=str(tmp_path / "service.sqlite3"),
        engines=EngineSettings(engine="offline"),
        allow_anonymous_loopback=True,
        workers=2,
    )
    store = None
    if request.param == "postgresql":
        store = PostgresStore(request.getfixturevalue("postgres_database"))
    running = start_service(settings, store)
    yield running
    stop_service(running)


def _finished(service: RunningService, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = service.request("GET", f"/v1/summaries/{job_id}").json()
        if job["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def test_the_declaration_and_detection_disagree_on_these_bytes() -> None:
    assert decode(BODY).text != BODY.decode("latin-1")


def test_a_queued_summary_reports_the_declared_charset(service: RunningService) -> None:
    accepted = service.request("POST", "/v1/summaries?mode=async", BODY, headers=LATIN_1)

    assert accepted.status == 202, accepted.body
    job = _finished(service, accepted.json()["id"])
    assert job["status"] == "ok", job
    assert job["result"]["source"]["encoding"] == "iso8859-1"
    assert job["result"]["source"]["normalized_text"] == "Café au lait"


def test_a_direct_summary_reports_it_too_before_and_after_it_is_stored(
    service: RunningService,
) -> None:
    answered = service.request("POST", "/v1/summaries", BODY, headers=LATIN_1)

    assert answered.status == 200, answered.body
    assert answered.json()["source"]["encoding"] == "iso8859-1"
    job_id = answered.headers["location"].rsplit("/", 1)[-1]
    time.sleep(0.3)  # past the deferred write (50 ms): now read back from the store
    stored = _finished(service, job_id)
    assert stored["result"]["source"]["encoding"] == "iso8859-1"


def test_text_and_undeclared_bytes_keep_what_the_library_reports(service: RunningService) -> None:
    as_text = service.request("POST", "/v1/summaries", {"text": "Café au lait", "mode": "async"})
    as_bytes = service.request(
        "POST",
        "/v1/summaries?mode=async",
        "国务院总理李强会见了来访的代表团。".encode("gbk"),
        headers={"Content-Type": "text/plain"},
    )

    assert as_text.status == as_bytes.status == 202, (as_text.body, as_bytes.body)
    text_job = _finished(service, as_text.json()["id"])
    bytes_job = _finished(service, as_bytes.json()["id"])
    assert text_job["result"]["source"]["encoding"] == "str"
    assert bytes_job["result"]["source"]["encoding"] == "gbk"
