"""Reviewed examples written into the user's eval sets, in ``summarizer eval run``'s own format.

A save turns the reviewer's corrected summary into an example's ``references`` (see
``evals/README.md``), keeps the normalized paragraphs as ``source_clean``, and records the
provenance in ``extra.review``: who (key id and name, never the key), when, from which model output
(job, article, engine, model, prompt version, a hash of the output) and what changed (one entry
per changed field). The set's folder is rewritten with ``write_set`` so its manifest hash always
matches, under a file lock so that API replicas sharing the folder never interleave writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from summarizer.errors import GoldSetError, NotFoundError
from summarizer.eval.goldset import (
    EXAMPLES,
    MANIFEST,
    GoldSet,
    load_set,
    read_examples,
    shipped_set_names,
    user_sets_root,
    write_set,
)
from summarizer.schema import ArticleSummary
from summarizer.service.review.models import (
    SET_NAME_PATTERN,
    EvalExampleInfo,
    EvalSetDetail,
    EvalSetInfo,
    FieldChange,
    ReviewedSummary,
)

_SET_NAME = re.compile(SET_NAME_PATTERN)
_TITLE_SEPARATORS = re.compile(r"[、，,；;／/]+")
_ENGLISH_TITLE_SEPARATORS = re.compile(r"\s*;\s*")
SET_PROVENANCE = (
    "model outputs corrected by reviewers on the summarizer review page; each example's "
    "extra.review says who, when, from which model output, and what changed"
)


@dataclass(frozen=True)
class Reviewer:
    key_id: str
    name: str


@dataclass(frozen=True)
class OutputOrigin:
    """The stored model output an example was corrected from."""

    job_id: str
    job_kind: str
    article_id: str
    summary: ArticleSummary


def check_set_name(name: str) -> str:
    """The name, or a ``GoldSetError`` saying what a set name may be."""
    if not _SET_NAME.match(name) or ".." in name:
        raise GoldSetError(
            f"invalid eval set name {name[:80]!r}: use 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- building an example


def field_changes(before: ReviewedSummary, after: ReviewedSummary) -> list[FieldChange]:
    """Every leaf field that differs, by path (``key_points[1].text_en``), in a stable order.

    A list that was empty on one side and filled on the other is one change of the whole list
    (``people: [] -> [{...}]``), not leaves that appear from or vanish into ``null``.
    """
    old_value, new_value = before.model_dump(), after.model_dump()
    old, new = _flatten(old_value), _flatten(new_value)
    old_lists, new_lists = _lists(old_value), _lists(new_value)
    whole = {
        path
        for path in (*old_lists, *new_lists)
        if (old_lists.get(path) == []) != (new_lists.get(path) == [])
        and path in old_lists
        and path in new_lists
    }
    changes: list[FieldChange] = []
    for path in [*old, *(p for p in new if p not in old)]:
        if path in whole:
            changes.append(FieldChange(field=path, before=old_lists[path], after=new_lists[path]))
            continue
        if any(path.startswith(f"{list_path}[") for list_path in whole):
            continue  # part of a whole-list change above
        if old.get(path) != new.get(path):
            changes.append(FieldChange(field=path, before=old.get(path), after=new.get(path)))
    return changes


def _lists(value: Any, prefix: str = "") -> dict[str, list[Any]]:
    """Every list in ``value`` by its path (the paths ``_flatten`` gives)."""
    found: dict[str, list[Any]] = {}
    if isinstance(value, Mapping):
        for key, item in value.items():
            found.update(_lists(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        found[prefix] = value
        for index, item in enumerate(value):
            found.update(_lists(item, f"{prefix}[{index}]"))
    return found


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list):
        flat = {}
        for index, item in enumerate(value):
            flat.update(_flatten(item, f"{prefix}[{index}]"))
        return flat if value else {prefix: []}
    return {prefix: value}


def references_from(reviewed: ReviewedSummary) -> dict[str, Any]:
    """The gold-set references a reviewed summary stands for (``evals/README.md`` shapes).

    Text fields left empty are omitted (not scored); entity lists are always written, since a
    reviewer who leaves one empty says there are none.
    """
    references: dict[str, Any] = {}
    if reviewed.headline_en and reviewed.headline_en.strip():
        references["headline"] = [reviewed.headline_en.strip()]
    if reviewed.summary_en and reviewed.summary_en.strip():
        references["summary"] = [reviewed.summary_en.strip()]
    points = [p.text_en.strip() for p in reviewed.key_points if p.text_en and p.text_en.strip()]
    if points:
        references["key_points"] = points
    references["people"] = [
        {
            "name": person.name_as_written,
            "name_en": person.name_en,
            "titles": _split(_TITLE_SEPARATORS, person.role_as_written),
            "titles_en": _split(_ENGLISH_TITLE_SEPARATORS, person.role_en),
        }
        for person in reviewed.people
    ]
    references["organizations"] = [
        {"name": entity.name_as_written, "name_en": entity.name_en}
        for entity in reviewed.organizations
    ]
    references["places"] = [
        {"name": entity.name_as_written, "name_en": entity.name_en} for entity in reviewed.places
    ]
    references["events"] = [
        {
            "date_as_written": event.date_as_written,
            "date_iso": event.date_iso,
            "description": event.description_en,
        }
        for event in reviewed.events
    ]
    if reviewed.translation is not None and any(
        p.strip() for p in reviewed.translation.paragraphs_en
    ):
        references["translation"] = [[p.strip() for p in reviewed.translation.paragraphs_en]]
    return references


def _split(separators: re.Pattern[str], text: str | None) -> list[str]:
    return [part.strip() for part in separators.split(text or "") if part.strip()]


def build_example(
    *,
    example_id: str,
    source: str,
    source_is_input: bool,
    origin: OutputOrigin,
    reviewed: ReviewedSummary,
    reviewer: Reviewer,
    note: str,
    license: str,
    reviewed_at: str,
) -> tuple[dict[str, Any], list[FieldChange]]:
    """A gold example (dict, as stored) and the fields the reviewer changed."""
    output = origin.summary
    changes = field_changes(ReviewedSummary.of(output), reviewed)
    meta = output.meta
    model = f"{meta.engine} engine" + (f", model {meta.model}" if meta.model else "")
    output_json = json.dumps(output.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    review: dict[str, Any] = {
        "reviewer": {"key_id": reviewer.key_id, "name": reviewer.name},
        "reviewed_at": reviewed_at,
        "output": {
            "job_id": origin.job_id,
            "job_kind": origin.job_kind,
            "article_id": origin.article_id,
            "engine": meta.engine,
            "model": meta.model,
            "endpoint_host": meta.endpoint_host,
            "capability": meta.capability,
            "prompt_template": meta.prompt_template,
            "prompt_version": meta.prompt_version,
            "library_version": meta.library_version,
            "sha256": hashlib.sha256(output_json.encode("utf-8", "surrogatepass")).hexdigest(),
        },
        "source": "as submitted" if source_is_input else "normalized text of the output",
        "changes": [change.model_dump(mode="json") for change in changes],
        "note": note,
        "key_point_evidence": [point.evidence for point in reviewed.key_points],
        "topics": list(reviewed.topics),
    }
    example = {
        "id": example_id,
        "source": source,
        "provenance": (
            f"reviewed by {reviewer.name} (key {reviewer.key_id}) at {reviewed_at}, "
            f"corrected from the {model} output of {origin.job_id}/{origin.article_id} "
            f"({len(changes)} field{'s' if len(changes) != 1 else ''} changed)"
        ),
        "license": license,
        "references": references_from(reviewed),
        "source_clean": list(output.source.paragraphs),
        "extra": {"review": review},
    }
    return example, changes


# --- the sets folder


#: Whether a caller may see a set, given the key id that owns it (``None``: no owner recorded).
Visible = Callable[[str | None], bool]


def _everyone(_owner: str | None) -> bool:
    return True


class ReviewedSets:
    """The user's eval sets folder: list, read, add or replace an example, export.

    A set made through the service belongs to the key that made it (recorded beside the set, in
    ``.NAME.owner.json``, so that exports carry no key ids): its examples hold articles and outputs
    of that key's jobs, so the service shows it only to callers allowed to see that key's jobs
    (``visible``); to anyone else it does not exist.
    """

    def __init__(self, root: Path | None = None) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        return self._root if self._root is not None else user_sets_root()

    def folder(self, name: str) -> Path:
        return self.root / check_set_name(name)

    def _lock(self, name: str) -> FileLock:
        self.root.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.root / f".{check_set_name(name)}.lock"), timeout=30)

    def _owner_file(self, name: str) -> Path:
        return self.root / f".{check_set_name(name)}.owner.json"

    def owner(self, name: str) -> str | None:
        """The key id that made the set through the service, if recorded."""
        try:
            recorded = json.loads(self._owner_file(name).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        key_id = recorded.get("key_id") if isinstance(recorded, Mapping) else None
        return key_id if isinstance(key_id, str) else None

    def _check_visible(self, name: str, visible: Visible) -> Path:
        folder = self.folder(name)
        if not (folder / MANIFEST).is_file() or not visible(self.owner(name)):
            raise NotFoundError(f"no eval set {name!r}")
        return folder

    def list_sets(self, visible: Visible = _everyone) -> list[EvalSetInfo]:
        if not self.root.is_dir():
            return []
        infos = []
        for manifest in sorted(self.root.glob(f"*/{MANIFEST}")):
            name = manifest.parent.name
            if not _SET_NAME.match(name) or not visible(self.owner(name)):
                continue
            try:
                with self._lock(name):
                    infos.append(_info(_manifest_of(load_set(manifest.parent))))
            except GoldSetError:
                continue
        return infos

    def detail(self, name: str, visible: Visible = _everyone) -> EvalSetDetail:
        folder = self._check_visible(name, visible)
        with self._lock(name):
            goldset = load_set(folder)
            raw = read_examples(folder / EXAMPLES)
        return EvalSetDetail(
            set=_info(_manifest_of(goldset)), examples=[_example_info(item) for item in raw]
        )

    def save(
        self,
        name: str,
        example: Mapping[str, Any],
        *,
        description: str | None,
        owner: str | None = None,
    ) -> tuple[EvalSetInfo, bool]:
        """Add the example (or replace the one with its id); returns the set and ``replaced``.

        With ``owner`` (a key id), a new set is recorded as that key's, and an existing set may be
        written only by its owner: any other key is told there is no such set.
        """
        folder = self.folder(name)
        if name in shipped_set_names():
            raise GoldSetError(
                f"{name!r} is a shipped eval set and cannot be written; choose another name"
            )
        with self._lock(name):
            exists = (folder / MANIFEST).is_file()
            if owner is not None and exists and self.owner(name) != owner:
                raise NotFoundError(
                    f"no eval set {name!r} that this key may write; choose another name"
                )
            if owner is not None and not exists:
                self._owner_file(name).write_text(json.dumps({"key_id": owner}), "utf-8")
            if exists:
                goldset = load_set(folder)
                examples = read_examples(folder / EXAMPLES)
                manifest = {
                    key: value
                    for key, value in json.loads((folder / MANIFEST).read_text("utf-8")).items()
                    if key not in ("examples", "content_hash")
                }
                manifest["version"] = _next_version(goldset.version)
            else:
                examples = []
                manifest = {
                    "name": name,
                    "version": "1",
                    "description": description or "Examples corrected on the review page.",
                    "provenance": SET_PROVENANCE,
                    "license": "per example (see each example's license)",
                    "created_at": now_iso(),
                }
            manifest["updated_at"] = now_iso()
            replaced = False
            for index, existing in enumerate(examples):
                if existing["id"] == example["id"]:
                    examples[index] = dict(example)
                    replaced = True
            if not replaced:
                examples.append(dict(example))
            written = _write_atomically(folder, manifest, examples)
        return _info(written), replaced

    def export_zip(self, name: str, visible: Visible = _everyone) -> bytes:
        """The set as a zip of ``NAME/manifest.json`` and ``NAME/examples.jsonl``."""
        folder = self._check_visible(name, visible)
        buffer = io.BytesIO()
        with self._lock(name):
            load_set(folder)  # refuses a set whose files disagree
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for filename in (MANIFEST, EXAMPLES):
                    archive.write(folder / filename, f"{name}/{filename}")
        return buffer.getvalue()


def _write_atomically(
    folder: Path, manifest: Mapping[str, Any], examples: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """``write_set`` into a scratch folder, then move both files in (examples first)."""
    scratch = folder.parent / f".{folder.name}.writing"
    written = write_set(scratch, manifest, examples)
    folder.mkdir(parents=True, exist_ok=True)
    (scratch / EXAMPLES).replace(folder / EXAMPLES)
    (scratch / MANIFEST).replace(folder / MANIFEST)
    scratch.rmdir()
    return written


def _manifest_of(goldset: GoldSet) -> dict[str, Any]:
    return {
        **goldset.notes,
        "name": goldset.name,
        "version": goldset.version,
        "description": goldset.description,
        "provenance": goldset.provenance,
        "license": goldset.license,
        "content_hash": goldset.content_hash,
        "examples": len(goldset),
    }


def _next_version(version: str) -> str:
    return str(int(version) + 1) if version.isdigit() else f"{version}.1"


def _info(manifest: Mapping[str, Any]) -> EvalSetInfo:
    content_hash = str(manifest.get("content_hash", ""))
    name, version = str(manifest["name"]), str(manifest["version"])
    return EvalSetInfo(
        name=name,
        version=version,
        signature=f"{name}@{version}#{content_hash.removeprefix('sha256:')[:12]}",
        examples=int(manifest.get("examples", 0)),
        description=str(manifest.get("description", "")),
        provenance=str(manifest.get("provenance", "")),
        license=str(manifest.get("license", "")),
        updated_at=manifest.get("updated_at"),
    )


def _example_info(item: Mapping[str, Any]) -> EvalExampleInfo:
    extra = item.get("extra")
    review = extra.get("review") if isinstance(extra, Mapping) else None
    if not isinstance(review, Mapping):
        return EvalExampleInfo(id=str(item["id"]), provenance=str(item["provenance"]))
    reviewer = review.get("reviewer")
    changes = review.get("changes")
    return EvalExampleInfo(
        id=str(item["id"]),
        provenance=str(item["provenance"]),
        reviewer=str(reviewer.get("name")) if isinstance(reviewer, Mapping) else None,
        reviewed_at=str(review.get("reviewed_at")) if review.get("reviewed_at") else None,
        changes=len(changes) if isinstance(changes, list) else None,
        note=str(review.get("note")) if review.get("note") else None,
    )
