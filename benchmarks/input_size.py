"""How long articles cost: the size refusal, and text handling time and memory by input size.

Each size runs in a fresh subprocess (peak RSS is per process). The seed article is repeated to
the size asked. ``prepare`` + the hints analysis (what a model engine runs before any request).

    PYTHONPATH=$PWD python benchmarks/input_size.py [--clean] [MB ...]     (default: 1 5 50)
    PYTHONPATH=$PWD python benchmarks/input_size.py --offline [--mixed] [CHARS ...]
        (default: 50000 200000 800000 2000000)

``--clean`` repeats the *repaired* seed (no damage to repair), which isolates analysis: the
damaged seed repeated k times also has k times the mis-decoded runs to repair.

``--offline`` times what ``summarize --engine offline`` does, by stage (prepare, the thorough
analysis, the engine itself), on the repaired seed repeated to CHARS characters: the worst case
for the sentence graph, since every sentence then has a copy every few hundred characters.
``--mixed`` repeats all Chinese articles of ``evals/`` instead (different stories one after
another, as in a long report or a digest).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"


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


def mixed_corpus() -> str:
    """Every Chinese article of the gold sets in ``evals/`` (external ones when built), one after
    another."""
    from summarizer.errors import GoldSetNotBuiltError
    from summarizer.eval.goldset import evals_set_names, load_set

    articles: list[str] = []
    for name in evals_set_names():
        try:
            articles.extend(example.source for example in load_set(name))
        except GoldSetNotBuiltError as error:
            print(f"not built: {name} (left out of the mixed corpus): {error.build}")
    return "\n".join(article for article in articles if "的" in article) + "\n"


def measure_offline(characters: int, mixed: bool) -> dict[str, object]:
    """Seconds per stage and peak RSS of the offline engine on ``characters`` of text."""
    from summarizer.engines.offline import OfflineEngine
    from summarizer.text import analyze, prepare

    engine = OfflineEngine()
    seed = mixed_corpus() if mixed else prepare(SEED.read_text(encoding="utf-8")).text + "\n"
    warm = prepare(seed[:3000])
    engine.summarize_sync(warm, analyze(warm))  # dictionaries loaded: not per-size cost
    text = (seed * (characters // len(seed) + 1))[:characters]
    marks = [(time.perf_counter(), time.process_time())]
    document = prepare(text)
    marks.append((time.perf_counter(), time.process_time()))
    analysis = analyze(document)
    marks.append((time.perf_counter(), time.process_time()))
    summary = engine.summarize_sync(document, analysis)
    marks.append((time.perf_counter(), time.process_time()))

    def spent(first: int, last: int) -> str:
        """Wall and CPU seconds between two marks: the machine is shared, so CPU is steadier."""
        wall = marks[last][0] - marks[first][0]
        cpu = marks[last][1] - marks[first][1]
        return f"{wall:.2f} wall / {cpu:.2f} cpu"

    return {
        "chars": len(document.text),
        "sentences": len(document.sentences),
        "prepare_s": spent(0, 1),
        "analyze_s": spent(1, 2),
        "engine_s": spent(2, 3),
        "total_s": spent(0, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "key_points": len(summary.key_points),
        "mixed": mixed,
    }


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(float(sys.argv[2]), sys.argv[3] == "clean")))
        return
    if sys.argv[1:2] == ["--one-offline"]:
        print(json.dumps(measure_offline(int(sys.argv[2]), sys.argv[3] == "mixed")))
        return
    if "--offline" in sys.argv:
        mode = "mixed" if "--mixed" in sys.argv else "seed"
        counts = [int(arg) for arg in sys.argv[1:] if not arg.startswith("--")]
        for count in counts or [50_000, 200_000, 800_000, 2_000_000]:
            out = subprocess.run(
                [sys.executable, __file__, "--one-offline", str(count), mode],
                capture_output=True,
                text=True,
            )
            load = " ".join(f"{value:.2f}" for value in os.getloadavg())
            print((out.stdout.strip() or out.stderr.strip()[-500:]) + f"  load {load}", flush=True)
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

    # The offline timings are their own section: they must not replace the size-refusal figures.
    with documented("input_size_offline" if "--offline" in sys.argv else "input_size"):
        main()
