"""Events: English descriptions, and ``date_iso`` shaped ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

from __future__ import annotations

import re
from typing import Any

from summarizer.engines.parsing import Problem
from summarizer.engines.validation.fields import english, quote

_ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def check_events(draft: Any) -> list[Problem]:
    problems: list[Problem] = []
    for index, event in enumerate(getattr(draft, "events", [])):
        base = f"events[{index}]"
        if event.description_en is not None:
            problems.extend(english(f"{base}.description_en", event.description_en))
        if event.date_iso is not None and not _ISO_DATE.match(event.date_iso):
            problems.append(
                Problem(
                    "date.format",
                    f"{base}.date_iso",
                    f"{quote(event.date_iso)} is not YYYY, YYYY-MM or YYYY-MM-DD; fix it or use "
                    "null",
                )
            )
    return problems
