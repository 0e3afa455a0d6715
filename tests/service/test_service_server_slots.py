"""The service against a model server that works on one request at a time (round-10 real-servers
work; ``engines.slots``).

Before, ``summarizer serve`` never asked the server how many requests it works on: four workers
sent four requests at once to a one-slot server, the queued ones spent their request timeout in
its queue, timed out and were sent again. Now, before the first article that needs the model,
the pool asks once (llama-server's ``/props``, or ``--server-slots``) and keeps that many plus one
(waiting in the server's queue) in work; the rest wait in the service's own queue.

The scripted server plays a one-slot llama-server here: it says so at ``/props`` and answers one
chat request at a time, the others waiting for a lock. The same against the real servers is in
``tests/real_servers/test_one_request_at_a_time.py``.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from typing import Any

from service_helpers import DraftingModel, ServiceFactory, article_text

from summarizer.errors import DeadlineExceededError
from summarizer.service.workers import EngineSettings, public_message
from summarizer.testing import TEST_API_KEY, RecordedRequest, Reply, ScriptedOpenAIServer


class OneSlotServer:
    """Chat answers one at a time (``seconds`` each), counting requests received and not yet
    answered: those being worked on and those waiting in the server's queue."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.drafts = DraftingModel()
        self.at_server = 0
        self.most_at_server = 0
        self._count = threading.Lock()
        self._slot = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        with self._count:
            self.at_server += 1
            self.most_at_server = max(self.most_at_server, self.at_server)
        try:
            with self._slot:
                time.sleep(self.seconds)
                return self.drafts(request)
        finally:
            with self._count:
                self.at_server -= 1


def one_slot_llama_server(server: ScriptedOpenAIServer, seconds: float) -> OneSlotServer:
    model = OneSlotServer(seconds)
    server.set_handler(model)
    models = {"object": "list", "data": [{"id": "test-model", "owned_by": "llamacpp", "meta": {}}]}
    server.add_route("GET", "/v1/models", lambda request: Reply.custom(200, models))
    props = {"total_slots": 1, "default_generation_settings": {"n_ctx": 32768}}
    server.add_route("GET", "/props", lambda request: Reply.custom(200, props))
    return model


def sync_calls(service: Any, count: int) -> list[int]:
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        calls = [
            pool.submit(service.request, "POST", "/v1/summaries", {"text": article_text(n)})
            for n in range(count)
        ]
        return [call.result().status for call in calls]


def test_four_workers_keep_one_request_working_and_one_waiting_at_a_one_slot_server(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    """Six simultaneous calls, four workers, answers 0.3 s each, one at a time, with a request
    timeout of 1 s. Before: four requests at once at the server (the fourth waited 0.9 s in its
    queue and timed out). Now at most two (one working, one waiting), none timed out."""
    model = one_slot_llama_server(openai_server, 0.3)
    engines = EngineSettings(
        engine="openai",
        model="test-model",
        base_url=openai_server.base_url,
        api_key=TEST_API_KEY,
        options={"request_timeout": 1.0},
    )
    service = service_factory(engines=engines, workers=4)
    assert sync_calls(service, 6) == [200] * 6
    assert model.most_at_server == 2
    assert len(openai_server.chat_requests) == 6  # none timed out and was sent again
    assert len([r for r in openai_server.requests if r.path == "/props"]) == 1  # asked once


def test_server_slots_setting_overrides_what_the_server_says(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    """``serve --server-slots 2`` (engine option ``server_slots``) wins over the server's
    ``total_slots`` of 1: three requests (two working, one waiting) reach it at once, not two
    (its ``/props`` is still read, for its context window)."""
    model = one_slot_llama_server(openai_server, 0.2)
    engines = EngineSettings(
        engine="openai",
        model="test-model",
        base_url=openai_server.base_url,
        api_key=TEST_API_KEY,
        options={"server_slots": 2, "request_timeout": 5.0},
    )
    service = service_factory(engines=engines, workers=4)
    assert sync_calls(service, 6) == [200] * 6
    assert model.most_at_server == 3


def test_a_deadline_that_passes_at_the_gate_is_told_apart_from_the_endpoints_fault() -> None:
    error = DeadlineExceededError("the deadline of 1 s passed while a request waited")
    assert "waiting for its turn at the model server" in public_message(error)
