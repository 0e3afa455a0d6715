"""Calls to an OpenAI-compatible chat endpoint: capability ladder, transport retries, usage ledger.

``ChatClient.complete`` sends one logical request and returns the answer's text, or raises one typed
``SummarizerError``. Three concerns live here and nowhere else:

* **Capability ladder.** Structured output is asked for as strictly as the server allows, in the
  rungs its profile lists (``engines.profiles``): ``json_schema``, ``json_object_schema``
  (JSON mode carrying a schema), ``ollama_format``, ``json_object`` and ``prompt``. Messages are
  built per rung (the prompt carries a field guide where the model cannot see the schema). With
  capability ``"auto"`` a rejection whose body names the structured-output field
  (``response_format``, ``json_schema``, ``format``...) steps down one rung *whatever its status*
  (llama-cpp-python says so with a 500), and this client remembers it. With server ``auto`` the
  profile is recognised from the host name, or by one ``GET /models`` before the first long
  request (prompt and answer over ``PROBE_ABOVE_TOKENS``) to a server whose context window is
  unknown.
* **Bounds.** A request whose estimated prompt plus output cannot fit the context window is
  refused before sending (``PromptTooLongError``); one deadline may span many calls
  (``deadline_at``: the engine's per-article deadline). The estimate counts one token per CJK
  character; when a server refuses a request for its length and states its own count (and
  window), the client sizes every later request by that count (``token_ratio``, ``sizing``).
* **Transport retries** (tenacity): exponential backoff with jitter on connection errors, timeouts
  (at most a third of the attempts, at least two: a generation slower than the request timeout
  would just start again),
  408/409/429/5xx and unusable 200 bodies, honouring ``retry-after-ms``/``Retry-After``, within one
  overall deadline and a maximum number of attempts. The SDK's own retries are off so that the two
  loops never multiply. Waits go through an injectable ``sleep`` so tests never wait for real.
* **Answer status.** A 200 whose ``finish_reason`` is ``length`` or ``content_filter``, or which
  carries a refusal or no content, is a ``ModelOutputError``: retrying the same request would not
  help, so the transport loop leaves it to the caller.

Every HTTP attempt appends an ``AttemptRecord`` to the ledger that errors and completions carry.
Whoever paces calls from outside (a batch's rate limiter) can see every attempt, retries included,
as it happens: ``use_attempt_hooks(hooks)`` around the calls of one task (see ``AttemptHooks``).
Error messages are our own words plus a status code and a redacted server message: the SDK's
exceptions (which hold request headers) are never chained, logged or shown. Credentials and key
parameters of the base URL travel as headers (``ModelConfig.connection``), and a log filter on the
HTTP library's loggers scrubs every secret the configured clients hold.

Malformed 200s (content as a list of parts or not a string, usage with odd counts, no message) are
read tolerantly where the meaning is clear and otherwise become typed errors, never an
``AttributeError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.utils
import functools
import json
import logging
import math
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx2
import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter

from summarizer.calllog import logged_call
from summarizer.config import PLACEHOLDER_API_KEY, ModelConfig, redact
from summarizer.engines.parsing import extract_json as extract_json_text
from summarizer.engines.profiles import (
    CONSTRAINED_RUNGS,
    ServerProfile,
    get_profile,
    profile_from_host,
    profile_from_models,
    slots_from_props,
    window_from_props,
)
from summarizer.engines.slots import EndpointGate, endpoint_gate
from summarizer.engines.tokens import estimate_tokens
from summarizer.errors import (
    AuthenticationError,
    ContentFilterError,
    DeadlineExceededError,
    EndpointUnreachableError,
    OutputValidationError,
    PromptTooLongError,
    RateLimitedError,
    RefusalError,
    RequestRejectedError,
    RetryAfterTooLongError,
    ServerError,
    SummarizerError,
    TransportError,
    TruncatedOutputError,
)
from summarizer.schema import AttemptRecord, TokenUsage

__all__ = [
    "LADDER",
    "AttemptHooks",
    "ChatClient",
    "Completion",
    "estimate_request_tokens",
    "extract_json_text",
    "use_attempt_hooks",
]

log = logging.getLogger(__name__)

#: The capability rungs of a server of unknown kind, most structured first.
LADDER: tuple[str, ...] = get_profile("generic").rungs
#: A request (prompt and answer) longer than this, to a server whose kind or context window is
#: unknown, first asks ``GET /models`` (vLLM tells ``max_model_len``, llama-server ``n_ctx``).
PROBE_ABOVE_TOKENS = 4096
#: Output tokens reserved in the context check when the request sets no cap.
DEFAULT_OUTPUT_RESERVE = 2048

#: Attempts of one call that may end in a timeout: a third of ``max_transport_attempts``, at
#: least this many. A retry survives a stalled connection, but a generation slower than
#: ``request_timeout`` would only be started again (and some servers, llama-cpp-python among
#: them, keep generating the abandoned answer), so with the default six attempts a second timeout
#: ends the call with advice to raise ``--request-timeout``.
MAX_TIMED_OUT_ATTEMPTS = 2

#: Status codes worth retrying: timeouts, conflicts, rate limits and server errors.
RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 520, 522, 524, 529})
#: Longest server message kept in an error (after redaction).
MAX_SERVER_MESSAGE = 300
#: Schemas (and their JSON) kept per client; callers that pass a fresh schema each time only
#: refill it.
_SCHEMA_CACHE_SIZE = 64

_FORMAT_WORDS = re.compile(
    r"response_format|json_schema|json_object|structured output|guided_json|grammar"
    r"|initialize samplers",  # llama-server when its grammar for the schema cannot be built
    re.IGNORECASE,
)
#: How servers say a prompt is longer than the context (llama.cpp, vLLM, OpenAI wordings).
_CONTEXT_WORDS = re.compile(
    r"context length|context window|context_length_exceeded|exceeds? the (?:available )?context"
    r"|too many tokens|n_ctx",
    re.IGNORECASE,
)
#: The prompt's token count as the server states it when refusing a request for its length:
#: llama-server ("request (11617 tokens) exceeds"), llama-cpp-python ("Requested tokens (11617)"),
#: vLLM and OpenAI ("(11617 in the messages", "has 11617 input tokens", "messages resulted in
#: 11617 tokens").
_STATED_PROMPT = re.compile(
    r"request \((\d+) tokens\) exceeds|requested tokens \((\d+)\)|\((\d+) in the messages"
    r"|has (\d+) input tokens|messages resulted in (\d+) tokens|\"n_prompt_tokens\": ?(\d+)",
    re.IGNORECASE,
)
#: The window as the server states it in the same refusal.
_STATED_WINDOW = re.compile(
    r"context size \((\d+) tokens\)|context window of (\d+)|maximum context length is (\d+)"
    r"|\"n_ctx\": ?(\d+)",
    re.IGNORECASE,
)
#: Most server tokens per estimated token believed from a refusal (a byte-level vocabulary
#: spends 3 on a CJK character); a larger figure is more likely a misread message.
MAX_TOKEN_RATIO = 8.0
#: Times one call re-sizes itself from refusals before giving up.
MAX_RESIZES_PER_CALL = 2

#: Ollama's own field, recognised only when the request carried it.
_OLLAMA_FORMAT_WORDS = re.compile(r"\bformat\b", re.IGNORECASE)

Messages = list[dict[str, Any]]


class AttemptHooks(Protocol):
    """Sees every HTTP attempt of a ``ChatClient``, retries included (e.g. a rate limiter).

    ``before_attempt`` may wait (pace the call); the time it waits does not count against the
    client's deadline. ``after_attempt`` gets the attempt's ledger record and the server's
    ``Retry-After`` (seconds), before the client decides whether and when to retry. A hooks
    object that also has a ``headers(headers)`` method gets every answer's headers (lower-case
    names) as it arrives, e.g. for ``x-ratelimit-*`` (optional, so it is not part of the protocol).
    """

    async def before_attempt(self, estimated_tokens: int) -> None: ...

    def after_attempt(self, record: AttemptRecord, retry_after: float | None) -> None: ...


#: The hooks of the running task (tasks it starts inherit them). Unset: nothing is called.
_ATTEMPT_HOOKS: ContextVar[AttemptHooks | None] = ContextVar(
    "summarizer_attempt_hooks", default=None
)


@contextlib.contextmanager
def use_attempt_hooks(hooks: AttemptHooks | None) -> Iterator[None]:
    """Call ``hooks`` around every HTTP attempt made inside this block (in this task)."""
    token = _ATTEMPT_HOOKS.set(hooks)
    try:
        yield
    finally:
        _ATTEMPT_HOOKS.reset(token)


def estimate_prompt_tokens(request: dict[str, Any]) -> int:
    """The prompt part of ``estimate_request_tokens``: messages only."""
    prompt = 0
    for message in request.get("messages") or ():
        content = message.get("content") if isinstance(message, dict) else None
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        prompt += 4 + estimate_tokens(text)
    return prompt


def _with_output_cap(request: dict[str, Any], prompt: int) -> int:
    cap = request.get("max_completion_tokens") or request.get("max_tokens")
    return prompt + (cap if isinstance(cap, int) and cap > 0 else prompt)


def estimate_request_tokens(request: dict[str, Any]) -> int:
    """What a chat request may count against a tokens-per-minute limit, guessed before sending.

    Prompt: one token per CJK character, one per four other characters, ~4 per message. Output:
    the request's token cap when it has one (servers count it), else as much as the prompt.
    """
    return _with_output_cap(request, estimate_prompt_tokens(request))


class _Outgoing:
    """One request body and what is derived from it, each made at most once however often it is
    asked for (the probe check, the context check, every attempt's pacing and sending)."""

    __slots__ = ("_prompt", "body", "messages_json", "request")

    def __init__(self, request: dict[str, Any]) -> None:
        self.request = request
        self._prompt: int | None = None
        #: The JSON bytes sent, and the JSON text of the messages inside them (for the call log).
        self.body: bytes | None = None
        self.messages_json: str | None = None

    def prompt(self) -> int:
        if self._prompt is None:
            self._prompt = estimate_prompt_tokens(self.request)
        return self._prompt

    def total(self) -> int:
        return _with_output_cap(self.request, self.prompt())


@dataclass
class Completion:
    """The usable text of one successful logical request, and what it cost."""

    #: The answer's text; in ``prompt`` mode the JSON extracted from fences or prose.
    content: str
    #: The rung that produced it: ``json_schema``, ``json_object`` or ``prompt``.
    capability: str
    usage: TokenUsage
    #: Wall time of the whole call, retries and waits included.
    latency_ms: float
    attempts: list[AttemptRecord] = field(default_factory=list)
    model: str | None = None
    finish_reason: str = "stop"
    #: The answer exactly as the model wrote it, the messages that got it, and the call log's id.
    raw_content: str | None = None
    messages: Messages = field(default_factory=list)
    call_id: str | None = None
    #: ``messages`` as the JSON text that was sent (so the call log need not encode them again).
    messages_json: str | None = None


class _UnsupportedParameter(Exception):
    """A 400 that names a request parameter this endpoint does not accept."""

    def __init__(self, param: str, status: int, message: str) -> None:
        super().__init__(param)
        self.param = param
        self.status = status
        self.message = message


class _UnusableBody(Exception):
    """A 200 whose body is not a chat completion (HTML from a proxy, truncated JSON...)."""


@dataclass
class _Deadline:
    """When one logical request must be done; moved later by time spent waiting in hooks."""

    at: float


@dataclass
class _Outcome:
    """Why the transport loop stopped, when it stopped early because of the deadline."""

    deadline_hit: bool = False
    next_wait: float = 0.0
    #: The wait the server asked for (``Retry-After``), when that is what passed the deadline.
    server_asked: float | None = None
    #: Seconds of the deadline left when the loop stopped.
    time_left: float = 0.0
    #: Attempts that got no answer within the request timeout.
    timeouts: int = 0
    #: Of those, the ones that timed out behind other requests of ours at the server (they may
    #: have waited in its queue all along): retried, not counted in ``timeouts``.
    queued_timeouts: int = 0
    #: Whether the last attempt was such a timeout.
    last_queued: bool = False


class ChatClient:
    """One endpoint, one model, one connection pool: reuse it for every call."""

    def __init__(
        self,
        config: ModelConfig,
        *,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.config = config
        self._sleep = sleep or asyncio.sleep
        self._clock = clock or time.monotonic
        self._auto = config.capability == "auto"
        self._secret = config.api_key
        self._secrets = config.secrets()
        _remember_secrets(self._secrets)
        self._connection = config.connection()
        self._sdk: openai.AsyncOpenAI | None = None
        self._sdk_loop: asyncio.AbstractEventLoop | None = None
        from_host = profile_from_host(config.endpoint_host) if config.base_url else "openai"
        self._detected_window: int | None = None
        #: The window a refusal stated, and server tokens per estimated token learnt from one
        #: (the estimate counts one token per CJK character; some tokenizers spend two or three).
        self._stated_window: int | None = None
        self.token_ratio = 1.0
        #: Bumped whenever a refusal changes how requests are sized (see ``sizing``).
        self._resizes = 0
        named = config.server if config.server != "auto" else from_host
        self._set_profile(get_profile(named or "generic"))
        #: Whether one ``GET /models`` may still tell the server kind (server ``auto``) or the
        #: context window (a self-hosted server that none was configured for).
        self._probe_pending = bool(config.base_url) and (
            (config.server == "auto" and from_host is None)
            or (config.context_window is None and self.profile.context_window is None)
        )
        #: How many requests the server works on at once, when it said (llama-server's
        #: ``/props``); whether that may still be asked (a self-hosted server, not yet asked).
        self._served_slots: int | None = config.server_slots
        self._slots_pending = (
            config.server_slots is None and bool(config.base_url) and from_host in (None, "ollama")
        )
        self._send_temperature = config.temperature is not None
        self._renamed_max_tokens = False
        self._backoff = wait_exponential_jitter(multiplier=0.5, exp_base=2, max=20.0, jitter=0.5)
        #: JSON text of each response_format sent, by the id of its schema (kept alive here).
        self._encoded_formats: dict[int, tuple[object, tuple[Any, ...], str]] = {}
        #: Each schema a caller passed (kept alive here), rewritten into the profile's dialect.
        self._dialect_schemas: dict[int, tuple[object, dict[str, Any]]] = {}

    def _set_profile(self, profile: ServerProfile) -> None:
        self.profile = profile
        self._dialect_schemas = {}
        #: The rungs this client may use; with ``auto`` it walks down them on rejections.
        self.rungs: tuple[str, ...] = (
            profile.rungs if self._auto else (profile.rung_for(self.config.capability),)
        )
        #: The current rung; with ``auto`` it only ever moves down.
        self.capability: str = self.rungs[0]
        self._max_tokens_param = profile.max_tokens_field

    def now(self) -> float:
        """This client's clock (monotonic seconds), the one ``deadline_at`` is measured on."""
        return self._clock()

    @property
    def context_window(self) -> int | None:
        """Tokens the model can take (config, else what the server said, else the profile's;
        a smaller window stated in a refusal wins over all of them)."""
        window = self.config.context_window or self._detected_window or self.profile.context_window
        stated = self._stated_window
        if stated is not None and (window is None or stated < window):
            return stated
        return window

    @property
    def sizing(self) -> int:
        """Changes so far to how requests are sized (window, tokens per estimate), learnt from
        the server's refusals: a caller that planned requests by ``prompt_budget`` plans again
        when this moved."""
        return self._resizes

    def model_sees_schema(self, rung: str) -> bool:
        """Whether a request at ``rung`` shows the schema (and its descriptions) to the model."""
        return rung in CONSTRAINED_RUNGS and self.profile.model_sees_schema

    @property
    def detected_window(self) -> int | None:
        """The context window the server reported, if it did."""
        return self._detected_window

    @property
    def may_detect(self) -> bool:
        """Whether ``detect_server`` would still ask the server anything."""
        return self._probe_pending

    async def detect_server(self, timeout: float = 5.0) -> None:
        """Recognise the server kind (server ``auto``) and its context window by one
        ``GET /models``, once per client; llama-server's window also by ``GET /props``.

        Any failure leaves the generic profile: detection is a shortcut, never a requirement.
        """
        if not self._probe_pending:
            return
        self._probe_pending = False
        started = self._clock()
        body = await self._get_json(None, timeout)
        if body is None:
            return
        name, window = profile_from_models(body)
        if name is not None and name != self.profile.name and self.config.server == "auto":
            log.info("%s looks like %s; using its profile", self._host(), name)
            self._set_profile(get_profile(name))
        if window is None and self.profile.name == "llama-server":
            # Older llama-server versions say n_ctx only in /props, at the server's root.
            left = max(0.1, timeout - (self._clock() - started))
            props = await self._props(left)
            window = window_from_props(props)
        self._detected_window = window
        if window is not None:
            log.info("%s serves a context window of %d tokens", self._host(), window)

    async def _props(self, timeout: float) -> Any:
        """llama-server's ``GET /props`` (at the server's root), read for its slots as well."""
        root = (self._connection.base_url or "").rstrip("/").removesuffix("/v1")
        props = await self._get_json(f"{root}/props", timeout)
        slots = slots_from_props(props)
        if slots is not None and self.config.server_slots is None:
            self._served_slots = slots
        self._slots_pending = False
        return props

    @property
    def server_slots(self) -> int | None:
        """Requests the server works on at once, when known: what llama-server's ``/props``
        said; one for llama-cpp-python's server, which runs one generation at a time; what
        ``server_slots`` (``--server-slots``) says, before either."""
        if self.config.server_slots is not None:
            return self.config.server_slots
        if self.profile.name == "llama-cpp-python":
            return 1
        return self._served_slots

    async def learn_server_slots(self, timeout: float = 5.0) -> int | None:
        """Ask a self-hosted server, once, how many requests it works on at once (its kind by
        ``GET /models`` when unknown; llama-server's ``total_slots`` by ``GET /props``), before
        any request is sent: llama-cpp-python answers ``/models`` only between generations.
        The endpoint's gate keeps this process's requests to that many (``engines.slots``)."""
        started = self._clock()
        if self._probe_pending:
            await self.detect_server(timeout)
        if self._slots_pending and self.profile.name == "llama-server":
            await self._props(max(0.1, timeout - (self._clock() - started)))
        self._slots_pending = False
        slots = self.server_slots
        if slots is not None:
            self._gate().learn_slots(slots, self._slots_source())
        return slots

    def _slots_source(self) -> str:
        if self.config.server_slots is not None:
            return "as --server-slots (SUMMARIZER_SERVER_SLOTS, server_slots=) says"
        if self.profile.name == "llama-cpp-python":
            return "llama-cpp-python's server runs one generation at a time"
        return "its /props says total_slots"

    def _gate(self) -> EndpointGate:
        """This endpoint's gate on the running event loop (see ``engines.slots``)."""
        gate = endpoint_gate(self._connection.base_url or "", self._host())
        slots = self.server_slots
        if slots is not None and gate.slots is None:
            gate.learn_slots(slots, self._slots_source())
        return gate

    @property
    def endpoint_capacity(self) -> int | None:
        """Requests this process now sends to the endpoint at once (None: no limit); must be
        read on the event loop the requests run on."""
        return self._gate().capacity

    async def _get_json(self, url: str | None, timeout: float) -> Any:
        """The JSON body of ``GET /models`` (``url`` ``None``) or of ``GET url``; ``None`` on any
        failure."""
        try:
            if url is None:
                raw = await self._client().with_raw_response.models.list(timeout=timeout)
                return json.loads(raw.text)
            response = await self._client().get(
                url, cast_to=httpx2.Response, options={"timeout": timeout}
            )
            return json.loads(response.text)
        except (openai.APIError, ValueError, TypeError):
            return None

    def _client(self) -> openai.AsyncOpenAI:
        """The SDK client of the running event loop (its connection pool is tied to that loop).

        Calls in one loop reuse connections (the sync API runs every call of a thread on that
        thread's one loop). A ``ChatClient`` that a caller drives from another loop (another
        thread, a later ``asyncio.run``) gets a fresh SDK client there instead of touching
        connections that belong to a different loop.
        """
        loop = asyncio.get_running_loop()
        if self._sdk is None or self._sdk_loop is not loop:
            self._sdk = openai.AsyncOpenAI(
                base_url=self._connection.base_url,
                api_key=self.config.api_key.reveal() or PLACEHOLDER_API_KEY,
                default_headers=self._connection.headers or None,
                default_query=self._connection.query or None,
                max_retries=0,
                timeout=self.config.request_timeout,
                http_client=openai.DefaultAsyncHttpxClient(
                    verify=_shared_ssl_context(),
                    timeout=self.config.request_timeout,
                    event_hooks={"response": [_show_headers]},
                ),
            )
            self._sdk_loop = loop
        return self._sdk

    async def aclose(self) -> None:
        sdk, self._sdk = self._sdk, None
        if sdk is not None and self._sdk_loop is asyncio.get_running_loop():
            await sdk.close()

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- the public call ------------------------------------------------------------------------

    @logged_call
    async def complete(
        self,
        build_messages: Callable[[str], Messages],
        *,
        schema_name: str,
        schema: dict[str, Any],
        max_output_tokens: int | None = None,
        deadline_at: float | None = None,
    ) -> Completion:
        """Ask for an answer following ``schema``; ``build_messages(capability)`` makes the prompt.

        ``deadline_at`` (on this client's clock) bounds the call when it is sooner than
        ``config.deadline`` from now: the engine's one deadline for a whole article.

        Raises ``TransportError`` subclasses when the endpoint cannot give an answer, and
        ``ModelOutputError`` subclasses when the answer is cut off (``TruncatedOutputError``),
        filtered (``ContentFilterError``), refused (``RefusalError``) or empty
        (``OutputValidationError``, which a caller may treat like invalid output and re-ask).
        The client never judges the content itself: that is the caller's validation.
        """
        started = self._clock()
        wall_start = time.perf_counter()
        deadline = _Deadline(min(started + self.config.deadline, deadline_at or float("inf")))
        ledger: list[AttemptRecord] = []
        resized = 0
        while True:
            capability = self.capability
            request = self._request(
                build_messages(capability), capability, schema_name, schema, max_output_tokens
            )
            outgoing = _Outgoing(request)
            if (
                self._probe_pending
                and self.context_window is None
                and outgoing.total() > PROBE_ABOVE_TOKENS
            ):
                # A long prompt to a server of unknown size: ask it once what it is.
                await self.detect_server(timeout=max(0.1, min(5.0, deadline.at - self._clock())))
                continue
            self._check_fits(outgoing, ledger)
            sizing = self._resizes
            try:
                answer = await self._send(outgoing, capability, ledger, deadline)
            except PromptTooLongError:
                if self._resizes == sizing or resized >= MAX_RESIZES_PER_CALL:
                    raise
                # The refusal said how the server counts: size the request again (a lower
                # answer cap may be all it needs, else the context check refuses it here).
                resized += 1
                continue
            except _UnsupportedParameter as rejected:
                if self._adapt(rejected, capability):
                    continue
                raise RequestRejectedError(
                    f"{self._host()} rejected the request ({rejected.status}): "
                    f"{rejected.message}{self._format_hint(rejected.param)}",
                    attempts=ledger,
                ) from None
            content = self._read_answer(answer, ledger)
            model, finish = answer.model, answer.finish_reason
            return Completion(
                content=content,
                capability=capability,
                usage=sum((r.usage for r in ledger), TokenUsage()),
                latency_ms=(time.perf_counter() - wall_start) * 1000.0,
                attempts=ledger,
                model=model if isinstance(model, str) else None,
                finish_reason=finish if isinstance(finish, str) else "stop",
                raw_content=content,
                messages=request["messages"],
                messages_json=outgoing.messages_json,
            )

    def prompt_budget(self, max_output_tokens: int | None = None) -> int | None:
        """Prompt tokens a request may carry here, or ``None`` when the window is unknown."""
        window = self.context_window
        if window is None:
            return None
        reserve = max_output_tokens or self.config.max_output_tokens or DEFAULT_OUTPUT_RESERVE
        # In estimated tokens, like every prompt it is compared with.
        return int((window - min(reserve, window // 2)) / self.token_ratio)

    def _check_fits(self, outgoing: _Outgoing, ledger: list[AttemptRecord]) -> None:
        """Refuse, before sending, a request whose prompt cannot fit the context window, and
        lower an answer cap that would not fit beside the prompt to the room that is left
        (servers refuse a prompt plus ``max_tokens`` over their window: llama.cpp, vLLM)."""
        cap = outgoing.request.get(self._max_tokens_param)
        budget = self.prompt_budget(cap if isinstance(cap, int) else None)
        window = self.context_window
        if budget is None or window is None:
            return
        prompt, ratio = outgoing.prompt(), self.token_ratio
        if prompt > budget:
            counted = " as the server counts them" if ratio > 1.0 else ""
            raise PromptTooLongError(
                f"the request to {self._host()} would need about {round(prompt * ratio):,} "
                f"prompt tokens{counted}, more than the {round(budget * ratio):,} that fit the "
                f"model's context window of {window:,} tokens with room for the answer; use a "
                "smaller --chunk-chars (chunk_chars), or set --context-window if the model "
                "takes more",
                attempts=ledger,
            )
        room = window - math.ceil(prompt * ratio)
        if isinstance(cap, int) and cap > room:
            outgoing.request[self._max_tokens_param] = room

    # --- request shape --------------------------------------------------------------------------

    def _learn_sizing(self, body: str, request: dict[str, Any]) -> None:
        """Believe the server's own counts from a refusal for length: its window, and how many of
        its tokens one estimated token is (the estimate is one per CJK character; a byte-level or
        Llama-style vocabulary spends more). Later requests and ``prompt_budget`` use both."""
        window = _first_number(_STATED_WINDOW, body)
        known = self.context_window
        if window is not None and window > 0 and (known is None or window < known):
            self._stated_window = window
            self._resizes += 1
        counted = _first_number(_STATED_PROMPT, body)
        estimated = estimate_prompt_tokens(request)
        if counted is None or estimated <= 0:
            return
        ratio = min(MAX_TOKEN_RATIO, counted / estimated)
        if ratio > self.token_ratio * 1.02:  # only ever stricter; small noise is not news
            log.info(
                "%s counts %d tokens where the estimate was %d; sizing requests by %.2f its "
                "tokens per estimated token from now on",
                self._host(),
                counted,
                estimated,
                ratio,
            )
            self.token_ratio = ratio * 1.02  # a little room: the next prompt is another text
            self._resizes += 1

    def request_body(
        self,
        messages: Messages,
        *,
        capability: str | None = None,
        schema_name: str,
        schema: dict[str, Any],
        max_output_tokens: int | None = None,
    ) -> dict[str, Any]:
        """The body ``complete`` would send first (default: at the current capability).

        For sending the same request another way, e.g. as a line of a Batch API file. The body
        is the caller's to change: it shares nothing with what this client keeps.
        """
        return copy.deepcopy(
            self._request(
                messages, capability or self.capability, schema_name, schema, max_output_tokens
            )
        )

    def _request(
        self,
        messages: Messages,
        capability: str,
        schema_name: str,
        schema: dict[str, Any],
        max_output_tokens: int | None,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            **(self.config.extra_body or {}),
            "model": self.config.model,
            "messages": messages,
        }
        if capability in CONSTRAINED_RUNGS:
            schema = self._dialect_schema(schema)
        if capability in ("json_schema", "ollama_format"):
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": True},
            }
            if capability == "ollama_format":
                request["format"] = schema
        elif capability == "json_object_schema":
            request["response_format"] = {"type": "json_object", "schema": schema}
        elif capability == "json_object":
            request["response_format"] = {"type": "json_object"}
        if self._send_temperature:
            request["temperature"] = self.config.temperature
        limit = max_output_tokens or self.config.max_output_tokens
        if limit:
            request[self._max_tokens_param] = limit
        if self.profile.context_field and self.context_window:
            outer, inner = self.profile.context_field.split(".", 1)
            request[outer] = {inner: self.context_window}
        return request

    def _dialect_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``profile.schema_for(schema)``, rewritten once per schema object and then reused.

        The engine passes the same (cached, never changed) schema object for every article of a
        shape; rewriting it is a deep copy, and a stable result lets ``_encode`` reuse its JSON.
        """
        cached = self._dialect_schemas.get(id(schema))
        if cached is None or cached[0] is not schema:
            if len(self._dialect_schemas) >= _SCHEMA_CACHE_SIZE:
                self._dialect_schemas.clear()
                self._encoded_formats.clear()
            cached = (schema, self.profile.schema_for(schema))
            self._dialect_schemas[id(schema)] = cached
        return cached[1]

    def _encode(self, outgoing: _Outgoing) -> bytes:
        """The request as JSON bytes, made once per request (retries resend them).

        The messages are encoded on their own (their text is kept for the call log), and a
        ``response_format`` seen before is spliced in as the text it was encoded to then.
        """
        if outgoing.body is not None:
            return outgoing.body
        request = outgoing.request
        parts: list[str] = []
        rest: dict[str, Any] = {}
        for key, value in request.items():
            if key == "messages" and isinstance(value, list):
                outgoing.messages_json = json.dumps(value, ensure_ascii=False)
                parts.append('"messages":' + outgoing.messages_json)
            elif key == "response_format" and isinstance(value, dict):
                parts.append('"response_format":' + self._encoded_format(value))
            else:
                rest[key] = value
        if rest:
            parts.append(json.dumps(rest, ensure_ascii=False)[1:-1])
        outgoing.body = ("{" + ",".join(parts) + "}").encode()
        return outgoing.body

    def _encoded_format(self, response_format: dict[str, Any]) -> str:
        """A ``response_format`` as JSON text, encoded once per schema object and shape."""
        inner = response_format.get("json_schema")
        schema = inner.get("schema") if isinstance(inner, dict) else None
        if schema is None:
            schema = response_format.get("schema")
        if schema is None:
            return json.dumps(response_format, ensure_ascii=False)
        shape = _format_shape(response_format, schema)
        cached = self._encoded_formats.get(id(schema))
        if cached is None or cached[0] is not schema or cached[1] != shape:
            if len(self._encoded_formats) >= _SCHEMA_CACHE_SIZE:
                self._encoded_formats.clear()
            cached = (schema, shape, json.dumps(response_format, ensure_ascii=False))
            self._encoded_formats[id(schema)] = cached
        return cached[2]

    def _adapt(self, rejected: _UnsupportedParameter, capability: str) -> bool:
        """Change the request shape after a 400 naming a parameter; ``False`` if out of options."""
        if rejected.param == "response_format":
            if not self._auto or capability not in self.rungs or capability == self.rungs[-1]:
                return False
            lower = self.rungs[self.rungs.index(capability) + 1]
            log.warning(
                "%s rejected response_format %s (%s); using %s from now on",
                self._host(),
                capability,
                rejected.message,
                lower,
            )
            self.capability = lower
            return True
        if rejected.param in ("max_tokens", "max_completion_tokens"):
            if self._renamed_max_tokens:
                return False
            self._renamed_max_tokens = True
            self._max_tokens_param = (
                "max_tokens"
                if self._max_tokens_param == "max_completion_tokens"
                else "max_completion_tokens"
            )
            log.info("%s wants %s; using it from now on", self._host(), self._max_tokens_param)
            return True
        if rejected.param == "temperature" and self._send_temperature:
            self._send_temperature = False
            log.info("%s rejects temperature; leaving it at the model's default", self._host())
            return True
        return False

    def _format_hint(self, param: str) -> str:
        if param == "response_format" and not self._auto:
            return (
                f"; this {self.profile.name} server does not support capability "
                f"{self.config.capability!r}: use capability 'auto' (or a lower one: json_object, "
                "prompt), or name the server with --server"
            )
        return ""

    # --- transport ------------------------------------------------------------------------------

    async def _send(
        self,
        outgoing: _Outgoing,
        capability: str,
        ledger: list[AttemptRecord],
        deadline: _Deadline,
    ) -> _Answer:
        """The answer, after transport retries (tenacity) when attempts fail.

        The first attempt runs on its own: most calls succeed at once, and setting up the retry
        loop costs more than the rest of a call's bookkeeping. A failed first attempt is handed
        to the loop as its attempt 1 (``replay_first``), so stopping, waiting and logging are
        decided exactly as if the loop had made it.
        """
        outcome = _Outcome()
        try:
            return await self._attempt(outgoing, capability, ledger, deadline, outcome)
        except Exception as error:
            first_failure: Exception | None = error

        async def replay_first(*args: Any) -> _Answer:
            nonlocal first_failure
            if first_failure is not None:
                failure, first_failure = first_failure, None
                raise failure
            return await self._attempt(*args)

        max_attempts = self.config.max_transport_attempts
        max_timeouts = timed_out_attempts_allowed(max_attempts)

        def stop(state: RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome is not None else None
            if error is not None and _answer_timed_out(error):
                if outcome.last_queued:
                    # Behind others of ours at the server: it may never have started, and the
                    # gate sends fewer at once now. Not evidence of a slow generation.
                    outcome.queued_timeouts += 1
                else:
                    outcome.timeouts += 1
                    if outcome.timeouts >= max_timeouts:
                        return True
            if state.attempt_number >= max_attempts:
                return True
            if error is not None and _connection_refused(error) and state.attempt_number >= 2:
                # Refused twice in a row: nothing listens there (a wrong URL or a stopped
                # server); say so now instead of backing off for half a minute.
                return True
            if self._clock() + state.upcoming_sleep >= deadline.at:
                outcome.deadline_hit, outcome.next_wait = True, state.upcoming_sleep
                outcome.time_left = max(0.0, deadline.at - self._clock())
                if isinstance(error, openai.APIStatusError):
                    outcome.server_asked = _retry_after(error.response.headers)
                return True
            return False

        async def sleep(seconds: float) -> None:
            await self._sleep(float(seconds))

        retrying = AsyncRetrying(
            stop=stop,
            wait=self._wait,
            retry=retry_if_exception(_is_retryable),
            sleep=sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            result: _Answer = await retrying(
                replay_first, outgoing, capability, ledger, deadline, outcome
            )
            return result
        except (openai.APIError, _UnusableBody) as exc:  # translate it, never chain it
            raise self._final_error(exc, ledger, outcome) from None

    async def _attempt(
        self,
        outgoing: _Outgoing,
        capability: str,
        ledger: list[AttemptRecord],
        deadline: _Deadline,
        outcome: _Outcome,
    ) -> _Answer:
        """One HTTP attempt, through the endpoint's gate (``engines.slots``): it waits there
        while the server already has as many of this process's requests as it takes at once.
        The wait counts against the call's deadline: still waiting when it passes, the call
        fails with ``DeadlineExceededError``."""
        gate = self._gate()
        waited_from = self._clock()
        try:
            ticket = await gate.enter(timeout=deadline.at - waited_from)
        except TimeoutError:
            raise self._deadline_at_gate(gate, waited_from, ledger) from None
        answered = timed_out = False
        try:
            answer = await self._gated_attempt(
                outgoing, capability, ledger, deadline, self._clock()
            )
            answered = True
            return answer
        except openai.APITimeoutError as error:
            timed_out = _answer_timed_out(error)
            raise
        finally:
            outcome.last_queued = gate.leave(ticket, answered=answered, timed_out=timed_out)

    async def _gated_attempt(
        self,
        outgoing: _Outgoing,
        capability: str,
        ledger: list[AttemptRecord],
        deadline: _Deadline,
        paused: float,
    ) -> _Answer:
        request = outgoing.request
        hooks = _ATTEMPT_HOOKS.get()
        # Built before pacing, not after: a first call's SDK client (TLS context, lazily imported
        # resources) takes ~0.4 s, which would land a paced attempt that much after its slot.
        sdk = self._client()
        if hooks is not None:
            await hooks.before_attempt(outgoing.total())
        # The limiter's pacing is our own queue, not the endpoint's time (the gate's wait is not
        # added back: the caller's deadline holds while a request waits for a place).
        deadline.at += self._clock() - paused
        remaining = deadline.at - self._clock()
        if remaining <= 0:
            raise DeadlineExceededError(
                f"gave up on {self._host()}: the deadline of {self.config.deadline:g} s passed "
                f"after {len(ledger)} attempt(s); raise it with --deadline (SUMMARIZER_DEADLINE) "
                "or try again later",
                attempts=ledger,
            )
        started = time.perf_counter()
        error: Exception | None = None
        answer: _Answer | None = None
        try:
            # The SDK's own request path (``client.post``, what ``chat.completions.create`` ends
            # in), minus what this request does not need: the typed-parameter transform walks
            # every message (~10% of a batch's CPU); the JSON is encoded here once per request
            # with the constant response_format encoded once per client; and the answer is read
            # as JSON (``_read_body``) instead of being built into the SDK's typed model, of
            # which we would read five fields (~7% of a batch's CPU).
            raw = await sdk.post(
                "/chat/completions",
                cast_to=httpx2.Response,
                content=self._encode(outgoing),
                options={"timeout": min(self.config.request_timeout, remaining)},
            )
            answer = _read_body(raw)
        except openai.APIStatusError as exc:
            error = exc
        except openai.APIConnectionError as exc:
            error = exc
        except _UnusableBody as exc:
            error = _UnusableBody(redact(str(exc), *self._secrets))
        latency_ms = (time.perf_counter() - started) * 1000.0
        if error is not None:
            status: int | None = None
            if isinstance(error, openai.APIStatusError):
                status = error.status_code
            elif isinstance(error, _UnusableBody):
                status = 200  # the SDK only parses bodies of 2xx answers
            failed = AttemptRecord(
                latency_ms=latency_ms,
                error=_error_class(error).__name__,
                status_code=status,
                capability=capability,
            )
            ledger.append(failed)
            if hooks is not None:
                asked = (
                    _retry_after(error.response.headers)
                    if isinstance(error, openai.APIStatusError)
                    else None
                )
                hooks.after_attempt(failed, asked)
            log.debug("attempt %d failed: %s", len(ledger), self._describe(error))
            raise self._classify(error, ledger, request)
        assert answer is not None
        succeeded = AttemptRecord(
            usage=_usage(answer.usage),
            latency_ms=latency_ms,
            status_code=200,
            capability=capability,
        )
        ledger.append(succeeded)
        if hooks is not None:
            hooks.after_attempt(succeeded, None)
        return answer

    def _classify(
        self, error: Exception, ledger: list[AttemptRecord], request: dict[str, Any] | None = None
    ) -> Exception:
        """Turn non-retryable failures into their final form right away.

        A rejection of the structured-output field is recognised by its body whatever the status
        (llama-cpp-python answers an unknown ``response_format`` type with a 500): retrying the
        same request cannot help, stepping down the ladder can.
        """
        if (
            isinstance(error, openai.APIStatusError)
            and error.status_code not in (401, 403, 404, 408, 429)
            and request is not None
            and _rejects_format(error, request)
        ):
            return _UnsupportedParameter(
                "response_format", error.status_code, self._server_message(error)
            )
        if not isinstance(error, openai.APIStatusError):
            return error
        if error.status_code in (400, 413, 422, 500) and _CONTEXT_WORDS.search(str(error.body)):
            if request is not None:
                self._learn_sizing(str(error.body), request)
            return PromptTooLongError(
                f"{self._host()} says the request does not fit the model's context "
                f"({error.status_code}): {self._server_message(error)}; use a smaller "
                "--chunk-chars (chunk_chars), or set --context-window to the model's real size "
                "so that requests are sized before sending",
                attempts=ledger,
            )
        if _is_retryable(error):
            return error
        status, message = error.status_code, self._server_message(error)
        if status in (400, 422):
            param = _rejected_parameter(error)
            if param is not None:
                return _UnsupportedParameter(param, status, message)
        if status in (401, 403):
            what = "API key" if status == 401 else "permissions of the API key"
            return AuthenticationError(
                f"{self._host()} refused the {what} ({status}): {message}; "
                "check OPENAI_API_KEY for this endpoint",
                attempts=ledger,
            )
        if status == 429:  # only quota exhaustion gets here (see _is_retryable)
            return RateLimitedError(
                f"{self._host()} says the quota is exhausted (429): {message}; "
                "check the account's plan and billing",
                attempts=ledger,
            )
        hint = "; check the model name and OPENAI_BASE_URL" if status == 404 else ""
        return RequestRejectedError(
            f"{self._host()} rejected the request ({status}): {message}{hint}", attempts=ledger
        )

    def _final_error(
        self, error: Exception, ledger: list[AttemptRecord], outcome: _Outcome
    ) -> SummarizerError:
        what = self._describe(error)
        attempts = len(ledger)
        if outcome.deadline_hit and outcome.server_asked is not None:
            return RetryAfterTooLongError(
                f"{self._host()} asked to wait {outcome.server_asked:g} s before retrying "
                f"(Retry-After, after {attempts} attempt(s): {what}), longer than the "
                f"{outcome.time_left:.0f} s left of the deadline of {self.config.deadline:g} s; "
                "try again later, or raise --deadline (SUMMARIZER_DEADLINE) past that wait",
                attempts=ledger,
            )
        if outcome.deadline_hit:
            advice = "raise it with --deadline (SUMMARIZER_DEADLINE) or try again later"
            if _answer_timed_out(error):
                advice = f"{self._timeout_advice()}; or raise --deadline (SUMMARIZER_DEADLINE)"
            return DeadlineExceededError(
                f"gave up on {self._host()} after {attempts} attempt(s): waiting "
                f"{outcome.next_wait:.1f} s more would pass the deadline of "
                f"{self.config.deadline:g} s (last error: {what}); {advice}",
                attempts=ledger,
            )
        if _answer_timed_out(error):
            return self._timed_out_error(outcome, attempts, ledger)
        error_class = _error_class(error)
        advice = {
            RateLimitedError: "lower the concurrency or request rate, or try again later",
            DeadlineExceededError: (
                "raise --request-timeout (request_timeout=) or use a smaller --chunk-chars"
            ),
            EndpointUnreachableError: (
                "check the base URL (--base-url or OPENAI_BASE_URL) and that the server is "
                "running and reachable"
            ),
            ServerError: "the endpoint is failing; try again later",
        }[error_class]
        if isinstance(error, _UnusableBody):
            advice = (
                "check that the base URL (--base-url or OPENAI_BASE_URL) points at the API "
                "(usually ending in /v1)"
            )
        return error_class(
            f"could not get an answer from {self._host()} after {attempts} attempt(s): "
            f"{what}; {advice}",
            attempts=ledger,
        )

    def _deadline_at_gate(
        self, gate: EndpointGate, waited_from: float, ledger: list[AttemptRecord]
    ) -> DeadlineExceededError:
        """The error of a call whose deadline passed while its request waited for a place at
        the endpoint's gate (the server busy with other requests of this process)."""
        waited = self._clock() - waited_from
        after = f" (after {len(ledger)} attempt(s))" if ledger else ""
        return DeadlineExceededError(
            f"the deadline of {self.config.deadline:g} s passed while a request{after} waited "
            f"{waited:.1f} s for its turn at {self._host()}, which takes {gate.capacity} "
            f"request(s) of this process at once ({gate.in_flight} in flight, {gate.waiting} "
            "more waiting); raise --deadline (SUMMARIZER_DEADLINE) or send fewer articles at "
            "once",
            attempts=ledger,
        )

    def _timed_out_error(
        self, outcome: _Outcome, attempts: int, ledger: list[AttemptRecord]
    ) -> DeadlineExceededError:
        """The error of a call whose last attempt got no answer within the request timeout,
        saying apart the timeouts behind other requests of ours (``engines.slots``)."""
        queued = outcome.queued_timeouts
        behind = (
            "behind other requests of ours (waiting in the server's queue counts in the timeout)"
        )
        head = (
            f"no answer from {self._host()} within the request timeout of "
            f"{self.config.request_timeout:g} s"
        )
        if queued and not outcome.timeouts:
            message = (
                f"{head}, {queued} time(s), each {behind}; lower --concurrency to what the "
                "server works on at once, or raise --request-timeout"
            )
        else:
            also = f", and {queued} more time(s) {behind}" if queued else ""
            message = (
                f"{head}, {outcome.timeouts or attempts} time(s) (each attempt starts the answer "
                f"again){also}; {self._timeout_advice()}"
            )
        return DeadlineExceededError(message, attempts=ledger)

    def _timeout_advice(self) -> str:
        """What helps when answers take longer than one request may: a longer request timeout
        (a model on a CPU writes a few tokens a second), or asking for less per request."""
        return (
            "a slow server needs a longer --request-timeout (request_timeout=, now "
            f"{self.config.request_timeout:g} s), or ask for less per request with a smaller "
            "--chunk-chars or --max-output-tokens"
        )

    def _wait(self, state: RetryCallState) -> float:
        """The server's ``retry-after-ms``/``Retry-After`` when given (as asked: a longer wait
        than the deadline leaves fails at once, see ``_send``), else jittered backoff."""
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, openai.APIStatusError):
            asked = _retry_after(error.response.headers)
            if asked is not None:
                return asked
        return float(self._backoff(state))

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        log.info(
            "%s: attempt %d failed (%s); retrying in %.2f s",
            self._host(),
            state.attempt_number,
            self._describe(error) if isinstance(error, Exception) else "unknown error",
            state.upcoming_sleep,
        )

    # --- the answer -----------------------------------------------------------------------------

    def _read_answer(self, answer: _Answer, ledger: list[AttemptRecord]) -> str:
        message = answer.message
        problem: type[SummarizerError] | None = None
        refusal = message.get("refusal")
        content = _content_text(message.get("content"))
        if refusal and isinstance(refusal, str):
            problem = RefusalError
            text = f"the model refused: {redact(str(refusal), *self._secrets)[:MAX_SERVER_MESSAGE]}"
        elif answer.finish_reason == "length":
            problem = TruncatedOutputError
            text = (
                "the model's answer was cut off at the output token limit; raise "
                "--max-output-tokens (max_output_tokens) or use a smaller --chunk-chars "
                "(chunk_chars) so each request asks for less"
            )
        elif answer.finish_reason == "content_filter":
            problem = ContentFilterError
            text = (
                f"{self._host()}'s content filter stopped the answer; this article cannot be "
                "processed by this model (try another model or endpoint)"
            )
        elif content is None:
            problem = OutputValidationError
            text = "the answer's content is neither text nor a list of text parts"
        elif not content.strip():
            problem = OutputValidationError
            text = "the model returned an empty answer"
        if problem is not None:
            ledger[-1] = ledger[-1].model_copy(update={"error": problem.__name__})
            if problem is OutputValidationError:
                raise OutputValidationError(
                    text, problems=["the answer has no content"], attempts=ledger
                )
            raise problem(text, attempts=ledger)
        return extract_json_text(content or "")

    # --- wording --------------------------------------------------------------------------------

    def _host(self) -> str:
        return self.config.endpoint_host or "the endpoint"

    def _server_message(self, error: openai.APIStatusError) -> str:
        body = error.body
        message: object = None
        if isinstance(body, dict):
            message = body.get("message") or body.get("error")
        elif isinstance(body, str):
            message = body
        text = " ".join(str(message).split()) if message else "no details"
        return redact(text, *self._secrets)[:MAX_SERVER_MESSAGE]

    def _describe(self, error: BaseException | None) -> str:
        """A one-line, secret-free description of a transport failure."""
        if isinstance(error, openai.APIStatusError):
            return f"HTTP {error.status_code}: {self._server_message(error)}"
        if isinstance(error, openai.APITimeoutError):
            return "no answer in time"
        if isinstance(error, openai.APIConnectionError):
            if _connection_refused(error):
                return f"could not connect to {self._host()}"
            return f"the connection to {self._host()} failed or was closed"
        if isinstance(error, _UnusableBody):
            return f"the answer was not a chat completion ({error})"
        return type(error).__name__ if error is not None else "unknown error"


@functools.cache
def _shared_ssl_context() -> ssl.SSLContext:
    """One TLS context per process: building one costs ~40 ms, and every engine (and every event
    loop it meets) makes its own SDK client. Same trust store and environment rules as the SDK's."""
    return httpx2.create_ssl_context()


def _format_shape(mapping: dict[str, Any], schema: object) -> tuple[Any, ...]:
    """Everything in a response_format but its (large, constant) ``schema``, keys in order: two
    formats of equal shape around the same schema object encode to the same JSON text."""
    return tuple(
        (
            key,
            None
            if value is schema
            else _format_shape(value, schema)
            if isinstance(value, dict)
            else value,
        )
        for key, value in mapping.items()
    )


async def _show_headers(response: httpx2.Response) -> None:
    """Hand an answer's headers to the running task's hooks, if they want them."""
    hooks = _ATTEMPT_HOOKS.get()
    if hooks is not None:
        receive = getattr(hooks, "headers", None)
        if receive is not None:
            receive(response.headers)


# --- helpers (pure functions) --------------------------------------------------------------------


def _is_retryable(error: BaseException) -> bool:
    if isinstance(error, openai.APIStatusError):
        if error.status_code == 429 and error.code == "insufficient_quota":
            return False
        return error.status_code in RETRYABLE_STATUS or error.status_code >= 500
    return isinstance(error, openai.APIConnectionError | _UnusableBody)


def _error_class(error: BaseException) -> type[TransportError]:
    """The error a failure of this kind ends in, once retries are exhausted."""
    if isinstance(error, openai.APIStatusError):
        if error.status_code == 429:
            return RateLimitedError
        if error.status_code in (401, 403):
            return AuthenticationError
        if error.status_code == 408:
            return DeadlineExceededError
        return ServerError if _is_retryable(error) else RequestRejectedError
    if isinstance(error, openai.APITimeoutError):
        return DeadlineExceededError
    if isinstance(error, openai.APIConnectionError):
        return EndpointUnreachableError
    return ServerError


def timed_out_attempts_allowed(max_transport_attempts: int) -> int:
    """Attempts of one call that may time out before it ends: a third of its attempts (a user
    who allows more attempts wants more persistence through stalls), at least two."""
    return max(MAX_TIMED_OUT_ATTEMPTS, max_transport_attempts // 3)


def _answer_timed_out(error: BaseException) -> bool:
    """Whether the server took the request but gave no answer in time (not a connection that
    could not be opened in time: that is an unreachable endpoint, worth its ordinary retries)."""
    if not isinstance(error, openai.APITimeoutError):
        return False
    return not any(
        isinstance(cause, httpx2.ConnectTimeout | httpx2.PoolTimeout) for cause in _causes(error)
    )


def _first_number(pattern: re.Pattern[str], text: str) -> int | None:
    """The first number any group of ``pattern`` captured in ``text``."""
    match = pattern.search(text)
    if match is None:
        return None
    return next(int(group) for group in match.groups() if group is not None)


def _connection_refused(error: BaseException) -> bool:
    """Whether a connection error is a refusal/DNS failure rather than a dropped connection."""
    return any(
        isinstance(cause, ConnectionRefusedError) or type(cause).__name__ == "ConnectError"
        for cause in _causes(error)
    )


def _causes(error: BaseException, depth: int = 6) -> Iterator[BaseException]:
    """The exceptions ``error`` was raised from (``__cause__``, else ``__context__``), nearest
    first, at most ``depth`` of them: the SDK wraps the transport's error a few levels down."""
    seen = error
    for _ in range(depth):
        cause = seen.__cause__ or seen.__context__
        if cause is None:
            return
        yield cause
        seen = cause


def _rejected_parameter(error: openai.APIStatusError) -> str | None:
    """The request parameter a 400/422 complains about, when it is one we can change."""
    param = error.param or ""
    body_text = str(error.body) if error.body is not None else ""
    if param == "response_format" or (not param and _FORMAT_WORDS.search(body_text)):
        return "response_format"
    if _FORMAT_WORDS.search(param):
        return "response_format"
    if param in ("max_tokens", "max_completion_tokens", "temperature"):
        return param
    return None


def _retry_after(headers: Any) -> float | None:
    """Seconds asked by ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(0.0, float(value) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True)
class _Answer:
    """What this client reads of a chat completion: its first choice's message and the rest."""

    message: dict[str, Any]
    finish_reason: Any = None
    model: Any = None
    usage: Any = None


def _read_body(response: httpx2.Response) -> _Answer:
    """The answer in a 200's body, read as plain JSON; ``_UnusableBody`` when it holds none.

    Any content type is read as JSON when it parses (some servers mislabel it); a body that does
    not parse is described as the HTML page or text it is. An answer needs a list of choices whose
    first has a message object; everything in it is read tolerantly later (``_read_answer``).
    """
    try:
        data = json.loads(response.content)
    except ValueError:  # not JSON (UnicodeDecodeError included)
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        if content_type.endswith("json"):
            raise _UnusableBody("the body is not valid JSON") from None
        raise _UnusableBody(_describe_body(response.text)) from None
    choices = data.get("choices") if isinstance(data, dict) else None
    first = choices[0] if isinstance(choices, list) and choices else None
    message = first.get("message") if isinstance(first, dict) else None
    if not isinstance(message, dict):
        raise _UnusableBody(_describe_body(data))
    assert isinstance(data, dict) and isinstance(first, dict)
    return _Answer(message, first.get("finish_reason"), data.get("model"), data.get("usage"))


def _content_text(content: Any) -> str | None:
    """The text of ``message.content``: a string, or the text parts of a list; else ``None``.

    Some servers send ``[{"type": "text", "text": "..."}]`` (the request format of multi-part
    messages) or a JSON object already parsed; both carry a usable answer.
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for part in content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif hasattr(part, "text") and isinstance(part.text, str):
                parts.append(part.text)
            else:
                return None
        return "".join(parts)
    if isinstance(content, dict):
        return json.dumps(content, ensure_ascii=False)
    return None


def _rejects_format(error: openai.APIStatusError, request: dict[str, Any]) -> bool:
    """Whether an error answer says the request's structured-output field is not accepted."""
    if "response_format" not in request and "format" not in request:
        return False
    if error.param and _FORMAT_WORDS.search(error.param):
        return True
    body_text = json.dumps(error.body, default=str) if error.body is not None else ""
    if not body_text:
        body_text = error.message or ""
    if _FORMAT_WORDS.search(body_text):
        return True
    return "format" in request and bool(_OLLAMA_FORMAT_WORDS.search(body_text))


def _describe_body(response: Any) -> str:
    if isinstance(response, str):
        start = response.lstrip()[:15].lower()
        looks = "an HTML page" if start.startswith(("<!doctype", "<html", "<")) else "plain text"
        return f"got {looks} instead of JSON"
    embedded = response.get("error") if isinstance(response, dict) else None
    if isinstance(embedded, dict) and embedded.get("message"):
        message = " ".join(str(embedded["message"]).split())[:MAX_SERVER_MESSAGE]
        return f"a 200 carrying an error: {message}"
    return "the JSON has no choices"


def _usage(usage: Any) -> TokenUsage:
    """Token counts as sent, tolerating what servers really send: floats, strings, nulls, dicts."""
    if usage is None:
        return TokenUsage()

    def count(name: str) -> int:
        value = usage.get(name) if isinstance(usage, dict) else getattr(usage, name, None)
        if isinstance(value, bool):
            return 0
        if isinstance(value, int | float):
            return max(0, round(value)) if value == value and abs(value) < 1e15 else 0
        if isinstance(value, str):
            try:
                return max(0, round(float(value)))
            except (ValueError, OverflowError):
                return 0
        return 0

    prompt, completion = count("prompt_tokens"), count("completion_tokens")
    return TokenUsage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=count("total_tokens") or prompt + completion,
    )


# --- secrets in the HTTP library's logs ----------------------------------------------------------

#: Secrets of every client made in this process, scrubbed from the HTTP libraries' log records.
_KNOWN_SECRETS: set[str] = set()


class _RedactingFilter(logging.Filter):
    """Scrubs known secrets from log records of httpx/httpcore/openai (DEBUG included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _KNOWN_SECRETS:
            message = record.getMessage()
            cleaned = redact(message, *_KNOWN_SECRETS)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


_LOG_FILTER = _RedactingFilter()


def _remember_secrets(secrets: list[str]) -> None:
    if not secrets:
        return
    _KNOWN_SECRETS.update(secret for secret in secrets if len(secret) >= 4)
    for name in ("httpx", "httpcore", "openai", "openai._base_client"):
        logger = logging.getLogger(name)
        if _LOG_FILTER not in logger.filters:
            logger.addFilter(_LOG_FILTER)
