"""Operating point of each kind of grounding flag: its false alarms against the planted errors
only it catches.

    python benchmarks/grounding_operating_point.py [--splits fresh-5,fresh-4,fresh-3]
        [--seeds 1,2,3] [--demote SIGNATURE[+SIGNATURE...]] ...

Plants the errors of ``benchmarks/meta_eval.py`` (same kinds, seeds and copies) in the human
references of the splits named, gives every flag a signature (its check; for the length check
whether the paragraph has more sentences than its source or is just much longer, for sentence
coverage whether the sentence is below ``MIN_COVERAGE`` or only weakly covered by words; headline
or body paragraph), and prints per signature: the references with a false alarm of it (verified
reference errors set aside), its false-alarm flags, the planted copies it is the only catch of,
and the copies it catches. ``--demote`` simulates turning signatures into warnings that do not
count: the references that would be cleared and the worst-seed detection that would be lost.
Round 7 of issue 10 ran it on the design splits before deciding that no signature is cheap
enough to demote (``evals/external/wmt20-zhen-fresh-5/false_alarms_review.md``). It prints
only counts, never a flagged text, so it may be run on any split that is not blind.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import meta_eval

from summarizer.eval.checks.flags import Flag
from summarizer.eval.checks.lengths import is_headline
from summarizer.eval.grounding import check_translation_grounding

_COVERAGE = re.compile(r"only (\d+)% ")


def signature(flag: Flag, source: list[str]) -> str:
    """The kind of a flag, finer than its code for the length and coverage checks."""
    paragraph = flag.paragraph
    where = (
        "headline"
        if paragraph is not None and paragraph < len(source) and is_headline(source[paragraph])
        else "body"
    )
    if flag.code == "length.outlier":
        shape = "more-sentences" if "more sentences" in flag.message else "much-longer"
        return f"length/{shape}/{where}"
    if flag.code == "sentence.unsupported":
        found = _COVERAGE.search(flag.message)
        low = found is not None and int(found.group(1)) < 40
        return f"sentence/{'low' if low else 'weak'}/{where}"
    return flag.code


Copy = tuple[str, str, int, frozenset[str]]  # split, kind, seed, signatures of the new flags


def measure(
    splits: tuple[str, ...], seeds: list[int], per_kind: int
) -> tuple[dict[str, dict[str, set[str]]], list[Copy]]:
    """(split -> signature -> references with a false alarm of it, the planted copies)."""
    pairs = meta_eval.human_pairs()
    alarms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    clean: dict[str, set[meta_eval.Key]] = {}
    for pair in (p for p in pairs if p.split in splits):
        flags = check_translation_grounding(pair.english, pair.source)
        clean[pair.name] = {(f.code, f.paragraph, f.text) for f in flags}
        for flag in flags:
            if meta_eval._verified_reason(pair, (flag.code, flag.paragraph, flag.text)) is None:
                alarms[pair.split][signature(flag, pair.source)].add(pair.name)
    copies: list[Copy] = []
    for seed in seeds:
        for kind, (corrupt, _codes) in meta_eval.KINDS.items():
            shared = random.Random(f"{seed}:{kind}")
            for pair in pairs:  # the order and generators of meta_eval.detection
                if pair.split not in splits and pair.split in meta_eval.OWN_GENERATOR:
                    continue
                rng = meta_eval._generator(shared, seed, kind, pair)
                for count, english in enumerate(corrupt(pair, rng, pairs)):
                    if count >= per_kind:
                        break
                    if pair.split not in splits:
                        continue
                    new = [
                        f
                        for f in check_translation_grounding(english, pair.source)
                        if (f.code, f.paragraph, f.text) not in clean[pair.name]
                    ]
                    found = frozenset(signature(f, pair.source) for f in new)
                    copies.append((pair.split, kind, seed, found))
    return alarms, copies


def worst_seed(copies: list[Copy], demoted: frozenset[str]) -> dict[tuple[str, str], float]:
    """(split, kind) -> the lowest share detected over the seeds, without ``demoted``."""
    counts: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0])
    for split, kind, seed, found in copies:
        row = counts[(split, kind, seed)]
        row[0] += 1
        row[1] += bool(found - demoted)
    worst: dict[tuple[str, str], float] = {}
    for (split, kind, _seed), (total, detected) in counts.items():
        worst[(split, kind)] = min(worst.get((split, kind), 1.0), detected / total)
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", default="fresh-5,fresh-4,fresh-3")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--per-kind", type=int, default=5)
    parser.add_argument("--demote", action="append", default=[], metavar="SIGNATURES")
    args = parser.parse_args()
    splits = tuple(s.strip() for s in args.splits.split(","))
    unknown = sorted(set(splits) - set(meta_eval.SPLITS))
    if unknown:
        parser.error(f"unknown split(s) {', '.join(unknown)}")
    alarms, copies = measure(splits, [int(s) for s in args.seeds.split(",")], args.per_kind)
    only: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    for _split, _kind, _seed, found in copies:
        caught.update(found)
        if len(found) == 1:
            only.update(found)
    names = sorted({s for by_split in alarms.values() for s in by_split} | set(caught))
    print(f"splits {', '.join(splits)}: {len(copies)} planted copies")
    print(
        "| signature | references with a false alarm | copies only it catches | copies it catches |"
    )
    print("|---|---:|---:|---:|")
    for name in names:
        references = sum(len(by_split.get(name, ())) for by_split in alarms.values())
        print(f"| {name} | {references} | {only[name]} | {caught[name]} |")
    base = worst_seed(copies, frozenset())
    for option in args.demote:
        demoted = frozenset(option.split("+"))
        cleared = {
            split: sum(
                1
                for reference in set().union(*by_split.values())
                if all(reference not in by_split[s] for s in by_split if s not in demoted)
            )
            for split, by_split in alarms.items()
        }
        after = worst_seed(copies, demoted)
        lost = {
            key: f"{base[key]:.1%} -> {value:.1%}"
            for key, value in after.items()
            if value < base[key]
        }
        print(f"demote {option}: references cleared {cleared}; worst seed lost {lost}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
