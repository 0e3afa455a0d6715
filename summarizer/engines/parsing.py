"""Reading a model's answer: the JSON in it, parsed into a typed model, or problems a model can fix.

The lowest layer of the engine side: the transport (``engines.client``) uses ``extract_json`` for
the text of an answer, and the OpenAI-compatible engine, the judge and the Batch API ingest use
``parse``. ``Problem`` is the one shape of "something is wrong with the output", shared with the
semantic checks in ``summarizer.engines.validation``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from pydantic import BaseModel, ValidationError

Severity = Literal["error", "warning"]
M = TypeVar("M", bound=BaseModel)

#: At most this many problems are listed in one re-ask message (the rest follow in the next round).
MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a model's output."""

    #: Stable machine-readable name, e.g. ``evidence.not_in_source``.
    code: str
    #: Where, in the output's JSON: ``key_points[2].evidence``.
    path: str
    #: What is wrong and what to do, addressed to the model that wrote the output.
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def describe(problems: Sequence[Problem]) -> str:
    """The problems as a bulleted list for a re-ask message (bounded in length)."""
    listed = [f"- {problem}" for problem in problems[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        listed.append(f"- ... and {len(problems) - MAX_LISTED_PROBLEMS} more problems like these")
    return "\n".join(listed)


_FENCE = re.compile(r"```[ \t]*(?:json[c5]?|JSON)?[ \t]*\r?\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def extract_json(content: str) -> str:
    """The JSON inside a model's answer: the answer itself, a fenced block, or the first object.

    Reasoning blocks (``<think>...</think>``) are dropped. When nothing JSON-like is found the text
    is returned as is, so that the caller's validation reports what the model actually wrote.
    """
    text = content.strip()
    if text.startswith(("{", "[")):
        return text
    if "<think>" in text.lower():
        text = _THINK.sub("", text).strip()
        if text.startswith(("{", "[")):
            return text
    for match in _FENCE.finditer(text):
        candidate = match.group(1).strip()
        if candidate.startswith(("{", "[")):
            return candidate
    start = text.find("{")
    if start < 0:
        return text
    end: int
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        last = text.rfind("}")
        return text[start : last + 1] if last > start else text[start:]
    return text[start:end]


def parse(content: str, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Parse a model's answer into ``model``; on failure, problems a model can fix."""
    text = extract_json(content)
    try:
        return model.model_validate_json(text), []
    except ValidationError as error:
        return None, schema_problems(error)
    except json.JSONDecodeError as error:  # pragma: no cover - pydantic wraps these
        return None, [Problem("json.invalid", "", f"the answer is not valid JSON: {error}")]


def schema_problems(error: ValidationError) -> list[Problem]:
    """pydantic errors as problems with JSON paths (``key_points[2].evidence``)."""
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        if item["type"] == "json_invalid":
            problems.append(
                Problem(
                    "json.invalid",
                    "",
                    "the answer is not valid JSON "
                    f"({item['msg']}); answer with exactly one complete JSON object",
                )
            )
            continue
        path = _json_path(item["loc"])
        problems.append(Problem(f"schema.{item['type']}", path, f"{item['msg']}"))
    return problems


def _json_path(location: Sequence[int | str]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(root)"
