"""Topics: English, ``TOPICS`` of them (a warning: short articles make the count unreasonable)."""

from __future__ import annotations

from typing import Any

from summarizer.engines.parsing import Problem
from summarizer.engines.validation.fields import english

TOPICS = (3, 6)


def check_topics(draft: Any) -> list[Problem]:
    problems: list[Problem] = []
    topics = getattr(draft, "topics", [])
    for index, topic in enumerate(topics):
        problems.extend(english(f"topics[{index}]", topic))
    if topics and not TOPICS[0] <= len(topics) <= TOPICS[1]:
        problems.append(
            Problem(
                "topics.count",
                "topics",
                f"has {len(topics)} items; give {TOPICS[0]} to {TOPICS[1]}",
                "warning",
            )
        )
    return problems
