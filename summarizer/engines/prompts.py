"""Versioned prompt templates: load them from disk, render them into chat messages.

Each task has one folder per version, ``prompts/<task>/<version>/`` with ``system.j2``, ``user.j2``,
``reask.j2`` (the message that sends validation problems back) and ``template.toml`` (name, version,
description, ``few_shot`` default), and optionally ``examples.json`` (few-shot examples: a list of
``{"article": "[P1] ...", "output": {...}}``, the output being what the model should write).
Templates live outside the code so that a prompt change is a reviewable diff with its own version,
and the version plus a hash of the files (``fingerprint``) goes into every result's ``meta`` and
every cache key.

Installed wheels carry the folder as ``summarizer/_prompts``; a source checkout uses the
repository's top-level ``prompts/``. Rendering uses ``StrictUndefined``: a slot the caller forgot is
an error, not an empty string in front of a model.

The article itself is fenced (``article_fence``) with a nonce that does not occur in its text, so
nothing inside the article can close the fence and speak as the instructions.

From ``summarize/v3`` and ``translate_chunk/v3`` on, the system message holds no per-article value
(the fence code, paragraph counts and damage are stated at the top of the user message), so it is
the same bytes for every article and servers that cache prompt prefixes (llama-server, vLLM,
OpenAI) evaluate it once rather than once per article.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

import summarizer
from summarizer.engines.fieldguide import without_request_counts
from summarizer.errors import ConfigError

_VERSION_DIR = re.compile(r"^v(\d+)$")
_REQUIRED_FILES = ("template.toml", "system.j2", "user.j2", "reask.j2")
_TEMPLATE_FILES = (*_REQUIRED_FILES, "examples.json")


# --- slot types: what templates read (attribute access is also the fast path in jinja) -----------


class NumberedParagraph(NamedTuple):
    number: int  # the n of the [P<n>] marker
    text: str


class TermHint(NamedTuple):
    term: str  # as written in the article
    english: str


class PersonHint(NamedTuple):
    name: str  # as written in the article
    name_en: str
    titles: tuple[str, ...]
    titles_en: tuple[str, ...]


class Example(NamedTuple):
    """A few-shot example: an article (with [P<n>] markers) and the JSON answer for it."""

    article: str
    output: str


def prompt_roots() -> list[Path]:
    """Where templates are looked for, in order: the installed package data, then the checkout."""
    package_dir = Path(summarizer.__file__).resolve().parent
    return [package_dir / "_prompts", package_dir.parent / "prompts"]


@dataclass(frozen=True)
class PromptTemplate:
    """One version of one task's prompt."""

    name: str
    version: str
    description: str
    #: Whether few-shot examples are sent unless the caller says otherwise.
    few_shot: bool
    #: Short hash of every file of this template version (changes whenever any of them changes).
    fingerprint: str
    path: Path
    system_template: jinja2.Template = field(repr=False, compare=False)
    user_template: jinja2.Template = field(repr=False, compare=False)
    reask_template: jinja2.Template = field(repr=False, compare=False)
    examples: tuple[Example, ...] = ()

    def render(self, **context: Any) -> list[dict[str, str]]:
        """The ``[system, user]`` messages for ``context``; a missing slot is a ``ConfigError``."""
        try:
            system = self.system_template.render(**context)
            user = self.user_template.render(**context)
        except jinja2.UndefinedError as error:
            raise ConfigError(
                f"prompt template {self.name}/{self.version} needs a value the caller did not "
                f"give: {error.message}"
            ) from error
        return [
            {"role": "system", "content": _tidy(system)},
            {"role": "user", "content": _tidy(user)},
        ]

    def render_reask(self, **context: Any) -> str:
        """The user message that sends validation problems back after an invalid answer."""
        try:
            return _tidy(self.reask_template.render(**context))
        except jinja2.UndefinedError as error:
            raise ConfigError(
                f"re-ask template of {self.name}/{self.version} needs a value the caller did not "
                f"give: {error.message}"
            ) from error


def _tidy(text: str) -> str:
    """Collapse the blank-line runs that optional template sections leave behind."""
    while "\n\n\n" in text:  # str methods: several times faster than a regex on CJK text
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


_ENVIRONMENT = jinja2.Environment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,  # plain text for a model, not HTML
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
# Templates that keep the system message the same for every article (prefix caching) use it.
_ENVIRONMENT.filters["without_request_counts"] = without_request_counts


def available_versions(task: str) -> list[str]:
    """The versions of ``task`` found in the first root that has it, oldest first."""
    for root in prompt_roots():
        task_dir = root / task
        if task_dir.is_dir():
            versions = [
                child.name
                for child in task_dir.iterdir()
                if child.is_dir() and _VERSION_DIR.match(child.name)
            ]
            if versions:
                return sorted(versions, key=lambda name: int(name[1:]))
    return []


@lru_cache(maxsize=32)
def load_template(task: str, version: str = "latest") -> PromptTemplate:
    """Load (once per process) version ``version`` of ``task``'s prompt; "latest" is the highest."""
    versions = available_versions(task)
    if not versions:
        roots = ", ".join(str(root) for root in prompt_roots())
        raise ConfigError(f"no prompt templates for task {task!r} under {roots}")
    chosen = versions[-1] if version == "latest" else version
    if chosen not in versions:
        raise ConfigError(
            f"prompt {task!r} has no version {version!r}; available: {', '.join(versions)}"
        )
    if version == "latest":  # share one cached object with the explicit version
        return load_template(task, chosen)
    for root in prompt_roots():
        folder = root / task / chosen
        if folder.is_dir():
            return _load_folder(folder)
    raise ConfigError(f"prompt folder for {task}/{chosen} disappeared while loading")


def _load_folder(folder: Path) -> PromptTemplate:
    digest = hashlib.sha256()
    contents: dict[str, str] = {}
    for file_name in _TEMPLATE_FILES:
        file_path = folder / file_name
        if file_path.is_file():
            text = file_path.read_text(encoding="utf-8")
            contents[file_name] = text
            digest.update(file_name.encode() + b"\0" + text.encode() + b"\0")
    missing = [name for name in _REQUIRED_FILES if name not in contents]
    if missing:
        raise ConfigError(f"prompt folder {folder} lacks {', '.join(missing)}")
    meta = tomllib.loads(contents["template.toml"])
    examples = [
        Example(
            article=str(example["article"]),
            output=json.dumps(example["output"], ensure_ascii=False, separators=(",", ":")),
        )
        for example in json.loads(contents.get("examples.json", "[]"))
    ]
    return PromptTemplate(
        name=str(meta.get("name", folder.parent.name)),
        version=str(meta.get("version", folder.name)),
        description=str(meta.get("description", "")),
        few_shot=bool(meta.get("few_shot", False)),
        fingerprint=digest.hexdigest()[:16],
        path=folder,
        examples=tuple(examples),
        system_template=_ENVIRONMENT.from_string(contents["system.j2"]),
        user_template=_ENVIRONMENT.from_string(contents["user.j2"]),
        reask_template=_ENVIRONMENT.from_string(contents["reask.j2"]),
    )


def article_fence(text: str) -> str:
    """A nonce for the article delimiters that does not occur in ``text``.

    Derived from the text's hash, so the same article gives the same prompt (provider-side prompt
    caches and reproducible runs), yet no article can contain the fence that wraps it: that would
    need the text to contain its own hash. The loop covers the impossible case anyway.
    """
    for salt in range(1000):
        nonce = hashlib.sha256(f"{salt}\0{text}".encode()).hexdigest()[:16]
        if nonce not in text:
            return nonce
    raise AssertionError("could not find an article fence that is absent from the text")


def numbered_paragraphs(paragraphs: list[str], first_number: int = 1) -> list[NumberedParagraph]:
    """Paragraphs numbered for the ``[P<n>]`` markers in templates."""
    return [
        NumberedParagraph(number, text)
        for number, text in enumerate(paragraphs, start=first_number)
    ]
