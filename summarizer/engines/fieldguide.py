"""The field guide: what each output field means, for models that never see the JSON schema.

Only OpenAI shows a ``json_schema`` to the model. vLLM, Ollama and the llama.cpp servers use it to
constrain decoding and nothing more, so without a guide the model would not know that evidence is
copied in the original language or that ``date_iso`` is ``YYYY-MM-DD``. The guide is generated from
the schema actually sent (so from the pydantic field descriptions in ``summarizer.schema``, plus
per-request counts): one source of truth, no hand-written second copy. It is also much shorter than
the schema's JSON (no ``additionalProperties``, ``required`` lists or ``$ref`` plumbing), so it
replaces the schema in prompts where the model must write the JSON without a constraint too.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["field_guide", "without_request_counts"]

_EXACT_COUNT = re.compile(r"\(list of exactly \d+ (\w+)\)")


def field_guide(schema: dict[str, Any]) -> str:
    """One line per field, nested by indentation: ``- name (type): description``."""
    definitions = schema.get("$defs", {})
    lines: list[str] = []
    _describe_object(schema, definitions, lines, depth=0)
    return "\n".join(lines)


def without_request_counts(guide: str) -> str:
    """``guide`` with the counts one request fixes (``list of exactly 7 strings``) made generic.

    Prompts from ``summarize/v3`` on keep the system message the same bytes for every article so
    that servers reuse its tokens; the exact count is stated in the user message instead (and the
    schema sent for constrained decoding still carries it).
    """
    return _EXACT_COUNT.sub(r"(list of \1, exactly as many as the user message says)", guide)


def _resolve(node: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        target = definitions.get(reference.removeprefix("#/$defs/"), {})
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _describe_object(
    node: dict[str, Any], definitions: dict[str, Any], lines: list[str], depth: int
) -> None:
    for name, raw in (node.get("properties") or {}).items():
        field = _resolve(raw, definitions)
        nullable, inner = _unwrap_nullable(field, definitions)
        kind = _kind(inner, definitions)
        if nullable:
            kind += " or null"
        description = field.get("description") or inner.get("description") or ""
        if inner.get("type") == "object" and not raw.get("description"):
            description = ""  # a nested object's own docstring adds little
        lines.append(f"{'  ' * depth}- {name} ({kind}){': ' + description if description else ''}")
        child = inner
        if inner.get("type") == "array":
            child = _resolve(inner.get("items") or {}, definitions)
        if child.get("type") == "object" and child.get("properties"):
            _describe_object(child, definitions, lines, depth + 1)


def _unwrap_nullable(
    field: dict[str, Any], definitions: dict[str, Any]
) -> tuple[bool, dict[str, Any]]:
    options = field.get("anyOf")
    if isinstance(options, list):
        others = [_resolve(o, definitions) for o in options if o != {"type": "null"}]
        if len(others) == 1:
            return len(others) < len(options), others[0]
    kind = field.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        return True, {**field, "type": rest[0] if len(rest) == 1 else rest}
    return False, field


def _kind(node: dict[str, Any], definitions: dict[str, Any]) -> str:
    kind = node.get("type")
    if "enum" in node:
        values = node["enum"]
        shown = ", ".join(str(v) for v in values[:12]) + (", ..." if len(values) > 12 else "")
        return f"one of {shown}"
    if kind == "array":
        items = _resolve(node.get("items") or {}, definitions)
        noun = {"string": "strings", "object": "objects", "integer": "integers"}.get(
            str(items.get("type")), "items"
        )
        low, high = node.get("minItems"), node.get("maxItems")
        if low is not None and low == high:
            return f"list of exactly {low} {noun}"
        if low is not None and high is not None:
            return f"list of {low} to {high} {noun}"
        return f"list of {noun}"
    return str(kind or "value")
