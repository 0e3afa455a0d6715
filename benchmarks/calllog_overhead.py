"""What the call log costs, per model call and on a batch run.

    python benchmarks/calllog_overhead.py [--rounds 200] [--articles 200]


The call log (``summarizer.calllog``) is on by default, so its cost is paid by every call. Measured
against a scripted server in a child process (zero latency, the same valid answer every time), with
the log on and off interleaved so that machine noise hits both alike:

* **per call**: ``OpenAIEngine.summarize`` on the prepared seed article, warm client; wall time per
  call (median) and the whole process's CPU per call, the log's writer thread included (each block
  of calls ends with ``calllog.flush()``, so rows written later are not missed);
* **batch**: ``asummarize_many`` over ``--articles`` copies of the seed (distinct ids, no cache),
  concurrency 16: articles per second with the log on and off, and how long the last rows take to
  reach the database after the batch returns;
* **size**: bytes of database per logged call (the messages carry the whole article).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchdoc import documented
from overhead import SEED, canned_answer, serve

from summarizer import calllog
from summarizer.batch import asummarize_many
from summarizer.config import ModelConfig, Secret
from summarizer.engines.openai import OpenAIEngine
from summarizer.text import analyze, prepare


def _toggle(enabled: bool) -> None:
    calllog.configure(enabled=enabled)


async def per_call(engine: OpenAIEngine, rounds: int, block: int) -> dict[bool, dict[str, float]]:
    document = prepare(SEED.read_bytes())
    analysis = analyze(document, thorough=False)
    for _ in range(5):  # warm: connection, templates, schema caches
        await engine.summarize(document, analysis)
    calllog.flush()
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, float] = {True: 0.0, False: 0.0}
    calls: dict[bool, int] = {True: 0, False: 0}
    for round_number in range(max(1, rounds // block)):
        order = (True, False) if round_number % 2 else (False, True)  # no ordering bias
        for enabled in order:
            _toggle(enabled)
            cpu_started = time.process_time()
            for _ in range(block):
                started = time.perf_counter()
                await engine.summarize(document, analysis)
                wall[enabled].append((time.perf_counter() - started) * 1000.0)
            calllog.flush()
            cpu[enabled] += time.process_time() - cpu_started
            calls[enabled] += block
    return {
        enabled: {
            "median_ms": statistics.median(wall[enabled]),
            "cpu_ms": cpu[enabled] / calls[enabled] * 1000.0,
            "calls": calls[enabled],
        }
        for enabled in (True, False)
    }


async def batch(engine: OpenAIEngine, articles: int, enabled: bool) -> tuple[float, float]:
    """(articles per second, seconds from the batch's end until every row is written)."""
    _toggle(enabled)
    text = SEED.read_text("utf-8", errors="replace")
    records = ({"id": f"a{number}", "text": text} for number in range(articles))
    started = time.perf_counter()
    report = await asummarize_many(records, engine=engine, concurrency=16, cache=False)
    elapsed = time.perf_counter() - started
    assert report.stats.ok == articles, report.stats
    flushed = time.perf_counter()
    calllog.flush(timeout=120)
    return articles / elapsed, time.perf_counter() - flushed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="calls per mode (per call)")
    parser.add_argument("--articles", type=int, default=200, help="articles per batch run")
    args = parser.parse_args()

    document = prepare(SEED.read_bytes())
    answer = json.dumps(canned_answer(document), ensure_ascii=False)
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(child, answer), daemon=True)
    server.start()
    base_url = parent.recv()
    with tempfile.TemporaryDirectory() as folder:
        log_file = Path(folder) / "calls.db"
        calllog.configure(path=log_file)
        config = ModelConfig(model="bench", base_url=base_url, api_key=Secret("sk-bench"))

        async def run() -> None:
            engine = OpenAIEngine(config)
            try:
                timings = await per_call(engine, args.rounds, block=20)
                on, off = timings[True], timings[False]
                print(f"per call ({int(on['calls'])} calls per mode, interleaved in blocks of 20):")
                print(f"  {'':<10} {'median wall ms':>15} {'process CPU ms/call':>20}")
                for label, row in (("log off", off), ("log on", on)):
                    print(f"  {label:<10} {row['median_ms']:>15.2f} {row['cpu_ms']:>20.2f}")
                print(
                    f"  {'on - off':<10} {on['median_ms'] - off['median_ms']:>15.2f} "
                    f"{on['cpu_ms'] - off['cpu_ms']:>20.2f}"
                )
                results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
                for _ in range(2):
                    for enabled in (False, True):
                        results[enabled].append(await batch(engine, args.articles, enabled))
                print(
                    f"batch ({args.articles} articles x 2 runs per mode, concurrency 16, no cache):"
                )
                for enabled, label in ((False, "log off"), (True, "log on")):
                    rates = [rate for rate, _ in results[enabled]]
                    drains = [drain for _, drain in results[enabled]]
                    print(
                        f"  {label:<10} {statistics.mean(rates):7.1f} articles/s "
                        f"(runs: {', '.join(f'{rate:.1f}' for rate in rates)}); "
                        f"rows written {max(drains) * 1000:.0f} ms after the batch returned"
                    )
                off_rate = statistics.mean(rate for rate, _ in results[False])
                on_rate = statistics.mean(rate for rate, _ in results[True])
                print(f"  throughput with the log on: {on_rate / off_rate * 100:.1f}% of off")
            finally:
                await engine.aclose()

        asyncio.run(run())
        calllog.flush()
        with calllog.CallLog(log_file) as log:
            rows = log.count()
        size = log_file.stat().st_size + sum(
            extra.stat().st_size for extra in log_file.parent.glob("calls.db-*")
        )
        print(f"database: {rows} calls, {size / max(rows, 1) / 1024:.1f} KiB per call")
        problem = calllog.write_problem()
        if problem:
            print(f"write problem: {problem}", file=sys.stderr)
    parent.send("stop")
    parent.recv()
    server.join(timeout=10)


if __name__ == "__main__":
    with documented("calllog_overhead"):
        main()
