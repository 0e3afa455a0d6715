"""Find copies of fetched prose in the committed tree.

    python tools/check_fetched_text.py [--show] [--set PATH ...] [--han 12] [--words 8]

Sets built locally from public repositories (``evals/external/NAME/examples.jsonl``, gitignored)
must not reach a commit, not even in pieces: a test string, a docs excerpt, a comment. This reads
every built external set (and any ``--set`` folder), then scans the committed text files of
``summarizer/``, ``tests/``, ``docs/``, ``evals/``, ``benchmarks/``, ``prompts/`` and
``README.md`` (as ``git ls-files`` lists them) for any run of at least ``--han`` (12) consecutive
Han characters, or ``--words`` (8) consecutive English words (case and punctuation ignored), that
also occurs in a source or reference of those sets.

Each hit is printed as ``file:line``, the kind and length of the run and the sets it occurs in;
the text itself only with ``--show`` (several sets are blind data: read a hit only when you must
rewrite it). Exit status: 0 no copies, 1 copies found, 2 no external set is built here (the
command to build each is printed).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = ROOT / "evals" / "external"
SCANNED = ("summarizer", "tests", "docs", "evals", "benchmarks", "prompts", "README.md")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    kind: str
    length: int
    sets: tuple[str, ...]
    text: str


def strings(value: object, *, keys: bool = False) -> Iterator[str]:
    """Every string inside a JSON value (with ``keys``, object keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, keys=keys)
    elif isinstance(value, dict):
        for key, item in value.items():
            if keys:
                yield key
            yield from strings(item, keys=keys)


def fetched_texts(folder: Path) -> list[str]:
    """The source and every reference text of a built set (ids and provenance left out)."""
    texts = []
    with (folder / "examples.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            example = json.loads(line)
            texts.append(example["source"])
            texts.extend(strings(example.get("references", {})))
            texts.extend(strings(example.get("source_clean", [])))
    return texts


def words(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text)]


class Index:
    """Every window of ``han`` Han characters and of ``size`` words in the fetched texts."""

    def __init__(self, han: int, size: int) -> None:
        self.han, self.size = han, size
        self.han_windows: dict[str, set[str]] = {}
        self.word_windows: dict[tuple[str, ...], set[str]] = {}

    def add(self, name: str, text: str) -> None:
        for run in HAN_RUN.findall(text):
            for start in range(len(run) - self.han + 1):
                self.han_windows.setdefault(run[start : start + self.han], set()).add(name)
        tokens = words(text)
        for start in range(len(tokens) - self.size + 1):
            window = tuple(tokens[start : start + self.size])
            self.word_windows.setdefault(window, set()).add(name)

    def han_hits(self, line: str) -> Iterator[tuple[str, set[str]]]:
        """Maximal runs of a line made of matching windows."""
        for run in HAN_RUN.findall(line):
            start = 0
            while start <= len(run) - self.han:
                found = self.han_windows.get(run[start : start + self.han])
                if not found:
                    start += 1
                    continue
                end, sets = start + self.han, set(found)
                while end < len(run) and run[end - self.han + 1 : end + 1] in self.han_windows:
                    sets |= self.han_windows[run[end - self.han + 1 : end + 1]]
                    end += 1
                yield run[start:end], sets
                start = end

    def word_hits(self, line: str) -> Iterator[tuple[str, set[str]]]:
        tokens = words(line)
        start = 0
        while start <= len(tokens) - self.size:
            found = self.word_windows.get(tuple(tokens[start : start + self.size]))
            if not found:
                start += 1
                continue
            end, sets = start + self.size, set(found)
            while end < len(tokens) and tuple(tokens[end - self.size + 1 : end + 1]) in (
                self.word_windows
            ):
                sets |= self.word_windows[tuple(tokens[end - self.size + 1 : end + 1])]
                end += 1
            yield " ".join(tokens[start:end]), sets
            start = end


def committed_files(root: Path = ROOT) -> list[Path]:
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--", *SCANNED],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return [root / name for name in listed.split("\0") if name]


def scan(files: list[Path], index: Index, root: Path = ROOT) -> list[Hit]:
    hits = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary or unreadable: not prose
        for number, line in enumerate(text.splitlines(), 1):
            for part in _parts(path, line):
                for kind, found in (
                    ("han", index.han_hits(part)),
                    ("words", index.word_hits(part)),
                ):
                    for run, sets in found:
                        length = len(run) if kind == "han" else len(run.split())
                        where = str(path.relative_to(root))
                        hits.append(Hit(where, number, kind, length, tuple(sorted(sets)), run))
    return hits


def _parts(path: Path, line: str) -> list[str]:
    """What to compare of one line: each string of a JSONL record on its own (so that no run
    spans two values), else the whole line."""
    if path.suffix == ".jsonl" and line.strip():
        try:
            return list(strings(json.loads(line), keys=True))
        except json.JSONDecodeError:
            pass
    return [line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each copied run")
    parser.add_argument("--set", type=Path, action="append", default=[], help="another set folder")
    parser.add_argument("--han", type=int, default=12, help="shortest Han run that counts")
    parser.add_argument("--words", type=int, default=8, help="shortest English run that counts")
    args = parser.parse_args(argv)
    index = Index(args.han, args.words)
    folders = sorted(p.parent for p in EXTERNAL.glob("*/manifest.json")) + list(args.set)
    built = 0
    for folder in folders:
        if not (folder / "examples.jsonl").is_file():
            build = json.loads((folder / "manifest.json").read_text("utf-8")).get("build", "?")
            print(f"not built: {folder.name}: {build}")
            continue
        built += 1
        for text in fetched_texts(folder):
            index.add(folder.name, text)
    if not built:
        print("no external set is built here: nothing to compare against")
        return 2
    hits = scan(committed_files(), index)
    for hit in hits:
        shown = f"\t{hit.text}" if args.show else ""
        print(f"{hit.path}:{hit.line}\t{hit.kind} {hit.length}\t{','.join(hit.sets)}{shown}")
    files = len({hit.path for hit in hits})
    print(f"{len(hits)} copied run(s) in {files} file(s), against {built} built set(s)")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
