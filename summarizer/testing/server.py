"""A scripted OpenAI-compatible HTTP server on 127.0.0.1, for tests (ours and our users').

Why a real server rather than a mock: the ``openai`` SDK sends through its own HTTP stack, so the
only faithful double is one that speaks HTTP. Tests script replies (``push``), or answer from a
function (``set_handler``), and can switch on latency, random faults and a server-side rate limit.
Every request is recorded (``requests``) so that tests can assert what the client really sent;
a request cut short by a client that died or hung up mid-send is kept apart
(``incomplete_requests``) and never answered, and such disconnects print no tracebacks.

Stdlib only, so that users can import it without test dependencies::

    with ScriptedOpenAIServer() as server:
        server.push(Reply.json({"answer": 42}))
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-test")
        ...
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import json
import math
import random
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from summarizer.engines.tokens import estimate_tokens

__all__ = [
    "FAULT_KINDS",
    "RecordedRequest",
    "Reply",
    "ScriptedOpenAIServer",
    "estimate_tokens",
]

#: Errors that only mean the client went away (killed, timed out, hung up): no traceback for them.
_DISCONNECTS: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError)

#: The fault kinds ``inject_faults`` understands.
FAULT_KINDS: tuple[str, ...] = ("429", "500", "502", "503", "timeout", "drop")

CHAT_PATH = "/v1/chat/completions"
DEFAULT_MODEL = "test-model"


# --- requests ------------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One HTTP request as the server received it."""

    method: str
    #: The path without the query string, e.g. ``/v1/chat/completions``.
    path: str
    #: Header names lower-cased.
    headers: dict[str, str]
    body: bytes
    #: The parsed JSON body, or ``None`` when the body is empty or not JSON.
    json: Any | None
    #: ``time.monotonic()`` when the request was read.
    received_at: float
    query: dict[str, str] = field(default_factory=dict)
    #: Named groups of the route regex that matched (``add_route``), e.g. a file id.
    path_params: dict[str, str] = field(default_factory=dict)
    #: The injected fault this request met (``"429"``, ``"timeout"``...), or ``None``.
    fault: str | None = None
    #: The client's TCP port: equal ports mean the client reused a keep-alive connection.
    client_port: int = 0
    #: The client hung up before sending the whole body (shorter than ``Content-Length``, or a
    #: chunked body without its last chunk). Such requests are never answered nor dispatched, and
    #: ``requests``/``request_count`` leave them out (see ``incomplete_requests``).
    incomplete: bool = False

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat ``messages`` list of a chat completion request (empty otherwise)."""
        if isinstance(self.json, dict) and isinstance(self.json.get("messages"), list):
            return [m for m in self.json["messages"] if isinstance(m, dict)]
        return []

    @property
    def user_text(self) -> str:
        """The text of all user messages, joined by newlines."""
        return "\n".join(
            _content_text(m.get("content")) for m in self.messages if m.get("role") == "user"
        )

    @property
    def response_format(self) -> dict[str, Any] | None:
        if isinstance(self.json, dict) and isinstance(self.json.get("response_format"), dict):
            return dict(self.json["response_format"])
        return None

    @property
    def model(self) -> str | None:
        if isinstance(self.json, dict) and isinstance(self.json.get("model"), str):
            return str(self.json["model"])
        return None


def _content_text(content: Any) -> str:
    """Text of a message ``content``: a string, or a list of ``{"type": "text"}`` parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


# --- replies -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chat:
    content: str | None
    finish_reason: str = "stop"
    usage: tuple[int, int] | None = None
    model: str | None = None
    refusal: str | None = None


@dataclass(frozen=True)
class Reply:
    """What the server sends for one request. Build one with the factory class methods."""

    action: Literal["chat", "body", "delay", "drop"]
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str = "application/json"
    chat: _Chat | None = None
    seconds: float = 0.0
    then: Reply | None = None

    # chat completions

    @classmethod
    def json(
        cls,
        obj: Any,
        *,
        finish_reason: str = "stop",
        usage: tuple[int, int] | None = None,
        model: str | None = None,
    ) -> Reply:
        """A chat completion whose content is ``json.dumps(obj)`` (a ``str`` is sent as is)."""
        content = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
        return cls.text(content, finish_reason=finish_reason, usage=usage, model=model)

    @classmethod
    def text(
        cls,
        content: str,
        *,
        finish_reason: str = "stop",
        usage: tuple[int, int] | None = None,
        model: str | None = None,
    ) -> Reply:
        """A chat completion with arbitrary content (prose, fenced JSON, broken JSON...)."""
        return cls("chat", chat=_Chat(content, finish_reason, usage, model))

    @classmethod
    def truncated(cls, content: str = '{"headline_en": "cut', **kwargs: Any) -> Reply:
        """A completion cut off by the token limit (``finish_reason="length"``)."""
        return cls.text(content, finish_reason="length", **kwargs)

    @classmethod
    def content_filter(cls, content: str | None = None) -> Reply:
        return cls("chat", chat=_Chat(content, "content_filter"))

    @classmethod
    def refusal(cls, text: str = "I can't help with that.") -> Reply:
        """A structured-outputs refusal: ``message.refusal`` set, ``content`` null."""
        return cls("chat", chat=_Chat(None, "stop", refusal=text))

    # errors and transport behaviour

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "scripted error",
        *,
        headers: Mapping[str, str] | None = None,
        code: str | None = None,
        type: str | None = None,
        param: str | None = None,
    ) -> Reply:
        """An OpenAI-style error: ``{"error": {"message", "type", "param", "code"}}``."""
        error = {
            "message": message,
            "type": type or _default_error_type(status),
            "param": param,
            "code": code,
        }
        return cls.custom(status, {"error": error}, headers)

    @classmethod
    def custom(cls, status: int, body_json: Any, headers: Mapping[str, str] | None = None) -> Reply:
        """Any JSON body with any status (e.g. for ``/v1/files`` routes)."""
        body = json.dumps(body_json, ensure_ascii=False).encode("utf-8")
        return cls("body", status=status, headers=dict(headers or {}), body=body)

    @classmethod
    def raw(cls, body: bytes, *, status: int = 200, content_type: str = "text/html") -> Reply:
        """A non-JSON body, like a proxy's HTML error page."""
        return cls("body", status=status, body=body, content_type=content_type)

    @classmethod
    def delay(cls, seconds: float, then: Reply) -> Reply:
        """Wait ``seconds``, then send ``then`` (longer than the client's timeout = a timeout)."""
        return cls("delay", seconds=seconds, then=then)

    @classmethod
    def drop(cls) -> Reply:
        """Close the connection without sending anything."""
        return cls("drop")


def _default_error_type(status: int) -> str:
    if status == 429:
        return "rate_limit_error"
    if status in (401, 403):
        return "authentication_error" if status == 401 else "permission_error"
    if status == 404:
        return "not_found_error"
    if status >= 500:
        return "server_error"
    return "invalid_request_error"


Handler = Callable[[RecordedRequest], Reply]


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


@dataclass
class _Limits:
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    #: The window's span: 60 s, shorter only to compress time in tests and benchmarks.
    window_seconds: float = 60.0
    #: Which answers carry ``x-ratelimit-*``: "429" (only refusals), "all" (like OpenAI), "none".
    headers: str = "429"
    #: (time, tokens) of each admitted chat request inside the window.
    admitted: deque[tuple[float, int]] = field(default_factory=deque)


# --- the server ----------------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    #: socketserver's default backlog of 5 drops connections when a test opens many at once.
    request_queue_size = 256

    def __init__(self, scripted: ScriptedOpenAIServer) -> None:
        self.scripted = scripted
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        # Without this, Nagle's algorithm + delayed ACK add ~40 ms to every keep-alive response.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.sockets_lock:
            self.open_sockets.add(sock)
        return sock, address

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client disconnected mid-request; print anything else (a real bug)."""
        if isinstance(sys.exc_info()[1], _DISCONNECTS):
            return
        super().handle_error(request, client_address)

    def close_open_sockets(self) -> None:
        with self.sockets_lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class ScriptedOpenAIServer:
    """An OpenAI-compatible endpoint whose answers a test scripts.

    Chat completions are answered from the FIFO queue (``push``), then from the handler
    (``set_handler``); with neither, a 500 error says that nothing was scripted. Faults and the rate
    limit are applied before the queue, so a scripted sequence survives injected failures.
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.latency = latency
        #: Seconds a ``"timeout"`` fault waits before answering (longer than a client's timeout).
        self.fault_delay = 10.0
        self._seed = seed
        self._clock = clock
        self._lock = threading.Lock()
        self._queue: deque[Reply] = deque()
        self._handler: Handler | None = None
        self._requests: list[RecordedRequest] = []
        self._routes: list[_Route] = []
        self._fault_rate = 0.0
        self._fault_kinds: tuple[str, ...] = ()
        self._fault_rng = random.Random(seed)
        self._ids = random.Random(seed)
        self._limits = _Limits()
        #: Set to release every pending delay early (on ``reset`` and ``stop``).
        self._release = threading.Event()
        self._http: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # lifecycle

    def start(self) -> ScriptedOpenAIServer:
        if self._http is not None:
            return self
        self._http = _HTTPServer(self)
        port = self._http.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"ScriptedOpenAIServer:{port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        http, self._http = self._http, None
        if http is None:
            return
        self._release.set()
        http.shutdown()
        http.close_open_sockets()
        http.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._release = threading.Event()

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._http is None:
            raise RuntimeError("the server is not started; call start() first")
        return int(self._http.server_address[1])

    # scripting

    def push(self, *replies: Reply) -> None:
        """Queue replies for the next chat completion requests, in order; each is used once."""
        with self._lock:
            self._queue.extend(replies)

    def set_handler(self, handler: Handler | None) -> None:
        """Answer chat completions with ``handler(request)`` whenever the queue is empty."""
        with self._lock:
            self._handler = handler

    def add_route(self, method: str, path_regex: str, handler: Handler) -> None:
        """Serve ``method`` requests whose path fully matches ``path_regex`` with ``handler``.

        Routes are tried before the built-in ones; named groups land in ``request.path_params``.
        """
        with self._lock:
            self._routes.append(_Route(method.upper(), re.compile(path_regex), handler))

    def reset(self) -> None:
        """Forget queued replies, the handler, records, faults, limits and pending delays.

        Routes added with ``add_route`` stay (they describe the endpoint, not one test's script).
        """
        with self._lock:
            self._queue.clear()
            self._handler = None
            self._requests.clear()
            self._fault_rate = 0.0
            self._fault_kinds = ()
            self._fault_rng = random.Random(self._seed)
            self._ids = random.Random(self._seed)
            self._limits = _Limits()
            self.latency = 0.0
            self.fault_delay = 10.0
            release, self._release = self._release, threading.Event()
        release.set()

    def clear_routes(self) -> None:
        with self._lock:
            self._routes.clear()

    def inject_faults(
        self,
        rate: float,
        kinds: Sequence[str] = ("429", "500", "timeout"),
        *,
        seed: int = 0,
        fault_delay: float | None = None,
    ) -> None:
        """Fail about ``rate`` of chat requests with a random fault from ``kinds``.

        Kinds: ``"429"``, ``"500"``, ``"502"``, ``"503"``, ``"timeout"`` (wait ``fault_delay``
        seconds, longer than the client's timeout) and ``"drop"`` (close the connection).
        """
        unknown = [kind for kind in kinds if kind not in FAULT_KINDS]
        if unknown or not 0.0 <= rate <= 1.0 or (rate > 0 and not kinds):
            raise ValueError(f"rate must be in [0, 1] and kinds among {FAULT_KINDS}, got {kinds}")
        with self._lock:
            self._fault_rate = rate
            self._fault_kinds = tuple(kinds)
            self._fault_rng = random.Random(seed)
            if fault_delay is not None:
                self.fault_delay = fault_delay

    def rate_limit(
        self,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        *,
        window_seconds: float = 60.0,
        headers: Literal["429", "all", "none"] = "429",
    ) -> None:
        """Enforce a limit over a sliding 60 s window on chat requests (``None`` = no limit).

        A request's tokens = estimated prompt tokens + ``max_completion_tokens``/``max_tokens``.
        Over the limit the answer is a 429 with ``retry-after`` and ``retry-after-ms``.
        ``headers`` says which answers also carry ``x-ratelimit-*``: the 429s (default), every
        answer (like the real API), or none (a server that only says ``Retry-After``).
        ``window_seconds`` shortens the window (the limits are then per window) to compress time.
        """
        with self._lock:
            self._limits = _Limits(requests_per_minute, tokens_per_minute, window_seconds, headers)

    # records

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every complete request received since the last ``reset``, in order."""
        with self._lock:
            return [request for request in self._requests if not request.incomplete]

    @property
    def request_count(self) -> int:
        """How many complete requests arrived (cut-short ones are not calls the client made)."""
        with self._lock:
            return sum(1 for request in self._requests if not request.incomplete)

    @property
    def incomplete_requests(self) -> list[RecordedRequest]:
        """Requests whose client hung up mid-body (e.g. a process killed while sending)."""
        with self._lock:
            return [request for request in self._requests if request.incomplete]

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == CHAT_PATH]

    # dispatch (called from handler threads)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _dispatch(self, request: RecordedRequest) -> Reply:
        with self._lock:
            routes = list(self._routes)
        for route in routes:
            match = route.pattern.fullmatch(request.path)
            if match and route.method == request.method:
                request.path_params = {k: v for k, v in match.groupdict().items() if v is not None}
                return route.handler(request)
        if request.path == CHAT_PATH and request.method == "POST":
            return self._chat_reply(request)
        if request.path == "/v1/models" and request.method == "GET":
            return Reply.custom(200, self._models_body())
        model_path = re.fullmatch(r"/v1/models/(?P<model>[^/]+)", request.path)
        if model_path and request.method == "GET":
            return Reply.custom(200, self._model_body(model_path.group("model")))
        return Reply.error(
            404, f"Unknown path {request.method} {request.path}", type="invalid_request_error"
        )

    def _chat_reply(self, request: RecordedRequest) -> Reply:
        if not isinstance(request.json, dict) or not request.messages:
            return Reply.error(
                400, "'messages' is a required property", param="messages", code="invalid_value"
            )
        if request.json.get("stream"):
            return Reply.error(
                400, "ScriptedOpenAIServer does not stream; send stream=false", param="stream"
            )
        with self._lock:
            fault = self._pick_fault()
            if fault is not None:
                request.fault = fault
                return self._fault_reply(fault)
            limited = self._admit(request)
            if isinstance(limited, Reply):
                request.fault = "rate_limit"
                return limited
            if self._queue:
                return _with_headers(self._queue.popleft(), limited)
            handler = self._handler
        if handler is not None:
            return _with_headers(handler(request), limited)
        return Reply.error(
            500, "ScriptedOpenAIServer: no reply queued and no handler set", type="server_error"
        )

    def _pick_fault(self) -> str | None:
        if self._fault_rate <= 0 or self._fault_rng.random() >= self._fault_rate:
            return None
        return self._fault_rng.choice(self._fault_kinds)

    def _fault_reply(self, fault: str) -> Reply:
        if fault == "timeout":
            return Reply.delay(self.fault_delay, Reply.error(500, "Injected slow reply"))
        if fault == "drop":
            return Reply.drop()
        status = int(fault)
        headers = {"retry-after": "1", "retry-after-ms": "1000"} if status == 429 else {}
        return Reply.error(status, f"Injected fault {status}", headers=headers)

    def _admit(self, request: RecordedRequest) -> Reply | dict[str, str] | None:
        """Count the request against the rate limit: a 429 reply when it is over, else the
        ``x-ratelimit-*`` headers its answer carries (``None`` when there are none)."""
        limits = self._limits
        if limits.requests_per_minute is None and limits.tokens_per_minute is None:
            return None
        now = self._clock()
        window = limits.admitted
        span = limits.window_seconds
        while window and window[0][0] <= now - span:
            window.popleft()
        body = request.json if isinstance(request.json, dict) else {}
        max_out = body.get("max_completion_tokens") or body.get("max_tokens") or 0
        tokens = _prompt_tokens(request) + (int(max_out) if isinstance(max_out, int) else 0)
        used_tokens = sum(t for _, t in window)
        waits: list[float] = []
        rpm, tpm = limits.requests_per_minute, limits.tokens_per_minute
        if rpm is not None and len(window) >= rpm:
            waits.append(window[len(window) - rpm][0] + span - now)
        if tpm is not None and used_tokens + tokens > tpm:
            # Wait until enough old requests leave the window to fit this one.
            freed, wait = 0, span
            for at, spent in window:
                freed += spent
                if used_tokens - freed + tokens <= tpm:
                    wait = at + span - now
                    break
            waits.append(wait)
        headers = self._limit_headers(len(window), used_tokens, now)
        if limits.headers == "none":
            headers = {}
        if waits:
            wait = max(0.001, max(waits))
            headers["retry-after"] = str(math.ceil(wait))
            headers["retry-after-ms"] = str(math.ceil(wait * 1000))
            what = "requests" if rpm is not None and len(window) >= rpm else "tokens"
            return Reply.error(
                429,
                f"Rate limit reached for {what} per minute. Please try again in {wait:.3f}s.",
                headers=headers,
                type=what,
                code="rate_limit_exceeded",
            )
        window.append((now, tokens))
        if limits.headers != "all":
            return None
        return self._limit_headers(len(window), used_tokens + tokens, now)

    def _limit_headers(self, used_requests: int, used_tokens: int, now: float) -> dict[str, str]:
        limits = self._limits
        window = limits.admitted
        span = limits.window_seconds
        reset = f"{max(0.0, window[0][0] + span - now):.3f}s" if window else "0s"
        headers: dict[str, str] = {}
        if limits.requests_per_minute is not None:
            headers["x-ratelimit-limit-requests"] = str(limits.requests_per_minute)
            remaining = max(0, limits.requests_per_minute - used_requests)
            headers["x-ratelimit-remaining-requests"] = str(remaining)
            headers["x-ratelimit-reset-requests"] = reset
        if limits.tokens_per_minute is not None:
            headers["x-ratelimit-limit-tokens"] = str(limits.tokens_per_minute)
            remaining = max(0, limits.tokens_per_minute - used_tokens)
            headers["x-ratelimit-remaining-tokens"] = str(remaining)
            headers["x-ratelimit-reset-tokens"] = reset
        return headers

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}-{self._ids.getrandbits(96):024x}"

    def _models_body(self) -> dict[str, Any]:
        return {"object": "list", "data": [self._model_body(DEFAULT_MODEL)]}

    @staticmethod
    def _model_body(model: str) -> dict[str, Any]:
        return {"id": model, "object": "model", "created": 1_700_000_000, "owned_by": "scripted"}

    def _render_chat(self, chat: _Chat, request: RecordedRequest) -> bytes:
        if chat.usage is not None:
            prompt_tokens, completion_tokens = chat.usage
        else:
            prompt_tokens = _prompt_tokens(request)
            completion_tokens = estimate_tokens(chat.content or chat.refusal or "")
        message: dict[str, Any] = {
            "role": "assistant",
            "content": chat.content,
            "refusal": chat.refusal,
            "annotations": [],
        }
        body = {
            "id": self._next_id("chatcmpl"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": chat.model or request.model or DEFAULT_MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": chat.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
            "system_fingerprint": "fp_scripted",
        }
        return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _prompt_tokens(request: RecordedRequest) -> int:
    # ~4 tokens of framing per message, like the real tokenizer's chat format.
    return sum(4 + estimate_tokens(_content_text(m.get("content"))) for m in request.messages)


# --- the HTTP side -------------------------------------------------------------------------------


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    server_version = "ScriptedOpenAI/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr lines."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        scripted = self.server.scripted
        try:
            body, complete = self._read_body()
        except ValueError:
            self._send_reply(Reply.error(400, "Could not read the request body"), None)
            return
        parts = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=parts.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            json=None,
            received_at=time.monotonic(),
            query=dict(parse_qsl(parts.query)),
            client_port=int(self.client_address[1]),
            incomplete=not complete,
        )
        if request.incomplete:  # the client is gone: keep the evidence, answer nobody
            scripted._record(request)
            self.close_connection = True
            return
        content_type = request.headers.get("content-type", "")
        malformed = False
        if body and ("json" in content_type or not content_type):
            try:
                request.json = json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError):
                malformed = "json" in content_type
        scripted._record(request)
        release = scripted._release
        if malformed:
            reply = Reply.error(
                400,
                "We could not parse the JSON body of your request.",
                type="invalid_request_error",
            )
        else:
            try:
                reply = scripted._dispatch(request)
            except Exception as exc:  # a broken test handler must not hang the client
                reply = Reply.error(500, f"ScriptedOpenAIServer handler failed: {exc!r}")
        if scripted.latency > 0 and release.wait(scripted.latency):
            self.close_connection = True
            return
        self._send_reply(reply, request, release)

    def _read_body(self) -> tuple[bytes, bool]:
        """(the body, whether it arrived whole); a client that hangs up mid-body gives False."""
        chunks: list[bytes] = []
        try:
            if self.headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return b"".join(chunks), False
                    size = int(line.split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(chunks), True
                    chunk = self.rfile.read(size)
                    chunks.append(chunk)
                    if len(chunk) < size:
                        return b"".join(chunks), False
                    self.rfile.readline()
            length = int(self.headers.get("content-length") or 0)
            if length < 0:
                raise ValueError("negative content-length")
            body = self.rfile.read(length) if length else b""
            return body, len(body) == length
        except _DISCONNECTS:
            return b"".join(chunks), False

    def _send_reply(
        self,
        reply: Reply,
        request: RecordedRequest | None,
        release: threading.Event | None = None,
    ) -> None:
        while reply.action == "delay":
            if release is not None and release.wait(reply.seconds):
                self.close_connection = True  # released by reset/stop: just hang up
                return
            if release is None:
                time.sleep(reply.seconds)
            if reply.then is None:
                return
            reply = reply.then
        if reply.action == "drop":
            self.close_connection = True
            return
        if reply.action == "chat" and reply.chat is not None and request is not None:
            body = self.server.scripted._render_chat(reply.chat, request)
            content_type = "application/json"
        else:
            body, content_type = reply.body, reply.content_type
        head = [
            f"HTTP/1.1 {reply.status} {_reason(reply.status)}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
            f"Date: {email.utils.formatdate(usegmt=True)}",
            f"Server: {self.server_version}",
            f"x-request-id: req_{self.server.scripted._next_id('r')[2:]}",
        ]
        head.extend(f"{name}: {value}" for name, value in reply.headers.items())
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client gave up (timed out) before we answered
            self.close_connection = True


def _with_headers(reply: Reply, headers: Mapping[str, str] | None) -> Reply:
    """``reply`` with the rate-limit headers of an admitted request added."""
    if not headers:
        return reply
    return dataclasses.replace(reply, headers={**headers, **reply.headers})


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
