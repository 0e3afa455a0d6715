"""Build a gold set of long Chinese news articles with human summaries from a fetched data file.

    python evals/tools/build_long_summaries.py PATH --format nlpcc-jsonl --name NAME \\
        --provenance TEXT --license TEXT [--count 80] [--min-chars 500] [--target PATH]

Formats (what the public releases look like):

* ``nlpcc-jsonl``: one JSON object per line with ``article`` and ``summarization`` (NLPCC 2017
  task 3, TTNews ``train_with_summ.txt`` / ``evaluation_with_ground_truth.txt``);
* ``nlpcc-clean-json``: ``{"data": [{"title": summary, "content": article}, ...]}``
  (``nlpcc2017_clean.json``);
* ``src-tgt``: ``PATH`` holds one article per line and ``--target`` the summary on the same line
  (CLTS ``test.src``/``test.tgt``);
* ``catamaran-json``: ``{"Data": [{"Title": {"chinese": ...}, "Content": [{"chinese": ...}, ...],
  "Summary": {"chinese": ...}}, ...]}`` (CATAMARAN, New York Times Chinese articles with the
  Chinese edition's own summary). The article is the Chinese headline on its own line, then one
  paragraph per line, as the page prints it; the summary is ``Summary.chinese``.
* ``content-summary-json``: ``[{"content": article, "summary": summary}, ...]`` (the news data of
  ``LittleRedLynn/Text-Sum``, by the CATAMARAN authors); the article is taken as written.

Ids are ``NAME-<record number, from 0>``: they exist before any text is read. The split of each id
is fixed by the project rule (first byte of SHA-256 over the UTF-8 id even: tune; odd: held-out; the
rule of ``evals/splits.json``) and written to ``extra.split``. Which records are kept is not chosen
by anyone: among records whose article has at least ``--min-chars`` characters (long, by the same
measure for every record) and a non-empty summary, the ``--count`` ids with the smallest SHA-256 are
taken. Nothing else about an article is looked at. The provenance and terms given on the command
line are stored with every example and in the manifest, and a ``PROVENANCE.md`` is written beside
the set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from summarizer.eval.goldset import write_set

EVALS = Path(__file__).resolve().parent.parent
FORMATS = ("nlpcc-jsonl", "nlpcc-clean-json", "src-tgt", "catamaran-json", "content-summary-json")
SPLIT_RULE = (
    "tune when the first byte of SHA-256 over the UTF-8 id is even, held-out when it is odd "
    "(the rule of evals/splits.json), fixed from the id alone before any article was read"
)


def split_of(identifier: str) -> str:
    """``tune`` or ``held-out`` by a hash of the id: no one chooses, and no record moves."""
    return "tune" if hashlib.sha256(identifier.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def records(path: Path, form: str, target: Path | None = None) -> Iterator[tuple[int, str, str]]:
    """(line number, article, summary) of every record of the file, in file order."""
    if form == "nlpcc-jsonl":
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                item = json.loads(line)
                yield number, str(item.get("article", "")), str(item.get("summarization", ""))
    elif form == "nlpcc-clean-json":
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        for number, item in enumerate(data):
            yield number, str(item.get("content", "")), str(item.get("title", ""))
    elif form == "src-tgt":
        if target is None:
            raise SystemExit("--format src-tgt needs --target (the summaries, one per line)")
        sources = path.read_text(encoding="utf-8").splitlines()
        summaries = target.read_text(encoding="utf-8").splitlines()
        if len(sources) != len(summaries):
            raise SystemExit(f"{path} has {len(sources)} lines but {target} has {len(summaries)}")
        yield from ((n, s, t) for n, (s, t) in enumerate(zip(sources, summaries, strict=True)))
    elif form == "catamaran-json":
        data = json.loads(path.read_text(encoding="utf-8"))["Data"]
        for number, item in enumerate(data):
            lines = [item["Title"]["chinese"], *(part["chinese"] for part in item["Content"])]
            yield number, "\n".join(lines), str(item["Summary"]["chinese"])
    elif form == "content-summary-json":
        for number, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            yield number, str(item.get("content", "")), str(item.get("summary", ""))
    else:
        raise SystemExit(f"unknown format {form!r}; one of {', '.join(FORMATS)}")


def clean(text: str) -> str:
    """The NLPCC releases mark paragraph breaks with ``<Paragraph>``: a line break, as articles."""
    return "\n".join(part.strip() for part in text.replace("<Paragraph>", "\n").split("\n")).strip()


def select(
    name: str, items: Iterator[tuple[int, str, str]], count: int, min_chars: int
) -> list[dict[str, Any]]:
    """The ``count`` long records with the smallest SHA-256 of their id, in id-hash order."""
    kept: list[tuple[str, str, str, str]] = []
    for number, article, summary in items:
        article, summary = clean(article), clean(summary)
        if len(article) < min_chars or not summary:
            continue
        identifier = f"{name}-{number}"
        kept.append(
            (hashlib.sha256(identifier.encode("utf-8")).hexdigest(), identifier, article, summary)
        )
    kept.sort()
    return [
        {"id": identifier, "article": article, "summary": summary, "split": split_of(identifier)}
        for _, identifier, article, summary in kept[:count]
    ]


def build(
    path: Path,
    form: str,
    name: str,
    provenance: str,
    license_: str,
    count: int = 80,
    min_chars: int = 500,
    target: Path | None = None,
    out: Path | None = None,
) -> Path:
    """Write the set to ``out`` (default ``evals/NAME``) and return the folder."""
    chosen = select(name, records(path, form, target), count, min_chars)
    if not chosen:
        raise SystemExit(f"no record of {path} has an article of {min_chars}+ chars and a summary")
    folder = out or EVALS / name
    examples = [
        {
            "id": item["id"],
            "source": item["article"],
            "provenance": provenance,
            "license": license_,
            "references": {"summary_zh": [item["summary"]]},
            "extra": {"split": item["split"], "source_file": path.name},
        }
        for item in chosen
    ]
    held_out = sum(item["split"] == "held-out" for item in chosen)
    manifest = write_set(
        folder,
        {
            "name": name,
            "version": "1",
            "description": f"{len(chosen)} long Chinese news articles ({min_chars}+ characters) "
            f"with human-written CHINESE summaries (summary_zh); extra.split: {held_out} held-out, "
            f"{len(chosen) - held_out} tune ({SPLIT_RULE}).",
            "provenance": provenance,
            "license": license_,
        },
        examples,
    )
    (folder / "PROVENANCE.md").write_text(
        f"# {name}\n\n- Source: {provenance}\n- Terms: {license_}\n- File: `{path.name}` "
        f"(format `{form}`)\n- Selection: the {len(chosen)} records whose article has at least "
        f"{min_chars} characters and whose summary is not empty, with the smallest SHA-256 of "
        f"their id `{name}-<record number, from 0>`; nothing else about an article was looked at.\n"
        f"- Split: {SPLIT_RULE}.\n- Built by `evals/tools/build_long_summaries.py`.\n"
        f"- Content hash of the built examples: `{manifest['content_hash']}` (SHA-256 of the "
        f"source file: `{hashlib.sha256(path.read_bytes()).hexdigest()}`).\n\n"
        f"| id | split | article chars | summary chars |\n|---|---|---:|---:|\n"
        + "".join(
            f"| `{item['id']}` | {item['split']} | {len(item['article'])} | "
            f"{len(item['summary'])} |\n"
            for item in chosen
        ),
        encoding="utf-8",
    )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("path", type=Path, help="the fetched data file")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--target", type=Path, help="summaries file for --format src-tgt")
    parser.add_argument("--name", required=True, help="set name, also the id prefix")
    parser.add_argument("--provenance", required=True, help="repository, commit, path, authors")
    parser.add_argument("--license", required=True, help="the terms the data is published under")
    parser.add_argument("--count", type=int, default=80)
    parser.add_argument("--min-chars", type=int, default=500)
    parser.add_argument("--out", type=Path, help="folder (default evals/NAME)")
    args = parser.parse_args()
    folder = build(
        args.path,
        args.format,
        args.name,
        args.provenance,
        args.license,
        args.count,
        args.min_chars,
        args.target,
        args.out,
    )
    print("wrote", folder)


if __name__ == "__main__":
    main()
