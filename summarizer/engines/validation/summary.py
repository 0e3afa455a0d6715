"""Headline and summary: English, and a summary of ``SUMMARY_SENTENCES`` sentences (a warning)."""

from __future__ import annotations

from typing import Any

from summarizer.engines.parsing import Problem
from summarizer.engines.validation.fields import english, sentence_count

SUMMARY_SENTENCES = (2, 4)


def check_summary(draft: Any) -> list[Problem]:
    problems: list[Problem] = []
    headline = getattr(draft, "headline_en", None)
    summary = getattr(draft, "summary_en", None)
    for path, value in (("headline_en", headline), ("summary_en", summary)):
        if value is not None:
            problems.extend(english(path, value))
    if summary is not None and summary.strip():
        count = sentence_count(summary)
        low, high = SUMMARY_SENTENCES
        if not low <= count <= high:
            problems.append(
                Problem(
                    "summary.sentences",
                    "summary_en",
                    f"has {count} sentence{'s' if count != 1 else ''}; write {low} to {high}",
                    "warning",
                )
            )
    return problems
