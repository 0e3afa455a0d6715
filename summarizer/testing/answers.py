"""The fake model's answers: one builder for every test that needs a model to answer well.

``answering()`` is a ``ScriptedOpenAIServer`` handler that reads the article out of the request
(the fenced, numbered paragraphs the engine sends) and answers whatever the request asks for. What
is asked for is read from the response schema itself, not from prompt wording: the schema's name
in ``response_format`` (strict mode), the fields of a schema sent with JSON mode, else the schema
text or the field guide the engine put in the prompt. A prompt can be reworded freely; an
unrecognised request fails loudly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from summarizer.testing.server import RecordedRequest, Reply

FENCED = re.compile(r"<<<ARTICLE ([0-9a-f]{16})>>>\n(.*?)\n<<<END ARTICLE \1>>>", re.DOTALL)
PARAGRAPH_LINE = re.compile(r"^\[P(\d+)\] (.*)$", re.MULTILINE)
ENGLISH_PARAGRAPH = re.compile(r"English paragraph (\d+)\.")
#: (prompt, completion) tokens reported with every answer.
USAGE = (100, 40)

#: What a fake answer can be: a change that edits the answer dict, or returns a ``Reply`` instead.
Change = Callable[[dict[str, Any]], Any]


def asked_for(request: RecordedRequest) -> str:
    """What the request asks for: ``SummaryDraft``, ``SummaryOutline`` or ``ChunkTranslation``.

    Read from the schema sent (``json_schema``'s name, or the fields of a schema sent with
    ``json_object``), else from the schema text or the field guide in the prompt.
    """
    from summarizer.engines.openai import SENT_MODELS, response_schema

    response_format = request.response_format
    if response_format and response_format.get("type") == "json_schema":
        return str(response_format["json_schema"]["name"])
    if response_format and isinstance(response_format.get("schema"), dict):
        return _named_by_fields(set(response_format["schema"].get("properties", {})))
    prompt = "\n".join(str(message.get("content")) for message in request.messages)
    for model in SENT_MODELS:
        if response_schema(model)[1] in prompt:
            return model.__name__
    guide_fields = set(re.findall(r"^- (\w+) \(", prompt, re.MULTILINE))
    if guide_fields & {"translation", "headline_en", "paragraphs_en"}:
        return _named_by_fields(guide_fields)
    raise AssertionError("the request carries none of the engine's response schemas")


def _named_by_fields(fields: set[str]) -> str:
    if "translation" in fields:
        return "SummaryDraft"
    if "headline_en" in fields:
        return "SummaryOutline"
    if "paragraphs_en" in fields:
        return "ChunkTranslation"
    raise AssertionError(f"a schema with unknown fields: {sorted(fields)}")


def article_paragraphs(request: RecordedRequest) -> list[tuple[int, str]]:
    """The ``(number, text)`` paragraphs of the article in the request's first user message."""
    first_user = next(m["content"] for m in request.messages if m["role"] == "user")
    fenced = FENCED.search(first_user)
    if fenced is None:
        raise AssertionError("the article is not fenced")
    return [(int(number), text) for number, text in PARAGRAPH_LINE.findall(fenced.group(2))]


def english(number: int, text: str) -> str:
    """A stand-in translation of paragraph ``number``, as long as a real one would be."""
    return f"English paragraph {number}." + " Words." * len(text)


def paragraph_numbers(paragraphs_en: list[str]) -> list[int]:
    """The paragraph numbers ``english`` wrote into ``paragraphs_en`` (to check order)."""
    return [int(match.group(1)) for p in paragraphs_en if (match := ENGLISH_PARAGRAPH.match(p))]


def good_answer(request: RecordedRequest) -> dict[str, Any]:
    """A valid answer to ``request``: evidence copied from its article, one paragraph each."""
    paragraphs = article_paragraphs(request)
    translation = [english(number, text) for number, text in paragraphs]
    wanted = asked_for(request)
    if wanted == "ChunkTranslation":
        return {"paragraphs_en": translation}
    first = paragraphs[0][1]
    answer: dict[str, Any] = {
        "headline_en": "District committee holds a planning meeting",
        "summary_en": "The district committee met to plan next year. Leaders spoke.",
        "key_points": [
            {"text_en": f"Point {index}.", "evidence": first[index : index + 8]}
            for index in range(3)
        ],
        "people": [],
        "organizations": [],
        "places": [],
        # No date: the article may state none, and a date_iso without one is re-asked.
        "events": [{"date_as_written": None, "date_iso": None, "description_en": "A meeting."}],
        "topics": ["politics", "planning", "local government"],
    }
    if wanted == "SummaryDraft":
        answer["translation"] = {"paragraphs_en": translation}
    return answer


def answering(
    change: Change | None = None, *, usage: tuple[int, int] = USAGE
) -> Callable[[RecordedRequest], Reply]:
    """A handler answering well, after ``change`` (which may edit the answer or return a Reply)."""
    return bad_then_good(change, times=-1, usage=usage) if change else _plain(usage)


def bad_then_good(
    break_answer: Change | None, times: int = 1, *, usage: tuple[int, int] = USAGE
) -> Callable[[RecordedRequest], Reply]:
    """``times`` answers changed by ``break_answer`` (all of them when negative), then good ones."""
    calls = 0

    def handler(request: RecordedRequest) -> Reply:
        nonlocal calls
        calls += 1
        answer = good_answer(request)
        if break_answer is not None and (times < 0 or calls <= times):
            replaced = break_answer(answer)
            if isinstance(replaced, Reply):
                return replaced
        return Reply.json(answer, usage=usage)

    return handler


def _plain(usage: tuple[int, int]) -> Callable[[RecordedRequest], Reply]:
    def handler(request: RecordedRequest) -> Reply:
        return Reply.json(good_answer(request), usage=usage)

    return handler


#: How real servers word a refusal for length, by server; ``{prompt}``, ``{window}`` and
#: ``{total}`` (prompt + answer cap) are filled in.
CONTEXT_REFUSALS: dict[str, tuple[int, str]] = {
    "llama-server": (
        400,
        "request ({prompt} tokens) exceeds the available context size ({window} tokens), "
        "try increasing it",
    ),
    "vllm": (
        400,
        "This model's maximum context length is {window} tokens. However, you requested "
        "{total} tokens ({prompt} in the messages, {cap} in the completion). Please reduce the "
        "length of the messages or completion.",
    ),
    "llama-cpp-python": (400, "Requested tokens ({prompt}) exceed context window of {window}"),
}


def counting_tokens(
    handler: Callable[[RecordedRequest], Reply],
    *,
    window: int,
    tokens_per_estimate: float,
    server: str = "llama-server",
) -> Callable[[RecordedRequest], Reply]:
    """``handler`` behind a context window counted by a tokenizer other than the library's
    estimate: the prompt costs ``tokens_per_estimate`` times the estimate (a byte-level or
    Llama-2-style vocabulary spends 2–3 tokens on a CJK character), and a request whose prompt
    (plus, for vLLM, its answer cap) exceeds ``window`` is refused in ``server``'s own words."""
    status, wording = CONTEXT_REFUSALS[server]

    def handler_with_window(request: RecordedRequest) -> Reply:
        from summarizer.engines.client import estimate_prompt_tokens

        body = request.json if isinstance(request.json, dict) else {}
        prompt = round(estimate_prompt_tokens(body) * tokens_per_estimate)
        cap = body.get("max_completion_tokens") or body.get("max_tokens") or 0
        counted = prompt + (cap if server == "vllm" and isinstance(cap, int) else 0)
        if counted > window:
            message = wording.format(prompt=prompt, window=window, total=prompt + cap, cap=cap)
            return Reply.error(status, message, type="invalid_request_error")
        return handler(request)

    return handler_with_window
