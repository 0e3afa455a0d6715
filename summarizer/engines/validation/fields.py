"""What several section checkers share: English-only fields, sentence counts, quoting."""

from __future__ import annotations

import json
import re

from summarizer.engines.parsing import Problem
from summarizer.text.chars import CONTROL_CHARACTERS
from summarizer.text.matching import han_runs

_SENTENCE_END = re.compile(r"[.!?。！？]+[\"'”’)]*(?=\s|$)")
_ABBREVIATION_DOT = re.compile(
    r"\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|No|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Gov|Sen|Rep|Co|Inc|Ltd|vs)\."
)


def sentence_count(text: str) -> int:
    """Sentences in English text (abbreviations like "U.S." and "Dr." do not end one)."""
    cleaned = _ABBREVIATION_DOT.sub("X", text.strip())
    ends = len(_SENTENCE_END.findall(cleaned))
    trailing = not _SENTENCE_END.search(cleaned[-3:]) if cleaned else False
    return ends + (1 if trailing else 0)


def english(path: str, value: str) -> list[Problem]:
    """An English field must be non-empty, hold no control characters and no Chinese, not even
    in parentheses."""
    if not value or value.isspace():
        return [Problem("empty", path, "is empty; write it in English")]
    controls = sorted(set(CONTROL_CHARACTERS.findall(value)))
    if controls:
        shown = ", ".join(f"U+{ord(character):04X}" for character in controls[:5])
        return [
            Problem(
                "english.control_characters",
                path,
                f"contains control characters ({shown}); write plain text without them",
            )
        ]
    runs = han_runs(value)
    if not runs:
        return []
    shown = ", ".join(quote(run) for run in runs[:5])
    return [
        Problem(
            "english.untranslated",
            path,
            f"contains untranslated Chinese ({shown}); write it entirely in English, without "
            "Chinese characters even in parentheses (romanize names in Hanyu Pinyin)",
        )
    ]


def clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
