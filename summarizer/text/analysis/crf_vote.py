"""Where the trained CRF tagger (``crf_tagger``) may change what the rules found: its votes.

None is on by default (``crf_tagger.DEFAULT_VOTES`` is empty); ``SUMMARIZER_CRF`` turns them on
by name. In the eighth round each way was scored on the spent blind splits ``held-out-7`` and
``held-out-8`` pooled (24 documents, 248 labels: ``benchmarks/ner_libraries.py --candidates``),
against a choice rule written before the comparison (micro F1 at least .010 above the rules', no
type's F1 more than .020 below). None passed, with the round-7 model nor with one trained on
MSRA's whole training part and CLUENER (MSRA test F1 .847): the rules score micro F1 .760;

* ``bodies`` (the round-7 vote): a body the tagger reads with a mean marginal probability of at
  least ``GROW_CONFIDENCE``, that LAC (``lac_vote``) also tags ``ORG`` with exactly the same
  ends, that holds whole one or more of the names the rules found and is longer than each,
  replaces them (上海外高桥集团 -> 上海外高桥集团森兰置地); dropped when it cuts across a name or a
  person, or holds punctuation or a space (英国《地铁报). .766-.768 (+.008), the best of all;
  design splits -.001 (tuning) and +.002 (older held-out splits);
* ``people``: a person it reads around a shorter rule name that starts where it starts
  (安藤裕 -> 安藤裕康): .760 (the rules now read such titled names themselves);
* ``silent-person``, ``silent-organization``, ``silent-place``: its entities of that kind, read
  with at least ``SILENT_CONFIDENCE``, where no rule found anything: .741-.762; they are mostly
  names the labels leave out (国会, 美), and each lowers precision more than it raises recall;
* a veto of rule names it reads as another kind: .754-.759 (not offered as a vote).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from summarizer.text.analysis.crf_tagger import CrfSpan, Tagged, crf_read
from summarizer.text.chars import is_han
from summarizer.text.document import EntityMention, PersonMention

#: Mean marginal probability of its tags above which a body the tagger reads may replace names.
GROW_CONFIDENCE = 0.9


def _overlaps(one: EntityMention | PersonMention, start: int, end: int) -> bool:
    return one.start < end and start < one.end


def _is_name_text(written: str) -> bool:
    """Han characters, ASCII letters and digits and the middle dot only (no 《, ”, space)."""
    return all(is_han(c) or (c.isascii() and c.isalnum()) or c == "·" for c in written)


def grown_bodies(
    text: str,
    tagged: Sequence[Tagged],
    lac_organizations: Sequence[tuple[int, int]],
    people: Sequence[PersonMention],
    organizations: list[EntityMention],
    places: list[EntityMention],
    english: Callable[[str], str | None],
    model: Any | None = None,
) -> tuple[list[EntityMention], list[EntityMention]]:
    """``organizations`` and ``places`` with the bodies LAC and the tagger read around them (see
    the module's docstring). ``lac_organizations`` are the (start, end) of LAC's ``ORG`` words;
    ``english`` gives a grown body's English name, or None; ``model`` is the tagger
    (``crf_tagger.load_model``; the shared one when None). Only the sentences of LAC's
    candidates are tagged."""
    candidates: dict[tuple[int, int], list[EntityMention]] = {}
    for start, end in lac_organizations:
        if any(_overlaps(person, start, end) for person in people):
            continue
        inside = [m for m in (*organizations, *places) if _overlaps(m, start, end)]
        if not inside or any(m.start < start or m.end > end for m in inside):
            continue
        if any(m.end - m.start >= end - start for m in inside):
            continue
        if _is_name_text(text[start:end]):
            candidates[(start, end)] = inside
    if not candidates:
        return organizations, places
    for span in crf_read(text, tagged, model, within=list(candidates)):
        inside = candidates.get((span.start, span.end), [])
        if span.kind != "organization" or span.confidence < GROW_CONFIDENCE or not inside:
            continue
        if any(m not in (*organizations, *places) for m in inside):
            continue  # a name another grown body took already
        written = text[span.start : span.end]
        grown = EntityMention(
            span.start, span.end, written, kind="organization", name_en=english(written)
        )
        organizations = [m for m in organizations if m not in inside] + [grown]
        places = [m for m in places if m not in inside]
    return organizations, places


def silent_spans(
    spans: Iterable[CrfSpan],
    text: str,
    found: Sequence[EntityMention | PersonMention],
    kinds: Iterable[str],
    min_confidence: float,
) -> list[CrfSpan]:
    """The tagger's entities of ``kinds`` read with at least ``min_confidence`` where the rules
    are silent: overlapping no mention in ``found``, of two characters or more, and written as a
    name (Han characters, Latin letters, digits, the middle dot)."""
    wanted = frozenset(kinds)
    return [
        span
        for span in spans
        if span.kind in wanted
        and span.confidence >= min_confidence
        and span.end - span.start >= 2
        and _is_name_text(text[span.start : span.end])
        and not any(_overlaps(mention, span.start, span.end) for mention in found)
    ]


def vetoed(
    spans: Iterable[CrfSpan],
    found: Iterable[EntityMention | PersonMention],
    kind_of: Callable[[EntityMention | PersonMention], str],
    min_confidence: float,
) -> list[EntityMention | PersonMention]:
    """The mentions of ``found`` whose exact span the tagger reads as another kind with at least
    ``min_confidence``."""
    read = {(span.start, span.end): span for span in spans if span.confidence >= min_confidence}
    return [
        mention
        for mention in found
        if (span := read.get((mention.start, mention.end))) is not None
        and span.kind != kind_of(mention)
    ]


def grown_people(
    spans: Iterable[CrfSpan],
    text: str,
    people: Sequence[PersonMention],
    others: Sequence[EntityMention],
    min_confidence: float,
) -> list[tuple[CrfSpan, list[PersonMention]]]:
    """Persons the tagger reads (with at least ``min_confidence``) around shorter names the
    rules found, starting where one of them starts (安藤裕 -> 安藤裕康, a Japanese given name of
    two characters): each such span with the rule names it holds. A span that overlaps an
    organization or a place, or holds punctuation, is not one."""
    grown = []
    for span in spans:
        if span.kind != "person" or span.confidence < min_confidence:
            continue
        if not _is_name_text(text[span.start : span.end]):
            continue
        inside = [p for p in people if span.start <= p.start and p.end <= span.end]
        if not inside or not any(p.start == span.start for p in inside):
            continue
        if any(p.end - p.start >= span.end - span.start for p in inside):
            continue
        if any(_overlaps(p, span.start, span.end) and p not in inside for p in people):
            continue
        if any(_overlaps(m, span.start, span.end) for m in others):
            continue
        grown.append((span, inside))
    return grown


#: Mean marginal probability above which the tagger's person replaces the shorter rule names it
#: holds (``people`` vote), and above which its entities count where the rules are silent
#: (``silent-…`` votes).
GROW_PERSON_CONFIDENCE = 0.9
SILENT_CONFIDENCE = 0.95


def apply_votes(
    text: str,
    tagged: Sequence[Tagged],
    votes: frozenset[str],
    people: list[PersonMention],
    organizations: list[EntityMention],
    places: list[EntityMention],
    english: Callable[[str, str], str | None],
    model: Any | None = None,
) -> tuple[list[PersonMention], list[EntityMention], list[EntityMention]]:
    """The rules' people, organizations and places with the ``people`` and ``silent-…`` votes of
    ``votes`` applied (``bodies`` is applied by ``bodies.find_bodies``). ``english(kind, name)``
    gives an added entity's English name. A grown person gets none: the rules read a Chinese
    name there, so the longer one is not pinyin."""
    silent_kinds = [v.removeprefix("silent-") for v in votes if v.startswith("silent-")]
    if "people" not in votes and not silent_kinds:
        return people, organizations, places
    spans = crf_read(text, tagged, model)
    if "people" in votes:
        for span, inside in grown_people(
            spans, text, people, [*organizations, *places], GROW_PERSON_CONFIDENCE
        ):
            written = text[span.start : span.end]
            people = [p for p in people if p not in inside]
            titles = next((p for p in inside if p.titles), inside[0])
            people.append(
                PersonMention(
                    span.start,
                    span.end,
                    written,
                    titles=titles.titles,
                    titles_en=titles.titles_en,
                )
            )
    if silent_kinds:
        found: list[EntityMention | PersonMention] = [*people, *organizations, *places]
        for span in silent_spans(spans, text, found, silent_kinds, SILENT_CONFIDENCE):
            written = text[span.start : span.end]
            name_en = english(span.kind, written)
            if span.kind == "person":
                people.append(PersonMention(span.start, span.end, written, name_en=name_en or ""))
            else:
                mention = EntityMention(
                    span.start, span.end, written, kind=span.kind, name_en=name_en
                )
                (organizations if span.kind == "organization" else places).append(mention)

    def position(mention: EntityMention | PersonMention) -> tuple[int, int]:
        return mention.start, mention.end

    return (
        sorted(people, key=position),
        sorted(organizations, key=position),
        sorted(places, key=position),
    )
