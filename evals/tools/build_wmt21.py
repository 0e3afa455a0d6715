"""Build ``evals/external/wmt21-zhen``: the WMT21 news test set zh-en, cut into documents by a
fixed rule.

    python evals/tools/build_wmt21.py --mirrors /work/.mirror
    python evals/tools/build_wmt21.py newstest2021.zh-en.src.zh newstest2021.zh-en.ref.A.en

The text is not in the repository: this writes ``examples.jsonl`` (gitignored) and
``manifest.json`` into ``evals/external/wmt21-zhen`` (or ``--out``), and only when the content hash
is the one committed there (``--no-verify`` to build a new version).

The two files are ``txt/sources/newstest2021.zh-en.src.zh`` and
``txt/references/newstest2021.zh-en.ref.A.en`` of the public repository
``wmt-conference/wmt21-news-systems`` (commit ``f41750dadbf2ba6ab01ca5380347d253298a3427``): 1,948
line-aligned segments with one human reference (A). Why a set of its own: every WMT22 document
the project ships has been looked at while rules changed, so these are the project's blind data,
all held-out (split ``fresh-2``, decided on 2026-12-01 before anyone read them).

The official XML with document ids is not available, so document boundaries come from a rule
fixed before the content was read (``is_headline``): a document starts at a Chinese line that ends
with a site-name suffix after a dash or underscore (``…-新华网``, ``… - 华声在线``,
``…－专业财经新闻网站``). Lines before the first such line form one document. A document without
such a headline is merged into the one before it (kept as is; PROVENANCE.md says what that does
to the grounding figures).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fetched import DEFAULT_MIRRORS, PinnedFile, materialize, write_verified

EVALS = Path(__file__).resolve().parent.parent
FOLDER = EVALS / "external" / "wmt21-zhen"
SET_NAME = "wmt21-zhen"
SPLIT = "fresh-2"
REPOSITORY = "wmt-conference/wmt21-news-systems"
COMMIT = "f41750dadbf2ba6ab01ca5380347d253298a3427"
SOURCE_PATH = "txt/sources/newstest2021.zh-en.src.zh"
REFERENCE_PATH = "txt/references/newstest2021.zh-en.ref.A.en"
INPUTS = (
    PinnedFile(
        REPOSITORY,
        COMMIT,
        SOURCE_PATH,
        "9b0f5618d7c88904cd15b751dbb57cbbde8eefb54555456b6b5205a4b2ccfe20",
    ),
    PinnedFile(
        REPOSITORY,
        COMMIT,
        REFERENCE_PATH,
        "4eee78956e540546f45af6fdf47e1c74f44f88e1b87a785fb2033f253bdafdb0",
    ),
)
BUILD = "python evals/tools/build_wmt21.py --mirrors /work/.mirror"
#: The boundary rule, fixed before the content was read: after the last dash or underscore
#: (ASCII, full-width, en or em dash; spaces around it allowed) the line ends with 2-15 letters,
#: digits or CJK characters and nothing else, the last of them 网, 网站 or 在线 (a site's name).
HEADLINE = re.compile(r"[-_－＿–—]\s*[0-9A-Za-z\u4e00-\u9fff]{1,13}(?:网|网站|在线)\s*$")
PROVENANCE = (
    f"WMT21 news test set (newstest2021, zh-en) of the public repository {REPOSITORY}, commit "
    f"{COMMIT}: {SOURCE_PATH} with the human reference translation {REFERENCE_PATH} (translator "
    "A), line-aligned. Document boundaries are not in these files; they come from a fixed rule "
    "(a headline line ending with a site name after a dash), see PROVENANCE.md in this folder."
)
LICENSE = (
    "WMT test sets are released by the WMT organisers for research and evaluation use; no other "
    "licence is stated."
)


def is_headline(line: str) -> bool:
    """Whether a Chinese line starts a new document under the fixed boundary rule."""
    return HEADLINE.search(line) is not None


def documents(source: list[str], reference: list[str]) -> list[tuple[int, list[str], list[str]]]:
    """(first line number, source lines, reference lines) per document, in file order."""
    if len(source) != len(reference):
        raise SystemExit(
            f"source has {len(source)} lines, the reference {len(reference)}: not aligned"
        )
    starts = sorted({0} | {number for number, line in enumerate(source) if is_headline(line)})
    ends = [*starts[1:], len(source)]
    return [
        (start, source[start:end], reference[start:end])
        for start, end in zip(starts, ends, strict=True)
    ]


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.removesuffix("\n").split("\n")]


def wmt21_examples(source_path: Path, reference_path: Path) -> list[dict[str, Any]]:
    """One gold-set example per document, ids ``wmt21.zh-en.line-NNNN`` (first line, 1-based)."""
    examples: list[dict[str, Any]] = []
    for start, source, reference in documents(_lines(source_path), _lines(reference_path)):
        if any(not line for line in source) or any(not line for line in reference):
            raise SystemExit(f"document at line {start + 1} has an empty line")
        examples.append(
            {
                "id": f"wmt21.zh-en.line-{start + 1:04d}",
                "source": "\n".join(source),
                "provenance": PROVENANCE,
                "license": LICENSE,
                "references": {"translation": [reference]},
                "extra": {
                    "lines": [start + 1, start + len(source)],
                    "starts_with_headline": is_headline(source[0]),
                    "source_set": "newstest2021",
                    "alignment": "one source segment per line = one paragraph",
                    "boundary": "fixed rule (headline ending with a site name), not the "
                    "official document ids",
                    "split": SPLIT,
                },
            }
        )
    return examples


def id_rank(example_id: str) -> str:
    """SHA-256 of the id: the order by which documents are picked for hand labelling."""
    return hashlib.sha256(example_id.encode("utf-8")).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, nargs="?", help="newstest2021.zh-en.src.zh")
    parser.add_argument("reference", type=Path, nargs="?", help="newstest2021.zh-en.ref.A.en")
    parser.add_argument(
        "--mirrors", type=Path, help=f"read both files from git copies here ({DEFAULT_MIRRORS})"
    )
    parser.add_argument("--out", type=Path, default=FOLDER, help="folder to write")
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="write even if the content hash is not the committed one",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if args.mirrors:
            args.source, args.reference = materialize(args.mirrors, INPUTS, Path(scratch))
        elif args.source is None or args.reference is None:
            parser.error("give the two files, or --mirrors DIR")
        examples = wmt21_examples(args.source, args.reference)
    segments = sum(len(example["references"]["translation"][0]) for example in examples)
    write_verified(
        args.out,
        {
            "name": SET_NAME,
            "version": "1",
            "description": f"The WMT21 zh-en news test set, {segments} segments cut into "
            f"{len(examples)} documents by a fixed headline rule, one sentence per paragraph, "
            "with one human English reference (A). All are held-out (split 'fresh-2'): blind "
            "data, never tuned on.",
            "provenance": PROVENANCE,
            "license": LICENSE,
            "split": SPLIT,
            "build": BUILD,
        },
        examples,
        committed=FOLDER,
        verify=not args.no_verify,
    )
    print(f"wrote {len(examples)} documents ({segments} segments) to {args.out}")


if __name__ == "__main__":
    main()
