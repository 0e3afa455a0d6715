"""Gold sets: versioned, hashed collections of articles with human references.

A set is a folder holding ``manifest.json`` (name, version, description, provenance, license,
content_hash) and ``examples.jsonl`` (one example per line; format in ``evals/README.md``). The
content hash is SHA-256 over the canonical JSON of every example (keys sorted, no whitespace, UTF-8,
one example per line, in file order), so a set's identity is its content: any edit shows up as a
different hash in every score signature, and a file changed without updating the manifest is
refused.

Shipped sets live in the repository's ``evals/`` folder, and in ``summarizer/_evals`` inside the
wheel. The user's own sets (e.g. saved from the review page of ``summarizer serve``) live in
``user_sets_root()``: ``$SUMMARIZER_EVAL_SETS``, else an ``eval-sets`` folder in the user data dir.
``load_set`` finds either kind by name (shipped first), or takes a path to any folder of the same
shape.

External sets (``evals/external/NAME``, checkout only, never in the wheel) are built on each
machine from public data that the repository does not redistribute: their ``manifest.json`` (ids,
splits, content hash, and the ``build`` command) is committed, their ``examples.jsonl`` is not.
Loading one that is not built raises ``GoldSetNotBuiltError`` naming the command; a rebuilt set
is checked against the committed content hash like any other.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from summarizer.errors import GoldSetError, GoldSetNotBuiltError, JSONLError
from summarizer.jsonl import read_objects

#: Overrides where the user's own sets live (see ``user_sets_root``).
USER_SETS_ENV = "SUMMARIZER_EVAL_SETS"
MANIFEST = "manifest.json"
EXAMPLES = "examples.jsonl"
#: Where external sets live in a checkout, under ``evals/``.
EXTERNAL = "external"
#: Manifest key of an external set that only holds the texts of a hand-labelled split of
#: ``evals/labelled`` (not a set that benchmarks walk).
LABELLED_TEXTS_KEY = "labelled_texts"
REQUIRED_MANIFEST_KEYS = ("name", "version", "description", "provenance", "license")
REQUIRED_EXAMPLE_KEYS = ("id", "source", "provenance", "license")
#: Reference fields an example may carry (all optional); see ``evals/README.md``.
REFERENCE_FIELDS = (
    "headline",
    "summary",
    "summary_zh",
    "key_points",
    "people",
    "organizations",
    "places",
    "events",
    "translation",
)


@dataclass(frozen=True)
class Example:
    """One article with its references (only the references that exist)."""

    id: str
    source: str
    provenance: str
    license: str
    references: Mapping[str, Any] = field(default_factory=dict)
    #: A cleaned reading of ``source`` for humans (paragraph list), when the set has one.
    source_clean: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def source_hash(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8", "surrogatepass")).hexdigest()

    def texts(self, name: str) -> list[str]:
        """A text reference as a list of alternatives ([] when absent)."""
        value = self.references.get(name)
        if value is None:
            return []
        return [value] if isinstance(value, str) else [str(item) for item in value]

    def translations(self) -> list[list[str]]:
        """Reference translations, each a list of paragraphs ([] when absent)."""
        value = self.references.get("translation") or []
        return [[str(paragraph) for paragraph in reference] for reference in value]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "provenance": self.provenance,
            "license": self.license,
            "references": dict(self.references),
        }
        if self.source_clean:
            data["source_clean"] = list(self.source_clean)
        if self.extra:
            data["extra"] = dict(self.extra)
        return data


@dataclass(frozen=True)
class GoldSet:
    name: str
    version: str
    description: str
    provenance: str
    license: str
    content_hash: str
    examples: tuple[Example, ...]
    path: Path | None = None
    notes: Mapping[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Example]:
        return iter(self.examples)

    def __len__(self) -> int:
        return len(self.examples)

    @property
    def short_hash(self) -> str:
        return self.content_hash.removeprefix("sha256:")[:12]

    @property
    def signature(self) -> str:
        """``name@version#hash``: names the exact content a score was computed on."""
        return f"{self.name}@{self.version}#{self.short_hash}"

    def by_id(self) -> dict[str, Example]:
        return {example.id: example for example in self.examples}


def canonical_line(example: Mapping[str, Any]) -> str:
    """The canonical JSON of one example (what the content hash covers)."""
    return json.dumps(example, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(examples: Sequence[Mapping[str, Any]]) -> str:
    digest = hashlib.sha256()
    for example in examples:
        digest.update(canonical_line(example).encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()


def shipped_roots() -> list[Path]:
    """Where shipped sets live: the wheel's ``summarizer/_evals``, then the checkout's ``evals``."""
    package = Path(__file__).resolve().parent.parent
    return [package / "_evals", package.parent / "evals"]


def shipped_set_names() -> list[str]:
    names: set[str] = set()
    for root in shipped_roots():
        if root.is_dir():
            names.update(p.parent.name for p in root.glob(f"*/{MANIFEST}"))
    return sorted(names)


def external_root() -> Path:
    """Where external sets live: the checkout's ``evals/external`` (absent from the wheel)."""
    return Path(__file__).resolve().parent.parent.parent / "evals" / EXTERNAL


def external_set_names() -> list[str]:
    """External sets with a committed manifest, built here or not (see ``is_built``)."""
    root = external_root()
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob(f"*/{MANIFEST}"))


def is_built(name_or_path: str | Path) -> bool:
    """Whether a set's examples are on this machine (always true for shipped and user sets)."""
    return (find_set(name_or_path) / EXAMPLES).is_file()


def evals_set_names() -> list[str]:
    """Every gold set of the checkout that benchmarks walk, shipped and external, by name (an
    external set may not be built: ``load_set`` then says how to build it). Sets that only hold
    the texts of a labelled entity split are left out."""
    external = [
        name
        for name in external_set_names()
        if LABELLED_TEXTS_KEY not in _read_json(external_root() / name / MANIFEST)
    ]
    return sorted({*shipped_set_names(), *external})


def user_sets_root() -> Path:
    """Where the user's own sets live: ``$SUMMARIZER_EVAL_SETS``, else the user data dir."""
    configured = os.environ.get(USER_SETS_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir("summarizer")) / "eval-sets"


def user_set_names() -> list[str]:
    """The user's sets (folders of ``user_sets_root()`` holding a manifest), by name."""
    root = user_sets_root()
    if not root.is_dir():
        return []
    return sorted(
        p.parent.name for p in root.glob(f"*/{MANIFEST}") if not p.parent.name.startswith(".")
    )


def find_set(name_or_path: str | Path) -> Path:
    """The folder of a set given by path, by shipped name, or by the name of a user set."""
    candidate = Path(name_or_path)
    if candidate.is_dir() and (candidate / MANIFEST).is_file():
        return candidate
    if candidate.is_file() and candidate.name == MANIFEST:
        return candidate.parent
    name = str(name_or_path)
    if name and "/" not in name and "\\" not in name and name not in (".", ".."):
        for root in [*shipped_roots(), external_root(), user_sets_root()]:
            folder = root / name
            if (folder / MANIFEST).is_file():
                return folder
    known = (
        ", ".join([*shipped_set_names(), *external_set_names(), *user_set_names()]) or "none found"
    )
    raise GoldSetError(
        f"no gold set {name!r}: give a set name ({known}; user sets live in "
        f"{user_sets_root()}) or a folder holding {MANIFEST} and {EXAMPLES}"
    )


def load_set(name_or_path: str | Path, *, verify: bool = True) -> GoldSet:
    """Load a gold set by shipped name or folder path; with ``verify``, check its content hash."""
    folder = find_set(name_or_path)
    manifest = _read_json(folder / MANIFEST)
    missing = [key for key in (*REQUIRED_MANIFEST_KEYS, "content_hash") if key not in manifest]
    if missing:
        raise GoldSetError(f"{folder / MANIFEST} lacks {', '.join(missing)}; see evals/README.md")
    build = manifest.get("build")
    if isinstance(build, str) and not (folder / EXAMPLES).is_file():
        raise GoldSetNotBuiltError(
            f"gold set {manifest['name']!r} is not built on this machine (its text is not in the "
            f"repository): build it with `{build}` (see {folder / 'PROVENANCE.md'})",
            name=str(manifest["name"]),
            build=build,
        )
    raw = read_examples(folder / EXAMPLES)
    actual = content_hash(raw)
    if verify and actual != manifest["content_hash"]:
        how = (
            f"`{build}`"
            if isinstance(build, str)
            else "`python evals/tools/build_sets.py` or update content_hash"
        )
        raise GoldSetError(
            f"{folder / EXAMPLES} does not match its manifest (content hash {actual}, manifest "
            f"says {manifest['content_hash']}); if the edit is intended, rebuild the manifest "
            f"with {how}"
        )
    return GoldSet(
        name=str(manifest["name"]),
        version=str(manifest["version"]),
        description=str(manifest["description"]),
        provenance=str(manifest["provenance"]),
        license=str(manifest["license"]),
        content_hash=actual,
        examples=tuple(example_from_json(item, where=f"{folder / EXAMPLES}") for item in raw),
        path=folder,
        notes={k: v for k, v in manifest.items() if k not in (*REQUIRED_MANIFEST_KEYS,)},
    )


def read_examples(path: Path) -> list[dict[str, Any]]:
    """The examples of a JSONL file as dicts; a bad line is a ``GoldSetError`` naming it."""
    examples: list[dict[str, Any]] = []
    seen: set[str] = set()
    try:
        for number, item in read_objects(path):
            missing = [key for key in REQUIRED_EXAMPLE_KEYS if not isinstance(item.get(key), str)]
            if missing:
                raise GoldSetError(f"{path}:{number}: missing or non-string {', '.join(missing)}")
            if item["id"] in seen:
                raise GoldSetError(f"{path}:{number}: duplicate id {item['id']!r}")
            seen.add(item["id"])
            examples.append(item)
    except OSError as error:
        raise GoldSetError(f"cannot read {path}: {error.strerror}") from None
    except JSONLError as error:
        raise GoldSetError(str(error)) from None
    if not examples:
        raise GoldSetError(f"{path} holds no examples")
    return examples


def example_from_json(item: Mapping[str, Any], *, where: str = "") -> Example:
    references = item.get("references") or {}
    if not isinstance(references, dict):
        raise GoldSetError(f"{where}: example {item.get('id')!r}: references must be an object")
    unknown = sorted(set(references) - set(REFERENCE_FIELDS))
    if unknown:
        raise GoldSetError(
            f"{where}: example {item.get('id')!r}: unknown reference fields {unknown}; "
            f"known: {', '.join(REFERENCE_FIELDS)}"
        )
    for name, value in references.items():
        problem = _reference_shape_problem(name, value)
        if problem:
            raise GoldSetError(f"{where}: example {item.get('id')!r}: references.{name} {problem}")
    return Example(
        id=str(item["id"]),
        source=str(item["source"]),
        provenance=str(item["provenance"]),
        license=str(item["license"]),
        references=references,
        source_clean=tuple(item.get("source_clean") or ()),
        extra=item.get("extra") or {},
    )


_TEXT_FIELDS = ("headline", "summary", "summary_zh", "key_points")
_ENTITY_FIELDS = ("people", "organizations", "places", "events")


def _reference_shape_problem(name: str, value: Any) -> str | None:
    """Why a reference field has the wrong shape (None when it is fine); see evals/README.md."""
    if name in _TEXT_FIELDS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of strings"
    elif name in _ENTITY_FIELDS:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return "must be a list of objects"
    elif name == "translation" and (
        not isinstance(value, list)
        or not all(isinstance(r, list) and all(isinstance(p, str) for p in r) for r in value)
    ):
        return "must be a list of references, each a list of paragraph strings"
    return None


def write_set(
    folder: Path, manifest: Mapping[str, Any], examples: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Write ``examples.jsonl`` and a ``manifest.json`` carrying their content hash."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / EXAMPLES).open("w", encoding="utf-8", newline="\n") as handle:
        for example in examples:
            handle.write(canonical_line(example) + "\n")
    full = {**manifest, "examples": len(examples), "content_hash": content_hash(examples)}
    (folder / MANIFEST).write_text(
        json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return full


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise GoldSetError(f"cannot read {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise GoldSetError(f"{path}: not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise GoldSetError(f"{path}: must be a JSON object")
    return data
