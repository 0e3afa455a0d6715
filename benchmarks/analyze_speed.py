"""Speed and quality of ``analyze`` in its two depths: thorough (offline engine) and hints (models).

    python benchmarks/analyze_speed.py [--repeat 30]

Measured side by side in one run, on the seed article and on the 40 articles of
``shared/data/zh_news_summaries.jsonl`` (all through ``prepare`` first, which is not timed):

* warm (dictionaries loaded): best and median of ``--repeat`` calls on the seed, each with the
  per-text caches (romanized names, numeral values) emptied first; per-article mean of one pass
  over the 40 articles, seen for the first time (the warm-up ran on the labelled set), as in a
  batch run;
* cold: in a fresh interpreter, ``import summarizer`` and then the first ``analyze`` call, which
  loads jieba's dictionaries, pypinyin and cn2an on demand;
* extraction F1 (micro over person/organization/place) per split of the labelled set
  (``benchmarks/extraction.py``), because speed that loses entities is no win.

Works against an older tree too (one without ``thorough``): then only thorough is measured, which
is how the "before" numbers in the report were taken.
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction import SPLITS, load_records, micro_f1, score  # noqa: E402

from summarizer.text import analyze, prepare  # noqa: E402
from summarizer.text.analysis import numbers, romanize  # noqa: E402
from summarizer.text.document import Document  # noqa: E402

SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
NEWS = ROOT.parent / "shared" / "data" / "zh_news_summaries.jsonl"
HAS_HINTS = "thorough" in inspect.signature(analyze).parameters
MODES = ("thorough", "hints") if HAS_HINTS else ("thorough",)

_COLD = """
import sys, time
started = time.perf_counter()
import summarizer
from summarizer.text import analyze, prepare
imported = time.perf_counter()
document = prepare(open(sys.argv[1], 'rb').read())
kwargs = {} if sys.argv[2] == 'default' else {'thorough': sys.argv[2] == 'thorough'}
before = time.perf_counter()
analyze(document, **kwargs)
first = time.perf_counter()
analyze(document, **kwargs)
second = time.perf_counter()
print(imported - started, first - before, second - first)
"""


def run(mode: str) -> Callable[[Document], Any]:
    if not HAS_HINTS:
        return analyze
    thorough = mode == "thorough"
    return lambda document: analyze(document, thorough=thorough)


def clear_text_caches() -> None:
    """Forget what earlier texts taught the caches (a no-op on trees without them)."""
    for function in (romanize.romanize_given_name, numbers.numeral_value):
        getattr(function, "cache_clear", lambda: None)()


def warm_seed(document: Document, mode: str, repeat: int) -> tuple[float, float]:
    """(best, median) milliseconds of one call on the seed, after a warm-up call."""
    call = run(mode)
    call(document)
    times = []
    for _ in range(repeat):
        clear_text_caches()
        started = time.perf_counter()
        call(document)
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def warm_corpus(documents: list[Document], warm_up: list[Document], mode: str) -> float:
    """Mean milliseconds per article over ``documents``, first seen after ``warm_up``."""
    call = run(mode)
    clear_text_caches()
    for document in warm_up:
        call(document)
    started = time.perf_counter()
    for document in documents:
        call(document)
    return (time.perf_counter() - started) * 1000 / len(documents)


def cold(mode: str) -> tuple[float, float, float]:
    """(import summarizer, first analyze, second analyze) seconds in a fresh interpreter."""
    argument = mode if HAS_HINTS else "default"
    output = subprocess.run(
        [sys.executable, "-c", _COLD, str(SEED), argument],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    imported, first, second = (float(value) for value in output.split())
    return imported, first, second


def extraction_f1(mode: str) -> dict[str, float]:
    records = load_records()
    kwargs = {"thorough": mode == "thorough"} if HAS_HINTS else {}
    return {
        split: micro_f1(score([r for r in records if r["split"] == split], False, **kwargs))
        for split in SPLITS
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="calls timed on the seed")
    args = parser.parse_args()
    seed = prepare(SEED.read_bytes())
    news = [prepare(json.loads(line)["article"]) for line in NEWS.read_text("utf-8").splitlines()]
    labelled = [prepare(record["text"]) for record in load_records()]
    print(
        f"seed: {len(seed.text)} characters; news: {len(news)} articles, "
        f"{sum(len(d.text) for d in news) / len(news):.0f} characters on average\n"
    )

    rows: dict[str, list[str]] = {}
    results: dict[str, dict[str, float]] = {}
    for mode in MODES:
        best, median = warm_seed(seed, mode, args.repeat)
        corpus = warm_corpus(news, labelled, mode)
        imported, first, second = cold(mode)
        f1 = extraction_f1(mode)
        results[mode] = {"best": best, "corpus": corpus, "first": first}
        rows[mode] = [
            f"{best:.2f}",
            f"{median:.2f}",
            f"{corpus:.2f}",
            f"{imported * 1000:.0f}",
            f"{first * 1000:.0f}",
            f"{second * 1000:.1f}",
            *(f"{f1[split]:.3f}" for split in SPLITS),
        ]
    header = [
        "seed best ms",
        "seed median ms",
        "news ms/article",
        "cold import ms",
        "cold 1st call ms",
        "cold 2nd call ms",
        *(f"F1 {split}" for split in SPLITS),
    ]
    width = max(len(label) for label in header) + 2
    print(f"{'':<{width}}" + "".join(f"{mode:>12}" for mode in MODES))
    for index, label in enumerate(header):
        print(f"{label:<{width}}" + "".join(f"{rows[mode][index]:>12}" for mode in MODES))
    if HAS_HINTS:
        thorough, hints = results["thorough"], results["hints"]
        print(
            f"\nthorough / hints, warm: seed {thorough['best'] / hints['best']:.1f}x, "
            f"news {thorough['corpus'] / hints['corpus']:.1f}x; "
            f"cold first call {thorough['first'] / hints['first']:.1f}x"
        )


if __name__ == "__main__":
    from benchdoc import documented

    with documented("analyze_speed"):
        main()
