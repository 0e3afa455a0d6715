"""Build the eighth to tenth rounds' blind sets: ``evals/external/wmt17-zhen-fresh-7`` and
``evals/external/wmt17-zhen-fresh-8`` (grounding splits ``fresh-7`` and ``fresh-8``, WMT17 news
documents with two independent human references), ``evals/external/wmt19-zhen-fresh-9``
(grounding split ``fresh-9``, WMT19 news documents with one human reference),
``evals/external/wmt19-zhen-held-out-9``, ``-held-out-10`` and ``-held-out-11`` (the texts of the
entity splits ``held-out-9``, ``held-out-10`` and ``held-out-11``, WMT19 news documents). One
command builds all six.

    python evals/tools/build_wmt17_19.py --mirrors /work/.mirror
    python evals/tools/build_wmt17_19.py --files newstest2017.zh newstest2017.en \\
        Translator-HumanParityData-Reference-HT.txt newstest2019.zh newstest2019.en

The text is not in the repository: this writes each set's ``examples.jsonl`` (gitignored) and
``manifest.json`` into its folder, and only when its content hash is the one committed there
(``--no-verify`` to build a new version).

Inputs (pinned by commit and SHA-256 in ``INPUTS``):

- ``datasets/statmt/wmt_newstest/2017/zh-en/newstest2017.zh`` and ``.en`` of the public repository
  ``Helsinki-NLP/OPUS-MT-testsets``: the 2,001 line-aligned segments of the WMT17 news test set
  zh-en as released by the WMT organisers (reference A);
- ``Translator-HumanParityData/References/Translator-HumanParityData-Reference-HT.txt`` of
  ``MicrosoftTranslator/Translator-HumanParityData``: an independent professional translation of
  the same 2,001 Chinese lines made from scratch (reference B; its first line starts with a UTF-8
  byte order mark, which is dropped). The post-edited ``Reference-PE`` is machine output edited by
  people and is not used. Terms: Microsoft Research Data License Agreement (non-commercial
  research, analysis and testing; no distribution), so this text is never committed or shipped;
- ``datasets/statmt/wmt_newstest/2019/zh-en/newstest2019.zh`` and ``.en`` of
  ``Helsinki-NLP/OPUS-MT-testsets``: the 2,000 line-aligned segments of the WMT19 news test set
  zh-en (one reference, A; every source document of newstest2019 zh-en was first written in
  Chinese).

Why new sources: WMT20 is used up (rules 1 to 11 of ``build_wmt20.py`` took every eligible
document but two), and WMT21, WMT22 and WMT23 have been run through the rules of issue 10. No set
of ``evals/`` holds a WMT17 or WMT19 document.

The rules, written down and committed on 2026-12-01 **before any line of the text was read**. To
fix them only counts were looked at: the number of lines of each file, and how many Chinese lines
end in each kind of last character (on newstest2017.zh: 1,732 end with 。, 155 with ”, 87 with a
Han character, 27 with other marks; newstest2019.zh: 1,801 。, 108 ”, 49 Han, 42 other):

1. Documents (``document_starts``). The plain files carry no document ids, so documents are cut
   by a rule decided from structure alone. A Chinese line *ends a sentence* when, after any
   closing quotation marks (” " ’ ' 」 』) are set aside, its last character is one of
   ``。！？!?…；;.`` or a closing bracket ``）)】`` (a bracket at the end of a news line is
   usually a credit or an end mark such as （完）, not a headline). A new document starts at the
   first line of the file and at every line that does not end a sentence and follows one that
   does (a headline after the last line of the previous article; a run of such lines stays
   together). The rule is imperfect, and which way it errs is not measured (nobody may read the
   text to measure it): a headline that ends with ！ or ？ (or has none) merges two articles, and
   a subheading or a line ending with a colon or a number splits one. On the pinned files it
   gives 80 documents in newstest2017 (74 of at least 5 lines, 56 of 5 to 30) and 144 in
   newstest2019 (72 of 5 to 20 lines). Documents are named by their first line (1-based):
   ``wmt17.zh-en.line-NNNN`` and ``wmt19.zh-en.line-NNNN``.
2. Order: the SHA-256 hex digest of the example id (UTF-8), smallest first, as in every earlier
   round (``build_wmt21.id_rank``).
3. ``fresh-7`` (``wmt17-zhen-fresh-7``): among the newstest2017 documents of
   ``FRESH_7_MIN_SEGMENTS`` (5) to ``FRESH_7_MAX_SEGMENTS`` (30) segments, the first
   ``FRESH_7_DOCUMENTS`` (35) in that order, whole, with references A and B, written in file
   order. The cap of 30 keeps documents as long as the earlier grounding sets' (the WMT20
   documents of ``fresh-4`` to ``fresh-6`` have 5 to 27 segments); longer runs are most likely
   two or more articles merged by rule 1. 35 documents give 70 references; 21 eligible documents
   are left, read by nobody, for a later round (the same order continued past these 35).
4. ``held-out-9`` (``wmt19-zhen-held-out-9``): among the newstest2019 documents of
   ``HELD_OUT_9_MIN_SEGMENTS`` (5) to ``HELD_OUT_9_MAX_SEGMENTS`` (20) segments, the first
   ``HELD_OUT_9_DOCUMENTS`` (12) in that order (the cap keeps hand labelling within one session),
   with reference A, in the rule's order. The other newstest2019 documents are left unread.

The ninth round's rules, written down and committed on 2026-12-01 **before any line of their text
was read**. Nothing new was looked at to fix them: only the counts recorded above (56 newstest2017
documents of 5 to 30 segments, 72 newstest2019 documents of 5 to 20), and the brief's ask for the
same kind of sets as round 8's. Rules 1 and 2 are unchanged, so the documents and their order are
the ones rules 3 and 4 saw; these rules continue that order past what rules 3 and 4 took:

5. ``fresh-8`` (``wmt17-zhen-fresh-8``): among the newstest2017 documents of
   ``FRESH_7_MIN_SEGMENTS`` (5) to ``FRESH_7_MAX_SEGMENTS`` (30) segments, in rule 2's order, the
   ``FRESH_8_DOCUMENTS`` (21) that come after the 35 of ``fresh-7`` (the 36th to the 56th): every
   eligible document rule 3 left, whole, with references A and B, written in file order. No
   newstest2017 document of 5 to 30 segments is left after this rule; the 24 documents outside
   those bounds (6 of fewer than 5 segments, 18 of more than 30) stay unread.
6. ``held-out-10`` (``wmt19-zhen-held-out-10``): among the newstest2019 documents of
   ``HELD_OUT_9_MIN_SEGMENTS`` (5) to ``HELD_OUT_9_MAX_SEGMENTS`` (20) segments, in rule 2's
   order, the ``HELD_OUT_10_DOCUMENTS`` (12) that come after the 12 of ``held-out-9`` (the 13th to
   the 24th), with reference A, in the rule's order (the cap keeps hand labelling within one
   session, as for ``held-out-9``). The other 48 documents of 5 to 20 segments are left unread
   for later rounds (the same order continued past these 24).

The tenth round's rules, written down and committed on 2026-12-01 **before any line of their text
was read**. Nothing new was looked at to fix them: only the counts recorded above (48 newstest2019
documents of 5 to 20 segments left after rules 4 and 6) and the brief's ask for one more entity
split of the same size as ``held-out-10`` and one grounding set of 20 documents. Rules 1 and 2 are
unchanged, so the documents and their order are the ones rules 4 and 6 saw; these rules continue
that order past what rules 4 and 6 took:

7. ``held-out-11`` (``wmt19-zhen-held-out-11``): among the newstest2019 documents of
   ``HELD_OUT_9_MIN_SEGMENTS`` (5) to ``HELD_OUT_9_MAX_SEGMENTS`` (20) segments, in rule 2's
   order, the ``HELD_OUT_11_DOCUMENTS`` (12) that come after the 24 of ``held-out-9`` and
   ``held-out-10`` (the 25th to the 36th), with reference A, in the rule's order (the cap keeps
   hand labelling within one session, as before).
8. ``fresh-9`` (``wmt19-zhen-fresh-9``): among the same newstest2019 documents of 5 to 20
   segments, in rule 2's order, the ``FRESH_9_DOCUMENTS`` (20) that come after the 36 of rules 4,
   6 and 7 (the 37th to the 56th), whole, with reference A (the only human reference of
   newstest2019 zh-en), written in file order like ``fresh-7`` and ``fresh-8``. The cap of 20
   segments is the one of rules 4 and 6, so these documents are as long as the entity splits'
   (the grounding sets before had 5 to 30). After this rule 16 newstest2019 documents of 5 to 20
   segments are left unread for later rounds (the same order continued past these 56), and the
   72 outside those bounds.

About the WMT17 references: WMT17 built its test sets half from articles first written in the
source language and half from articles first written in the target language, and the plain files
do not say which is which. In the second kind the Chinese is the translation and reference A is
the original English; reference B is always a translation of the Chinese. Both kinds are in
``fresh-7``, and either may be in ``fresh-8``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_wmt21 import id_rank
from fetched import DEFAULT_MIRRORS, PinnedFile, materialize, write_verified

EVALS = Path(__file__).resolve().parent.parent
FRESH_7_SET_NAME = "wmt17-zhen-fresh-7"
FRESH_7_FOLDER = EVALS / "external" / FRESH_7_SET_NAME
FRESH_7_SPLIT = "fresh-7"
FRESH_7_DOCUMENTS = 35
FRESH_7_MIN_SEGMENTS = 5
FRESH_7_MAX_SEGMENTS = 30
HELD_OUT_9_SET_NAME = "wmt19-zhen-held-out-9"
HELD_OUT_9_FOLDER = EVALS / "external" / HELD_OUT_9_SET_NAME
HELD_OUT_9_SPLIT = "held-out-9"
HELD_OUT_9_DOCUMENTS = 12
HELD_OUT_9_MIN_SEGMENTS = 5
HELD_OUT_9_MAX_SEGMENTS = 20
FRESH_8_SET_NAME = "wmt17-zhen-fresh-8"
FRESH_8_FOLDER = EVALS / "external" / FRESH_8_SET_NAME
FRESH_8_SPLIT = "fresh-8"
FRESH_8_DOCUMENTS = 21
HELD_OUT_10_SET_NAME = "wmt19-zhen-held-out-10"
HELD_OUT_10_FOLDER = EVALS / "external" / HELD_OUT_10_SET_NAME
HELD_OUT_10_SPLIT = "held-out-10"
HELD_OUT_10_DOCUMENTS = 12
HELD_OUT_11_SET_NAME = "wmt19-zhen-held-out-11"
HELD_OUT_11_FOLDER = EVALS / "external" / HELD_OUT_11_SET_NAME
HELD_OUT_11_SPLIT = "held-out-11"
HELD_OUT_11_DOCUMENTS = 12
FRESH_9_SET_NAME = "wmt19-zhen-fresh-9"
FRESH_9_FOLDER = EVALS / "external" / FRESH_9_SET_NAME
FRESH_9_SPLIT = "fresh-9"
FRESH_9_DOCUMENTS = 20

TESTSETS = "Helsinki-NLP/OPUS-MT-testsets"
TESTSETS_COMMIT = "ac0f19c0be3cb4e0d9450fcb2d7a9847c4bdd180"
PARITY = "MicrosoftTranslator/Translator-HumanParityData"
PARITY_COMMIT = "52e67aefc6a703d589cbe468f4935ac350d264fa"
NEWSTEST_2017 = "datasets/statmt/wmt_newstest/2017/zh-en/newstest2017"
NEWSTEST_2019 = "datasets/statmt/wmt_newstest/2019/zh-en/newstest2019"
REFERENCE_HT = "Translator-HumanParityData/References/Translator-HumanParityData-Reference-HT.txt"
PARITY_LICENSE = "Translator-HumanParityData/Translator-HumanParityData-License.txt"
INPUTS = (
    PinnedFile(
        TESTSETS,
        TESTSETS_COMMIT,
        f"{NEWSTEST_2017}.zh",
        "cdb2e71249ad0f39796d13e16723f6d2c4f71c6f3724806e1f46e7810f7355c0",
    ),
    PinnedFile(
        TESTSETS,
        TESTSETS_COMMIT,
        f"{NEWSTEST_2017}.en",
        "58c844d4e3c0baf7dd9b470868aa0f88ba3951a74be2fe98f7e11e19df622351",
    ),
    PinnedFile(
        PARITY,
        PARITY_COMMIT,
        REFERENCE_HT,
        "933cf8a1291fbc0d479f758f0f0714cab322ab65cb2ac15b6846f7bd9cab12a1",
    ),
    PinnedFile(
        TESTSETS,
        TESTSETS_COMMIT,
        f"{NEWSTEST_2019}.zh",
        "394db8239f1bd88d979293c8ce36573a2aaf6b21d5aa25771020f2c865590ffe",
    ),
    PinnedFile(
        TESTSETS,
        TESTSETS_COMMIT,
        f"{NEWSTEST_2019}.en",
        "8c8ffef4353bf24a685208e8f3d2aa1597ea3b66e6e614d84c850a87303d3900",
    ),
)
BUILD = "python evals/tools/build_wmt17_19.py --mirrors /work/.mirror"

#: Rule 1: closing quotation marks set aside before the last character is looked at.
CLOSING_QUOTES = "”\"’'」』"
#: Rule 1: a line whose last character (quotes aside) is one of these ends a sentence.
SENTENCE_END = frozenset("。！？!?…；;.）)】")

BOUNDARY = (
    "fixed rule from structure only (a Chinese line without sentence-final punctuation after one "
    "with it starts a document), not the organisers' document ids"
)
WMT_LICENSE = (
    "WMT test sets are released by the WMT organisers for research and evaluation use; no other "
    "licence is stated."
)
FRESH_7_PROVENANCE = (
    "WMT17 news test set zh-en (newstest2017) as released by the WMT organisers, in the "
    f"plain-text copy of the public repository {TESTSETS}, commit {TESTSETS_COMMIT}: "
    f"{NEWSTEST_2017}.zh with its reference {NEWSTEST_2017}.en (A), and the independent human "
    f"translation {REFERENCE_HT} (B) of {PARITY}, commit {PARITY_COMMIT}; line-aligned; documents "
    "cut by a fixed rule and chosen by a fixed hash rule, see PROVENANCE.md in this folder."
)
FRESH_7_LICENSE = (
    f"Source and reference A: {WMT_LICENSE} Reference B: Microsoft Research Data License "
    "Agreement for Translator Human Parity Data (non-commercial research, analysis and testing "
    "only; the data may not be distributed): built locally, never committed or shipped."
)
HELD_OUT_9_PROVENANCE = (
    "WMT19 news test set zh-en (newstest2019) as released by the WMT organisers, in the "
    f"plain-text copy of the public repository {TESTSETS}, commit {TESTSETS_COMMIT}: "
    f"{NEWSTEST_2019}.zh with its reference {NEWSTEST_2019}.en (A), line-aligned; documents cut "
    "by a fixed rule and chosen by a fixed hash rule, see PROVENANCE.md in this folder."
)
FRESH_8_PROVENANCE = FRESH_7_PROVENANCE
HELD_OUT_10_PROVENANCE = HELD_OUT_9_PROVENANCE
HELD_OUT_11_PROVENANCE = HELD_OUT_9_PROVENANCE
FRESH_9_PROVENANCE = HELD_OUT_9_PROVENANCE
FRESH_7_SELECTION = (
    "the 35 newstest2017 zh-en documents of 5 to 30 segments with the smallest SHA-256 of their "
    "id (see PROVENANCE.md)"
)
HELD_OUT_9_SELECTION = (
    "the 12 newstest2019 zh-en documents of 5 to 20 segments with the smallest SHA-256 of their "
    "id (see evals/external/wmt19-zhen-held-out-9/PROVENANCE.md)"
)
FRESH_8_SELECTION = (
    "the 21 newstest2017 zh-en documents of 5 to 30 segments that follow the 35 of fresh-7 in the "
    "order of the SHA-256 of their id, all that rule 3 left (see PROVENANCE.md)"
)
HELD_OUT_10_SELECTION = (
    "the 12 newstest2019 zh-en documents of 5 to 20 segments that follow the 12 of held-out-9 in "
    "the order of the SHA-256 of their id (see evals/external/wmt19-zhen-held-out-10/PROVENANCE.md)"
)
HELD_OUT_11_SELECTION = (
    "the 12 newstest2019 zh-en documents of 5 to 20 segments that follow the 24 of held-out-9 and "
    "held-out-10 in the order of the SHA-256 of their id "
    "(see evals/external/wmt19-zhen-held-out-11/PROVENANCE.md)"
)
FRESH_9_SELECTION = (
    "the 20 newstest2019 zh-en documents of 5 to 20 segments that follow the 36 of held-out-9, "
    "held-out-10 and held-out-11 in the order of the SHA-256 of their id (see PROVENANCE.md)"
)


def ends_a_sentence(line: str) -> bool:
    """Whether a Chinese line ends with sentence-final punctuation (rule 1)."""
    last = line.strip().rstrip(CLOSING_QUOTES)
    return bool(last) and last[-1] in SENTENCE_END


def document_starts(source: list[str]) -> list[int]:
    """The 0-based first line of every document (rule 1)."""
    return [
        number
        for number, line in enumerate(source)
        if number == 0 or (not ends_a_sentence(line) and ends_a_sentence(source[number - 1]))
    ]


@dataclass(frozen=True)
class Document:
    """One document cut by rule 1: its test set's id prefix and its lines (0-based, end
    exclusive)."""

    prefix: str
    start: int
    end: int

    @property
    def example_id(self) -> str:
        return f"{self.prefix}.line-{self.start + 1:04d}"

    @property
    def segments(self) -> int:
        return self.end - self.start

    @property
    def order(self) -> str:
        """Rule 2's order: SHA-256 of the example id, smallest first."""
        return id_rank(self.example_id)


def documents(source: list[str], prefix: str) -> list[Document]:
    """The documents of a Chinese file in file order (rule 1)."""
    starts = document_starts(source)
    ends = [*starts[1:], len(source)]
    return [Document(prefix, start, end) for start, end in zip(starts, ends, strict=True)]


def first_by_hash(
    cut: list[Document], count: int, min_segments: int, max_segments: int, skip: int = 0
) -> list[Document]:
    """The first ``count`` documents of ``min_segments`` to ``max_segments`` segments in rule 2's
    order after the first ``skip`` of them (rules 3 to 8)."""
    eligible = [d for d in cut if min_segments <= d.segments <= max_segments]
    return sorted(eligible, key=lambda d: d.order)[skip : skip + count]


def select_fresh_7(cut: list[Document]) -> list[Document]:
    """The ``fresh-7`` documents of newstest2017 (rule 3), in file order."""
    chosen = first_by_hash(cut, FRESH_7_DOCUMENTS, FRESH_7_MIN_SEGMENTS, FRESH_7_MAX_SEGMENTS)
    return sorted(chosen, key=lambda d: d.start)


def select_held_out_9(cut: list[Document]) -> list[Document]:
    """The ``held-out-9`` documents of newstest2019 (rule 4), in rule 2's order."""
    return first_by_hash(
        cut, HELD_OUT_9_DOCUMENTS, HELD_OUT_9_MIN_SEGMENTS, HELD_OUT_9_MAX_SEGMENTS
    )


def select_fresh_8(cut: list[Document]) -> list[Document]:
    """The ``fresh-8`` documents of newstest2017 (rule 5: the eligible ones after ``fresh-7``'s),
    in file order."""
    chosen = first_by_hash(
        cut,
        FRESH_8_DOCUMENTS,
        FRESH_7_MIN_SEGMENTS,
        FRESH_7_MAX_SEGMENTS,
        skip=FRESH_7_DOCUMENTS,
    )
    return sorted(chosen, key=lambda d: d.start)


def select_held_out_10(cut: list[Document]) -> list[Document]:
    """The ``held-out-10`` documents of newstest2019 (rule 6: the 12 after ``held-out-9``'s), in
    rule 2's order."""
    return first_by_hash(
        cut,
        HELD_OUT_10_DOCUMENTS,
        HELD_OUT_9_MIN_SEGMENTS,
        HELD_OUT_9_MAX_SEGMENTS,
        skip=HELD_OUT_9_DOCUMENTS,
    )


def select_held_out_11(cut: list[Document]) -> list[Document]:
    """The ``held-out-11`` documents of newstest2019 (rule 7: the 12 after ``held-out-9``'s and
    ``held-out-10``'s), in rule 2's order."""
    return first_by_hash(
        cut,
        HELD_OUT_11_DOCUMENTS,
        HELD_OUT_9_MIN_SEGMENTS,
        HELD_OUT_9_MAX_SEGMENTS,
        skip=HELD_OUT_9_DOCUMENTS + HELD_OUT_10_DOCUMENTS,
    )


def select_fresh_9(cut: list[Document]) -> list[Document]:
    """The ``fresh-9`` documents of newstest2019 (rule 8: the 20 after the three entity splits'),
    in file order."""
    chosen = first_by_hash(
        cut,
        FRESH_9_DOCUMENTS,
        HELD_OUT_9_MIN_SEGMENTS,
        HELD_OUT_9_MAX_SEGMENTS,
        skip=HELD_OUT_9_DOCUMENTS + HELD_OUT_10_DOCUMENTS + HELD_OUT_11_DOCUMENTS,
    )
    return sorted(chosen, key=lambda d: d.start)


def read_lines(path: Path) -> list[str]:
    """A file's lines, each stripped of surrounding whitespace, a leading byte order mark
    dropped."""
    text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    return [line.strip() for line in text.removesuffix("\n").split("\n")]


def aligned(*paths: Path) -> list[list[str]]:
    """The lines of each file; ``SystemExit`` unless all have as many lines, none empty."""
    files = [read_lines(path) for path in paths]
    counts = {path.name: len(lines) for path, lines in zip(paths, files, strict=True)}
    if len(set(counts.values())) != 1:
        raise SystemExit(f"not aligned: line counts {counts}")
    for path, lines in zip(paths, files, strict=True):
        empty = [number + 1 for number, line in enumerate(lines) if not line]
        if empty:
            raise SystemExit(f"{path.name} has an empty line {empty[0]}")
    return files


def example(
    doc: Document,
    source: list[str],
    references: list[list[str]],
    *,
    source_set: str,
    labels: list[str],
    split: str,
    selection: str,
    provenance: str,
    license_: str,
) -> dict[str, Any]:
    """One gold-set example: the document's lines with its references, line by line."""
    return {
        "id": doc.example_id,
        "source": "\n".join(source[doc.start : doc.end]),
        "provenance": provenance,
        "license": license_,
        "references": {"translation": [r[doc.start : doc.end] for r in references]},
        "extra": {
            "document": doc.example_id.rsplit(".", 1)[1],
            "lines": [doc.start + 1, doc.end],
            "source_set": source_set,
            "references": labels,
            "alignment": "one source segment per line = one paragraph",
            "boundary": BOUNDARY,
            "selection": selection,
            "split": split,
        },
    }


def two_reference_examples(
    source_path: Path,
    reference_a_path: Path,
    reference_b_path: Path,
    chosen: Callable[[list[Document]], list[Document]],
    *,
    split: str,
    selection: str,
) -> list[dict[str, Any]]:
    """One example per newstest2017 document ``chosen`` picks, with references A and B."""
    source, reference_a, reference_b = aligned(source_path, reference_a_path, reference_b_path)
    return [
        example(
            doc,
            source,
            [reference_a, reference_b],
            source_set="newstest2017",
            labels=["A (newstest2017.en)", "B (Translator-HumanParityData-Reference-HT)"],
            split=split,
            selection=selection,
            provenance=FRESH_7_PROVENANCE,
            license_=FRESH_7_LICENSE,
        )
        for doc in chosen(documents(source, "wmt17.zh-en"))
    ]


def fresh_7_examples(
    source_path: Path, reference_a_path: Path, reference_b_path: Path
) -> list[dict[str, Any]]:
    """One example per ``fresh-7`` document, in file order, with references A and B."""
    return two_reference_examples(
        source_path,
        reference_a_path,
        reference_b_path,
        select_fresh_7,
        split=FRESH_7_SPLIT,
        selection=FRESH_7_SELECTION,
    )


def fresh_8_examples(
    source_path: Path, reference_a_path: Path, reference_b_path: Path
) -> list[dict[str, Any]]:
    """One example per ``fresh-8`` document, in file order, with references A and B."""
    return two_reference_examples(
        source_path,
        reference_a_path,
        reference_b_path,
        select_fresh_8,
        split=FRESH_8_SPLIT,
        selection=FRESH_8_SELECTION,
    )


def labelled_texts_examples(
    source_path: Path,
    reference_path: Path,
    chosen: Callable[[list[Document]], list[Document]],
    *,
    split: str,
    selection: str,
) -> list[dict[str, Any]]:
    """One example per newstest2019 document ``chosen`` picks, with reference A."""
    source, reference = aligned(source_path, reference_path)
    return [
        example(
            doc,
            source,
            [reference],
            source_set="newstest2019",
            labels=["A (newstest2019.en)"],
            split=split,
            selection=selection,
            provenance=HELD_OUT_9_PROVENANCE,
            license_=WMT_LICENSE,
        )
        for doc in chosen(documents(source, "wmt19.zh-en"))
    ]


def held_out_9_examples(source_path: Path, reference_path: Path) -> list[dict[str, Any]]:
    """One example per ``held-out-9`` document, in the rule's order, with reference A."""
    return labelled_texts_examples(
        source_path,
        reference_path,
        select_held_out_9,
        split=HELD_OUT_9_SPLIT,
        selection=HELD_OUT_9_SELECTION,
    )


def held_out_10_examples(source_path: Path, reference_path: Path) -> list[dict[str, Any]]:
    """One example per ``held-out-10`` document, in the rule's order, with reference A."""
    return labelled_texts_examples(
        source_path,
        reference_path,
        select_held_out_10,
        split=HELD_OUT_10_SPLIT,
        selection=HELD_OUT_10_SELECTION,
    )


def held_out_11_examples(source_path: Path, reference_path: Path) -> list[dict[str, Any]]:
    """One example per ``held-out-11`` document, in the rule's order, with reference A."""
    return labelled_texts_examples(
        source_path,
        reference_path,
        select_held_out_11,
        split=HELD_OUT_11_SPLIT,
        selection=HELD_OUT_11_SELECTION,
    )


def fresh_9_examples(source_path: Path, reference_path: Path) -> list[dict[str, Any]]:
    """One example per ``fresh-9`` document, in file order, with reference A."""
    return labelled_texts_examples(
        source_path,
        reference_path,
        select_fresh_9,
        split=FRESH_9_SPLIT,
        selection=FRESH_9_SELECTION,
    )


def _segments(examples: list[dict[str, Any]]) -> int:
    return sum(len(item["references"]["translation"][0]) for item in examples)


def fresh_7_manifest(examples: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": FRESH_7_SET_NAME,
        "version": "1",
        "description": (
            f"{len(examples)} news documents of the WMT17 news test set zh-en (newstest2017), "
            f"{_segments(examples)} segments cut into documents by a fixed rule, one sentence per "
            "paragraph, with two independent human English references (A: the WMT17 reference; "
            "B: Microsoft's Human Parity translation from scratch). All are held-out (split "
            "'fresh-7'): blind data, never tuned on."
        ),
        "provenance": FRESH_7_PROVENANCE,
        "license": FRESH_7_LICENSE,
        "split": FRESH_7_SPLIT,
        "build": BUILD,
    }


def fresh_8_manifest(examples: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": FRESH_8_SET_NAME,
        "version": "1",
        "description": (
            f"{len(examples)} more news documents of the WMT17 news test set zh-en "
            f"(newstest2017), {_segments(examples)} segments cut into documents by the fixed rule "
            "of fresh-7, the ones of 5 to 30 segments that fresh-7 left, one sentence per "
            "paragraph, with two independent human English references (A: the WMT17 reference; "
            "B: Microsoft's Human Parity translation from scratch). All are held-out (split "
            "'fresh-8'): blind data, never tuned on."
        ),
        "provenance": FRESH_8_PROVENANCE,
        "license": FRESH_7_LICENSE,
        "split": FRESH_8_SPLIT,
        "build": BUILD,
    }


def held_out_9_manifest(examples: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": HELD_OUT_9_SET_NAME,
        "version": "1",
        "description": (
            f"The {len(examples)} WMT19 newstest2019 zh-en documents ({_segments(examples)} "
            "segments, cut by a fixed rule) of the entity split 'held-out-9' (evals/labelled), "
            "with reference A: the texts those labels are read against. Not a scoring set."
        ),
        "provenance": HELD_OUT_9_PROVENANCE,
        "license": WMT_LICENSE,
        "split": HELD_OUT_9_SPLIT,
        "labelled_texts": HELD_OUT_9_SPLIT,
        "build": BUILD,
    }


def held_out_10_manifest(examples: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": HELD_OUT_10_SET_NAME,
        "version": "1",
        "description": (
            f"The {len(examples)} WMT19 newstest2019 zh-en documents ({_segments(examples)} "
            "segments, cut by a fixed rule) of the entity split 'held-out-10' (evals/labelled), "
            "the 12 after held-out-9's in the same hash order, with reference A: the texts those "
            "labels are read against. Not a scoring set."
        ),
        "provenance": HELD_OUT_10_PROVENANCE,
        "license": WMT_LICENSE,
        "split": HELD_OUT_10_SPLIT,
        "labelled_texts": HELD_OUT_10_SPLIT,
        "build": BUILD,
    }


def held_out_11_manifest(examples: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": HELD_OUT_11_SET_NAME,
        "version": "1",
        "description": (
            f"The {len(examples)} WMT19 newstest2019 zh-en documents ({_segments(examples)} "
            "segments, cut by a fixed rule) of the entity split 'held-out-11' (evals/labelled), "
            "the 12 after held-out-10's in the same hash order, with reference A: the texts those "
            "labels are read against. Not a scoring set."
        ),
        "provenance": HELD_OUT_11_PROVENANCE,
        "license": WMT_LICENSE,
        "split": HELD_OUT_11_SPLIT,
        "labelled_texts": HELD_OUT_11_SPLIT,
        "build": BUILD,
    }


def fresh_9_manifest(examples: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": FRESH_9_SET_NAME,
        "version": "1",
        "description": (
            f"{len(examples)} news documents of the WMT19 news test set zh-en (newstest2019), "
            f"{_segments(examples)} segments cut into documents by the fixed rule of held-out-9, "
            "the 20 of 5 to 20 segments after held-out-11's in the same hash order, one sentence "
            "per paragraph, with one human English reference (A: the WMT19 reference). All are "
            "held-out (split 'fresh-9'): blind data, never tuned on."
        ),
        "provenance": FRESH_9_PROVENANCE,
        "license": WMT_LICENSE,
        "split": FRESH_9_SPLIT,
        "build": BUILD,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--files",
        type=Path,
        nargs=5,
        metavar=("ZH17", "EN17", "HT17", "ZH19", "EN19"),
        help="the five input files, in the order of INPUTS",
    )
    parser.add_argument(
        "--mirrors", type=Path, help=f"read the five files from git copies here ({DEFAULT_MIRRORS})"
    )
    parser.add_argument(
        "--fresh-7-out", type=Path, default=FRESH_7_FOLDER, help="folder of the fresh-7 set"
    )
    parser.add_argument(
        "--held-out-9-out",
        type=Path,
        default=HELD_OUT_9_FOLDER,
        help="folder of the held-out-9 texts",
    )
    parser.add_argument(
        "--fresh-8-out", type=Path, default=FRESH_8_FOLDER, help="folder of the fresh-8 set"
    )
    parser.add_argument(
        "--held-out-10-out",
        type=Path,
        default=HELD_OUT_10_FOLDER,
        help="folder of the held-out-10 texts",
    )
    parser.add_argument(
        "--held-out-11-out",
        type=Path,
        default=HELD_OUT_11_FOLDER,
        help="folder of the held-out-11 texts",
    )
    parser.add_argument(
        "--fresh-9-out", type=Path, default=FRESH_9_FOLDER, help="folder of the fresh-9 set"
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="write even if a content hash is not the committed one",
    )
    args = parser.parse_args()
    if (args.files is None) == (args.mirrors is None):
        parser.error("give --mirrors DIR or --files with the five files")
    with tempfile.TemporaryDirectory() as scratch:
        files = args.files or materialize(args.mirrors, INPUTS, Path(scratch))
        zh17, en17, ht17, zh19, en19 = files
        fresh_7 = fresh_7_examples(zh17, en17, ht17)
        held_out_9 = held_out_9_examples(zh19, en19)
        fresh_8 = fresh_8_examples(zh17, en17, ht17)
        held_out_10 = held_out_10_examples(zh19, en19)
        held_out_11 = held_out_11_examples(zh19, en19)
        fresh_9 = fresh_9_examples(zh19, en19)
    builds = (
        (FRESH_7_SPLIT, fresh_7, fresh_7_manifest, args.fresh_7_out, FRESH_7_FOLDER),
        (HELD_OUT_9_SPLIT, held_out_9, held_out_9_manifest, args.held_out_9_out, HELD_OUT_9_FOLDER),
        (FRESH_8_SPLIT, fresh_8, fresh_8_manifest, args.fresh_8_out, FRESH_8_FOLDER),
        (
            HELD_OUT_10_SPLIT,
            held_out_10,
            held_out_10_manifest,
            args.held_out_10_out,
            HELD_OUT_10_FOLDER,
        ),
        (
            HELD_OUT_11_SPLIT,
            held_out_11,
            held_out_11_manifest,
            args.held_out_11_out,
            HELD_OUT_11_FOLDER,
        ),
        (FRESH_9_SPLIT, fresh_9, fresh_9_manifest, args.fresh_9_out, FRESH_9_FOLDER),
    )
    for _, built, manifest, out, committed in builds:
        write_verified(out, manifest(built), built, committed=committed, verify=not args.no_verify)
    for name, built, _, out, _ in builds:
        print(f"wrote {len(built)} {name} documents ({_segments(built)} segments) to {out}")


if __name__ == "__main__":
    main()
