"""What ``analyze`` finds in a text, as the entity tests compare it: found string -> English."""

from __future__ import annotations

from summarizer.text import analyze, prepare
from summarizer.text.document import Analysis


def run(text: str) -> Analysis:
    """The full offline analysis of ``text``, repaired first as the library does."""
    return analyze(prepare(text))


def people(text: str) -> dict[str, str]:
    return {person.text: person.name_en for person in run(text).people}


def places(text: str) -> dict[str, str | None]:
    return {place.text: place.name_en for place in run(text).places}


def organizations(text: str) -> dict[str, str | None]:
    return {body.text: body.name_en for body in run(text).organizations}
