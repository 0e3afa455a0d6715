"""``summarizer serve`` against real servers that answer one request at a time (round 10).

Before, the service's four workers sent four requests at once to llama-cpp-python's server (one
generation at a time) or ``llama-server -np 1``: three waited in the server's queue with their
request timeout running. Now the pool asks the server before the first article (the batch's
probe, ``engines.slots``) and keeps one request working and one waiting there; the other
articles wait in the service's own queue. A counting proxy between the service and the server
sees how many were at the server at once. Nothing here depends on timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import RunningServer
from counting_proxy import counting_proxy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))
from service_helpers import article_text, make_key, start_service, stop_service

from summarizer.engines.slots import WAITING_AT_SERVER
from summarizer.service import EngineSettings, ServiceSettings


@pytest.mark.parametrize("name", ["llama-server", "llama-cpp-python"])
def test_four_workers_send_a_one_slot_server_one_request_and_one_waiting(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    fixture = "llama_server" if name == "llama-server" else "llama_cpp_python_server"
    server: RunningServer = request.getfixturevalue(fixture)
    with counting_proxy(server.base_url.removesuffix("/v1")) as (proxy, base_url):
        engines = EngineSettings(
            engine="openai",
            model="tiny",
            base_url=base_url,
            options={"max_output_tokens": 20, "max_reasks": 0, "few_shot": False},
        )
        database = str(tmp_path / "service.sqlite3")
        service = start_service(ServiceSettings(database=database, engines=engines, workers=4))
        try:
            service.key = make_key(database, name="default")
            items = [{"id": f"a{n}", "text": article_text(n)} for n in range(4)]
            batch = service.request("POST", "/v1/batches", items).json()
            status = service.wait_for_batch(batch["id"], timeout=600)
        finally:
            stop_service(service)
    # The random model writes to the answer cap: every article was answered, cut off.
    assert status["state"] == "done"
    assert status["counts"] == {"error": 4}, status
    assert proxy.chat_requests == 4  # none timed out in the server's queue and was sent again
    assert proxy.most_at_server == 1 + WAITING_AT_SERVER  # one working, one waiting: not four
