"""Minimal ``/v1/files`` and ``/v1/batches`` endpoints for ``ScriptedOpenAIServer``.

Enough of the OpenAI Batch API for the real SDK to upload a request file, create a batch, poll it
and download its output and error files. The batch is processed by sending each request line to the
server's own ``/v1/chat/completions`` over HTTP, so the test's chat handler (and any faults or rate
limit it set) answers exactly as it would online::

    endpoints = install_batch_endpoints(server)
    ...   # client.files.create(...), client.batches.create(...), client.batches.retrieve(...)
    endpoints.batches   # what was created, for assertions
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import urlsplit

from summarizer.testing.server import RecordedRequest, Reply, ScriptedOpenAIServer


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int = field(default_factory=lambda: int(time.time()))

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class StoredBatch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    status: str = "validating"
    total: int = 0
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    polls: int = 0
    created_at: int = field(default_factory=lambda: int(time.time()))

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "created_at": self.created_at,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "request_counts": {
                "total": self.total,
                "completed": self.completed,
                "failed": self.failed,
            },
            "metadata": self.metadata,
        }


class BatchEndpoints:
    """The files and batches state of one scripted server."""

    def __init__(self, server: ScriptedOpenAIServer, *, workers: int = 8) -> None:
        self.server = server
        self.workers = workers
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, StoredBatch] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def install(self) -> BatchEndpoints:
        add = self.server.add_route
        add("POST", r"/v1/files", self._create_file)
        add("GET", r"/v1/files/(?P<file_id>[^/]+)/content", self._file_content)
        add("GET", r"/v1/files/(?P<file_id>[^/]+)", self._file_info)
        add("POST", r"/v1/batches", self._create_batch)
        add("GET", r"/v1/batches/(?P<batch_id>[^/]+)", self._batch_info)
        add("POST", r"/v1/batches/(?P<batch_id>[^/]+)/cancel", self._cancel_batch)
        return self

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids):06d}"

    # --- files ---

    def _create_file(self, request: RecordedRequest) -> Reply:
        fields = _multipart_fields(request)
        upload = fields.get("file")
        purpose = fields.get("purpose")
        if upload is None or purpose is None:
            return Reply.error(400, "multipart fields 'file' and 'purpose' are required")
        stored = self._store_file(upload[0] or "upload.jsonl", purpose[1].decode(), upload[1])
        return Reply.custom(200, stored.describe())

    def _store_file(self, filename: str, purpose: str, data: bytes) -> StoredFile:
        with self._lock:
            stored = StoredFile(self._new_id("file"), filename, purpose, data)
            self.files[stored.id] = stored
        return stored

    def _file_info(self, request: RecordedRequest) -> Reply:
        stored = self.files.get(request.path_params["file_id"])
        if stored is None:
            return Reply.error(404, "No such file", type="invalid_request_error")
        return Reply.custom(200, stored.describe())

    def _file_content(self, request: RecordedRequest) -> Reply:
        stored = self.files.get(request.path_params["file_id"])
        if stored is None:
            return Reply.error(404, "No such file", type="invalid_request_error")
        return Reply.raw(stored.data, content_type="application/octet-stream")

    # --- batches ---

    def _create_batch(self, request: RecordedRequest) -> Reply:
        body = request.json if isinstance(request.json, dict) else {}
        input_file = self.files.get(str(body.get("input_file_id")))
        if input_file is None:
            return Reply.error(400, "input_file_id does not name an uploaded file")
        if input_file.purpose != "batch":
            return Reply.error(400, "the input file must be uploaded with purpose 'batch'")
        with self._lock:
            batch = StoredBatch(
                id=self._new_id("batch"),
                input_file_id=input_file.id,
                endpoint=str(body.get("endpoint")),
                completion_window=str(body.get("completion_window")),
                metadata=body.get("metadata"),
            )
            self.batches[batch.id] = batch
        threading.Thread(target=self._process, args=(batch, input_file), daemon=True).start()
        return Reply.custom(200, batch.describe())

    def _batch_info(self, request: RecordedRequest) -> Reply:
        batch = self.batches.get(request.path_params["batch_id"])
        if batch is None:
            return Reply.error(404, "No such batch", type="invalid_request_error")
        with self._lock:
            batch.polls += 1
            return Reply.custom(200, batch.describe())

    def _cancel_batch(self, request: RecordedRequest) -> Reply:
        batch = self.batches.get(request.path_params["batch_id"])
        if batch is None:
            return Reply.error(404, "No such batch", type="invalid_request_error")
        with self._lock:
            if batch.status not in ("completed", "failed", "expired"):
                batch.status = "cancelled"
            return Reply.custom(200, batch.describe())

    def _process(self, batch: StoredBatch, input_file: StoredFile) -> None:
        lines = [line for line in input_file.data.splitlines() if line.strip()]
        with self._lock:
            batch.status, batch.total = "in_progress", len(lines)
        with ThreadPoolExecutor(self.workers) as pool:
            results = list(pool.map(self._run_line, lines))
        outputs = [line for ok, line in results if ok]
        failures = [line for ok, line in results if not ok]
        with self._lock:
            batch.completed, batch.failed = len(outputs), len(failures)
        output = self._store_file("batch_output.jsonl", "batch_output", _jsonl(outputs))
        error = self._store_file("batch_errors.jsonl", "batch_output", _jsonl(failures))
        with self._lock:
            if batch.status != "cancelled":
                batch.output_file_id = output.id
                batch.error_file_id = error.id if failures else None
                batch.status = "completed"

    def _run_line(self, raw: bytes) -> tuple[bool, dict[str, Any]]:
        request_id = self._new_id("batch_req")
        try:
            line = json.loads(raw)
            custom_id = line["custom_id"]
            body = line["body"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return False, {
                "id": request_id,
                "custom_id": None,
                "response": None,
                "error": {"code": "invalid_request", "message": "bad request line"},
            }
        status, answer = self._post_chat(body)
        entry = {
            "id": request_id,
            "custom_id": custom_id,
            "response": {"status_code": status, "request_id": request_id, "body": answer},
            "error": None,
        }
        return status == 200, entry

    def _post_chat(self, body: dict[str, Any]) -> tuple[int, Any]:
        parts = urlsplit(self.server.base_url)
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=60
        )
        try:
            connection.request(
                "POST",
                parts.path.rstrip("/") + "/chat/completions",
                body=json.dumps(body, ensure_ascii=False).encode(),
                headers={"content-type": "application/json"},
            )
            response = connection.getresponse()
            payload = response.read()
            try:
                return response.status, json.loads(payload)
            except json.JSONDecodeError:
                return response.status, {"error": {"message": payload[:200].decode("latin-1")}}
        except OSError as error:
            return 599, {"error": {"message": f"connection failed: {error}"}}
        finally:
            connection.close()


def install_batch_endpoints(server: ScriptedOpenAIServer, *, workers: int = 8) -> BatchEndpoints:
    """Add the files and batches routes to ``server``; returns their state for assertions."""
    return BatchEndpoints(server, workers=workers).install()


def _jsonl(lines: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()


def _multipart_fields(request: RecordedRequest) -> dict[str, tuple[str | None, bytes]]:
    """The parts of a multipart/form-data body: name -> (filename, content)."""
    content_type = request.headers.get("content-type", "")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + request.body
    )
    fields: dict[str, tuple[str | None, bytes]] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        fields[name] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return fields
