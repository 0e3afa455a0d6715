"""Remove ruby pinyin written in parentheses after characters: ``區(qū)委`` -> ``區委``.

Scrapers flatten ``<ruby>`` markup into ``char(pinyin)``. An annotation is only removed when it sits
right after a CJK character and every syllable is a real Hanyu Pinyin syllable (from pypinyin's
inventory), so ``(AI)``, ``(GDP)`` or an English word in parentheses stay. When the character and
its ``(`` were lost to ``?`` (``日?bào)訊``), the stray pinyin is removed and the lost character is
restored only if a character with that reading forms dictionary words with its neighbours.

Not all pinyin is a leftover: a poem printed with ruby for learners, or a note on how a character
is read, means it. Sites that convert pages to traditional script annotate the traditional-only
forms they produce (every one of the seed's 278), while ruby for readers annotates characters that
are mostly the same in both scripts. So the annotations of a text are removed only when at least
80% of them annotate a traditional-only form; otherwise they are all kept and ``prepare`` says so.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import cache

from summarizer.text.chars import HAN_RANGES
from summarizer.text.document import Checkpoint, run_to_end
from summarizer.text.repair import lexicon
from summarizer.text.repair.edits import Edit

_CJK = HAN_RANGES
_LETTERS = "a-zA-ZāáǎàēéěèêīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿÜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛ\u0300-\u036f"
_ANNOTATION = re.compile(rf"[(（]\s*([{_LETTERS}][{_LETTERS}' \-]{{0,47}}?)\s*[)）]")
_DAMAGED = re.compile(rf"(?:\?+\s*[{_LETTERS}]{{1,8}}[)）])+")
_DAMAGED_PIECE = re.compile(rf"\?+\s*([{_LETTERS}]{{1,8}})[)）]")
#: An annotation right after a CJK character (the only place ruby pinyin can come from).
_ANNOTATION_AFTER_CJK = re.compile(rf"(?<=[{_CJK}]){_ANNOTATION.pattern}")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_CJK_TAIL = re.compile(rf"[{_CJK}]+\Z")
_SEPARATORS = re.compile(r"[\s'\-]+")

#: A restored character needs this much word evidence (log frequency), and this lead over the next.
_MIN_EVIDENCE = math.log1p(20)
_MIN_MARGIN = math.log(4)


def split_syllables(annotation: str) -> list[str] | None:
    """``"zhōngguó"`` -> ``["zhōng", "guó"]``; None when it is not (only) pinyin."""
    found = _split_syllables(annotation)
    return None if found is None else list(found)


@cache
def _split_syllables(annotation: str) -> tuple[str, ...] | None:
    syllables: list[str] = []
    for token in _SEPARATORS.split(annotation.strip()):
        if not token:
            continue
        if len(token) > 1 and token.isupper():
            return None  # acronyms such as GDP, AI
        parts = _segment(token.lower())
        if parts is None:
            return None
        syllables.extend(parts)
    return tuple(syllables) or None


@cache
def _segment(token: str) -> list[str] | None:
    inventory = lexicon.syllable_inventory()
    # best[i]: a segmentation of token[:i] with the fewest syllables.
    best: list[list[str] | None] = [None] * (len(token) + 1)
    best[0] = []
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 7), end):
            previous = best[start]
            piece = token[start:end]
            if previous is not None and piece in inventory:
                candidate = [*previous, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(token)]


@cache
def is_pinyin_annotation(annotation: str, annotated: str) -> bool:
    """Whether ``annotation`` is pinyin for the characters ``annotated`` it follows."""
    syllables = split_syllables(annotation)
    if syllables is None:
        return False
    if lexicon.has_tone_mark(annotation):
        return True
    # Without tone marks (neutral tone, or an English word that happens to spell a syllable),
    # require lower case (``王毅(Wang Yi)`` is a name gloss, not ruby) and matching readings.
    if annotation != annotation.lower() or len(syllables) > len(annotated):
        return False
    chars = annotated[len(annotated) - len(syllables) :]
    return all(
        syllable in {lexicon.strip_tones(r) for r in lexicon.readings_of(char)}
        for syllable, char in zip(syllables, chars, strict=True)
    )


class _Removed:
    """The spans removed as annotations, sorted (for "is this offset inside one?")."""

    def __init__(self, edits: list[Edit]) -> None:
        self.starts = [edit.start for edit in edits]
        self.ends = [edit.end for edit in edits]

    def containing(self, index: int) -> int | None:
        """The position (in ``starts``) of the removed span holding ``index``, if any."""
        position = bisect.bisect_right(self.starts, index) - 1
        if position >= 0 and index < self.ends[position]:
            return position
        return None


@dataclass(frozen=True)
class Decision:
    """What to do with the well-formed annotations of one text, and why."""

    remove: bool
    #: Annotations found, and how many annotate a traditional-only form (``區``, not ``委``).
    annotations: int
    traditional_only: int

    @property
    def share(self) -> float:
        return self.traditional_only / self.annotations if self.annotations else 0.0


#: Conversion sites annotate the traditional forms they produced (all 278 in the seed); teaching
#: ruby annotates every character, or the one whose reading is explained, mostly characters that
#: are the same in both scripts (at most half, even in a traditional-script poem).
_MIN_TRADITIONAL_SHARE = 0.8


def annotation_edits(text: str) -> list[Edit]:
    """Edits removing scraped pinyin annotations and damaged ones (intentional ruby stays)."""
    edits, _ = annotation_edits_and_decision(text)
    return edits


#: What the pinyin repair tells its checkpoint it was doing.
REMOVING_PINYIN = "while pinyin annotations were removed from its text"


def annotation_edits_and_decision(
    text: str, checkpoint: Checkpoint = run_to_end
) -> tuple[list[Edit], Decision]:
    """``annotation_edits`` plus the decision about the well-formed annotations.

    Whether pinyin was printed for readers (a poem with ruby for learners, a note on how a
    character is read) or left by a site that converted the page to traditional script is told
    by what it annotates: conversion sites annotate the traditional-only forms they made.
    Intentional ruby is kept, and the caller should say so. ``checkpoint`` is called per
    annotation.
    """
    found: list[tuple[int, int, str, str, tuple[str, tuple[str, str] | None]]] = []
    for match in _ANNOTATION_AFTER_CJK.finditer(text):
        checkpoint(REMOVING_PINYIN)
        start = match.start()
        annotation = match.group(1)
        syllables = _split_syllables(annotation)
        if syllables is None:
            continue
        annotated = _preceding_cjk(text, start, len(syllables))
        verdict = _verdict(annotation, annotated)
        if verdict is not None:
            found.append((start, match.end(), annotation, annotated[-len(syllables) :], verdict))
    traditional_only = sum(1 for *_, chars, _ in found if _traditional_only(chars))
    decision = Decision(
        remove=bool(found) and traditional_only >= _MIN_TRADITIONAL_SHARE * len(found),
        annotations=len(found),
        traditional_only=traditional_only,
    )
    edits: list[Edit] = []
    for start, end, annotation, chars, (note, warning) in found if decision.remove else ():
        certain = _traditional_only(chars)
        if not certain and warning is None:
            message = (
                f"pinyin {annotation!r} removed from {chars!r}, which reads the same in both "
                "scripts; it may have been intentional"
            )
            note, warning = f"{note}; {message}", ("pinyin_removed_uncertain", message)
        edits.append(Edit(start, end, "", "pinyin_annotation", certain, note, warning))
    if "?" not in text:
        return edits, decision
    removed = _Removed(edits)
    for match in _DAMAGED.finditer(text):
        checkpoint(REMOVING_PINYIN)
        if match.start() == 0 or removed.containing(match.start()) is not None:
            continue
        previous = text[match.start() - 1]
        if not (_CJK_CHAR.match(previous) or previous in ")）"):
            continue
        pieces = [piece.group(1) for piece in _DAMAGED_PIECE.finditer(match.group(0))]
        if not all(lexicon.has_tone_mark(p) and split_syllables(p) for p in pieces):
            continue
        left = _neighbour(text, match.start() - 1, removed, step=-1)
        right = _neighbour(text, match.end(), removed, step=1)
        edits.append(_damaged_edit(match.start(), match.end(), match.group(0), pieces, left, right))
    return edits, decision


def _traditional_only(chars: str) -> bool:
    """Whether any of ``chars`` is a traditional form that simplifies to another character."""
    return lexicon.to_simplified_aligned(chars) != chars


@cache
def _verdict(annotation: str, annotated: str) -> tuple[str, tuple[str, str] | None] | None:
    """(note, warning) when ``annotation`` is pinyin for ``annotated``, else None."""
    syllables = _split_syllables(annotation)
    if syllables is None or not is_pinyin_annotation(annotation, annotated):
        return None
    note = f"removed pinyin {annotation!r} annotating {annotated[-len(syllables) :]!r}"
    mismatches = _mismatches(syllables, annotated)
    if not mismatches:
        return note, None
    described = ", ".join(f"{char} is not read {syllable}" for char, syllable in mismatches)
    message = f"pinyin annotation {annotation!r} removed, but {described}"
    return f"{note}; reading does not match ({described})", ("pinyin_mismatch", message)


def _damaged_edit(
    start: int, end: int, damaged: str, readings: list[str], left: str, right: str
) -> Edit:
    restored = restore_character(readings, left, right)
    shown = " / ".join(readings)
    if restored is None:
        message = (
            f"a character (read {shown}) was lost to '?' here and could not be restored from "
            f"context; its stray pinyin {damaged!r} was removed"
        )
        return Edit(start, end, "", "damaged_annotation", certain=False, note=message,
                    warning=("damaged_annotation_removed", message))  # fmt: skip
    char, reading = restored
    message = (
        f"a character and its '(' were lost to '?' ({damaged!r}); restored {char!r} (read "
        f"{reading}) because it forms dictionary words with {left!r} and {right!r}"
    )
    return Edit(start, end, char, "damaged_annotation", certain=False, note=message,
                warning=("damaged_annotation_restored", message))  # fmt: skip


def restore_character(readings: list[str], left: str, right: str) -> tuple[str, str] | None:
    """The character with one of ``readings`` that best joins ``left`` and ``right`` into words."""
    return _restore_character(tuple(readings), left, right)


@cache
def _restore_character(readings: tuple[str, ...], left: str, right: str) -> tuple[str, str] | None:
    words = lexicon.word_frequencies()
    left_s, right_s = lexicon.to_simplified(left), lexicon.to_simplified(right)
    scored: dict[str, tuple[float, str]] = {}
    for reading in readings:
        for candidate in lexicon.chars_read_mainly(reading):
            char = lexicon.to_simplified(candidate)
            if len(char) != 1 or char in scored:
                continue
            score = 0.0
            if left_s:
                score += math.log1p(words.get(left_s + char, 0))
            if right_s:
                score += math.log1p(words.get(char + right_s, 0))
            if left_s and right_s:
                score += 2 * math.log1p(words.get(left_s + char + right_s, 0))
            if score > 0:
                scored[char] = (score, reading)
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda item: -item[1][0])
    best_char, (best, reading) = ranked[0]
    runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if best < _MIN_EVIDENCE or best - runner_up < _MIN_MARGIN:
        return None
    return best_char, reading


def _preceding_cjk(text: str, end: int, count: int) -> str:
    """The up to ``count`` CJK characters right before ``end``."""
    found = _CJK_TAIL.search(text, max(0, end - count), end)
    return found.group(0) if found else ""


def _neighbour(text: str, index: int, removed: _Removed, step: int) -> str:
    """The nearest CJK character from ``index`` in direction ``step``, skipping annotations."""
    while 0 <= index < len(text):
        inside = removed.containing(index)
        if inside is not None:
            index = removed.starts[inside] - 1 if step < 0 else removed.ends[inside]
            continue
        char = text[index]
        return char if _CJK_CHAR.match(char) else ""
    return ""


@cache
def _mismatches(syllables: tuple[str, ...], annotated: str) -> list[tuple[str, str]]:
    chars = annotated[len(annotated) - len(syllables) :] if len(annotated) >= len(syllables) else ""
    if len(chars) != len(syllables):
        return []
    found = []
    for syllable, char in zip(syllables, chars, strict=True):
        readings = lexicon.readings_of(char)
        if not readings:
            continue
        plain = {lexicon.strip_tones(r) for r in readings}
        if syllable not in readings and lexicon.strip_tones(syllable) not in plain:
            found.append((char, syllable))
    return found
