"""How well ``prepare()`` finds and repairs damage it was not tuned on, and leaves intent alone.

Run: ``python benchmarks/repair_quality.py [--seeds 0 1 2] [--per-class 40] [--split all]``
(``--split`` is ``held-out``, ``tune`` or ``all``).

Clean texts are the real articles in ``../shared/data`` (30 WMT22 documents, 40 Chinese news
articles). They are split tune/held-out by a hash of their id, decided before any figure was
looked at: ``held-out`` when the first byte of ``sha256("repair-split:" + id)`` is below 128. The
held-out split is reported first; each figure is the worst of the seeds.

Each seed picks sentences (8+ Han characters) from the split's documents and damages one sentence
per document copy, the way real accidents do:

* ``utf8_as_gbk``: the sentence's UTF-8 bytes shown as GBK (``鏂囩珷``).
* ``utf8_as_cp1252`` / ``utf8_as_latin1``: its UTF-8 bytes shown as Windows-1252 (the lenient
  form browsers use) or Latin-1 (C1 control characters included) (``æ–‡ç« ``).
* ``gbk_as_utf8``: its GBK bytes read as UTF-8: runs of U+FFFD, the text is lost. Detected means
  a ``text_lost`` warning over it (it cannot be repaired, only reported).
* ``gbk_shifted_short`` / ``gbk_shifted_long``: one GBK byte lost, so the decoder reads out of step
  until the next ASCII byte, shown with ``?`` where a byte is invalid (as in the seed). Short: the
  out-of-step run is 1-2 characters; long: 3 or more.
* ``conversion_ruby``: the document in traditional script (OpenCC ``s2t``) with the sentence's
  traditional-only characters annotated ``區(qū)``, as conversion sites print them. Detected means
  every annotation removed.

Intent (must be kept): ``teaching_ruby`` (every character of a simplified sentence annotated, as a
poem printed for learners), ``teaching_ruby_traditional`` (the same in traditional script), and
``reading_note`` (one or two polyphonic characters annotated, as a text explaining how a
character is read). Kept means every annotation is still in the prepared text.

Character accuracy of the damaged sentence: ``1 - edit distance / reference length``, before
(the damaged sentence against the clean one) and after (``prepare`` of the damaged document
against ``prepare`` of the clean one, over the stretch where they differ).
"detected" counts a repair or a located warning over the damage; "repaired" only a repair that
changed the text (``mojibake`` classes; weak evidence is only flagged ``mojibake_suspected``).
"script in damage": OpenCC conversions recorded inside a damaged stretch (should be 0).
False repairs: repairs or damage warnings on the clean documents (all of them, both splits), as
given, with ``？！，：；`` narrowed to ASCII, and converted to traditional script.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The shared material beside the repository (or beside the worktrees' parent).
DATA = next(
    (
        folder / "shared" / "data"
        for folder in (ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "data").is_dir()
    ),
    ROOT.parent / "shared" / "data",
)

SPLIT_SALT = "repair-split:"


def is_held_out(identifier: str) -> bool:
    """The split, fixed before looking: first byte of the salted SHA-256 below 128."""
    return hashlib.sha256((SPLIT_SALT + identifier).encode("utf-8")).digest()[0] < 128


#: Repair kinds and warning codes that say "this was damage", per class.
MOJIBAKE_KINDS = frozenset({"mojibake"})
LOST_CODES = frozenset({"text_lost"})
#: On clean text these are expected (script, widths, spaces); anything else is a false repair.
BENIGN_KINDS = frozenset({"script", "whitespace", "width"})
BENIGN_CODES = frozenset({"script_converted"})

_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?]?")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Article:
    identifier: str
    text: str


def articles() -> list[Article]:
    """Every clean real text we have, with its id."""
    found = []
    for name in ("wmt22_zhen_docs.jsonl", "wmt22_zhen_docs_more.jsonl"):
        for line in (DATA / name).open(encoding="utf-8"):
            record = json.loads(line)
            found.append(Article(record["id"], "\n".join(record["zh"])))
    for line in (DATA / "zh_news_summaries.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        found.append(Article(record["id"], record["article"]))
    return found


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences with at least 8 Han characters."""
    spans = []
    for match in _SENTENCE.finditer(text):
        if len(_HAN.findall(match.group(0))) >= 8:
            spans.append((match.start(), match.end()))
    return spans


# --- damage -------------------------------------------------------------------------------------


def _pinyin(text: str) -> list[str | None]:
    """The contextual tone-marked reading of each character of ``text`` (None for non-Han)."""
    from pypinyin import Style, pinyin

    readings: list[str | None] = []
    position = 0
    for item, *_ in pinyin(text, style=Style.TONE):
        if _HAN.match(text[position]):
            readings.append(item)
            position += 1
        else:
            readings.extend([None] * len(item))
            position += len(item)
    assert len(readings) == len(text)
    return readings


def _to_traditional(text: str) -> str | None:
    from summarizer.text.repair.lexicon import s2t_converter

    converted = str(s2t_converter().convert(text))
    return converted if len(converted) == len(text) else None


@dataclass(frozen=True)
class Case:
    """One damaged (or intentionally annotated) sentence inside its document."""

    kind: str
    clean: str  # the document as it should read (the reference for ``prepare``)
    damaged: str
    start: int  # the damaged sentence's span in ``damaged``
    end: int
    clean_sentence: str
    annotations: tuple[str, ...] = ()  # for ruby: the "(pīn)" strings inserted


def _annotate(sentence: str, which: Callable[[int, str], bool]) -> tuple[str, tuple[str, ...]]:
    readings = _pinyin(sentence)
    out: list[str] = []
    added: list[str] = []
    for index, (char, reading) in enumerate(zip(sentence, readings, strict=True)):
        out.append(char)
        if reading is not None and which(index, char):
            out.append(f"({reading})")
            added.append(f"({reading})")
    return "".join(out), tuple(added)


def _traditional_only(char: str) -> bool:
    from summarizer.text.repair.lexicon import to_simplified

    return to_simplified(char) != char


def _same_in_both(char: str) -> bool:
    traditional = _to_traditional(char)
    return not _traditional_only(char) and traditional == char


def _shifted_gbk(sentence: str, rng: random.Random, short: bool) -> str | None:
    """Lose one byte of a Han character, so the decoder reads out of step for a while.

    A GBK decoder falls back into step at the next ASCII byte or invalid pair (shown as ``?``, as
    in the seed). Short: the garbled stretch shows 1-2 characters; long: 3 or more. Positions are
    tried in random order until one gives the asked-for length.
    """
    encoded = sentence.encode("gbk")
    offsets, position = [], 0
    for char in sentence:
        offsets.append(position)
        position += len(char.encode("gbk"))
    positions = [i for i, char in enumerate(sentence) if i > 0 and _HAN.match(char)]
    rng.shuffle(positions)
    for index in positions:
        lost = offsets[index] + rng.randrange(2)
        damaged = (encoded[:lost] + encoded[lost + 1 :]).decode("gbk", errors="replace")
        damaged = damaged.replace("\ufffd", "?")
        _, garbled = differing(sentence, damaged)
        if (len(garbled.replace("?", "")) < 3) == short:
            return damaged
    return None


def make_case(kind: str, text: str, span: tuple[int, int], rng: random.Random) -> Case | None:
    start, end = span
    sentence = text[start:end]
    clean = text
    try:
        sentence.encode("gbk")
    except UnicodeEncodeError:
        return None
    annotations: tuple[str, ...] = ()
    if kind == "utf8_as_gbk":
        damaged = sentence.encode("utf-8").decode("gbk", errors="replace")
    elif kind == "utf8_as_cp1252":
        import ftfy  # noqa: F401  (registers the lenient "sloppy-windows-1252" codec)

        damaged = sentence.encode("utf-8").decode("sloppy-windows-1252")
    elif kind == "utf8_as_latin1":
        damaged = sentence.encode("utf-8").decode("latin-1")
    elif kind == "gbk_as_utf8":
        damaged = sentence.encode("gbk").decode("utf-8", errors="replace")
    elif kind in ("gbk_shifted_short", "gbk_shifted_long"):
        found = _shifted_gbk(sentence, rng, short=kind == "gbk_shifted_short")
        if found is None:
            return None
        damaged = found
    elif kind in ("conversion_ruby", "teaching_ruby_traditional"):
        traditional = _to_traditional(text)
        if traditional is None:
            return None
        clean, sentence = traditional, traditional[start:end]
        if kind == "conversion_ruby":
            damaged, annotations = _annotate(sentence, lambda _, char: _traditional_only(char))
        else:
            damaged, annotations = _annotate(sentence, lambda _, char: True)
    elif kind == "teaching_ruby":
        damaged, annotations = _annotate(sentence, lambda _, char: True)
    elif kind == "reading_note":
        candidates = [i for i, c in enumerate(sentence) if _HAN.match(c) and _polyphonic(c)]
        if not candidates:
            return None
        chosen = set(rng.sample(candidates, min(len(candidates), rng.choice((1, 2)))))
        damaged, annotations = _annotate(sentence, lambda index, _: index in chosen)
    else:
        raise ValueError(kind)
    wants_annotations = kind.endswith("ruby") or kind == "reading_note"
    if damaged == sentence or (wants_annotations and not annotations):
        return None
    return Case(
        kind,
        clean,
        clean[:start] + damaged + clean[end:],
        start,
        start + len(damaged),
        sentence,
        annotations,
    )


def _polyphonic(char: str) -> bool:
    from pypinyin import Style, pinyin

    return _same_in_both(char) and len(pinyin(char, style=Style.TONE, heteronym=True)[0]) > 1


DAMAGE_KINDS = (
    "utf8_as_gbk",
    "utf8_as_cp1252",
    "utf8_as_latin1",
    "gbk_as_utf8",
    "gbk_shifted_short",
    "gbk_shifted_long",
    "conversion_ruby",
)
INTENT_KINDS = ("teaching_ruby", "teaching_ruby_traditional", "reading_note")


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def accuracy(shown: str, reference: str) -> float:
    return max(0.0, 1 - edit_distance(shown, reference) / max(len(reference), 1))


def differing(reference: str, other: str) -> tuple[str, str]:
    """The stretch where two texts differ (common prefix and suffix cut)."""
    prefix = 0
    limit = min(len(reference), len(other))
    while prefix < limit and reference[prefix] == other[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < limit - prefix
        and reference[len(reference) - 1 - suffix] == other[len(other) - 1 - suffix]
    ):
        suffix += 1
    return reference[prefix : len(reference) - suffix], other[prefix : len(other) - suffix]


@dataclass(frozen=True)
class Outcome:
    detected: bool
    before: float
    after: float
    #: Script conversions recorded inside the damaged stretch (OpenCC run over mojibake).
    script_inside: int = 0
    #: Changed by a repair (not only flagged).
    repaired: bool = False


def evaluate(case: Case, prepared_clean: dict[str, object]) -> Outcome:
    from summarizer.text.document import Document
    from summarizer.text.repair.prepare import prepare

    document = prepare(case.damaged)
    clean = prepared_clean.get(case.clean)
    if not isinstance(clean, Document):
        clean = prepare(case.clean)
        prepared_clean[case.clean] = clean
    reference_part, repaired_part = differing(clean.text, document.text)
    # The two prepared texts differ only inside the sentence: measure against its length.
    reference_length = max(len(case.clean_sentence), 1)
    after = max(0.0, 1 - edit_distance(repaired_part, reference_part) / reference_length)
    shown = case.damaged[case.start : case.end]
    before = accuracy(shown, case.clean_sentence)
    normalized_start, normalized_end = _normalized_span(document, case.start, case.end)
    overlapping_repairs = [
        r for r in document.repairs if r.original_start < case.end and case.start < r.original_end
    ]
    overlapping_warnings = [
        w
        for w in document.warnings
        if w.start is not None
        and w.end is not None
        and w.start <= normalized_end
        and normalized_start <= w.end
    ]
    repaired = False
    if case.kind == "gbk_as_utf8":
        detected = any(w.code in LOST_CODES for w in overlapping_warnings)
    elif case.kind == "conversion_ruby":
        removed = [r for r in overlapping_repairs if r.kind == "pinyin_annotation"]
        detected = len(removed) == len(case.annotations)
    elif case.kind in INTENT_KINDS:
        removed = [r for r in overlapping_repairs if r.kind == "pinyin_annotation"]
        detected = not removed and all(a in document.text for a in case.annotations)
    else:
        repaired = any(r.kind in MOJIBAKE_KINDS for r in overlapping_repairs)
        detected = repaired or any(w.code.startswith("mojibake") for w in overlapping_warnings)
    script_inside = sum(1 for r in overlapping_repairs if r.kind == "script")
    if case.kind in ("conversion_ruby", *INTENT_KINDS):
        script_inside = 0  # traditional script there is text, not damage
    return Outcome(detected, before, after, script_inside, repaired)


def _normalized_span(document: object, start: int, end: int) -> tuple[int, int]:
    import bisect

    from summarizer.text.document import Document

    assert isinstance(document, Document)
    if not document.offset_map:
        return start, end
    mapping = document.offset_map
    return bisect.bisect_left(mapping, start), bisect.bisect_left(mapping, end)


def false_repairs(texts: list[Article]) -> tuple[list[tuple[str, str, str]], int]:
    """(id, kind or code, what) for every repair or warning on clean text that is not benign."""
    from summarizer.text.repair.prepare import prepare

    found = []
    variants = [(article.identifier, article.text) for article in texts]
    # The same texts as scrapers often pass them on: full-width ?!,:; narrowed to ASCII, and
    # converted to traditional script.
    narrow = str.maketrans("？！，：；", "?!,:;")
    variants += [(f"{a.identifier} (narrowed)", a.text.translate(narrow)) for a in texts]
    for article in texts:
        traditional = _to_traditional(article.text)
        if traditional is not None:
            variants.append((f"{article.identifier} (traditional)", traditional))
    for identifier, text in variants:
        document = prepare(text)
        for repair in document.repairs:
            if repair.kind not in BENIGN_KINDS:
                found.append((identifier, repair.kind, repair.original))
        for warning in document.warnings:
            if warning.code not in BENIGN_CODES:
                found.append((identifier, warning.code, warning.message[:80]))
    return found, len(variants)


def real_mojibake() -> list[tuple[str, bool, float, float]]:
    """The real mojibake samples: (id, detected, accuracy before, after) per line with damage."""
    from summarizer.text.repair.prepare import prepare

    results = []
    for line in (DATA / "mojibake_samples.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        for shown, repaired in zip(
            record["text"].split("\n"),
            record["gbk_to_utf8_repair_attempt"].split("\n"),
            strict=True,
        ):
            if shown == repaired:
                continue
            document = prepare(shown)
            detected = any(r.kind in MOJIBAKE_KINDS for r in document.repairs)
            results.append(
                (
                    record["id"],
                    detected,
                    accuracy(shown, repaired),
                    accuracy(document.text, repaired),
                )
            )
    return results


def run_seed(
    kinds: tuple[str, ...], texts: list[Article], seed: int, per_class: int
) -> dict[str, list[Outcome]]:
    rng = random.Random(seed)
    prepared: dict[str, object] = {}
    outcomes: dict[str, list[Outcome]] = {}
    pool = [(article, span) for article in texts for span in sentences(article.text)]
    for kind in kinds:
        order = pool[:]
        rng.shuffle(order)
        found: list[Outcome] = []
        for article, span in order:
            if len(found) >= per_class:
                break
            case = make_case(kind, article.text, span, rng)
            if case is not None:
                found.append(evaluate(case, prepared))
        outcomes[kind] = found
    return outcomes


def report(name: str, texts: list[Article], seeds: list[int], per_class: int) -> None:
    print(f"\n== {name}: {len(texts)} documents, seeds {seeds}, worst seed per figure ==")
    print(
        f"{'class':28} {'n':>4} {'detected':>9} {'repaired':>9} {'acc before':>10}"
        f" {'acc after':>9} {'script in damage':>16}"
    )
    by_seed = [run_seed(DAMAGE_KINDS + INTENT_KINDS, texts, seed, per_class) for seed in seeds]
    for kind in DAMAGE_KINDS + INTENT_KINDS:
        rows = [outcomes[kind] for outcomes in by_seed]
        counts = [len(row) for row in rows]
        if not all(counts):
            print(f"{kind:28} {0:>4}  (no sentence fits)")
            continue
        detected = min(sum(o.detected for o in row) / len(row) for row in rows)
        before = min(statistics.mean(o.before for o in row) for row in rows)
        after = min(statistics.mean(o.after for o in row) for row in rows)
        script_inside = max(sum(o.script_inside for o in row) for row in rows)
        repaired = min(sum(o.repaired for o in row) / len(row) for row in rows)
        flagged_class = kind not in ("gbk_as_utf8", "conversion_ruby")
        shown_repaired = f"{repaired:.1%}" if flagged_class else "-"
        label = "kept" if kind in INTENT_KINDS else "detected"
        if kind in INTENT_KINDS:
            print(
                f"{kind:28} {min(counts):>4} {detected:>8.1%} {'-':>9} {'-':>10} {'-':>9}"
                f"  ({label})"
            )
        else:
            print(
                f"{kind:28} {min(counts):>4} {detected:>8.1%} {shown_repaired:>9} {before:>10.3f}"
                f" {after:>9.3f} {script_inside:>16}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--per-class", type=int, default=40, help="damaged sentences per class")
    parser.add_argument("--split", choices=("held-out", "tune", "all"), default="all")
    args = parser.parse_args()
    texts = articles()
    held_out = [a for a in texts if is_held_out(a.identifier)]
    tune = [a for a in texts if not is_held_out(a.identifier)]
    if args.split in ("held-out", "all"):
        report("held-out", held_out, args.seeds, args.per_class)
    if args.split in ("tune", "all"):
        report("tune", tune, args.seeds, args.per_class)
    mistakes, checked = false_repairs(texts)
    print(
        f"\nfalse repairs on clean text ({len(texts)} documents, both splits; {checked} texts with "
        f"the narrowed and traditional variants): {len(mistakes)}"
    )
    for identifier, what, shown in mistakes[:20]:
        print(f"  {identifier}: {what}: {shown!r}")
    real = real_mojibake()
    hits = sum(detected for _, detected, _, _ in real)
    print(f"\nreal mojibake lines (mojibake_samples.jsonl): {hits}/{len(real)} detected")
    if real:
        before = statistics.mean(r[2] for r in real)
        after = statistics.mean(r[3] for r in real)
        print(f"  accuracy against the verified repair: before {before:.3f}, after {after:.3f}")


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("repair_quality"):
        main()
