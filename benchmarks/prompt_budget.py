"""Prompt tokens of the seed article's first summarize request, by part.

Parts: instructions (system + user text outside the other parts), notes (the NOTES block), field
guide or schema (what tells the model the fields), article (the ARTICLE block). Counted with the
library's one token estimate, for each capability, so before/after runs of this script compare.
``shared``: tokens of the longest prefix this request has in common with the request for another
article (the seed's first half: other text, fewer paragraphs), i.e. what a server that caches
prompt prefixes (llama-server, vLLM, OpenAI) need not evaluate again for the next article.

    PYTHONPATH=$PWD python benchmarks/prompt_budget.py [article] [--server PROFILE]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from summarizer.api import prepare_article
from summarizer.config import ModelConfig
from summarizer.engines.openai import OpenAIEngine, response_schema
from summarizer.engines.tokens import estimate_tokens
from summarizer.schema import SummaryDraft

SEED = Path(__file__).resolve().parents[1] / "examples" / "tongzhou_2025-12-13_scraped.txt"


def _block(text: str, name: str) -> str:
    match = re.search(rf"<<<{name} \w+>>>\n.*?<<<END {name} \w+>>>", text, re.DOTALL)
    return match.group(0) if match else ""


def main() -> None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    server = sys.argv[sys.argv.index("--server") + 1] if "--server" in sys.argv else None
    if server:
        args = [arg for arg in args if arg != server]
    path = Path(args[0]) if args else SEED
    options: dict[str, object] = {"server": server} if server else {}
    engine = OpenAIEngine(ModelConfig(model="m", base_url="http://127.0.0.1:9/v1", **options))  # type: ignore[arg-type]
    raw = path.read_bytes()
    document, analysis = prepare_article(raw, thorough=False)
    other_text = raw.decode("utf-8", "replace")
    other_document, other_analysis = prepare_article(
        other_text[: len(other_text) // 2].encode(), thorough=False
    )
    guides = [response_schema(SummaryDraft)[1]]
    try:  # the field guide exists from issue 9 on
        from summarizer.engines.openai import request_schema

        guides.insert(0, request_schema(SummaryDraft, len(document.paragraphs)).guide)
    except ImportError:
        pass
    try:  # prompts from summarize/v3 on show the guide without per-request counts
        from summarizer.engines.fieldguide import without_request_counts

        guides += [without_request_counts(guide) for guide in guides if guide]
    except ImportError:
        pass
    header = ("capability", "instructions", "notes", "fields", "article", "total", "shared")
    print("{:<12} {:>12} {:>6} {:>7} {:>8} {:>6} {:>7}".format(*header))
    for capability in ("json_schema", "json_object", "prompt"):
        messages = engine.render_messages(document, analysis, capability)
        text = "".join(message["content"] for message in messages)
        user = messages[-1]["content"]
        article = _block(user, "ARTICLE")
        notes = _block(user, "NOTES")
        guide = next((candidate for candidate in guides if candidate and candidate in text), "")
        rest = text.replace(article, "").replace(notes, "").replace(guide, "")
        parts = [estimate_tokens(part) for part in (rest, notes, guide, article)]
        other = engine.render_messages(other_document, other_analysis, capability)
        shared = estimate_tokens(_common_prefix(_as_sent(messages), _as_sent(other)))
        row = (capability, *parts, sum(parts), shared)
        print("{:<12} {:>12} {:>6} {:>7} {:>8} {:>6} {:>7}".format(*row))


def _as_sent(messages: list[dict[str, str]]) -> str:
    """The messages in the order a chat template lays them out (roles between contents)."""
    return "".join(f"<{message['role']}>{message['content']}" for message in messages)


def _common_prefix(first: str, second: str) -> str:
    for index, (a, b) in enumerate(zip(first, second, strict=False)):
        if a != b:
            return first[:index]
    return first[: min(len(first), len(second))]


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("prompt_budget"):
        main()
