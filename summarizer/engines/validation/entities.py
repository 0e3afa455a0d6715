"""People, organizations and places: everything "as written" must be written in the article.

A person's ``name_as_written`` and ``role_as_written`` (each of its roles, when the model joins
several with 、 or ;), and every organization's and place's ``name_as_written``, must occur in the
article up to copying noise; a miss is an error (a re-ask), and after the re-asks the item is
dropped with a note in ``meta.status`` (``engines.validation.salvage``). A Chinese person's
``name_en`` must be that name in English (``summarizer.text.romanization``): its surname
romanized (pinyin, Wade-Giles, Cantonese or a common dialect spelling) and its given name either
romanized too or a Western given name ("Carrie Lam" for 林郑月娥), never another name's syllables;
transliterated foreign names have no such requirement. After the re-asks a person whose
``name_en`` still fails is kept with ``name_en`` null (``salvage``).
"""

from __future__ import annotations

import re
from typing import Any

from summarizer.engines.parsing import Problem
from summarizer.engines.validation.fields import english, quote
from summarizer.text.analysis.romanize import romanize_name
from summarizer.text.matching import occurs_in
from summarizer.text.romanization import romanizes

#: Between the roles of one person, as models join them.
_ROLE_SEPARATORS = re.compile(r"[、，,;；/／|]+|\s+")


def check_people(draft: Any, source: str) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    for index, person in enumerate(getattr(draft, "people", [])):
        base = f"people[{index}]"
        name = person.name_as_written
        if not name.strip():
            add(Problem("empty", f"{base}.name_as_written", "is empty; copy the name as written"))
        elif not occurs_in(name, source):
            add(
                Problem(
                    "name.not_in_source",
                    f"{base}.name_as_written",
                    f"{quote(name)} does not occur in the article; copy the "
                    "name exactly as the article writes it, or drop the person if not named",
                )
            )
        elif person.name_en is not None and not romanizes(person.name_en, name):
            add(
                Problem(
                    "name.not_romanized",
                    f"{base}.name_en",
                    f"{quote(person.name_en)} is not a romanization of {quote(name)}; write "
                    f"{quote(name)} in Hanyu Pinyin, surname first ({quote(romanize_name(name))}), "
                    "or the person's established English name with this surname, or null",
                )
            )
        role = person.role_as_written
        if role is not None and role.strip():
            parts = [part for part in _ROLE_SEPARATORS.split(role) if part]
            missing = [part for part in parts if not occurs_in(part, source)]
            if missing:
                add(
                    Problem(
                        "role.not_in_source",
                        f"{base}.role_as_written",
                        f"{', '.join(quote(part) for part in missing)} does not occur in the "
                        "article; copy the person's titles exactly as the article writes them, "
                        "or use null",
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
                        f"{quote(entity.name_as_written)} does not occur in the article; copy "
                        "the name exactly as the article writes it, or drop it if not named",
                    )
                )
            if entity.name_en is not None:
                problems.extend(english(f"{base}.name_en", entity.name_en))
    return problems
