"""What the library adds on top of a bare SDK call, per article (``python benchmarks/overhead.py``).

One run, one scripted server with zero latency, the same canned answer for every request, and the
paths measured interleaved (round-robin) so that machine noise hits them alike:

* ``bare``: ``AsyncOpenAI.chat.completions.create`` with the same messages and response format the
  engine sends, then ``SummaryDraft.model_validate_json`` on the answer. The floor.
* ``client``: ``ChatClient.complete`` with the same messages, then the same parse: the transport
  layer's share (retry loop, capability ladder, attempt ledger).
* ``engine``: ``OpenAIEngine.summarize(document, analysis)`` on a prepared article, warm client:
  prompt rendering, the client's request building and ledger, parsing, ``validate`` checks and
  assembling the ``ArticleSummary``. ``engine - bare`` is the library's model-path overhead; the
  target is under 2 ms.
* ``engine, instant client``: the engine with a client that answers at once, against parsing
  alone: the engine's own CPU per article with no network noise at all.
* ``control``: a bare call followed by the instant-client engine: the same work as ``engine`` done
  as two separate steps. When ``engine`` and ``control`` agree, the gap to ``bare`` is the
  engine's CPU as this (shared, busy) machine schedules it, not something hidden in the call.
* ``asummarize``: the full async front door on raw text (adds ``prepare`` and ``analyze``).
* ``summarize (sync)``: the sync front door, which runs a new event loop (and so a new HTTP client
  and connection) per call.
* ``prepare`` and ``analyze`` alone, since they are part of every ``summarize`` call.

The HTTP round trip to 127.0.0.1 is in every model path, so differences are what matter. The server
runs in a child process: in the same process its thread would compete for the GIL (whose switch
interval is 5 ms) with the code being measured, and inflate whichever path does more Python work.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import openai

import summarizer
from summarizer.config import ModelConfig, Secret
from summarizer.engines.client import ChatClient, Completion
from summarizer.engines.openai import OpenAIEngine
from summarizer.schema import AttemptRecord, SummaryDraft, TokenUsage, strict_json_schema
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


def serve(connection: Any, answer_json: str) -> None:
    """Child process: serve ``answer_json`` to every chat request until told to stop."""
    reply = Reply.json(answer_json, usage=(2500, 1500))
    with ScriptedOpenAIServer(latency=0.0) as server:
        server.set_handler(lambda request: reply)
        connection.send(server.base_url)
        connection.recv()
        connection.send(server.request_count)


class InstantClient(ChatClient):
    """A client whose every call returns the canned answer at once: isolates the engine's CPU."""

    answer = ""

    async def complete(
        self,
        build_messages: Callable[[str], list[dict[str, Any]]],
        *,
        schema_name: str,
        schema: dict[str, Any],
        max_output_tokens: int | None = None,
    ) -> Completion:
        build_messages(self.capability)
        return Completion(
            content=self.answer,
            capability=self.capability,
            usage=TokenUsage(prompt_tokens=2500, completion_tokens=1500, total_tokens=4000),
            latency_ms=0.0,
            attempts=[AttemptRecord(status_code=200, capability=self.capability)],
        )


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
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after loading (keeps the dictionaries out of every full collection)",
    )
    args = parser.parse_args()

    text = SEED.read_text(encoding="utf-8")
    document = prepare(text)
    analysis = analyze(document, thorough=OpenAIEngine.thorough_analysis)
    answer_json = json.dumps(canned_answer(document), ensure_ascii=False)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    parent_end, child_end = multiprocessing.get_context("spawn").Pipe()
    server_process = multiprocessing.get_context("spawn").Process(
        target=serve, args=(child_end, answer_json), daemon=True
    )
    server_process.start()
    base_url: str = parent_end.recv()
    try:
        config = ModelConfig(
            model="bench-model",
            base_url=base_url,
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
                base_url=base_url, api_key="sk-bench-0000000000", max_retries=0
            )

            async def bare() -> SummaryDraft:
                response = await bare_client.chat.completions.create(
                    model="bench-model",
                    messages=messages,  # type: ignore[arg-type]
                    response_format=response_format,
                    temperature=0.0,
                )
                return SummaryDraft.model_validate_json(response.choices[0].message.content or "")

            chat_client = ChatClient(config)
            schema = strict_json_schema(SummaryDraft)

            async def via_client() -> SummaryDraft:
                completion = await chat_client.complete(
                    lambda capability: messages, schema_name="SummaryDraft", schema=schema
                )
                return SummaryDraft.model_validate_json(completion.content)

            InstantClient.answer = answer_json
            cpu_engine = OpenAIEngine(config, client_factory=InstantClient)

            async def parse_only() -> SummaryDraft:
                return SummaryDraft.model_validate_json(answer_json)

            async def via_cpu_engine() -> object:
                return await cpu_engine.summarize(document, analysis)

            async def bare_then_cpu_engine() -> object:
                await bare()
                return await cpu_engine.summarize(document, analysis)

            async def via_engine() -> object:
                return await engine.summarize(document, analysis)

            async def via_asummarize() -> object:
                return await summarizer.asummarize(text, engine=engine)

            async def text_prepare() -> object:
                return prepare(text)

            async def text_analyze() -> object:
                return analyze(document, thorough=OpenAIEngine.thorough_analysis)

            cpu_paths = {
                "parse only (no HTTP)": parse_only,
                "engine.summarize, instant client": via_cpu_engine,
            }
            model_paths = {
                "bare SDK call + parse": bare,
                "ChatClient.complete + parse": via_client,
                "engine.summarize (warm)": via_engine,
                "control: bare + instant-client engine": bare_then_cpu_engine,
            }
            full_paths = {
                "asummarize (prepare+analyze+engine)": via_asummarize,
                "prepare (text repair)": text_prepare,
                "analyze (hints, as the model path)": text_analyze,
            }
            await measure(model_paths, args.warmup)
            timings = await measure(model_paths, args.rounds)
            await measure(cpu_paths, args.warmup)
            timings.update(await measure(cpu_paths, args.rounds * 5))
            await measure(full_paths, 1)
            timings.update(await measure(full_paths, args.full_rounds))
            await bare_client.close()
            await chat_client.aclose()
            await cpu_engine.aclose()
            await engine.aclose()
            return timings

        timings = asyncio.run(run_async())
        sync_rounds = args.full_rounds
        summarizer.summarize(text, engine=engine)  # warm
        timings["summarize (sync, new loop per call)"] = sync_timings(
            lambda: summarizer.summarize(text, engine=engine), sync_rounds
        )
        parent_end.send("stop")
        requests = parent_end.recv()
    finally:
        server_process.join(timeout=10)
        if server_process.is_alive():
            server_process.terminate()

    print(f"article: {SEED.name}: {len(text)} chars, {len(document.paragraphs)} paragraphs")
    print(
        f"rounds: {args.rounds} model-only, {args.full_rounds} with text handling; "
        f"requests served: {requests}\n"
    )
    print(f"{'path':<40} {'median ms':>10} {'mean ms':>10} {'p90 ms':>10}")
    # Paired differences (same round, back to back) cancel most of the machine's drift.
    paired = statistics.median(
        engine - bare
        for engine, bare in zip(
            timings["engine.summarize (warm)"], timings["bare SDK call + parse"], strict=True
        )
    )
    medians: dict[str, float] = {}
    for name, values in timings.items():
        values = sorted(values)
        medians[name] = statistics.median(values)
        p90 = values[int(len(values) * 0.9) - 1]
        print(f"{name:<40} {medians[name]:>10.3f} {statistics.fmean(values):>10.3f} {p90:>10.3f}")

    bare_ms = medians["bare SDK call + parse"]
    client_ms = medians["ChatClient.complete + parse"]
    engine_ms = medians["engine.summarize (warm)"]
    full_ms = medians["asummarize (prepare+analyze+engine)"]
    print()
    print(
        f"engine overhead over bare call: {engine_ms - bare_ms:+.3f} ms per article "
        f"(x{engine_ms / bare_ms:.2f}; median of paired differences {paired:+.3f} ms); "
        "target < 2 ms"
    )
    print(
        f"  transport client (retries, ladder, ledger): {client_ms - bare_ms:+.3f} ms; "
        f"prompt, validation, result assembly: {engine_ms - client_ms:+.3f} ms"
    )
    cpu_ms = medians["engine.summarize, instant client"] - medians["parse only (no HTTP)"]
    print(
        f"engine CPU beyond parsing, measured without HTTP (instant client): {cpu_ms:+.3f} ms "
        "per article (the least noisy measure of the library's own work)"
    )
    print(
        f"full async path over bare call: {full_ms - bare_ms:+.3f} ms per article "
        f"(x{full_ms / bare_ms:.2f}), of which prepare {medians['prepare (text repair)']:.3f} ms "
        f"and analyze {medians['analyze (hints, as the model path)']:.3f} ms"
    )


if __name__ == "__main__":
    main()
