"""Build ``evals/external/wmt23-zhen``: the news documents of the WMT23 general test set zh-en.

    python evals/tools/build_wmt23.py --mirrors /work/.mirror
    python evals/tools/build_wmt23.py generaltest2023.zh-en.src.zh \
        generaltest2023.zh-en.ref.refA.en sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv

The text is not in the repository: this writes ``examples.jsonl`` (gitignored) and
``manifest.json`` into ``evals/external/wmt23-zhen`` (or ``--out``), and only when the content hash
is the one committed there (``--no-verify`` to build a new version).

The first two files are ``txt/sources/generaltest2023.zh-en.src.zh`` and
``txt/references/generaltest2023.zh-en.ref.refA.en`` of the public repository
``wmt-conference/wmt23-news-systems`` (commit ``99b5b9de2a535c2c5542fd4ec404682903299894``): 1,976
line-aligned segments of several domains with one human reference (refA). The third is
``generalMT2023/zhen/sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv`` (extracted from its
``.tar.gz``) of ``google/wmt-mqm-human-evaluation`` (commit
``7fadea281aff8db61cc72fc3d469a4dca78b82a6``): MQM ratings that name the news documents (``doc``,
e.g. ``news_chinanews.com.280744:zh-en``) and quote the source of their first rated segments
(``docSegId`` 1, 2, ...). Only document ids and where they start are taken from it.

Why a set of its own: every WMT22 and WMT21 document the project ships has been looked at while
rules changed, so these are the project's blind data, all held-out (split ``fresh-3``, decided on
2026-12-01 before anyone read them).

The document cutting rule (``documents``), written down on 2026-12-01 before any boundary line was
read:

1. A news document's first line is the line L of ``src.zh`` for which the most of its rated
   segments 1..k sit where they should (segment i on line L + i - 1), comparing the MQM source
   with the ``<v>``/``</v>`` marks removed and all whitespace removed on both sides. At least half
   of the k segments must sit there, and no other L may do as well, else the build stops.
   (Amended on 2026-12-01 after the first run, and still before any boundary line was read: the
   first version asked for all k segments as exact lines and matched 0 places for the first
   document, because the MQM text differs from the txt files in spaces, and in a few segments
   in more than that.)
2. A document runs from its first line up to the line before the next news document's first line
   (in file order), so the unrated rest of an article stays with it.
3. The last news document ends at its last rated line: the MQM file does not say where the news
   domain ends, and the lines after it may belong to another domain's document.

Afterwards (not part of the rule) ``looks_like_headline`` says whether each first line is a
headline (no sentence-final punctuation at its end, at most 60 characters); the 38 first lines were
then also read by a person, and PROVENANCE.md gives the count.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fetched import DEFAULT_MIRRORS, PinnedFile, materialize, write_verified

EVALS = Path(__file__).resolve().parent.parent
FOLDER = EVALS / "external" / "wmt23-zhen"
SET_NAME = "wmt23-zhen"
SPLIT = "fresh-3"
REPOSITORY = "wmt-conference/wmt23-news-systems"
COMMIT = "99b5b9de2a535c2c5542fd4ec404682903299894"
SOURCE_PATH = "txt/sources/generaltest2023.zh-en.src.zh"
REFERENCE_PATH = "txt/references/generaltest2023.zh-en.ref.refA.en"
MQM_REPOSITORY = "google/wmt-mqm-human-evaluation"
MQM_COMMIT = "7fadea281aff8db61cc72fc3d469a4dca78b82a6"
MQM_PATH = "generalMT2023/zhen/sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv.tar.gz"
INPUTS = (
    PinnedFile(
        REPOSITORY,
        COMMIT,
        SOURCE_PATH,
        "d91ce2717cdfbf63041289f9d31f07545a8d80c4a6fd4d0bf9a1126b0d6b063a",
    ),
    PinnedFile(
        REPOSITORY,
        COMMIT,
        REFERENCE_PATH,
        "5dd09a10f2775a1d76fe51a28ec62309a0b8a26809f08a14c9d456821e3a1a4d",
    ),
    PinnedFile(
        MQM_REPOSITORY,
        MQM_COMMIT,
        MQM_PATH,
        "b5a4edc8da8939ab12a227df591c2e036c7871bac261b8b4314a56b6ce47ae8a",
        member="sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv",
    ),
)
BUILD = "python evals/tools/build_wmt23.py --mirrors /work/.mirror"
NEWS_PREFIX = "news_"
_MARKS = re.compile(r"</?v>")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。！？!?…]\s*[”」』\"')）]*\s*$")
PROVENANCE = (
    f"WMT23 general test set zh-en of the public repository {REPOSITORY}, commit {COMMIT}: "
    f"{SOURCE_PATH} with the human reference translation {REFERENCE_PATH} (refA), line-aligned; "
    "news domain only. Document ids and first lines come from the MQM ratings of "
    f"{MQM_REPOSITORY} (commit {MQM_COMMIT}, {MQM_PATH}); where a document ends comes from a "
    "fixed rule, see PROVENANCE.md in this folder."
)
LICENSE = (
    "WMT test sets are released by the WMT organisers for research and evaluation use; no other "
    "licence is stated. The MQM document ids come from a repository under the Apache License 2.0."
)


def looks_like_headline(line: str) -> bool:
    """A check made after the cut: a short line that does not end a sentence."""
    return len(line) <= 60 and _SENTENCE_END.search(line) is None


def rated_segments(mqm_path: Path) -> dict[str, list[str]]:
    """News document id -> the source of its rated segments, in docSegId order (1, 2, ...)."""
    segments: dict[str, dict[int, str]] = {}
    with mqm_path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in rows:
            if not row["doc"].startswith(NEWS_PREFIX):
                continue
            text = _MARKS.sub("", row["source"]).strip()
            seen = segments.setdefault(row["doc"], {}).setdefault(int(row["docSegId"]), text)
            if seen != text:
                raise SystemExit(f"{row['doc']} segment {row['docSegId']}: two different sources")
    result = {}
    for doc, by_number in segments.items():
        if sorted(by_number) != list(range(1, len(by_number) + 1)):
            raise SystemExit(f"{doc}: rated segments are not 1..k")
        result[doc] = [by_number[number] for number in range(1, len(by_number) + 1)]
    return result


def _normal(text: str) -> str:
    return _SPACE.sub("", _MARKS.sub("", text))


def first_line(source: list[str], rated: list[str], doc: str) -> int:
    """The line (0-based) where the most rated segments of one document sit in order (rule 1)."""
    where: dict[str, list[int]] = {}
    for number, line in enumerate(source):
        where.setdefault(_normal(line), []).append(number)
    votes: dict[int, int] = {}
    for offset, segment in enumerate(rated):
        for number in where.get(_normal(segment), []):
            votes[number - offset] = votes.get(number - offset, 0) + 1
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    if not ranked or 2 * ranked[0][1] < len(rated):
        raise SystemExit(f"{doc}: fewer than half of its rated segments sit in order anywhere")
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        raise SystemExit(f"{doc}: its rated segments sit equally well at two places")
    return ranked[0][0]


def documents(
    source: list[str], reference: list[str], rated: dict[str, list[str]]
) -> list[tuple[str, int, int]]:
    """(document id, first line, end line exclusive), 0-based, in file order, by the fixed rule."""
    if len(source) != len(reference):
        raise SystemExit(
            f"source has {len(source)} lines, the reference {len(reference)}: not aligned"
        )
    starts = sorted((first_line(source, segments, doc), doc) for doc, segments in rated.items())
    cut = []
    for index, (start, doc) in enumerate(starts):
        # rule 2, and rule 3: the last one ends at its last rated line
        end = starts[index + 1][0] if index + 1 < len(starts) else start + len(rated[doc])
        if end < start + len(rated[doc]):
            raise SystemExit(f"{doc}: the next document starts inside its rated segments")
        cut.append((doc, start, end))
    return cut


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.removesuffix("\n").split("\n")]


def example_id(doc: str) -> str:
    """``news_chinanews.com.280744:zh-en`` -> ``wmt23.zh-en.news_chinanews.com.280744``."""
    return f"wmt23.zh-en.{doc.removesuffix(':zh-en')}"


def wmt23_examples(source_path: Path, reference_path: Path, mqm_path: Path) -> list[dict[str, Any]]:
    """One gold-set example per news document, in file order."""
    source, reference = _lines(source_path), _lines(reference_path)
    rated = rated_segments(mqm_path)
    examples: list[dict[str, Any]] = []
    for doc, start, end in documents(source, reference, rated):
        lines, english = source[start:end], reference[start:end]
        if any(not line for line in lines) or any(not line for line in english):
            raise SystemExit(f"{doc} has an empty line")
        examples.append(
            {
                "id": example_id(doc),
                "source": "\n".join(lines),
                "provenance": PROVENANCE,
                "license": LICENSE,
                "references": {"translation": [english]},
                "extra": {
                    "document": doc,
                    "lines": [start + 1, end],
                    "rated_segments": len(rated[doc]),
                    "starts_with_headline": looks_like_headline(lines[0]),
                    "source_set": "generaltest2023",
                    "alignment": "one source segment per line = one paragraph",
                    "boundary": "first line from the MQM document ids; end by a fixed rule "
                    "(the next news document's first line; the last one ends at its last rated "
                    "segment)",
                    "split": SPLIT,
                },
            }
        )
    return examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, nargs="?", help="generaltest2023.zh-en.src.zh")
    parser.add_argument("reference", type=Path, nargs="?", help="generaltest2023.zh-en.ref.refA.en")
    parser.add_argument(
        "mqm", type=Path, nargs="?", help="sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv"
    )
    parser.add_argument(
        "--mirrors",
        type=Path,
        help=f"read the three files from git copies here ({DEFAULT_MIRRORS})",
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
            args.source, args.reference, args.mqm = materialize(args.mirrors, INPUTS, Path(scratch))
        elif args.source is None or args.reference is None or args.mqm is None:
            parser.error("give the three files, or --mirrors DIR")
        examples = wmt23_examples(args.source, args.reference, args.mqm)
    segments = sum(len(example["references"]["translation"][0]) for example in examples)
    write_verified(
        args.out,
        {
            "name": SET_NAME,
            "version": "1",
            "description": f"The news documents of the WMT23 general test set zh-en, {segments} "
            f"segments in {len(examples)} documents (ids from the MQM ratings), one sentence per "
            "paragraph, with one human English reference (refA). All are held-out (split "
            "'fresh-3'): blind data, never tuned on.",
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
