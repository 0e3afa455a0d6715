"""The translation: aligned and complete, one English paragraph per source paragraph, in order.

A paragraph with fewer English characters than half its source's Chinese characters (English needs
2-3 per Chinese character) is an error (something was left out), under one per Chinese character a
warning. Paragraphs under ``MIN_HAN_FOR_LENGTH_CHECK`` Chinese characters are not length-checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from summarizer.engines.parsing import Problem, Severity
from summarizer.engines.validation.fields import english
from summarizer.text.matching import han_runs

#: English translations run 2-3 characters per Chinese character. Below these ratios a paragraph
#: has most likely lost content (warning), or certainly has (error, re-asked). Short source
#: paragraphs (headlines, datelines) vary too much to judge.
OMISSION_WARNING_RATIO = 1.0
OMISSION_ERROR_RATIO = 0.5
MIN_HAN_FOR_LENGTH_CHECK = 20


def check_translation(
    paragraphs_en: Sequence[str],
    source_paragraphs: Sequence[str],
    *,
    path: str = "translation.paragraphs_en",
    first_number: int = 1,
) -> list[Problem]:
    """One non-empty, Chinese-free English paragraph per source paragraph, in order.

    ``first_number`` is the ``[P<n>]`` number of the first source paragraph (for chunks).
    """
    problems: list[Problem] = []
    expected = len(source_paragraphs)
    if len(paragraphs_en) != expected:
        last = first_number + expected - 1
        problems.append(
            Problem(
                "translation.paragraph_count",
                path,
                f"has {len(paragraphs_en)} paragraph{'s' if len(paragraphs_en) != 1 else ''} but "
                f"the source has {expected} ([P{first_number}] to [P{last}]); give exactly one "
                "English paragraph per source paragraph, in order, without merging or splitting",
            )
        )
    for index, paragraph in enumerate(paragraphs_en):
        found = english(f"{path}[{index}]", paragraph)
        problems.extend(found)
        if not found and len(paragraphs_en) == expected:  # lengths mean nothing if misaligned
            problems.extend(_omission(f"{path}[{index}]", paragraph, source_paragraphs[index]))
    return problems


@lru_cache(maxsize=4096)
def _han_count(text: str) -> int:
    """Chinese characters in a source paragraph (cached: the same paragraphs are checked often)."""
    return sum(len(run) for run in han_runs(text))


def _omission(path: str, english: str, source: str) -> list[Problem]:
    """A translation far shorter than its Chinese source has most likely left something out."""
    han = _han_count(source)
    if han < MIN_HAN_FOR_LENGTH_CHECK:
        return []
    ratio = len(english) / han
    if ratio >= OMISSION_WARNING_RATIO:
        return []
    severity: Severity = "error" if ratio < OMISSION_ERROR_RATIO else "warning"
    return [
        Problem(
            "translation.too_short",
            path,
            f"has {len(english)} characters for a source paragraph of {han} Chinese characters "
            "(English usually needs 2 to 3 times as many); translate the whole paragraph, "
            "leaving nothing out",
            severity,
        )
    ]
