"""Meta-evaluation of the reference-free checks: do they catch known errors in human translations?

    python benchmarks/meta_eval.py [--per-kind 5] [--seed 1]

Takes the human reference translations shipped in the gold sets (both WMT22 references of 15
documents, and the seed article's reference) as if they were outputs for their Chinese sources,
plants one known error per copy, and measures, per error kind, the share of copies on which
``summarizer.eval.grounding.check_translation_grounding`` raises a flag that the untouched
reference did not raise. The false-alarm rate is the share of untouched references with any flag.

Error kinds: a number changed, a date changed, a person's name swapped (for another person of the
same document, else an invented name) or misspelled (two letters swapped), a paragraph dropped,
an unsupported sentence inserted (a sentence taken from another document), a sentence left
untranslated (the Chinese sentence instead of its translation). The planted errors are chosen by
position and a seeded random generator, never by whether a check can see them.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summarizer.eval.goldset import load_set
from summarizer.eval.grounding import check_translation_grounding, dates_en, verified_names

TARGET_DETECTED = 0.95
TARGET_FALSE_ALARMS = 0.05
INVENTED_NAMES = ("Liu Zhiqiang", "Sun Hongmei", "Guo Wenbin", "Ma Xiaoling", "Zhou Dehai")


@dataclass(frozen=True)
class Pair:
    name: str
    source: list[str]
    english: list[str]


def human_pairs() -> list[Pair]:
    pairs = []
    (seed,) = load_set("seed").examples
    pairs.append(Pair(seed.id, list(seed.source_clean), seed.translations()[0]))
    for example in load_set("wmt22-zhen"):
        source = example.source.split("\n")
        for label, reference in zip("AB", example.translations(), strict=True):
            pairs.append(Pair(f"{example.id}/{label}", source, reference))
    return pairs


Corruption = Callable[[Pair, random.Random, list[Pair]], Iterator[list[str]]]

_NUMBER = re.compile(r"(?<![\w.:-])\d+(?:,\d{3})*(?:\.\d+)?(?![\w-])")
_NUMBER_WORDS = {
    "three": "four",
    "four": "five",
    "five": "six",
    "six": "seven",
    "seven": "eight",
    "eight": "nine",
    "nine": "ten",
    "ten": "eleven",
    "twenty": "thirty",
}


def _replace_at(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def change_number(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    spots = [
        (i, m.start(), m.end(), m.group())
        for i, p in enumerate(pair.english)
        for m in _NUMBER.finditer(p)
    ]
    words = [
        (i, m.start(), m.end(), m.group())
        for i, p in enumerate(pair.english)
        for m in re.finditer(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", p)
    ]
    candidates = spots + words
    rng.shuffle(candidates)
    for index, start, end, old in candidates:
        if old in _NUMBER_WORDS:
            new = _NUMBER_WORDS[old]
        else:
            value = float(old.replace(",", ""))
            delta = rng.choice([1, 2, 3, 5, 10])
            new_value = value + delta
            new = f"{new_value:g}" if "." in old else str(int(new_value))
        english = list(pair.english)
        english[index] = _replace_at(english[index], start, end, new)
        yield english


def change_date(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    found = [(i, text) for i, p in enumerate(pair.english) for text, _m, _d in dates_en(p)]
    rng.shuffle(found)
    for index, text in found:
        day = re.search(r"\d{1,2}", text)
        assert day is not None
        old = int(day.group())
        new = old + rng.choice([1, 2, 3]) if old <= 27 else old - rng.choice([1, 2, 3])
        english = list(pair.english)
        english[index] = english[index].replace(
            text, _replace_at(text, day.start(), day.end(), str(new)), 1
        )
        yield english


def _verified_names(pair: Pair) -> list[tuple[int, str]]:
    """(paragraph, "Surname Given") for name pairs the check itself finds in the source."""
    whole = "\n".join(pair.source)
    return [
        (number, name)
        for number, paragraph in enumerate(pair.english)
        for name in verified_names(paragraph, whole)
    ]


def swap_name(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    names = _verified_names(pair)
    rng.shuffle(names)
    distinct = sorted({name for _, name in names})
    for index, name in names:
        others = [other for other in distinct if other != name]
        replacement = rng.choice(others) if others else rng.choice(INVENTED_NAMES)
        english = list(pair.english)
        english[index] = english[index].replace(name, replacement, 1)
        yield english


def misspell_name(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    names = _verified_names(pair)
    rng.shuffle(names)
    for index, name in names:
        surname, given = name.split(" ", 1)
        word = given if len(given) >= 3 else surname
        position = rng.randrange(1, len(word) - 1)
        swapped = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        if swapped == word:
            continue
        english = list(pair.english)
        english[index] = english[index].replace(name, name.replace(word, swapped, 1), 1)
        yield english


def drop_paragraph(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    order = list(range(len(pair.english)))
    rng.shuffle(order)
    for index in order:
        yield pair.english[:index] + pair.english[index + 1 :]


_SENTENCE = re.compile(r"[^.!?]+[.!?]")


def insert_sentence(pair: Pair, rng: random.Random, pool: list[Pair]) -> Iterator[list[str]]:
    others = [p for p in pool if p.name.split("/")[0] != pair.name.split("/")[0]]
    sentences = [
        s.strip()
        for donor in others
        for p in donor.english
        for s in _SENTENCE.findall(p)
        if 8 <= len(s.split()) <= 30
    ]
    order = list(range(len(pair.english)))
    rng.shuffle(order)
    for index in order:
        english = list(pair.english)
        english[index] = english[index].rstrip() + " " + rng.choice(sentences)
        yield english


def leave_untranslated(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    order = list(range(len(pair.english)))
    rng.shuffle(order)
    for index in order:
        chinese = [s for s in re.findall(r"[^。！？]+[。！？]?", pair.source[index]) if s.strip()]
        english_sentences = _SENTENCE.findall(pair.english[index]) or [pair.english[index]]
        english = list(pair.english)
        if len(chinese) > 1 and len(english_sentences) > 1:  # one sentence of a paragraph
            english[index] = pair.english[index].replace(english_sentences[0], chinese[0], 1)
        else:
            english[index] = pair.source[index]
        yield english


KINDS: dict[str, tuple[Corruption, tuple[str, ...]]] = {
    "number changed": (change_number, ("number.",)),
    "date changed": (change_date, ("date.", "number.")),
    "name swapped": (swap_name, ("name.",)),
    "name misspelled": (misspell_name, ("name.",)),
    "paragraph dropped": (drop_paragraph, ("translation.paragraph_count",)),
    "sentence inserted": (insert_sentence, ("length.", "number.", "name.", "date.")),
    "sentence untranslated": (leave_untranslated, ("english.untranslated",)),
}


def _keys(pair: Pair, english: list[str]) -> set[tuple[str, int | None, str]]:
    return {
        (f.code, f.paragraph, f.text) for f in check_translation_grounding(english, pair.source)
    }


def misses(kind: str, per_kind: int, seed: int, limit: int = 12) -> None:
    """Print undetected corruptions of one kind (for studying the checks, not the data)."""
    corrupt, _codes = KINDS[kind]
    rng = random.Random(f"{seed}:{kind}")
    pairs = human_pairs()
    shown = 0
    for pair in pairs:
        clean = _keys(pair, pair.english)
        for count, english in enumerate(corrupt(pair, rng, pairs)):
            if count >= per_kind:
                break
            if not (_keys(pair, english) - clean) and shown < limit:
                shown += 1
                changed = [
                    i for i, (a, b) in enumerate(zip(english, pair.english, strict=False)) if a != b
                ]
                where = changed[0] if changed else len(english) - 1
                print(f"MISSED {pair.name} [{where}]: {english[where][:240]}")
                print(f"   source: {pair.source[where][:120]}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Meta-evaluation of the reference-free checks.")
    parser.add_argument("--per-kind", type=int, default=5, help="corrupted copies per reference")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-misses", metavar="KIND", help="print undetected copies of KIND")
    args = parser.parse_args()
    if args.show_misses:
        misses(args.show_misses, args.per_kind, args.seed)
        return 0
    pairs = human_pairs()
    clean = {pair.name: _keys(pair, pair.english) for pair in pairs}
    false_alarms = [name for name, keys in clean.items() if keys]
    paragraphs = sum(len(p.english) for p in pairs)
    flagged_paragraphs = sum(
        len({f.paragraph for f in check_translation_grounding(p.english, p.source)}) for p in pairs
    )

    print(
        f"References: {len(pairs)} human translations ({paragraphs} paragraphs) from "
        "wmt22-zhen (refs A and B) and seed"
    )
    print()
    print("| error kind | copies | detected (any new flag) | by its intended check | target |")
    print("|---|---:|---:|---:|---|")
    all_ok = True
    for kind, (corrupt, codes) in KINDS.items():
        rng = random.Random(f"{args.seed}:{kind}")
        total = detected = intended = 0
        for pair in pairs:
            for count, english in enumerate(corrupt(pair, rng, pairs)):
                if count >= args.per_kind:
                    break
                new = _keys(pair, english) - clean[pair.name]
                total += 1
                detected += bool(new)
                intended += any(code.startswith(codes) for code, _, _ in new)
        share = detected / total if total else float("nan")
        ok = share >= TARGET_DETECTED
        all_ok &= ok
        print(
            f"| {kind} | {total} | {share:.1%} | {intended / total if total else 0:.1%} | "
            f"{'met' if ok else 'MISSED'} (>= {TARGET_DETECTED:.0%}) |"
        )
    rate = len(false_alarms) / len(pairs)
    print()
    print(
        f"False alarms on untouched human references: {len(false_alarms)}/{len(pairs)} "
        f"documents = {rate:.1%} (target <= {TARGET_FALSE_ALARMS:.0%}: "
        f"{'met' if rate <= TARGET_FALSE_ALARMS else 'MISSED'}); "
        f"{flagged_paragraphs}/{paragraphs} paragraphs = {flagged_paragraphs / paragraphs:.1%}"
    )
    for name in false_alarms:
        pair = next(p for p in pairs if p.name == name)
        for flag in check_translation_grounding(pair.english, pair.source):
            print(f"  {name}: {flag.code} {flag.text!r} (paragraph {flag.paragraph})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
