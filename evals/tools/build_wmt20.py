"""Build ``evals/external/wmt20-zhen`` (grounding split ``fresh-4``) and pick the ``held-out-6``
entity documents (``evals/external/wmt20-zhen-held-out-6``, the texts of those labels), then the
sixth round's blind sets ``evals/external/wmt20-zhen-fresh-5`` (grounding split ``fresh-5``) and
``evals/external/wmt20-zhen-held-out-7`` (texts of the entity split ``held-out-7``), then the
seventh round's ``evals/external/wmt20-zhen-fresh-6`` (grounding split ``fresh-6``) and
``evals/external/wmt20-zhen-held-out-8`` (texts of the entity split ``held-out-8``): news
documents of the WMT20 news test set zh-en (newstest2020) with two independent human references.

    python evals/tools/build_wmt20.py --mirrors /work/.mirror
    python evals/tools/build_wmt20.py newstest2020.zh newstest2020.en newstestB2020.en zh-en.txt

The text is not in the repository: this writes each set's ``examples.jsonl`` (gitignored) and
``manifest.json`` into its folder, and only when its content hash is the one committed there
(``--no-verify`` to build a new version).

The first three files are ``testsets/zh-en/newstest2020.zh``, ``testsets/zh-en/newstest2020.en``
(reference A) and ``testsets/zh-en/newstestB2020.en`` (reference B) of the public repository
``Helsinki-NLP/OPUS-MT-testsets`` (commit ``ac0f19c0be3cb4e0d9450fcb2d7a9847c4bdd180``): the
2,000 line-aligned segments of newstest2020 zh-en as released by the WMT organisers, in plain
text. The fourth is ``input/details/zh-en.txt`` of ``WMT-Metrics-task/wmt20-metrics`` (commit
``3e434fc32fd02999c885575df6167c31f60ee996``): one row per line of the test set with its
document id and its segment number inside the document, so documents are cut by the
organisers' own ids, not by a rule of ours.

Why a set of its own: every WMT21, WMT22 and WMT23 zh-en news document the project ships has
been run through the checks and rules of issue 10 (fresh-3 included, after its blind run), so
these are new blind data, all held out: nothing may be designed or tuned on them.

The selection rule (``select``), written down and committed on 2026-12-01 before any line of
the text files was read (only the document ids and their line counts were looked at):

1. A document is the run of lines that share one document id in ``zh-en.txt`` (the build stops
   if a document's lines are not contiguous or its segment numbers are not 1..n in order).
2. Eligible: documents with at least ``MIN_SEGMENTS`` (5) segments whose document id occurs in
   no data file of ``evals/`` (``*.jsonl`` and ``splits.json``), leaving out this set's own folder
   and the ``held-out-6`` records that this rule itself picks. On the base commit (``e2e715a``)
   none of the 155 newstest2020 zh-en ids occurs anywhere in ``evals/``. All 155 documents are
   news (the newstest2020 zh-en test set holds news only).
3. Order the eligible documents by the SHA-256 hex digest of their example id
   (``wmt20.zh-en.<document id>``, UTF-8), smallest first.
4. ``fresh-4``: the first ``FRESH_4_DOCUMENTS`` (40) documents in that order, whole, with both
   references.
5. ``held-out-6`` (entities): continuing in the same order after the 40, the first
   ``HELD_OUT_6_DOCUMENTS`` (12) documents with at most ``HELD_OUT_6_MAX_SEGMENTS`` (20)
   segments (the cap keeps hand labelling within one session). They are not in ``fresh-4``.

Rule 2 leaves out all six folders this script builds and every entity record of ``held-out-6``,
``held-out-7`` or ``held-out-8`` (or read from one of those folders), so rules 1 to 5 see the same
ids as on their base commit and pick the same documents whatever the later rules add.

The sixth round's rule (``select_round_6``), written down and committed on 2026-12-01 before any
line of the text of its documents was read (only document ids and segment counts were looked at;
``fresh-4`` and ``held-out-6`` had by then become design data):

6. Eligible: the documents eligible under rule 2 (at least 5 segments, id used in no data file
   of ``evals/`` other than those rule 2 leaves out) that rules 4 and 5 did not pick for
   ``fresh-4`` or ``held-out-6``, in the order of rule 3. The documents rule 5 passed over for
   having more than 20 segments were read by nobody and are eligible again.
7. ``fresh-5``: the first ``FRESH_5_DOCUMENTS`` (40) of them, whole, with both references (all
   that remain if fewer than 40 do).
8. ``held-out-7`` (entities): continuing in the same order after those, the first
   ``HELD_OUT_7_DOCUMENTS`` (12) documents with at most ``HELD_OUT_7_MAX_SEGMENTS`` (20)
   segments. They are not in ``fresh-5``.

The seventh round's rule (``select_round_7``), written down and committed on 2026-12-01 before any
line of the text of its documents was read (only document ids and segment counts were looked at;
``fresh-5`` and ``held-out-7`` had by then been run once):

9. Eligible: the documents eligible under rule 2 that rules 4, 5, 7 and 8 did not pick for
   ``fresh-4``, ``held-out-6``, ``fresh-5`` or ``held-out-7``, in the order of rule 3. On the
   pinned files 47 are left, 7 of them with more than 20 segments.
10. ``fresh-6``: the first ``FRESH_6_DOCUMENTS`` (33) of them, whole, with both references (all
    that remain if fewer do). 33 is the largest number that still leaves 12 documents of at
    most 20 segments after it: the 12th of those is the 46th eligible document.
11. ``held-out-8`` (entities): continuing in the same order after those, the first
    ``HELD_OUT_8_DOCUMENTS`` (12) documents with at most ``HELD_OUT_8_MAX_SEGMENTS`` (20)
    segments. They are not in ``fresh-6``. Two eligible documents are left for a later round,
    read by nobody: one of 26 segments that the cap passes over, and one of 25 after the 12th.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fetched import DEFAULT_MIRRORS, PinnedFile, materialize, write_verified

EVALS = Path(__file__).resolve().parent.parent
SET_NAME = "wmt20-zhen"
FOLDER = EVALS / "external" / SET_NAME
#: The texts of the ``held-out-6`` entity labels (``evals/labelled``): not a scoring set.
HELD_OUT_6_SET_NAME = "wmt20-zhen-held-out-6"
HELD_OUT_6_FOLDER = EVALS / "external" / HELD_OUT_6_SET_NAME
SPLIT = "fresh-4"
ENTITY_SPLIT = "held-out-6"
MIN_SEGMENTS = 5
FRESH_4_DOCUMENTS = 40
HELD_OUT_6_DOCUMENTS = 12
HELD_OUT_6_MAX_SEGMENTS = 20
#: The sixth round's blind sets (rules 6 to 8).
FRESH_5_SET_NAME = "wmt20-zhen-fresh-5"
FRESH_5_FOLDER = EVALS / "external" / FRESH_5_SET_NAME
HELD_OUT_7_SET_NAME = "wmt20-zhen-held-out-7"
HELD_OUT_7_FOLDER = EVALS / "external" / HELD_OUT_7_SET_NAME
FRESH_5_SPLIT = "fresh-5"
HELD_OUT_7_SPLIT = "held-out-7"
FRESH_5_DOCUMENTS = 40
HELD_OUT_7_DOCUMENTS = 12
HELD_OUT_7_MAX_SEGMENTS = 20
#: The seventh round's blind sets (rules 9 to 11).
FRESH_6_SET_NAME = "wmt20-zhen-fresh-6"
FRESH_6_FOLDER = EVALS / "external" / FRESH_6_SET_NAME
HELD_OUT_8_SET_NAME = "wmt20-zhen-held-out-8"
HELD_OUT_8_FOLDER = EVALS / "external" / HELD_OUT_8_SET_NAME
FRESH_6_SPLIT = "fresh-6"
HELD_OUT_8_SPLIT = "held-out-8"
FRESH_6_DOCUMENTS = 33
HELD_OUT_8_DOCUMENTS = 12
HELD_OUT_8_MAX_SEGMENTS = 20
#: What rule 2 does not read: the folders this script builds and the entity splits it picks.
BUILT_SETS = (
    SET_NAME,
    HELD_OUT_6_SET_NAME,
    FRESH_5_SET_NAME,
    HELD_OUT_7_SET_NAME,
    FRESH_6_SET_NAME,
    HELD_OUT_8_SET_NAME,
)
PICKED_ENTITY_SPLITS = (ENTITY_SPLIT, HELD_OUT_7_SPLIT, HELD_OUT_8_SPLIT)
REPOSITORY = "Helsinki-NLP/OPUS-MT-testsets"
COMMIT = "ac0f19c0be3cb4e0d9450fcb2d7a9847c4bdd180"
SOURCE_PATH = "testsets/zh-en/newstest2020.zh"
REFERENCE_A_PATH = "testsets/zh-en/newstest2020.en"
REFERENCE_B_PATH = "testsets/zh-en/newstestB2020.en"
DETAILS_REPOSITORY = "WMT-Metrics-task/wmt20-metrics"
DETAILS_COMMIT = "3e434fc32fd02999c885575df6167c31f60ee996"
DETAILS_PATH = "input/details/zh-en.txt"
INPUTS = (
    PinnedFile(
        REPOSITORY,
        COMMIT,
        SOURCE_PATH,
        "1685b0bf076ca8f012b0729ac9b74ec626d6e4941dbc598da9ea1797d5e56ec8",
    ),
    PinnedFile(
        REPOSITORY,
        COMMIT,
        REFERENCE_A_PATH,
        "622f9c4777743ac05bb8da8123134ec07d590486307e8b4affa22525cbb0ba17",
    ),
    PinnedFile(
        REPOSITORY,
        COMMIT,
        REFERENCE_B_PATH,
        "10aba3639de810c53ceec18c689712df6e3af0e8386b0a998ff5070e75cd49e9",
    ),
    PinnedFile(
        DETAILS_REPOSITORY,
        DETAILS_COMMIT,
        DETAILS_PATH,
        "48365c9f762349d7c4bf126219d66b4059c775a47433bf624c0690d28b3604af",
    ),
)
BUILD = "python evals/tools/build_wmt20.py --mirrors /work/.mirror"
PROVENANCE = (
    "WMT20 news test set zh-en (newstest2020) as released by the WMT organisers, in the "
    f"plain-text copy of the public repository {REPOSITORY}, commit {COMMIT}: {SOURCE_PATH} with "
    f"the two independent human reference translations {REFERENCE_A_PATH} (A) and "
    f"{REFERENCE_B_PATH} (B), line-aligned; documents cut by the organisers' document ids "
    f"from {DETAILS_PATH} of {DETAILS_REPOSITORY}; chosen by a fixed hash rule, see "
    "PROVENANCE.md in this folder."
)
LICENSE = (
    "WMT test sets are released by the WMT organisers for research and evaluation use; no other "
    "licence is stated."
)


@dataclass(frozen=True)
class Document:
    """One newstest2020 document: its id and its lines (0-based, end exclusive)."""

    document: str
    start: int
    end: int

    @property
    def example_id(self) -> str:
        return f"wmt20.zh-en.{self.document}"

    @property
    def segments(self) -> int:
        return self.end - self.start

    @property
    def order(self) -> str:
        """The rule's order: SHA-256 of the example id, smallest first."""
        return hashlib.sha256(self.example_id.encode("utf-8")).hexdigest()


def documents(details_path: Path) -> list[Document]:
    """The documents of ``zh-en.txt`` in file order (rule 1)."""
    rows = [line.split("\t") for line in details_path.read_text("utf-8").splitlines() if line]
    cut: list[Document] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        number, testset, pair, document, segment = row
        if int(number) != index + 1 or testset != "newstest2020" or pair != "zh-en":
            raise SystemExit(f"line {index + 1} of {details_path} is not newstest2020 zh-en row")
        if cut and cut[-1].document == document:
            previous = cut[-1]
            if int(segment) != previous.segments + 1:
                raise SystemExit(f"{document}: segment {segment} out of order")
            cut[-1] = Document(document, previous.start, index + 1)
            continue
        if document in seen:
            raise SystemExit(f"{document}: its lines are not contiguous")
        if int(segment) != 1:
            raise SystemExit(f"{document}: does not start at segment 1")
        seen.add(document)
        cut.append(Document(document, index, index + 1))
    return cut


def _picked_by_this_script(record: dict[str, Any]) -> bool:
    """Whether an entity record is one this script's rules picked (``held-out-6``,
    ``held-out-7``, ``held-out-8``), also under another split name, as long as its text is read
    from here."""
    text_from = record.get("text_from")
    from_here = isinstance(text_from, dict) and text_from.get("set") in BUILT_SETS
    return record.get("split") in PICKED_ENTITY_SPLITS or from_here


def ids_used_in_evals(evals: Path = EVALS) -> str:
    """The text of every data file of ``evals/`` that the rules must not overlap (rules 2 and 6),
    less the folders this script builds and the entity records its rules pick."""
    parts = []
    for path in sorted(evals.rglob("*")):
        if not path.is_file() or (path.suffix != ".jsonl" and path.name != "splits.json"):
            continue
        if set(BUILT_SETS) & set(path.relative_to(evals).parts):
            continue
        lines = path.read_text("utf-8").splitlines()
        if path.name == "entities.jsonl":
            lines = [line for line in lines if not _picked_by_this_script(json.loads(line))]
        parts.extend(lines)
    return "\n".join(parts)


def _eligible(
    cut: list[Document], used: str, taken: frozenset[str] = frozenset()
) -> list[Document]:
    """Documents of at least ``MIN_SEGMENTS`` segments whose id is neither in ``used`` nor in
    ``taken``, in the rule's order (rules 2, 3, 6 and 9)."""
    return sorted(
        (
            d
            for d in cut
            if d.segments >= MIN_SEGMENTS and d.document not in used and d.document not in taken
        ),
        key=lambda d: d.order,
    )


def _first_then_short(
    eligible: list[Document], first: int, short: int, max_segments: int
) -> tuple[list[Document], list[Document]]:
    """The first ``first`` documents of ``eligible``, and after them the first ``short`` ones
    with at most ``max_segments`` segments (rules 4 and 5, 7 and 8, 10 and 11)."""
    chosen = eligible[:first]
    rest = [d for d in eligible[len(chosen) :] if d.segments <= max_segments]
    return chosen, rest[:short]


def select(cut: list[Document], used: str) -> tuple[list[Document], list[Document]]:
    """(fresh-4 documents, held-out-6 documents), each in the rule's order (rules 2 to 5)."""
    fresh, held = _first_then_short(
        _eligible(cut, used), FRESH_4_DOCUMENTS, HELD_OUT_6_DOCUMENTS, HELD_OUT_6_MAX_SEGMENTS
    )
    if len(fresh) < FRESH_4_DOCUMENTS:
        raise SystemExit(f"only {len(fresh)} eligible documents")
    return fresh, held


def select_round_6(cut: list[Document], used: str) -> tuple[list[Document], list[Document]]:
    """(fresh-5 documents, held-out-7 documents), each in the rule's order (rules 6 to 8): the
    same order continued past every document ``select`` picks."""
    fresh_4, held_out_6 = select(cut, used)
    taken = frozenset(d.document for d in [*fresh_4, *held_out_6])
    return _first_then_short(
        _eligible(cut, used, taken),
        FRESH_5_DOCUMENTS,
        HELD_OUT_7_DOCUMENTS,
        HELD_OUT_7_MAX_SEGMENTS,
    )


def select_round_7(cut: list[Document], used: str) -> tuple[list[Document], list[Document]]:
    """(fresh-6 documents, held-out-8 documents), each in the rule's order (rules 9 to 11): the
    same order continued past every document ``select`` and ``select_round_6`` pick."""
    picked = [*select(cut, used), *select_round_6(cut, used)]
    taken = frozenset(d.document for pick in picked for d in pick)
    return _first_then_short(
        _eligible(cut, used, taken),
        FRESH_6_DOCUMENTS,
        HELD_OUT_8_DOCUMENTS,
        HELD_OUT_8_MAX_SEGMENTS,
    )


#: A selection rule: (grounding documents, entity documents) from the documents and used ids.
Selection = Callable[[list[Document], str], tuple[list[Document], list[Document]]]


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.removesuffix("\n").split("\n")]


def _aligned(
    source_path: Path, reference_a_path: Path, reference_b_path: Path, details_path: Path
) -> tuple[list[str], list[str], list[str], list[Document]]:
    """The source and both references, line by line, and the documents the ids cut them into;
    ``SystemExit`` unless all four have the same number of lines."""
    source, reference_a, reference_b = (
        _lines(source_path),
        _lines(reference_a_path),
        _lines(reference_b_path),
    )
    cut = documents(details_path)
    if not len(source) == len(reference_a) == len(reference_b) == cut[-1].end:
        raise SystemExit(
            f"source {len(source)}, reference A {len(reference_a)}, reference B "
            f"{len(reference_b)} and the document ids {cut[-1].end} lines: not aligned"
        )
    return source, reference_a, reference_b, cut


FRESH_4_SELECTION = (
    "the 40 newstest2020 zh-en documents of >= 5 segments with the smallest SHA-256 of their id "
    "(see PROVENANCE.md)"
)
HELD_OUT_6_SELECTION = (
    "the 12 newstest2020 zh-en documents of 5 to 20 segments after the 40 of fresh-4 in the order "
    "of the SHA-256 of their id (see evals/external/wmt20-zhen/PROVENANCE.md)"
)
FRESH_5_SELECTION = (
    "the next 40 newstest2020 zh-en documents of >= 5 segments in the order of the SHA-256 of "
    "their id, past those of fresh-4 and held-out-6 (see PROVENANCE.md)"
)
HELD_OUT_7_SELECTION = (
    "the 12 newstest2020 zh-en documents of 5 to 20 segments after the 40 of fresh-5 in the order "
    "of the SHA-256 of their id (see evals/external/wmt20-zhen-fresh-5/PROVENANCE.md)"
)
FRESH_6_SELECTION = (
    "the next 33 newstest2020 zh-en documents of >= 5 segments in the order of the SHA-256 of "
    "their id, past those of fresh-4, held-out-6, fresh-5 and held-out-7 (see PROVENANCE.md)"
)
HELD_OUT_8_SELECTION = (
    "the 12 newstest2020 zh-en documents of 5 to 20 segments after the 33 of fresh-6 in the order "
    "of the SHA-256 of their id (see evals/external/wmt20-zhen-fresh-6/PROVENANCE.md)"
)


GROUNDING_DESCRIPTION = (
    "{count} news documents of the WMT20 news test set zh-en (newstest2020), {segments} "
    "segments, one sentence per paragraph, with two independent human English references (A and "
    "B).{besides} All are held-out (split '{split}'): blind data, never tuned on."
)
ENTITY_TEXTS_DESCRIPTION = (
    "The {count} WMT20 newstest2020 zh-en documents of the entity split '{split}' "
    "(evals/labelled), with references A and B: the texts those labels are read against. Not a "
    "scoring set; not in {besides}."
)


@dataclass(frozen=True)
class BlindSet:
    """One set this script builds: which rule picks it, and how its examples and manifest read."""

    name: str
    folder: Path
    split: str
    selection: str
    #: The rules that pick it: ``select`` (2 to 5), ``select_round_6`` (6 to 8) or
    #: ``select_round_7`` (9 to 11).
    rule: Selection
    #: The texts of an entity split (the second of the rule's pair), not a grounding set.
    entities: bool
    #: What the manifest's description adds: the sets it is disjoint from.
    besides: str

    def documents(self, cut: list[Document], used: str) -> list[Document]:
        """The set's documents: grounding sets in file order, entity texts in the rule's order."""
        grounding, entities = self.rule(cut, used)
        if self.entities:
            return entities
        return sorted(grounding, key=lambda d: d.start)

    def description(self, examples: list[dict[str, Any]]) -> str:
        """The manifest's description of the built set."""
        template = ENTITY_TEXTS_DESCRIPTION if self.entities else GROUNDING_DESCRIPTION
        segments = sum(len(example["references"]["translation"][0]) for example in examples)
        return template.format(
            count=len(examples), segments=segments, split=self.split, besides=self.besides
        )


FRESH_4 = BlindSet(
    SET_NAME, FOLDER, SPLIT, FRESH_4_SELECTION, rule=select, entities=False, besides=""
)
HELD_OUT_6 = BlindSet(
    HELD_OUT_6_SET_NAME,
    HELD_OUT_6_FOLDER,
    ENTITY_SPLIT,
    HELD_OUT_6_SELECTION,
    rule=select,
    entities=True,
    besides=SET_NAME,
)
FRESH_5 = BlindSet(
    FRESH_5_SET_NAME,
    FRESH_5_FOLDER,
    FRESH_5_SPLIT,
    FRESH_5_SELECTION,
    rule=select_round_6,
    entities=False,
    besides=f" None is in {SET_NAME} or {HELD_OUT_6_SET_NAME}.",
)
HELD_OUT_7 = BlindSet(
    HELD_OUT_7_SET_NAME,
    HELD_OUT_7_FOLDER,
    HELD_OUT_7_SPLIT,
    HELD_OUT_7_SELECTION,
    rule=select_round_6,
    entities=True,
    besides=f"{FRESH_5_SET_NAME}, {SET_NAME} or {HELD_OUT_6_SET_NAME}",
)
FRESH_6 = BlindSet(
    FRESH_6_SET_NAME,
    FRESH_6_FOLDER,
    FRESH_6_SPLIT,
    FRESH_6_SELECTION,
    rule=select_round_7,
    entities=False,
    besides=(
        f" None is in {SET_NAME}, {HELD_OUT_6_SET_NAME}, {FRESH_5_SET_NAME} or "
        f"{HELD_OUT_7_SET_NAME}."
    ),
)
HELD_OUT_8 = BlindSet(
    HELD_OUT_8_SET_NAME,
    HELD_OUT_8_FOLDER,
    HELD_OUT_8_SPLIT,
    HELD_OUT_8_SELECTION,
    rule=select_round_7,
    entities=True,
    besides=(
        f"{FRESH_6_SET_NAME}, {SET_NAME}, {HELD_OUT_6_SET_NAME}, {FRESH_5_SET_NAME} or "
        f"{HELD_OUT_7_SET_NAME}"
    ),
)
#: Every set this script builds, in the order it writes them.
BLIND_SETS = (FRESH_4, HELD_OUT_6, FRESH_5, HELD_OUT_7, FRESH_6, HELD_OUT_8)
ENTITY_SETS = {blind.split: blind for blind in BLIND_SETS if blind.entities}


def set_examples(
    blind: BlindSet,
    source_path: Path,
    reference_a_path: Path,
    reference_b_path: Path,
    details_path: Path,
    used: str,
) -> list[dict[str, Any]]:
    """One gold-set example per document of ``blind``, in its order."""
    source, reference_a, reference_b, cut = _aligned(
        source_path, reference_a_path, reference_b_path, details_path
    )
    return [
        _example(doc, source, reference_a, reference_b, blind.split, blind.selection)
        for doc in blind.documents(cut, used)
    ]


def wmt20_examples(
    source_path: Path,
    reference_a_path: Path,
    reference_b_path: Path,
    details_path: Path,
    used: str,
) -> list[dict[str, Any]]:
    """One gold-set example per ``fresh-4`` document, in file order."""
    return set_examples(
        FRESH_4, source_path, reference_a_path, reference_b_path, details_path, used
    )


def _example(
    doc: Document,
    source: list[str],
    reference_a: list[str],
    reference_b: list[str],
    split: str,
    selection: str,
) -> dict[str, Any]:
    """One gold-set example: the document's lines with both references."""
    lines = source[doc.start : doc.end]
    references = [reference_a[doc.start : doc.end], reference_b[doc.start : doc.end]]
    if any(not line for line in lines) or any(not line for r in references for line in r):
        raise SystemExit(f"{doc.document} has an empty line")
    return {
        "id": doc.example_id,
        "source": "\n".join(lines),
        "provenance": PROVENANCE,
        "license": LICENSE,
        "references": {"translation": references},
        "extra": {
            "document": doc.document,
            "lines": [doc.start + 1, doc.end],
            "source_set": "newstest2020",
            "references": ["A (newstest2020.en)", "B (newstestB2020.en)"],
            "alignment": "one source segment per line = one paragraph",
            "selection": selection,
            "split": split,
        },
    }


def held_out_6_examples(
    source_path: Path,
    reference_a_path: Path,
    reference_b_path: Path,
    details_path: Path,
    used: str,
) -> list[dict[str, Any]]:
    """The ``held-out-6`` documents as gold-set examples, in the rule's order: the texts that
    ``evals/labelled/entities.jsonl`` labels (split ``held-out-6``)."""
    return set_examples(
        HELD_OUT_6, source_path, reference_a_path, reference_b_path, details_path, used
    )


def entity_documents(
    source_path: Path,
    reference_a_path: Path,
    details_path: Path,
    used: str,
    split: str = ENTITY_SPLIT,
) -> list[dict[str, Any]]:
    """The documents of entity split ``split`` (``held-out-6``, ``held-out-7`` or ``held-out-8``),
    in the rule's order: id, text and reference A, to label."""
    source, reference_a = _lines(source_path), _lines(reference_a_path)
    chosen = ENTITY_SETS[split].documents(documents(details_path), used)
    return [
        {
            "id": doc.example_id,
            "lines": [doc.start + 1, doc.end],
            "text": "\n".join(source[doc.start : doc.end]),
            "reference_a": reference_a[doc.start : doc.end],
        }
        for doc in chosen
    ]


def write_blind_set(
    blind: BlindSet, out: Path, examples: list[dict[str, Any]], *, verify: bool
) -> None:
    """Write one built set to ``out`` (only as committed, unless ``verify`` is off)."""
    manifest: dict[str, Any] = {
        "name": blind.name,
        "version": "1",
        "description": blind.description(examples),
        "provenance": PROVENANCE,
        "license": LICENSE,
        "split": blind.split,
        "build": BUILD,
    }
    if blind.entities:
        manifest["labelled_texts"] = blind.split
    write_verified(out, manifest, examples, committed=blind.folder, verify=verify)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, nargs="?", help="newstest2020.zh")
    parser.add_argument("reference_a", type=Path, nargs="?", help="newstest2020.en (reference A)")
    parser.add_argument("reference_b", type=Path, nargs="?", help="newstestB2020.en (reference B)")
    parser.add_argument(
        "details", type=Path, nargs="?", help="zh-en.txt (document id of every line)"
    )
    parser.add_argument(
        "--mirrors", type=Path, help=f"read the four files from git copies here ({DEFAULT_MIRRORS})"
    )
    parser.add_argument("--out", type=Path, default=FOLDER, help="folder of the fresh-4 set")
    parser.add_argument(
        "--held-out-6-out",
        type=Path,
        default=HELD_OUT_6_FOLDER,
        help="folder of the held-out-6 texts",
    )
    parser.add_argument(
        "--fresh-5-out", type=Path, default=FRESH_5_FOLDER, help="folder of the fresh-5 set"
    )
    parser.add_argument(
        "--held-out-7-out",
        type=Path,
        default=HELD_OUT_7_FOLDER,
        help="folder of the held-out-7 texts",
    )
    parser.add_argument(
        "--fresh-6-out", type=Path, default=FRESH_6_FOLDER, help="folder of the fresh-6 set"
    )
    parser.add_argument(
        "--held-out-8-out",
        type=Path,
        default=HELD_OUT_8_FOLDER,
        help="folder of the held-out-8 texts",
    )
    parser.add_argument(
        "--entity-documents",
        type=Path,
        help="also write the documents of --entity-split (to label by hand) to this JSONL file",
    )
    parser.add_argument(
        "--entity-split",
        choices=sorted(ENTITY_SETS),
        default=ENTITY_SPLIT,
        help=f"the entity split --entity-documents writes (default {ENTITY_SPLIT})",
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="write even if a content hash is not the committed one",
    )
    args = parser.parse_args()
    used = ids_used_in_evals()
    outs = {
        FRESH_4.name: args.out,
        HELD_OUT_6.name: args.held_out_6_out,
        FRESH_5.name: args.fresh_5_out,
        HELD_OUT_7.name: args.held_out_7_out,
        FRESH_6.name: args.fresh_6_out,
        HELD_OUT_8.name: args.held_out_8_out,
    }
    with tempfile.TemporaryDirectory() as scratch:
        if args.mirrors:
            files = materialize(args.mirrors, INPUTS, Path(scratch))
            args.source, args.reference_a, args.reference_b, args.details = files
        elif None in (args.source, args.reference_a, args.reference_b, args.details):
            parser.error("give the four files, or --mirrors DIR")
        inputs = (args.source, args.reference_a, args.reference_b, args.details)
        built = {blind.name: set_examples(blind, *inputs, used) for blind in BLIND_SETS}
        chosen = entity_documents(
            args.source, args.reference_a, args.details, used, args.entity_split
        )
    for blind in BLIND_SETS:
        examples = built[blind.name]
        write_blind_set(blind, outs[blind.name], examples, verify=not args.no_verify)
        segments = sum(len(example["references"]["translation"][0]) for example in examples)
        print(
            f"wrote {len(examples)} {blind.split} documents ({segments} segments) "
            f"to {outs[blind.name]}"
        )
    short = [
        f"{blind.split}: only {len(built[blind.name])} documents remain"
        for blind, wanted in (
            (FRESH_5, FRESH_5_DOCUMENTS),
            (HELD_OUT_7, HELD_OUT_7_DOCUMENTS),
            (FRESH_6, FRESH_6_DOCUMENTS),
            (HELD_OUT_8, HELD_OUT_8_DOCUMENTS),
        )
        if len(built[blind.name]) < wanted
    ]
    for line in short:
        print(line)
    if args.entity_documents:
        with args.entity_documents.open("w", encoding="utf-8") as handle:
            for record in chosen:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"wrote {len(chosen)} {args.entity_split} documents to {args.entity_documents}")


if __name__ == "__main__":
    main()
