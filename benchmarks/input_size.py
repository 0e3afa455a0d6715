"""How long articles cost: the size refusal, and text handling time and memory by input size.

Each size runs in a fresh subprocess (peak RSS is per process). The seed article is repeated to
the size asked. ``prepare`` + the hints analysis (what a model engine runs before any request).

    PYTHONPATH=$PWD python benchmarks/input_size.py [--clean] [MB ...]     (default: 1 5 50)

``--clean`` repeats the *repaired* seed (no damage to repair), which isolates analysis: the
damaged seed repeated k times also has k times the mis-decoded runs to repair.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "examples" / "tongzhou_2025-12-13_scraped.txt"


def measure(megabytes: float, clean: bool) -> dict[str, float]:
    from summarizer.api import check_input_size, prepare_article
    from summarizer.errors import InputTooLargeError
    from summarizer.text import prepare

    seed = SEED.read_text(encoding="utf-8") + "\n"
    if clean:  # the seed after repair: no damage left, so only analysis and segmentation run
        seed = prepare(seed).text + "\n"
    prepare_article(seed, thorough=False)  # load dictionaries first: they are not per-size cost
    raw = (seed * (int(megabytes * 1e6) // len(seed.encode()) + 1)).encode()[: int(megabytes * 1e6)]
    raw = raw.decode("utf-8", errors="ignore").encode()
    started = time.perf_counter()
    try:
        check_input_size(raw)
        refused = float("nan")
    except InputTooLargeError:
        refused = time.perf_counter() - started
    started = time.perf_counter()
    document, analysis = prepare_article(raw, thorough=False, max_input_chars=len(raw))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "mb": megabytes,
        "chars": len(document.text),
        "refused_s": refused,
        "prepare_analyze_s": seconds,
        "s_per_mb": seconds / megabytes,
        "peak_rss_mb": peak,
        "people": len(analysis.people),
        "clean": clean,
    }


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(float(sys.argv[2]), sys.argv[3] == "clean")))
        return
    clean = "--clean" in sys.argv
    sizes = [float(arg) for arg in sys.argv[1:] if not arg.startswith("--")] or [1.0, 5.0, 50.0]
    for size in sizes:
        mode = "clean" if clean else "seed"
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), mode], capture_output=True, text=True
        )
        print(out.stdout.strip() or out.stderr.strip()[-500:], flush=True)


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("input_size"):
        main()
