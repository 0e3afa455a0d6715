"""Semantic checks of a summary against its source, one small checker per section.

Shared by the engine and the eval harness.

The engine sends ``error`` problems back to the model (re-ask), so every ``Problem.message`` is
written as an instruction a model can act on; eval uses the same checks to measure grounding.

What is checked, and the decisions behind it:

* **Evidence is grounded**: each ``key_points[i].evidence`` must occur in the article. The
  comparison is on a normalized form of both texts (NFKC, so full-width and half-width forms
  match; quote, dash and full-stop variants unified; all whitespace and ``[P<n>]`` paragraph
  markers removed; case folded), which forgives copying noise but not paraphrase or ellipses.
  Evidence shorter than ``MIN_EVIDENCE_CHARS`` normalized characters is an error: a two-character
  "quote" matches almost any article and supports nothing.
* **English fields hold no control characters** (ESC, BEL...: escape sequences in a terminal)
  **and no Chinese**: zero tolerance for Han characters in any ``*_en`` field,
  topic, event description and translation paragraph, *including* Chinese in parentheses after an
  English term. Readers of those fields do not read Chinese, and the original forms have their own
  fields (``*_as_written``, ``evidence``).
* **The translation is aligned and complete**: exactly one non-empty English paragraph per source
  paragraph; a paragraph with fewer English characters than half its source's Chinese characters
  (English needs 2-3 per Chinese character) is an error (something was left out), under one per
  Chinese character a warning. Paragraphs under 20 Chinese characters are not length-checked.
* **Everything "as written" is written**: people's names and roles, organizations', places' and
  dates' ``*_as_written`` must occur in the article (same normalization as evidence); a miss is an
  error. A Chinese person's ``name_en`` must have the name's surname romanized (pinyin,
  Wade-Giles, Cantonese, common dialect spellings) and a given name that is the name's too or a
  Western one ("Carrie Lam"), never another name's syllables (``summarizer.text.romanization``);
  if the model insists, the person stays with ``name_en`` null. An event's ``date_iso`` must
  agree with the date the code resolves for its ``date_as_written`` (the value the prompt gave
  the model), or where the year is unknown keep its month and day, the year noted in
  ``meta.status`` as the model's; without ``date_as_written`` it must be one of the article's
  dates, else it becomes null if the model insists (``events``).
* **Headline and summary are supported**: names that read as romanized Chinese names must be a
  result's ``name_en`` or the article's; four-digit years must be the article's (``summary``).
* **After the last re-ask** the items and texts still failing those checks are dropped (an
  unconfirmed ``name_en`` alone becomes null), each noted in ``meta.status`` (``salvage``); other
  errors fail the article.
* **Shape**: empty strings are errors; ``summary_en`` outside 2-4 sentences, key points outside
  3-7 and topics outside 3-6 are warnings (short articles make those counts unreasonable, and a
  re-ask costs a full call).
* ``date_iso`` must look like ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

Each section has its own module (``summary``, ``key_points``, ``entities``, ``events``, ``topics``,
``translation``); ``check_content`` runs them in the order of the schema's fields. Everything is
plain string work on a per-text cached normalized source (``summarizer.text.matching``) and the
article's ``SourceFacts`` (``facts``, made once per article): a check of the seed article's draft
with 13 people takes about 5 ms; the first in a process also loads the pinyin and Cantonese
tables (about 1.5 s on a loaded machine).
"""

from __future__ import annotations

from pydantic import BaseModel

from summarizer.engines.parsing import Problem, Severity, describe, errors, parse, schema_problems
from summarizer.engines.validation.entities import (
    check_organizations_and_places,
    check_people,
)
from summarizer.engines.validation.events import check_events
from summarizer.engines.validation.facts import SourceFacts, source_facts
from summarizer.engines.validation.key_points import (
    KEY_POINTS,
    MIN_EVIDENCE_CHARS,
    check_key_points,
)
from summarizer.engines.validation.salvage import all_droppable, drop_failing
from summarizer.engines.validation.summary import SUMMARY_SENTENCES, check_summary
from summarizer.engines.validation.topics import TOPICS, check_topics
from summarizer.engines.validation.translation import check_translation
from summarizer.schema import ArticleSummary, SummaryDraft
from summarizer.text.document import Document


def check(
    draft: SummaryDraft | ArticleSummary, document: Document, facts: SourceFacts | None = None
) -> list[Problem]:
    """Every problem of ``draft`` against ``document``: content checks plus translation alignment.

    Fields an engine legitimately leaves ``None`` (the offline engine has no translation or
    headline) are not problems here; ``meta.status`` explains them. ``facts``: what the code
    resolved from the article (``source_facts``; made from ``document`` when not given).
    """
    problems = check_content(draft, document, facts)
    if draft.translation is not None:
        problems.extend(
            check_translation(
                draft.translation.paragraphs_en,
                [paragraph.text for paragraph in document.paragraphs],
            )
        )
    return problems


def check_content(
    draft: SummaryDraft | ArticleSummary | BaseModel,
    document: Document,
    facts: SourceFacts | None = None,
) -> list[Problem]:
    """All checks except the translation's (used alone when the translation is made in chunks).

    Accepts any model with ``SummaryDraft``'s content fields.
    """
    source = document.text
    if facts is None:
        facts = source_facts(document)
    is_model_draft = isinstance(draft, SummaryDraft) or not isinstance(draft, ArticleSummary)
    return [
        *check_summary(draft, source, facts),
        *check_key_points(draft, source, is_model_draft=is_model_draft),
        *check_people(draft, source),
        *check_organizations_and_places(draft, source),
        *check_events(draft, source, facts),
        *check_topics(draft),
    ]


__all__ = [
    "KEY_POINTS",
    "MIN_EVIDENCE_CHARS",
    "SUMMARY_SENTENCES",
    "TOPICS",
    "Problem",
    "Severity",
    "SourceFacts",
    "all_droppable",
    "check",
    "check_content",
    "check_translation",
    "describe",
    "drop_failing",
    "errors",
    "parse",
    "schema_problems",
    "source_facts",
]
