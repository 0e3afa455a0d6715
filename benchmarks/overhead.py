"""What the library adds on top of a bare SDK call, per article (``python benchmarks/overhead.py``).

One run, one scripted server with zero latency, the same canned answer for every request, and the
paths measured interleaved (round-robin) so that machine noise hits them alike:

* ``bare``: ``AsyncOpenAI.chat.completions.create`` with the same messages and response format the
  engine sends, then ``SummaryDraft.model_validate_json`` on the answer. The floor.
* ``engine``: ``OpenAIEngine.summarize(document, analysis)`` on a prepared article, warm client:
  prompt rendering, the client's request building and ledger, parsing, ``validate`` checks and
  assembling the ``ArticleSummary``. ``engine - bare`` is the library's model-path overhead; the
  target is under 2 ms.
* ``asummarize``: the full async front door on raw text (adds ``prepare`` and ``analyze``).
* ``summarize (sync)``: the sync front door, which runs a new event loop (and so a new HTTP client
  and connection) per call.
* ``prepare`` and ``analyze`` alone, since they are part of every ``summarize`` call.

The HTTP round trip to 127.0.0.1 is in every model path, so differences are what matter.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import openai

import summarizer
from summarizer.config import ModelConfig, Secret
from summarizer.engines.openai import OpenAIEngine
from summarizer.schema import SummaryDraft, strict_json_schema
from summarizer.testing import Reply, ScriptedOpenAIServer
from summarizer.text import analyze, prepare
from summarizer.text.document import Document

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"


def canned_answer(document: Document) -> dict[str, Any]:
    """A valid SummaryDraft for ``document``: exact evidence, one paragraph per paragraph."""
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    longest = max(paragraphs, key=len)
    return {
        "headline_en": "Tongzhou district committee holds its annual brainstorming meeting",
        "summary_en": (
            "The district committee met to discuss the 15th Five-Year Plan period. "
            "Leaders reported research results and set goals for next year."
        ),
        "key_points": [
            {
                "text_en": f"Key point {index + 1}.",
                "evidence": longest[index * 10 : index * 10 + 20],
            }
            for index in range(5)
        ],
        "people": [],
        "organizations": [],
        "places": [],
        "events": [
            {"date_as_written": None, "date_iso": None, "description_en": "The meeting was held."}
        ],
        "topics": ["local government", "planning", "economy"],
        "translation": {
            "paragraphs_en": [
                f"English translation of paragraph {number}, " + "words " * (len(text) // 3)
                for number, text in enumerate(paragraphs, start=1)
            ]
        },
    }


async def measure(
    paths: Mapping[str, Callable[[], Awaitable[object]]], rounds: int
) -> dict[str, list[float]]:
    """Milliseconds per call of each path, measured round-robin."""
    timings: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, call in paths.items():
            started = time.perf_counter()
            await call()
            timings[name].append((time.perf_counter() - started) * 1000.0)
    return timings


def sync_timings(call: Callable[[], object], rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000.0)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="rounds of the model-only paths")
    parser.add_argument(
        "--full-rounds", type=int, default=20, help="rounds of the paths that include text handling"
    )
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    text = SEED.read_text(encoding="utf-8")
    document = prepare(text)
    analysis = analyze(document)
    answer = Reply.json(canned_answer(document), usage=(2500, 1500))

    with ScriptedOpenAIServer(latency=0.0) as server:
        server.set_handler(lambda request: answer)
        config = ModelConfig(
            model="bench-model",
            base_url=server.base_url,
            api_key=Secret("sk-bench-0000000000"),
            capability="json_schema",
        )
        engine = OpenAIEngine(config)
        # The exact messages and response format the engine sends, for the bare call.
        messages = engine.render_messages(document, analysis, "json_schema")
        response_format: Any = {
            "type": "json_schema",
            "json_schema": {
                "name": "SummaryDraft",
                "schema": strict_json_schema(SummaryDraft),
                "strict": True,
            },
        }

        async def run_async() -> dict[str, list[float]]:
            bare_client = openai.AsyncOpenAI(
                base_url=server.base_url, api_key="sk-bench-0000000000", max_retries=0
            )

            async def bare() -> SummaryDraft:
                response = await bare_client.chat.completions.create(
                    model="bench-model",
                    messages=messages,  # type: ignore[arg-type]
                    response_format=response_format,
                    temperature=0.0,
                )
                return SummaryDraft.model_validate_json(response.choices[0].message.content or "")

            async def via_engine() -> object:
                return await engine.summarize(document, analysis)

            async def via_asummarize() -> object:
                return await summarizer.asummarize(text, engine=engine)

            async def text_prepare() -> object:
                return prepare(text)

            async def text_analyze() -> object:
                return analyze(document)

            model_paths = {"bare SDK call + parse": bare, "engine.summarize (warm)": via_engine}
            full_paths = {
                "asummarize (prepare+analyze+engine)": via_asummarize,
                "prepare (text repair)": text_prepare,
                "analyze": text_analyze,
            }
            await measure(model_paths, args.warmup)
            timings = await measure(model_paths, args.rounds)
            await measure(full_paths, 1)
            timings.update(await measure(full_paths, args.full_rounds))
            await bare_client.close()
            await engine.aclose()
            return timings

        timings = asyncio.run(run_async())
        sync_rounds = args.full_rounds
        summarizer.summarize(text, engine=engine)  # warm
        timings["summarize (sync, new loop per call)"] = sync_timings(
            lambda: summarizer.summarize(text, engine=engine), sync_rounds
        )
        requests = server.request_count

    print(f"article: {SEED.name}: {len(text)} chars, {len(document.paragraphs)} paragraphs")
    print(
        f"rounds: {args.rounds} model-only, {args.full_rounds} with text handling; "
        f"requests served: {requests}\n"
    )
    print(f"{'path':<40} {'median ms':>10} {'mean ms':>10} {'p90 ms':>10}")
    medians: dict[str, float] = {}
    for name, values in timings.items():
        values.sort()
        medians[name] = statistics.median(values)
        p90 = values[int(len(values) * 0.9) - 1]
        print(f"{name:<40} {medians[name]:>10.3f} {statistics.fmean(values):>10.3f} {p90:>10.3f}")

    bare_ms = medians["bare SDK call + parse"]
    engine_ms = medians["engine.summarize (warm)"]
    full_ms = medians["asummarize (prepare+analyze+engine)"]
    print()
    print(
        f"engine overhead over bare call: {engine_ms - bare_ms:+.3f} ms per article "
        f"(x{engine_ms / bare_ms:.2f}); target < 2 ms"
    )
    print(
        f"full async path over bare call: {full_ms - bare_ms:+.3f} ms per article "
        f"(x{full_ms / bare_ms:.2f}), of which prepare {medians['prepare (text repair)']:.3f} ms "
        f"and analyze {medians['analyze']:.3f} ms"
    )


if __name__ == "__main__":
    main()
