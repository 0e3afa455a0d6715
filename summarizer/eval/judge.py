"""Optional LLM-as-judge: rubric scores of an output, through the same client as the engines.

The judge model writes only scores (integers 1-5) and rationales, in a strict schema. Whether an
output *passes* is decided here, in code, from those scores (mean >= ``threshold`` and no criterion
below ``floor``): a judge that writes its own verdict, an extra field, or a score outside 1-5 has
answered outside the schema and is re-asked, then rejected. Judge scores are a noisy signal; they
are reported next to the reference-based and reference-free metrics, never instead of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient
from summarizer.engines.parsing import Problem, describe, parse
from summarizer.engines.prompts import article_fence, load_template
from summarizer.errors import OutputValidationError
from summarizer.eval.metrics import JUDGE_CRITERIA
from summarizer.schema import ArticleSummary, StrictModel, TokenUsage, strict_json_schema

CRITERIA = JUDGE_CRITERIA
DEFAULT_THRESHOLD = 3.5
DEFAULT_FLOOR = 2


class CriterionScore(StrictModel):
    score: int = Field(description="Integer from 1 (very poor) to 5 (excellent).")
    rationale: str = Field(description="One or two sentences naming the problem found, or none.")


class JudgeVerdict(StrictModel):
    """What the judge model writes: scores only, no pass/fail."""

    faithfulness: CriterionScore
    coverage: CriterionScore
    translation_fidelity: CriterionScore
    fluency: CriterionScore


@dataclass(frozen=True)
class JudgeResult:
    scores: dict[str, int]
    rationales: dict[str, str]
    mean: float
    passed: bool
    usage: TokenUsage
    latency_ms: float
    reasks: int

    def metrics(self) -> dict[str, float]:
        values = {f"judge.{name}": float(score) for name, score in self.scores.items()}
        values["judge.mean"] = self.mean
        values["judge.pass"] = 1.0 if self.passed else 0.0
        return values


def range_problems(verdict: JudgeVerdict) -> list[Problem]:
    problems = []
    for name in CRITERIA:
        score = getattr(verdict, name).score
        if not 1 <= score <= 5:
            problems.append(
                Problem("judge.range", f"{name}.score", f"is {score}; give an integer from 1 to 5")
            )
    return problems


def decide(scores: dict[str, int], *, threshold: float, floor: int) -> tuple[float, bool]:
    """The pass rule, applied in code: mean at least ``threshold`` and no score below ``floor``."""
    mean = sum(scores.values()) / len(scores)
    return mean, mean >= threshold and min(scores.values()) >= floor


def _fixed(messages: list[dict[str, str]]) -> Callable[[str], list[dict[str, Any]]]:
    """The same messages whatever structured-output mode the client settles on."""

    def build(_capability: str) -> list[dict[str, Any]]:
        return list(messages)

    return build


def output_for_judge(summary: ArticleSummary) -> str:
    """The parts of an output the judge reads (no meta, no source block)."""
    payload: dict[str, Any] = {
        "headline_en": summary.headline_en,
        "summary_en": summary.summary_en,
        "key_points": [point.text_en for point in summary.key_points],
        "translation_paragraphs_en": summary.translation.paragraphs_en
        if summary.translation
        else None,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


async def judge(
    summary: ArticleSummary,
    article: str,
    config: ModelConfig,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    floor: int = DEFAULT_FLOOR,
    client: ChatClient | None = None,
    prompt_version: str = "latest",
) -> JudgeResult:
    """Score ``summary`` of ``article`` with the judge model (raises ``SummarizerError``)."""
    template = load_template("judge", prompt_version)
    output = output_for_judge(summary)
    fence = article_fence(article + "\n" + output)
    base = template.render(fence=fence, article=article, output=output)
    schema = strict_json_schema(JudgeVerdict)
    owned = client is None
    chat = client or ChatClient(config)
    usage, latency, history = TokenUsage(), 0.0, list(base)
    try:
        for attempt in range(config.max_reasks + 1):
            completion = await chat.complete(
                _fixed(list(history)), schema_name="JudgeVerdict", schema=schema
            )
            usage = usage + completion.usage
            latency += completion.latency_ms
            verdict, problems = parse(completion.content, JudgeVerdict)
            if verdict is not None:
                problems = range_problems(verdict)
            if verdict is not None and not problems:
                scores = {name: getattr(verdict, name).score for name in CRITERIA}
                rationales = {name: getattr(verdict, name).rationale for name in CRITERIA}
                mean, passed = decide(scores, threshold=threshold, floor=floor)
                return JudgeResult(scores, rationales, mean, passed, usage, latency, attempt)
            history += [
                {"role": "assistant", "content": completion.content},
                {"role": "user", "content": template.render_reask(problems=describe(problems))},
            ]
        raise OutputValidationError(
            f"the judge model's answer stayed invalid after {config.max_reasks} re-asks: "
            f"{describe(problems)}",
            problems=[str(p) for p in problems],
        )
    finally:
        if owned:
            await chat.aclose()
