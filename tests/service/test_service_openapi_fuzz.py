"""Property-based fuzzing of the live service from its own OpenAPI document (schemathesis).

schemathesis reads ``/openapi.json`` from the real server on loopback and sends generated valid and
invalid requests to every operation (coverage, fuzzing and stateful phases, fixed seed so CI is
reproducible). Every response must be documented: no 5xx but the documented 502 and 504 with a typed
body (``schemathesis_hooks.py``: a fuzzed deadline of microseconds is honoured), declared status
codes, content types and body schemas. One check is left out on purpose:
``positive_data_acceptance``. Raw-body routes take arbitrary bytes by contract, and bytes that are
not an article (a PNG, say) are refused with a typed, documented 400 (``input.binary``) rather than
accepted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import RunningService, make_key, start_service, stop_service

from summarizer.service import EngineSettings, ServiceSettings

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = ",".join(
    (
        "only_documented_server_errors",  # ours, in schemathesis_hooks.py
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "missing_required_header",
        "unsupported_method",
        "ignored_auth",
        "use_after_free",
        "ensure_resource_availability",
    )
)


@pytest.fixture
def fuzzed_service(tmp_path: Path) -> Iterator[RunningService]:
    settings = ServiceSettings(database=str(tmp_path / "service.sqlite3"), workers=2)
    settings.engines = EngineSettings(engine="offline")
    service = start_service(settings)
    service.key = make_key(settings.database, name="fuzz")
    yield service
    stop_service(service)


def test_every_operation_answers_as_documented(
    fuzzed_service: RunningService, tmp_path: Path
) -> None:
    assert SCHEMATHESIS.exists() or shutil.which("schemathesis"), "schemathesis is not installed"
    command = [
        str(SCHEMATHESIS if SCHEMATHESIS.exists() else "schemathesis"),
        "run", f"{fuzzed_service.base_url}/openapi.json",
        "--header", f"Authorization: Bearer {fuzzed_service.key}",
        "--checks", CHECKS,
        "--phases", "coverage,fuzzing,stateful",
        "--max-examples", "25", "--workers", "1", "--seed", "20261130",
        "--report", "junit", "--report-dir", str(tmp_path / "report"),
    ]  # fmt: skip
    environment = {
        **os.environ,
        "NO_COLOR": "1",
        "SUMMARIZER_EVAL_SETS": str(tmp_path / "eval-sets"),  # saves (if any) stay in the test
        "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parent), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    }
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=600, env=environment, cwd=tmp_path
    )
    summary = finished.stdout[-3000:]
    assert finished.returncode == 0, summary
    assert "Tested: " in finished.stdout
    tested = int(finished.stdout.split("Tested: ")[1].split()[0])
    documented = fuzzed_service.request("GET", "/openapi.json").json()["paths"]
    operations = sum(len(methods) for methods in documented.values())
    assert tested == operations, summary  # every documented operation was exercised
    # The key reached the server only in headers: schemathesis' own output filters it.
    assert fuzzed_service.key is not None and fuzzed_service.key not in finished.stdout
