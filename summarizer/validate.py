"""Semantic checks of a summary against its source, shared by the engine and the eval harness.

The engine sends ``error`` problems back to the model (re-ask), so every ``Problem.message`` is
written as an instruction a model can act on; eval uses the same checks to measure grounding.

What is checked, and the decisions behind it:

* **Evidence is grounded**: each ``key_points[i].evidence`` must occur in the article. The
  comparison is on a normalized form of both texts (NFKC, so full-width and half-width forms
  match; quote, dash and full-stop variants unified; all whitespace and ``[P<n>]`` paragraph
  markers removed; case folded), which forgives copying noise but not paraphrase or ellipses.
  Evidence shorter than ``MIN_EVIDENCE_CHARS`` normalized characters is an error: a two-character
  "quote" matches almost any article and supports nothing.
* **English fields hold no Chinese**: zero tolerance for Han characters in any ``*_en`` field,
  topic, event description and translation paragraph, *including* Chinese in parentheses after an
  English term. Readers of those fields do not read Chinese, and the original forms have their own
  fields (``*_as_written``, ``evidence``).
* **The translation is aligned and complete**: exactly one non-empty English paragraph per source
  paragraph; a paragraph with fewer English characters than half its source's Chinese characters
  (English needs 2-3 per Chinese character) is an error (something was left out), under one per
  Chinese character a warning. Paragraphs under 20 Chinese characters are not length-checked.
* **Names are grounded**: a person's ``name_as_written`` must occur in the article (an invented
  person is the costliest hallucination); organization and place names that do not occur are only
  warnings (articles abbreviate them freely).
* **Shape**: empty strings are errors; ``summary_en`` outside 2-4 sentences, key points outside
  3-7 and topics outside 3-6 are warnings (short articles make those counts unreasonable, and a
  re-ask costs a full call).
* ``date_iso`` must look like ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

Everything is plain string work on a per-text cached normalized source: a check of a typical
summary takes well under a millisecond.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypeVar

from pydantic import BaseModel, ValidationError

from summarizer.schema import ArticleSummary, SummaryDraft
from summarizer.text.chars import FIRST_HAN, HAN_RUN
from summarizer.text.document import Document

Severity = Literal["error", "warning"]
M = TypeVar("M", bound=BaseModel)

#: Shorter evidence (in normalized characters) supports nothing.
MIN_EVIDENCE_CHARS = 4
SUMMARY_SENTENCES = (2, 4)
KEY_POINTS = (3, 7)
TOPICS = (3, 6)
#: English translations run 2-3 characters per Chinese character. Below these ratios a paragraph
#: has most likely lost content (warning), or certainly has (error, re-asked). Short source
#: paragraphs (headlines, datelines) vary too much to judge.
OMISSION_WARNING_RATIO = 1.0
OMISSION_ERROR_RATIO = 0.5
MIN_HAN_FOR_LENGTH_CHECK = 20
#: At most this many problems are listed in one re-ask message (the rest follow in the next round).
MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a model's output."""

    #: Stable machine-readable name, e.g. ``evidence.not_in_source``.
    code: str
    #: Where, in the output's JSON: ``key_points[2].evidence``.
    path: str
    #: What is wrong and what to do, addressed to the model that wrote the output.
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def describe(problems: Sequence[Problem]) -> str:
    """The problems as a bulleted list for a re-ask message (bounded in length)."""
    listed = [f"- {problem}" for problem in problems[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        listed.append(f"- ... and {len(problems) - MAX_LISTED_PROBLEMS} more problems like these")
    return "\n".join(listed)


# --- normalization --------------------------------------------------------------------------------

_HAN = HAN_RUN
_WHITESPACE_AND_MARKERS = re.compile(r"\s+|\[P\d+\]")
_PUNCTUATION_VARIANTS = str.maketrans(
    {
        "。": ".",
        "｡": ".",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "〝": '"',
        "〞": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "—": "-",
        "–": "-",
        "‒": "-",
        "―": "-",
        "－": "-",
        "、": ",",
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "《": "<",
        "》": ">",
        "〈": "<",
        "〉": ">",
    }
)
_ELLIPSIS = re.compile(r"\.\.\.|…|⋯")


def normalize_for_match(text: str) -> str:
    """The form in which evidence and source are compared (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_VARIANTS)
    return _WHITESPACE_AND_MARKERS.sub("", text).casefold()


@lru_cache(maxsize=256)
def _normalized_source(text: str) -> str:
    return normalize_for_match(text)


def occurs_in(fragment: str, source_text: str) -> bool:
    """Whether ``fragment`` occurs in ``source_text`` up to copying noise (not paraphrase)."""
    needle = normalize_for_match(fragment)
    return bool(needle) and needle in _normalized_source(source_text)


def han_runs(text: str) -> list[str]:
    """The runs of Chinese (Han) characters in ``text``."""
    if text.isascii() or max(text) < FIRST_HAN:  # no Han possible: skip the (slower) regex
        return []
    return _HAN.findall(text)


# --- parsing --------------------------------------------------------------------------------------

_FENCE = re.compile(r"```[ \t]*(?:json[c5]?|JSON)?[ \t]*\r?\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def extract_json(content: str) -> str:
    """The JSON inside a model's answer: the answer itself, a fenced block, or the first object.

    Reasoning blocks (``<think>...</think>``) are dropped. When nothing JSON-like is found the text
    is returned as is, so that the caller's validation reports what the model actually wrote.
    """
    text = content.strip()
    if text.startswith(("{", "[")):
        return text
    if "<think>" in text.lower():
        text = _THINK.sub("", text).strip()
        if text.startswith(("{", "[")):
            return text
    for match in _FENCE.finditer(text):
        candidate = match.group(1).strip()
        if candidate.startswith(("{", "[")):
            return candidate
    start = text.find("{")
    if start < 0:
        return text
    end: int
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        last = text.rfind("}")
        return text[start : last + 1] if last > start else text[start:]
    return text[start:end]


def parse(content: str, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Parse a model's answer into ``model``; on failure, problems a model can fix."""
    text = extract_json(content)
    try:
        return model.model_validate_json(text), []
    except ValidationError as error:
        return None, schema_problems(error)
    except json.JSONDecodeError as error:  # pragma: no cover - pydantic wraps these
        return None, [Problem("json.invalid", "", f"the answer is not valid JSON: {error}")]


def schema_problems(error: ValidationError) -> list[Problem]:
    """pydantic errors as problems with JSON paths (``key_points[2].evidence``)."""
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        if item["type"] == "json_invalid":
            problems.append(
                Problem(
                    "json.invalid",
                    "",
                    "the answer is not valid JSON "
                    f"({item['msg']}); answer with exactly one complete JSON object",
                )
            )
            continue
        path = _json_path(item["loc"])
        problems.append(Problem(f"schema.{item['type']}", path, f"{item['msg']}"))
    return problems


def _json_path(location: Sequence[int | str]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(root)"


# --- checks ---------------------------------------------------------------------------------------


def check(draft: SummaryDraft | ArticleSummary, document: Document) -> list[Problem]:
    """Every problem of ``draft`` against ``document``: content checks plus translation alignment.

    Fields an engine legitimately leaves ``None`` (the offline engine has no translation or
    headline) are not problems here; ``meta.status`` explains them.
    """
    problems = check_content(draft, document)
    if draft.translation is not None:
        problems.extend(
            check_translation(
                draft.translation.paragraphs_en,
                [paragraph.text for paragraph in document.paragraphs],
            )
        )
    return problems


def check_content(
    draft: SummaryDraft | ArticleSummary | BaseModel, document: Document
) -> list[Problem]:
    """All checks except the translation's (used alone when the translation is made in chunks).

    Accepts any model with ``SummaryDraft``'s content fields.
    """
    source = document.text
    problems: list[Problem] = []
    add = problems.append
    headline = getattr(draft, "headline_en", None)
    summary = getattr(draft, "summary_en", None)

    for path, value in (("headline_en", headline), ("summary_en", summary)):
        if value is not None:
            problems.extend(_english(path, value))
    if summary is not None and summary.strip():
        count = _sentence_count(summary)
        low, high = SUMMARY_SENTENCES
        if not low <= count <= high:
            add(
                Problem(
                    "summary.sentences",
                    "summary_en",
                    f"has {count} sentence{'s' if count != 1 else ''}; write {low} to {high}",
                    "warning",
                )
            )

    key_points = getattr(draft, "key_points", [])
    is_model_draft = isinstance(draft, SummaryDraft) or not isinstance(draft, ArticleSummary)
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
            problems.extend(_english(f"{base}.text_en", point.text_en))
        problems.extend(_evidence(f"{base}.evidence", point.evidence, source))

    for index, person in enumerate(getattr(draft, "people", [])):
        base = f"people[{index}]"
        if not person.name_as_written.strip():
            add(Problem("empty", f"{base}.name_as_written", "is empty; copy the name as written"))
        elif not occurs_in(person.name_as_written, source):
            add(
                Problem(
                    "name.not_in_source",
                    f"{base}.name_as_written",
                    f"{_quote(person.name_as_written)} does not occur in the article; copy the "
                    "name exactly as the article writes it, or drop the person if not named",
                )
            )
        for field_name in ("name_en", "role_en", "organization_en"):
            value = getattr(person, field_name)
            if value is not None:
                problems.extend(_english(f"{base}.{field_name}", value))

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
                        f"{_quote(entity.name_as_written)} does not occur in the article",
                        "warning",
                    )
                )
            if entity.name_en is not None:
                problems.extend(_english(f"{base}.name_en", entity.name_en))

    for index, event in enumerate(getattr(draft, "events", [])):
        base = f"events[{index}]"
        if event.description_en is not None:
            problems.extend(_english(f"{base}.description_en", event.description_en))
        if event.date_iso is not None and not _ISO_DATE.match(event.date_iso):
            add(
                Problem(
                    "date.format",
                    f"{base}.date_iso",
                    f"{_quote(event.date_iso)} is not YYYY, YYYY-MM or YYYY-MM-DD; fix it or use "
                    "null",
                )
            )

    topics = getattr(draft, "topics", [])
    for index, topic in enumerate(topics):
        problems.extend(_english(f"topics[{index}]", topic))
    if topics and not TOPICS[0] <= len(topics) <= TOPICS[1]:
        add(
            Problem(
                "topics.count",
                "topics",
                f"has {len(topics)} items; give {TOPICS[0]} to {TOPICS[1]}",
                "warning",
            )
        )
    return problems


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
        found = _english(f"{path}[{index}]", paragraph)
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


# --- helpers --------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_SENTENCE_END = re.compile(r"[.!?。！？]+[\"'”’)]*(?=\s|$)")
_ABBREVIATION_DOT = re.compile(
    r"\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|No|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Gov|Sen|Rep|Co|Inc|Ltd|vs)\."
)


def _sentence_count(text: str) -> int:
    """Sentences in English text (abbreviations like "U.S." and "Dr." do not end one)."""
    cleaned = _ABBREVIATION_DOT.sub("X", text.strip())
    ends = len(_SENTENCE_END.findall(cleaned))
    trailing = not _SENTENCE_END.search(cleaned[-3:]) if cleaned else False
    return ends + (1 if trailing else 0)


def _english(path: str, value: str) -> list[Problem]:
    if not value or value.isspace():
        return [Problem("empty", path, "is empty; write it in English")]
    runs = han_runs(value)
    if not runs:
        return []
    shown = ", ".join(_quote(run) for run in runs[:5])
    return [
        Problem(
            "english.untranslated",
            path,
            f"contains untranslated Chinese ({shown}); write it entirely in English, without "
            "Chinese characters even in parentheses (romanize names in Hanyu Pinyin)",
        )
    ]


def _evidence(path: str, evidence: str, source: str) -> Iterator[Problem]:
    needle = normalize_for_match(evidence)
    if not needle:
        yield Problem("empty", path, "is empty; copy the supporting span from the article")
        return
    if _ELLIPSIS.search(evidence) and needle not in _normalized_source(source):
        yield Problem(
            "evidence.ellipsis",
            path,
            "uses an ellipsis to join pieces; quote one contiguous span of the article",
        )
        return
    if needle not in _normalized_source(source):
        yield Problem(
            "evidence.not_in_source",
            path,
            f"{_quote(_clip(evidence))} does not occur in the article; copy a span of the article "
            "character for character (no paraphrase, no translation, no ellipsis)",
        )
        return
    if len(needle) < MIN_EVIDENCE_CHARS:
        yield Problem(
            "evidence.too_short",
            path,
            f"{_quote(evidence)} is too short to support the point; quote the whole clause or "
            "sentence",
        )


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
