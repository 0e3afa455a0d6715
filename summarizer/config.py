"""Model endpoint configuration: from arguments first, then the environment.

Any OpenAI-compatible endpoint works by base URL (OpenAI, Azure's v1 endpoint, vLLM, Ollama,
llama.cpp server, DeepSeek, Qwen/DashScope). The API key is held so that it cannot leak by accident:
``repr``/``str`` of a config hide it, and ``redact`` scrubs it from any text we show or store.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from summarizer.errors import ConfigError, NoModelConfiguredError

#: Structured-output modes (see ``summarizer.engines.client``); spelled here only.
Capability = Literal["auto", "json_schema", "json_object", "prompt"]
CAPABILITIES: tuple[str, ...] = get_args(Capability)

#: Kinds of server (``summarizer.engines.profiles`` says what each accepts); spelled here only.
ServerName = Literal[
    "auto",
    "generic",
    "openai",
    "azure",
    "vllm",
    "ollama",
    "llama-server",
    "llama-cpp-python",
    "deepseek",
    "dashscope",
]
SERVER_NAMES: tuple[str, ...] = get_args(ServerName)

#: Sent as the key to endpoints that need none (Ollama, llama.cpp, vLLM without --api-key):
#: the SDK insists on a non-empty key.
PLACEHOLDER_API_KEY = "not-needed"

#: Query parameters that carry a key; they travel as the ``api-key`` header instead (Azure reads
#: it there), so that no URL holding a key reaches an HTTP library or its logs.
_KEY_PARAMETERS = frozenset({"api-key", "api_key", "apikey", "key", "subscription-key"})

#: Seconds for one whole article (preparation included) unless ``deadline`` or
#: ``SUMMARIZER_DEADLINE`` says otherwise; every engine uses it.
DEFAULT_DEADLINE = 600.0

HOW_TO_CONFIGURE = (
    "set SUMMARIZER_MODEL and OPENAI_BASE_URL (and OPENAI_API_KEY if the endpoint needs one), "
    "or pass --model/--base-url"
)


#: Where each endpoint setting came from, as the user wrote it.
_SOURCE_NAMES = {
    "model": "--model / model=",
    "SUMMARIZER_MODEL": "SUMMARIZER_MODEL",
    "base_url": "--base-url / base_url=",
    "OPENAI_BASE_URL": "OPENAI_BASE_URL",
}


class Secret:
    """A string that never shows itself in ``repr``, ``str``, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to call one model on one endpoint."""

    model: str
    #: Not in ``repr``: a URL may carry credentials (``https://user:pw@host/v1?api-key=...``).
    base_url: str | None = field(default=None, repr=False)
    api_key: Secret = field(default_factory=lambda: Secret(""))
    capability: Capability = "auto"
    #: Seconds for one HTTP request.
    request_timeout: float = 120.0
    #: Seconds for one whole article: every chunk, re-ask and transport retry included.
    deadline: float = DEFAULT_DEADLINE
    max_transport_attempts: int = 6
    #: How many times invalid output is sent back to the model with the validation errors.
    max_reasks: int = 2
    temperature: float | None = 0.0
    max_output_tokens: int | None = None
    #: Articles longer than this (in characters) are translated in paragraph chunks.
    chunk_chars: int = 6000
    #: Price per million tokens (input, output) in USD, when known; used for cost estimates.
    price_per_mtok: tuple[float, float] | None = None
    #: The kind of server (``summarizer.engines.profiles``); ``auto`` detects it.
    server: ServerName = "auto"
    #: The model's context window in tokens (default: the server's, or the profile's guess).
    context_window: int | None = None
    #: Requests the server works on at once, when the user knows better than what it says (or
    #: says nothing): ``None`` asks it (``summarizer.engines.slots``).
    server_slots: int | None = None
    #: Extra request fields for this server, sent as given (e.g. vLLM's ``top_k``, Qwen's
    #: ``chat_template_kwargs``, ``logit_bias``). Fields the client sets itself win.
    extra_body: dict[str, Any] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        if not self.model.strip():
            raise ConfigError(f"the model name is empty; {HOW_TO_CONFIGURE}")
        if self.capability not in CAPABILITIES:
            raise ConfigError(
                f"unknown capability {self.capability!r}; use one of {', '.join(CAPABILITIES)}"
            )
        if self.base_url is not None:
            check_base_url(self.base_url)
        if self.max_reasks < 0 or self.max_transport_attempts < 1:
            raise ConfigError("max_reasks must be >= 0 and max_transport_attempts >= 1")
        if self.server not in SERVER_NAMES:
            raise ConfigError(
                f"unknown server {self.server!r}; use one of {', '.join(SERVER_NAMES)} "
                "(--server or SUMMARIZER_SERVER)"
            )
        for name in ("deadline", "request_timeout"):
            _check_seconds(getattr(self, name), name)
        if self.temperature is not None and not (
            _finite(self.temperature) and 0 <= self.temperature <= 2
        ):
            raise ConfigError(
                f"temperature must be a number from 0 to 2, as --temperature takes "
                f"(got {self.temperature!r})"
            )
        if self.price_per_mtok is not None and not all(
            _finite(price) and price >= 0 for price in self.price_per_mtok
        ):
            raise ConfigError("price_per_mtok must be two finite numbers >= 0 (USD per 1M tokens)")
        too_few_output_tokens = self.max_output_tokens is not None and self.max_output_tokens < 1
        if self.chunk_chars < 1 or too_few_output_tokens:
            raise ConfigError("chunk_chars and max_output_tokens must be positive")
        if self.context_window is not None and self.context_window < 256:
            raise ConfigError("context_window must be at least 256 tokens")
        if self.server_slots is not None:
            check_server_slots(self.server_slots)
        if self.extra_body is not None:
            check_extra_body(self.extra_body)
        check_sendable_key(self.api_key.reveal(), "the API key")
        for name, value in self.connection().headers.items():
            if name == "api-key":
                check_sendable_key(
                    value, "the key parameter of the base URL (OPENAI_BASE_URL or --base-url)"
                )

    def connection(self) -> Connection:
        """The base URL without credentials or key parameters, and where those go instead.

        ``https://user:pw@host/v1?api-key=K&api-version=V`` becomes ``https://host/v1`` with an
        ``Authorization: Basic`` header, an ``api-key`` header and ``api-version=V`` as a query
        parameter the SDK appends to every request path (appending to a URL that already has a
        query would put the path inside the query).
        """
        if not self.base_url:
            return Connection(None, {}, {})
        parts = urlsplit(self.base_url)
        headers: dict[str, str] = {}
        if parts.username is not None or parts.password is not None:
            pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        query: dict[str, str] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name.lower() in _KEY_PARAMETERS:
                headers["api-key"] = value
            else:
                query[name] = value
        netloc = parts.hostname or ""
        if ":" in netloc:
            netloc = f"[{netloc}]"
        if parts.port:
            netloc += f":{parts.port}"
        clean = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        return Connection(clean, headers, query)

    def secrets(self) -> list[str]:
        """Every secret this config holds: the key and what the base URL carries."""
        found = [self.api_key.reveal()]
        connection = self.connection()
        found += list(connection.headers.values())
        if self.base_url:
            parts = urlsplit(self.base_url)
            found += [unquote(parts.password or ""), parts.password or ""]
            found += [value for name, value in connection.secret_query_values(self.base_url)]
        return [value for value in found if value and value != PLACEHOLDER_API_KEY]

    @property
    def endpoint_host(self) -> str:
        """The endpoint's host[:port], safe to show and record (no credentials, no path)."""
        if not self.base_url:
            return "api.openai.com"
        parts = urlsplit(self.base_url)
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else ""

    def with_options(self, **changes: object) -> ModelConfig:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def resolve(
        cls,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        environ: dict[str, str] | None = None,
        **options: object,
    ) -> ModelConfig | None:
        """A config from arguments, then environment; ``None`` when no endpoint is configured.

        An endpoint is configured by a model name plus a base URL or an API key (a key alone
        means api.openai.com). Half of one (a base URL or a key argument without a model, a model
        without a base URL or key) is a ``ConfigError`` naming what is missing: falling back to
        the offline engine then would drop the model the caller asked for without a word.
        ``OPENAI_API_KEY`` alone counts as nothing given: other tools read it too.
        """
        env = os.environ if environ is None else environ
        if "server" not in options and env.get("SUMMARIZER_SERVER"):
            options["server"] = env["SUMMARIZER_SERVER"].strip().lower()
        if "deadline" not in options and (deadline := deadline_from_environment(env)):
            options["deadline"] = deadline
        if options.get("server_slots") is None and env.get("SUMMARIZER_SERVER_SLOTS", "").strip():
            options["server_slots"] = server_slots_from_text(
                env["SUMMARIZER_SERVER_SLOTS"], "SUMMARIZER_SERVER_SLOTS"
            )
        model_source = "model" if model else "SUMMARIZER_MODEL"
        url_source = "base_url" if base_url else "OPENAI_BASE_URL"
        model = model or env.get("SUMMARIZER_MODEL") or None
        base_url = base_url or env.get("OPENAI_BASE_URL") or None
        key = api_key or env.get("OPENAI_API_KEY") or ""
        check_sendable_key(key, "the api_key argument" if api_key else "OPENAI_API_KEY")
        if not model and not base_url and not api_key:
            return None
        if not model:
            given = f"a base URL ({_SOURCE_NAMES[url_source]})" if base_url else "an API key"
            raise ConfigError(
                f"the model endpoint is half configured: {given} is given but no model name; "
                "pass --model (model= in Python) or set SUMMARIZER_MODEL"
            )
        if not base_url and not key:
            raise ConfigError(
                f"the model endpoint is half configured: a model ({_SOURCE_NAMES[model_source]}) "
                "is given but no endpoint; pass --base-url (base_url= in Python) or set "
                "OPENAI_BASE_URL, or set OPENAI_API_KEY alone for api.openai.com"
            )
        return cls(
            model=model,
            base_url=base_url,
            api_key=Secret(key or PLACEHOLDER_API_KEY),
            **options,  # type: ignore[arg-type]
        )

    @classmethod
    def require(cls, **kwargs: object) -> ModelConfig:
        """Like ``resolve`` but a missing configuration is a ``NoModelConfiguredError``."""
        config = cls.resolve(**kwargs)  # type: ignore[arg-type]
        if config is None:
            raise NoModelConfiguredError(f"no model endpoint is configured: {HOW_TO_CONFIGURE}")
        return config


@dataclass(frozen=True)
class Connection:
    """What the HTTP client gets: a clean base URL, extra headers, extra query parameters."""

    base_url: str | None
    headers: dict[str, str]
    query: dict[str, str]

    @staticmethod
    def secret_query_values(base_url: str) -> list[tuple[str, str]]:
        return [
            (name, value)
            for name, value in parse_qsl(urlsplit(base_url).query, keep_blank_values=True)
            if name.lower() in _KEY_PARAMETERS
        ]


#: What an API key may hold: visible ASCII. HTTP header values are ASCII and end at a line
#: break; keys are letters, digits and a little punctuation, so a space is a copy-paste leftover.
_SENDABLE_KEY = re.compile(r"[\x21-\x7e]*")


def check_sendable_key(key: str, name: str) -> None:
    """A ``ConfigError`` naming ``name`` (never showing the key) when ``key`` cannot be sent.

    A non-ASCII character (a non-breaking space pasted with the key) made the HTTP library fail
    with an encoding error; a line break was taken for a connection failure and retried.
    """
    if _SENDABLE_KEY.fullmatch(key):
        return
    position, char = next(
        (index, char) for index, char in enumerate(key) if not _SENDABLE_KEY.fullmatch(char)
    )
    # Whitespace is named (it is no part of any key); another character is not, being the key's.
    kind = _WHITESPACE_NAMES.get(char, "a space character" if char.isspace() else "")
    kind = kind or "a non-ASCII or control character"
    raise ConfigError(
        f"{name} cannot be sent in an HTTP header: it holds {kind} at character {position + 1} "
        f"of {len(key)}; API keys are visible ASCII only (check for a space, line break or "
        "non-breaking space copied with the key)"
    )


_WHITESPACE_NAMES = {
    " ": "a space",
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\u00a0": "a non-breaking space (U+00A0)",
    "\u200b": "a zero-width space (U+200B)",
    "\ufeff": "a byte order mark (U+FEFF)",
}


_SWITCH_ON = frozenset(("1", "on", "true", "yes"))
_SWITCH_OFF = frozenset(("0", "off", "false", "no"))


def env_switch(name: str, *, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """An on/off environment variable: unset or blank is ``default``.

    Any other word is a ``ConfigError`` rather than a guess: a misspelt off switch
    (``SUMMARIZER_LOG=offf``, ``SUMMARIZER_LAC=of``) must not silently leave a feature on.
    """
    value = (os.environ if environ is None else environ).get(name, "").strip().lower()
    if not value:
        return default
    if value in _SWITCH_ON:
        return True
    if value in _SWITCH_OFF:
        return False
    raise ConfigError(
        f"{name} must be one of 1, on, true, yes or 0, off, false, no; got {value[:40]!r}"
    )


def deadline_from_environment(environ: Mapping[str, str] | None = None) -> float | None:
    """``SUMMARIZER_DEADLINE`` as seconds (a ``ConfigError`` unless positive), or ``None``."""
    value = (os.environ if environ is None else environ).get("SUMMARIZER_DEADLINE")
    return _seconds(value, "SUMMARIZER_DEADLINE") if value else None


def check_deadline(value: object, name: str = "deadline") -> float:
    """``value`` as a deadline in seconds; NaN, infinity, zero or a negative: a ``ConfigError``."""
    return _check_seconds(value, name)


#: Where the server's slot count is set, for messages.
SERVER_SLOTS_SOURCES = "--server-slots, SUMMARIZER_SERVER_SLOTS or server_slots="


def check_server_slots(value: object) -> int:
    """``value`` as the requests a server works on at once: a whole number of at least 1, else a
    ``ConfigError`` (a bool, a fraction or zero would switch the gate off or stall it)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ConfigError(
        f"the server's slots ({SERVER_SLOTS_SOURCES}) must be a whole number of at least 1, "
        f"the requests it works on at once (got {str(value)[:20]!r})"
    )


def server_slots_from_text(text: str, name: str) -> int:
    """A slot count written as text (an environment variable, a CLI value), checked."""
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()):
        raise ConfigError(
            f"{name} must be a whole number of at least 1, the requests the server works on at "
            f"once (got {stripped[:20]!r})"
        )
    return check_server_slots(int(stripped))


def _seconds(value: str, name: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds (got {value[:20]!r})") from None
    return _check_seconds(seconds, name)


#: Request fields the client sets itself, each from its own option, or that would break reading
#: the answer (a stream, several choices): ``extra_body`` may not set them.
CLIENT_REQUEST_FIELDS: Mapping[str, str] = {
    "model": "--model (model=)",
    "messages": "the article and the prompt",
    "temperature": "--temperature (temperature=)",
    "max_tokens": "--max-output-tokens (max_output_tokens=)",
    "max_completion_tokens": "--max-output-tokens (max_output_tokens=)",
    "response_format": "--capability (capability=)",
    "stream": "nothing: answers are read whole",
    "n": "nothing: one answer is read",
}
#: Field names of credentials (``api_key``, ``Authorization``, ``access_token``, ``password``...);
#: not ``max_tokens`` or ``prompt_cache_key``.
_CREDENTIAL_FIELD = re.compile(
    r"(?i)(?:^|[_\-.])(?:api[_\-]?key|apikey|access[_\-]?key|secret[_\-]?key|private[_\-]?key|"
    r"secret|password|passwd|credentials?|authori[sz]ation|auth|bearer|cookie|"
    r"(?:(?:access|auth|id|refresh|session|bearer)[_\-]?)?token)$"
)


def check_base_url(base_url: str) -> None:
    """A ``ConfigError`` unless ``base_url`` is an http(s) URL with a host and a valid port.

    ``urlsplit`` raises a bare ``ValueError`` for a broken IPv6 host or port, which reached users
    as an internal error; the message never quotes the URL (it may hold a key)."""
    try:
        parts = urlsplit(base_url)
        scheme, host, _ = parts.scheme, parts.hostname, parts.port
    except ValueError:
        raise ConfigError(
            "the base URL is not a valid URL (its host or port cannot be read; an IPv6 host goes "
            "in brackets, a port is a number from 1 to 65535); check --base-url or "
            "OPENAI_BASE_URL"
        ) from None
    if scheme not in ("http", "https"):
        raise ConfigError(
            "the base URL must start with http:// or https:// "
            f"(got a URL starting with {base_url.split(':', 1)[0][:10]!r})"
        )
    if not host:
        raise ConfigError(
            "the base URL names no host (e.g. http://localhost:8000/v1); check --base-url or "
            "OPENAI_BASE_URL"
        )


def is_credential_name(name: str) -> bool:
    """Whether a field or query parameter called ``name`` carries a credential (``api_key``,
    ``key``, ``access_token``, ``Authorization``...)."""
    return name.lower() in _KEY_PARAMETERS or _CREDENTIAL_FIELD.search(name) is not None


def check_extra_body(extra_body: object) -> None:
    """A ``ConfigError`` unless ``extra_body`` can be sent as given: a JSON object that sets no
    field the client sets itself (``CLIENT_REQUEST_FIELDS``) and carries no credential.

    Request settings are written to the call log, to cache keys and to eval reports, so a key
    in ``extra_body`` would be kept in all of them: a field named like one (``api_key``,
    ``authorization``, ``access_token``...) or a value shaped like one (``sk-...``,
    ``Bearer ...``, a JWT ``eyJ….….…``, an AWS ``AKIA…`` key id; ``_TOKEN_SHAPES``) is refused,
    at any depth; the key goes in ``OPENAI_API_KEY`` (or the base URL).
    Nothing of the value is quoted in the message.
    """
    if not isinstance(extra_body, Mapping):
        raise ConfigError(
            f'extra_body must be a JSON object such as {{"top_k": 20}} '
            f"(got {type(extra_body).__name__})"
        )
    for name in extra_body:
        if name in CLIENT_REQUEST_FIELDS:
            raise ConfigError(
                f"extra_body cannot set {name!r}: the client sets it from "
                f"{CLIENT_REQUEST_FIELDS[name]}"
            )
    try:
        json.dumps(extra_body, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"extra_body must hold only JSON values ({error})") from None
    where = _credential_in(extra_body, "")
    if where is not None:
        raise ConfigError(
            f"extra_body {where} looks like a credential; request settings are logged, cached and "
            "reported, so a key goes only in OPENAI_API_KEY (api_key= in the library) or the "
            "base URL"
        )


def _credential_in(value: object, path: str) -> str | None:
    """Where in ``value`` a credential is (``field 'auth.token'``, ``value of 'x'``), if any."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            inner = f"{path}.{name}" if path else str(name)
            if not isinstance(name, str):
                continue  # json.dumps turned it into a string; a number names nothing secret
            if _CREDENTIAL_FIELD.search(name):
                return f"field {inner[:60]!r}"
            found = _credential_in(item, inner)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _credential_in(item, f"{path}[{index}]")
            if found is not None:
                return found
    elif isinstance(value, str):
        kind = _credential_kind(value)
        if kind is not None:
            where = f"value of {path[:60]!r}" if path else "value"
            return where if kind == "key" else f"{where} ({kind})"
    return None


#: Values shaped like a credential of a known kind, whatever their field is called: a JSON Web
#: Token (three base64url parts, the first a JSON header, ``eyJ``), and the fixed prefixes of AWS
#: access key ids, GitHub, Google API and Slack tokens.
_TOKEN_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a JSON Web Token",
        re.compile(r"\beyJ[A-Za-z0-9_\-]{6,}\.[A-Za-z0-9_\-]{6,}\.[A-Za-z0-9_\-]*"),
    ),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b")),
    (
        "a GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
    ),
    ("a Google API key", re.compile(r"\bAIza[A-Za-z0-9_\-]{35}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}")),
)


def _credential_kind(value: str) -> str | None:
    """What kind of credential ``value`` holds (``"key"`` for an API key or a Bearer token), if
    it holds one."""
    if redact(value) != value:
        return "key"
    for kind, shape in _TOKEN_SHAPES:
        if shape.search(value):
            return kind
    return None


def _finite(value: object) -> bool:
    """A real number that is neither NaN nor infinite (bools are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_seconds(value: object, name: str) -> float:
    """``value`` as seconds; NaN, infinity, zero and negatives are a ``ConfigError`` (NaN compares
    false with everything, so it would otherwise switch a bound off)."""
    if isinstance(value, int | float) and _finite(value) and value > 0:
        return float(value)
    raise ConfigError(f"{name} must be a positive number of seconds (got {value!r})")


_BEARER = re.compile(r"(?i)(bearer\s+|api[-_ ]?key[\"'=:\s]+)[A-Za-z0-9._\-]{16,}")
_KEY_SHAPES = re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}")


def redact(text: str, *secrets: Secret | str | None) -> str:
    """``text`` with the given secrets and anything shaped like an API key replaced by ``***``."""
    for secret in secrets:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if value and value != PLACEHOLDER_API_KEY and len(value) >= 4:
            text = text.replace(value, "***")
    # The patterns are slow on long texts (the call log redacts every prompt): run each only when
    # the text holds the words it needs; the result is the same.
    lowered = text.lower()
    if "bearer" in lowered or ("api" in lowered and "key" in lowered):
        text = _BEARER.sub(lambda match: match.group(1) + "***", text)
    if "sk-" in text:
        text = _KEY_SHAPES.sub("***", text)
    return text
