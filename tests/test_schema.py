"""Every schema we send as ``response_format`` satisfies OpenAI's strict structured-output rules.

Strict mode rejects a schema (HTTP 400) when an object does not list every property as required or
does not forbid additional properties, and it does not support a number of JSON-schema keywords.
The engine's ``SENT_MODELS`` is the list of everything it sends; the engine tests check that no
other schema ever goes over the wire.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from summarizer.engines.openai import SENT_MODELS
from summarizer.schema import schema_hash, strict_json_schema

#: Keywords strict mode rejects or that we do not rely on the endpoint enforcing.
UNSUPPORTED = frozenset(
    {
        "default",
        "examples",
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "uniqueItems",
        "patternProperties",
        "propertyNames",
        "unevaluatedProperties",
        "if",
        "then",
        "else",
        "not",
        "oneOf",
        "allOf",
        "dependentRequired",
        "dependentSchemas",
        "const",
    }
)
#: OpenAI's documented limits for strict schemas.
MAX_NESTING = 10
MAX_PROPERTIES = 5000


def strict_violations(schema: dict[str, Any]) -> list[str]:
    """Every way ``schema`` breaks the strict rules (empty when it is acceptable)."""
    found: list[str] = []
    definitions = schema.get("$defs", {})
    if schema.get("type") != "object":
        found.append("(root): the root must be an object, not anyOf or another type")

    def visit(node: Any, path: str, depth: int) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                visit(item, f"{path}[{index}]", depth)
            return
        if not isinstance(node, dict):
            return
        if depth > MAX_NESTING:
            found.append(f"{path}: nested deeper than {MAX_NESTING}")
            return
        for keyword in sorted(UNSUPPORTED & node.keys()):
            found.append(f"{path}: unsupported keyword {keyword!r}")
        if "$ref" in node:
            name = str(node["$ref"]).removeprefix("#/$defs/")
            if name not in definitions:
                found.append(f"{path}: $ref to a missing definition {node['$ref']}")
        if node.get("type") == "object" or "properties" in node:
            properties = node.get("properties")
            if not isinstance(properties, dict):
                found.append(f"{path}: object without properties (free-form maps not allowed)")
            else:
                if node.get("additionalProperties") is not False:
                    found.append(f"{path}: additionalProperties must be false")
                if sorted(node.get("required", [])) != sorted(properties):
                    found.append(f"{path}: every property must be required")
                for name, child in properties.items():
                    visit(child, f"{path}.{name}", depth + 1)
        if node.get("type") == "array" and "items" not in node:
            found.append(f"{path}: array without items")
        for keyword in ("items", "anyOf"):
            if keyword in node:
                visit(node[keyword], f"{path}.{keyword}", depth + 1)

    visit({k: v for k, v in schema.items() if k != "$defs"}, "(root)", 0)
    for name, definition in definitions.items():
        visit(definition, f"$defs.{name}", 1)
    return found


@pytest.mark.parametrize("model", SENT_MODELS, ids=lambda model: model.__name__)
def test_every_sent_schema_satisfies_strict_mode(model: type[BaseModel]) -> None:
    assert strict_violations(strict_json_schema(model)) == []


@pytest.mark.parametrize("model", SENT_MODELS, ids=lambda model: model.__name__)
def test_schema_hash_is_stable_and_distinct(model: type[BaseModel]) -> None:
    assert schema_hash(model) == schema_hash(model)
    assert len({schema_hash(m) for m in SENT_MODELS}) == len(SENT_MODELS)


def test_the_checker_catches_what_strict_mode_rejects() -> None:
    """The checker itself must fail on bad schemas, or the tests above prove nothing."""

    class Loose(BaseModel):
        name: str = "x"
        tags: dict[str, str]

    raw = Loose.model_json_schema()
    problems = strict_violations(raw)
    assert any("additionalProperties must be false" in p for p in problems)
    assert any("every property must be required" in p for p in problems)
    assert any("unsupported keyword 'default'" in p for p in problems)
    assert any("free-form maps" in p for p in problems)
    assert strict_violations({"anyOf": [{"type": "object"}]})[0].startswith("(root)")


def test_outline_schema_is_the_draft_without_translation() -> None:
    draft, outline = (strict_json_schema(model) for model in SENT_MODELS[:2])
    assert set(draft["properties"]) - set(outline["properties"]) == {"translation"}
    del draft["properties"]["translation"]
    draft["required"].remove("translation")
    draft["$defs"].pop("Translation")
    draft.pop("description", None)
    outline.pop("description", None)
    draft.pop("title", None)
    assert draft == outline
