"""Read the pinned input files of an external set from local copies of public repositories, and
write the built set only when it is the committed one.

The builders of ``evals/external`` take their inputs either as file paths or, with ``--mirrors
DIR``, straight from git: ``DIR/<owner>+<name>/repo`` (how fetched snapshots are laid out here),
``DIR/<owner>+<name>`` or ``DIR/<name>`` may be a bare git directory or a clone (its ``.git`` is
used). Each file is read at its pinned commit and refused unless its SHA-256 is the one recorded
in the builder (and in the set's PROVENANCE.md). The built examples are written only when their
content hash is the one in the committed ``manifest.json``, so a rebuild is byte-identical or
nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.eval.goldset import MANIFEST, content_hash, write_set

#: Where this project's machines keep fetched snapshots (the documented build commands use it).
DEFAULT_MIRRORS = Path("/work/.mirror")


@dataclass(frozen=True)
class PinnedFile:
    """One input file: a path of a public repository at a commit, with the SHA-256 of its bytes.
    ``member`` names the file to take out of a ``.tar.gz`` (then ``sha256`` is the member's)."""

    repository: str
    commit: str
    path: str
    sha256: str
    member: str = ""

    @property
    def file_name(self) -> str:
        return Path(self.member or self.path).name


def git_dir(mirrors: Path, repository: str) -> Path:
    """The git directory of ``repository`` under ``mirrors`` (see the module docstring)."""
    owner, name = repository.split("/")
    for candidate in (
        mirrors / f"{owner}+{name}" / "repo",
        mirrors / f"{owner}+{name}" / "repo" / ".git",
        mirrors / f"{owner}+{name}" / ".git",
        mirrors / f"{owner}+{name}",
        mirrors / name / ".git",
        mirrors / name,
    ):
        if (candidate / "objects").is_dir() and (candidate / "HEAD").is_file():
            return candidate
    raise SystemExit(
        f"no copy of {repository} under {mirrors}: clone https://github.com/{repository} "
        f"into {mirrors / f'{owner}+{name}'} (or pass the input files themselves)"
    )


def read_pinned(mirrors: Path, pinned: PinnedFile) -> bytes:
    """The bytes of a pinned file, read from git at its commit and checked against its SHA-256."""
    where = git_dir(mirrors, pinned.repository)
    result = subprocess.run(
        ["git", f"--git-dir={where}", "cat-file", "blob", f"{pinned.commit}:{pinned.path}"],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        problem = result.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(
            f"{pinned.repository}: cannot read {pinned.path} at {pinned.commit}: {problem}"
        )
    data = result.stdout
    if pinned.member:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            member = archive.extractfile(pinned.member)
            if member is None:
                raise SystemExit(f"{pinned.path} holds no file {pinned.member}")
            data = member.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != pinned.sha256:
        raise SystemExit(
            f"{pinned.repository} {pinned.file_name} at {pinned.commit} has SHA-256 {digest}, "
            f"not the pinned {pinned.sha256}"
        )
    return data


def materialize(mirrors: Path, files: Sequence[PinnedFile], into: Path) -> list[Path]:
    """Write the pinned files into ``into`` (a scratch folder) and return their paths, in order."""
    paths = []
    for pinned in files:
        path = into / pinned.file_name
        path.write_bytes(read_pinned(mirrors, pinned))
        paths.append(path)
    return paths


def committed_hash(committed: Path) -> str:
    """The content hash recorded in a committed ``manifest.json`` folder."""
    manifest = json.loads((committed / MANIFEST).read_text(encoding="utf-8"))
    return str(manifest["content_hash"])


def write_verified(
    out: Path,
    manifest: Mapping[str, Any],
    examples: Sequence[Mapping[str, Any]],
    *,
    committed: Path,
    verify: bool = True,
) -> dict[str, Any]:
    """Write the set to ``out`` if its content hash is the one committed in ``committed``
    (``verify=False`` writes whatever was built, for a new version of the set). The manifest's
    ``ids`` are the examples' own, in order."""
    manifest = {**manifest, "ids": [example["id"] for example in examples]}
    actual = content_hash(examples)
    if verify:
        expected = committed_hash(committed)
        if actual != expected:
            raise SystemExit(
                f"built {manifest['name']} has content hash {actual}, but {committed / MANIFEST} "
                f"records {expected}: not the committed set, nothing written"
            )
    return write_set(out, manifest, examples)
