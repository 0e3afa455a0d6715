"""Key points: ``KEY_POINTS`` of them (a warning), each in English with grounded evidence.

Evidence must occur in the article up to copying noise (``summarizer.text.matching``); evidence
shorter than ``MIN_EVIDENCE_CHARS`` normalized characters is an error: a two-character "quote"
matches almost any article and supports nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from summarizer.engines.parsing import Problem
from summarizer.engines.validation.fields import clip, english, quote
from summarizer.text.matching import ELLIPSIS, normalize_for_match, normalized_source

KEY_POINTS = (3, 7)
#: Shorter evidence (in normalized characters) supports nothing.
MIN_EVIDENCE_CHARS = 4


def check_key_points(draft: Any, source: str, *, is_model_draft: bool) -> list[Problem]:
    """``is_model_draft``: a model had to write them (an extraction may legitimately have none)."""
    problems: list[Problem] = []
    add = problems.append
    key_points = getattr(draft, "key_points", [])
    if is_model_draft and not key_points:
        add(Problem("key_points.empty", "key_points", "is empty; give 3 to 7 key points"))
    elif key_points and not KEY_POINTS[0] <= len(key_points) <= KEY_POINTS[1]:
        add(
            Problem(
                "key_points.count",
                "key_points",
                f"has {len(key_points)} items; give {KEY_POINTS[0]} to {KEY_POINTS[1]}",
                "warning",
            )
        )
    for index, point in enumerate(key_points):
        base = f"key_points[{index}]"
        if point.text_en is None:
            if is_model_draft:
                add(Problem("missing", f"{base}.text_en", "is null; state the point in English"))
        else:
            problems.extend(english(f"{base}.text_en", point.text_en))
        problems.extend(evidence_problems(f"{base}.evidence", point.evidence, source))
    return problems


def evidence_problems(path: str, evidence: str, source: str) -> Iterator[Problem]:
    needle = normalize_for_match(evidence)
    if not needle:
        yield Problem("empty", path, "is empty; copy the supporting span from the article")
        return
    if ELLIPSIS.search(evidence) and needle not in normalized_source(source):
        yield Problem(
            "evidence.ellipsis",
            path,
            "uses an ellipsis to join pieces; quote one contiguous span of the article",
        )
        return
    if needle not in normalized_source(source):
        yield Problem(
            "evidence.not_in_source",
            path,
            f"{quote(clip(evidence))} does not occur in the article; copy a span of the article "
            "character for character (no paraphrase, no translation, no ellipsis)",
        )
        return
    if len(needle) < MIN_EVIDENCE_CHARS:
        yield Problem(
            "evidence.too_short",
            path,
            f"{quote(evidence)} is too short to support the point; quote the whole clause or "
            "sentence",
        )
