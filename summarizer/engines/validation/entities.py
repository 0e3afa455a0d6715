"""People, organizations and places: names as written must occur in the article.

An invented person is the costliest hallucination (an error); organization and place names that do
not occur are only warnings (articles abbreviate them freely).
"""

from __future__ import annotations

from typing import Any

from summarizer.engines.parsing import Problem
from summarizer.engines.validation.fields import english, quote
from summarizer.text.matching import occurs_in


def check_people(draft: Any, source: str) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    for index, person in enumerate(getattr(draft, "people", [])):
        base = f"people[{index}]"
        if not person.name_as_written.strip():
            add(Problem("empty", f"{base}.name_as_written", "is empty; copy the name as written"))
        elif not occurs_in(person.name_as_written, source):
            add(
                Problem(
                    "name.not_in_source",
                    f"{base}.name_as_written",
                    f"{quote(person.name_as_written)} does not occur in the article; copy the "
                    "name exactly as the article writes it, or drop the person if not named",
                )
            )
        for field_name in ("name_en", "role_en", "organization_en"):
            value = getattr(person, field_name)
            if value is not None:
                problems.extend(english(f"{base}.{field_name}", value))
    return problems


def check_organizations_and_places(draft: Any, source: str) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    for group in ("organizations", "places"):
        for index, entity in enumerate(getattr(draft, group, [])):
            base = f"{group}[{index}]"
            if not entity.name_as_written.strip():
                add(Problem("empty", f"{base}.name_as_written", "is empty; copy the name"))
            elif not occurs_in(entity.name_as_written, source):
                add(
                    Problem(
                        "name.not_in_source",
                        f"{base}.name_as_written",
                        f"{quote(entity.name_as_written)} does not occur in the article",
                        "warning",
                    )
                )
            if entity.name_en is not None:
                problems.extend(english(f"{base}.name_en", entity.name_en))
    return problems
