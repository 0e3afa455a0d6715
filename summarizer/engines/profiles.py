"""Server profiles: how each kind of OpenAI-compatible server really takes structured output.

"OpenAI-compatible" servers differ exactly where this library leans on them. A profile records,
per server kind:

* **how structured output is asked for** (``rungs``, most structured first): OpenAI's
  ``response_format: json_schema``; ``json_object`` carrying a ``schema`` (llama-cpp-python and
  llama.cpp's ``llama-server`` constrain decoding with it); Ollama's own ``format`` field; plain
  JSON mode; or nothing (the prompt alone). vLLM takes ``response_format: json_schema`` and turns
  it into its guided decoding, so no vLLM-only field is needed;
* **whether the model sees the schema**. Only OpenAI (and Azure OpenAI) show it to the model; the
  others only constrain decoding, so the prompt carries a field guide (``engines.fieldguide``);
* **the schema dialect**: inline ``$defs`` (Ollama), nullable as a type list, keywords to drop;
* **context and output limits**: a default context window, and the request field that sets it
  (Ollama's ``options.num_ctx``: without it Ollama silently truncates to a few thousand tokens).

The profile comes from ``server=`` / ``SUMMARIZER_SERVER``; ``auto`` (the default) recognises
hosted APIs by host name and self-hosted servers by one ``GET /models`` (``owned_by`` and the
fields each server adds), which also tells vLLM's and llama-server's context window (the
latter also from ``GET /props``). Anything else is ``generic``: the longest ladder, stepping down
when a rejection names the structured-output field.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Literal, get_args

from summarizer.config import SERVER_NAMES, ServerName

__all__ = ["PROFILES", "SERVER_NAMES", "ServerName", "ServerProfile", "get_profile"]

#: The ways of asking for structured output (capability rungs), most structured first.
#: ``json_schema``: ``response_format {"type": "json_schema", ...}``;
#: ``json_object_schema``: ``response_format {"type": "json_object", "schema": ...}``;
#: ``ollama_format``: ``format: schema``;
#: ``json_object``: plain JSON mode; ``prompt``: no request field, JSON asked for in words.
#: (``ollama_format`` also sends ``response_format`` json_schema, which Ollama's ``/v1`` maps to
#: ``format``; whichever field a given Ollama version reads, the schema is the same.)
Rung = Literal["json_schema", "json_object_schema", "ollama_format", "json_object", "prompt"]
RUNGS: tuple[str, ...] = get_args(Rung)
#: Rungs whose decoding follows the schema (the model may still not *see* it).
CONSTRAINED_RUNGS = frozenset({"json_schema", "json_object_schema", "ollama_format"})


@dataclass(frozen=True)
class ServerProfile:
    """What one kind of server accepts; see the module docstring."""

    name: str
    #: Structured-output rungs tried in order with capability ``auto``.
    rungs: tuple[str, ...]
    #: Whether the model reads the schema (its descriptions) when decoding is constrained by it.
    model_sees_schema: bool = False
    #: ``$ref``/``$defs`` must be inlined.
    inline_refs: bool = False
    #: Nullable written as ``"type": ["string", "null"]`` instead of ``anyOf``.
    nullable_as_type_list: bool = False
    #: Schema keywords this server rejects or mishandles; dropped before sending.
    drop_keywords: tuple[str, ...] = ()
    #: Context window (tokens) assumed when neither the config nor the server says.
    context_window: int | None = None
    #: Request field that sets the context window (dotted path), when the server needs one.
    context_field: str | None = None
    #: The output-token cap's name.
    max_tokens_field: str = "max_tokens"

    def rung_for(self, capability: str) -> str:
        """The rung a fixed (not ``auto``) capability means on this server."""
        if capability == "json_schema":
            return next((rung for rung in self.rungs if rung in CONSTRAINED_RUNGS), "json_schema")
        return capability

    def schema_for(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``schema`` rewritten into this server's dialect (a copy)."""
        result = copy.deepcopy(schema)
        if self.inline_refs:
            result = _inline_refs(result, result.get("$defs", {}))
            result.pop("$defs", None)
        if self.nullable_as_type_list or self.drop_keywords:
            _rewrite(result, self.nullable_as_type_list, self.drop_keywords)
        return result


_FULL_LADDER = ("json_schema", "json_object_schema", "json_object", "prompt")

PROFILES: dict[str, ServerProfile] = {
    profile.name: profile
    for profile in (
        ServerProfile("generic", _FULL_LADDER),
        ServerProfile(
            "openai",
            ("json_schema", "json_object", "prompt"),
            model_sees_schema=True,
            context_window=128_000,
            max_tokens_field="max_completion_tokens",
        ),
        ServerProfile(
            "azure",
            ("json_schema", "json_object", "prompt"),
            model_sees_schema=True,
            context_window=128_000,
            max_tokens_field="max_completion_tokens",
        ),
        # vLLM: json_schema becomes guided decoding (xgrammar/outlines); the model does not see it.
        # Its context window comes from GET /models (max_model_len).
        ServerProfile("vllm", ("json_schema", "json_object", "prompt")),
        # Ollama: `format` takes a schema; $defs and nullable anyOf are reported rejected or
        # unenforced, so they are rewritten. Default context 2048-4096 unless num_ctx is sent.
        ServerProfile(
            "ollama",
            ("ollama_format", "json_object", "prompt"),
            inline_refs=True,
            nullable_as_type_list=True,
            drop_keywords=("additionalProperties",),
            context_window=16_384,
            context_field="options.num_ctx",
        ),
        ServerProfile(
            "llama-server",
            ("json_schema", "json_object_schema", "json_object", "prompt"),
        ),
        # llama-cpp-python answers response_format json_schema with HTTP 500 (a pydantic error
        # naming response_format); json_object with a schema is grammar-constrained.
        ServerProfile("llama-cpp-python", ("json_object_schema", "json_object", "prompt")),
        ServerProfile("deepseek", ("json_object", "prompt"), context_window=64_000),
        ServerProfile("dashscope", ("json_object", "prompt"), context_window=32_000),
    )
}


def get_profile(name: str) -> ServerProfile:
    """The profile called ``name`` (``auto`` means ``generic`` until something better is known)."""
    return PROFILES["generic" if name == "auto" else name]


def profile_from_host(host: str) -> str | None:
    """A profile known from the host name alone (hosted APIs, Ollama's default port)."""
    host = host.lower()
    if host == "api.openai.com":
        return "openai"
    if host.endswith((".openai.azure.com", ".cognitiveservices.azure.com", ".azure-api.net")):
        return "azure"
    if host.endswith("deepseek.com"):
        return "deepseek"
    if "dashscope" in host and host.endswith(".aliyuncs.com"):
        return "dashscope"
    if host.endswith(":11434"):
        return "ollama"
    return None


def window_from_props(body: Any) -> int | None:
    """The context window (per slot) from llama-server's ``GET /props``, when it says."""
    settings = body.get("default_generation_settings") if isinstance(body, dict) else None
    window = settings.get("n_ctx") if isinstance(settings, dict) else None
    return window if isinstance(window, int) and window > 0 else None


def slots_from_props(body: Any) -> int | None:
    """How many requests llama-server works on at once (``total_slots``, its ``-np``), when
    its ``GET /props`` says."""
    slots = body.get("total_slots") if isinstance(body, dict) else None
    return slots if isinstance(slots, int) and not isinstance(slots, bool) and slots > 0 else None


def profile_from_models(body: Any) -> tuple[str | None, int | None]:
    """(profile, context window) recognised from a ``GET /models`` body, when it says."""
    data = body.get("data") if isinstance(body, dict) else None
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else None
    if first is None:
        return None, None
    owner = str(first.get("owned_by", "")).lower()
    window = first.get("max_model_len")
    context = window if isinstance(window, int) and window > 0 else None
    meta = first.get("meta")
    if owner == "vllm":
        return "vllm", context
    if owner == "llamacpp" or (isinstance(meta, dict) and "n_ctx_train" in meta):
        # ``n_ctx`` is what the server runs with, per slot (``-c`` divided by ``-np``);
        # ``n_ctx_train`` is only what the model was trained for.
        served = meta.get("n_ctx") if isinstance(meta, dict) else None
        return "llama-server", served if isinstance(served, int) and served > 0 else None
    if owner == "me" and "permissions" in first:
        return "llama-cpp-python", None
    if owner in ("library", "ollama"):
        return "ollama", None
    return None, context


# --- schema dialect rewrites ---------------------------------------------------------------------


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline_refs(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        target = definitions[reference.removeprefix("#/$defs/")]
        merged = {**copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline_refs(merged, definitions)
    return {key: _inline_refs(value, definitions) for key, value in node.items() if key != "$defs"}


def _rewrite(node: Any, type_lists: bool, drop: tuple[str, ...]) -> None:
    if isinstance(node, list):
        for item in node:
            _rewrite(item, type_lists, drop)
        return
    if not isinstance(node, dict):
        return
    for keyword in drop:
        node.pop(keyword, None)
    options = node.get("anyOf")
    if type_lists and isinstance(options, list) and len(options) == 2:
        others = [option for option in options if option != {"type": "null"}]
        if len(others) == 1 and isinstance(others[0].get("type"), str):
            del node["anyOf"]
            node.update(others[0])
            node["type"] = [others[0]["type"], "null"]
    for value in node.values():
        _rewrite(value, type_lists, drop)
