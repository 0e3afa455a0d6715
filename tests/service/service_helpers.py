"""Service test helpers: the real app under uvicorn on 127.0.0.1, an HTTP client, a model.

(A uniquely named module, not ``conftest``, so that imports never meet another folder's conftest.)
``start_service`` runs ``create_app`` in uvicorn in a thread (one per test, each with its own
SQLite file); tests talk to it over real HTTP with ``http.client``. uvicorn's loggers propagate
(``log_config=None``) so that ``caplog`` sees everything the service logs.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from summarizer.api import prepare_article
from summarizer.service import EngineSettings, ServiceSettings, create_app
from summarizer.service.keys import create_key
from summarizer.service.sqlite_store import SQLiteStore
from summarizer.service.store import Store
from summarizer.testing import TEST_API_KEY, RecordedRequest, Reply, valid_draft

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
TAG = re.compile(r"art-\d{5}")
USAGE = (120, 80)


def article_text(number: int) -> str:
    """A short Chinese news item with a unique ASCII tag the scripted model recognises."""
    return (
        f"南京市召开交通工作会议（art-{number:05d}）。会议部署了下一阶段的重点任务。\n"
        "会议要求各部门坚持问题导向，切实解决群众关心的问题。与会人员表示将认真落实会议精神。"
    )


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.body.decode().splitlines() if line.strip()]


@dataclass
class RunningService:
    """A service under test (in a thread), or only a client of one (``for_port``)."""

    base_url: str
    port: int
    settings: ServiceSettings
    server: uvicorn.Server | None
    thread: threading.Thread | None
    key: str | None = None

    @classmethod
    def for_port(cls, port: int) -> RunningService:
        """A client of a service running elsewhere (e.g. a ``summarizer serve`` process)."""
        return cls(f"http://127.0.0.1:{port}", port, ServiceSettings(), None, None)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | dict[str, Any] | list[Any] | None = None,
        *,
        key: str | None = "default",
        headers: dict[str, str] | None = None,
        chunked: bool = False,
    ) -> HttpResponse:
        """One HTTP request; ``key="default"`` sends the service's key (when it has one)."""
        sent_headers = dict(headers or {})
        chosen_key = self.key if key == "default" else key
        if chosen_key:
            sent_headers["Authorization"] = f"Bearer {chosen_key}"
        payload: bytes | None
        if isinstance(body, dict | list):
            payload = json.dumps(body, ensure_ascii=False).encode()
            sent_headers.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            payload = body.encode()
        else:
            payload = body
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            if chunked and payload is not None:
                connection.request(
                    method,
                    path,
                    body=iter([payload[i : i + 1000] for i in range(0, len(payload), 1000)]),
                    headers=sent_headers,
                    encode_chunked=True,
                )
            else:
                connection.request(method, path, body=payload, headers=sent_headers)
            response = connection.getresponse()
            return HttpResponse(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            )
        finally:
            connection.close()

    def wait_for_batch(self, batch_id: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            status = self.request("GET", f"/v1/batches/{batch_id}").json()
            if status["state"] in ("done", "cancelled") or time.monotonic() > deadline:
                return dict(status)
            time.sleep(0.1)


def start_service(settings: ServiceSettings, store: Store | None = None) -> RunningService:
    """The app on a free port; on ``store`` when given (else the SQLite file of ``settings``)."""
    config = uvicorn.Config(
        create_app(settings, store=store),
        host="127.0.0.1",
        port=0,
        log_config=None,
        log_level="debug",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the service did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return RunningService(f"http://127.0.0.1:{port}", port, settings, server, thread)


def stop_service(service: RunningService) -> None:
    assert service.server is not None and service.thread is not None
    service.server.should_exit = True
    service.thread.join(timeout=30)


def make_key(database: str, **kwargs: Any) -> str:
    """A real key created through the library, as ``summarizer keys create`` does."""
    import asyncio

    async def run() -> str:
        store = SQLiteStore(database)
        await store.open()
        try:
            key, _ = await create_key(store, name=kwargs.pop("name", "test"), **kwargs)
            return key
        finally:
            await store.close()

    return asyncio.run(run())


@dataclass
class DraftingModel:
    """Answers each tagged article (or the seed) with a valid draft, after ``delay`` seconds."""

    delay: float = 0.0
    refuse: bool = False
    answered: list[str] = field(default_factory=list)
    _drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _draft(self, tag: str) -> dict[str, Any]:
        with self._lock:
            if tag not in self._drafts:
                text: str | bytes = (
                    SEED_PATH.read_bytes() if tag == "seed" else article_text(int(tag[4:]))
                )
                document, _ = prepare_article(text)
                self._drafts[tag] = valid_draft(document)
            return self._drafts[tag]

    def __call__(self, request: RecordedRequest) -> Reply:
        found = TAG.search(request.user_text)
        tag = found.group() if found else "seed"
        with self._lock:
            self.answered.append(tag)
        reply = Reply.refusal() if self.refuse else Reply.json(self._draft(tag), usage=USAGE)
        return Reply.delay(self.delay, reply) if self.delay else reply


def model_settings(base_url: str) -> EngineSettings:
    return EngineSettings(
        engine="openai", model="test-model", base_url=base_url, api_key=TEST_API_KEY
    )


ServiceFactory = Callable[..., RunningService]
