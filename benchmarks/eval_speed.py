"""How long does scoring take? 1,000 predictions built from the shipped sets, scored on one core.

    python benchmarks/eval_speed.py [--examples 1000]

Builds a temporary gold set of N examples by cycling through the shipped sets (each copy gets its
own id), and a predictions file whose outputs are perturbed human references (a word dropped here
and there, so every translation is scored from scratch rather than matching its reference), then
times ``summarizer.eval.run.run_eval`` on it: every metric, bootstrap CIs, and all three reports.
Start-up (imports, loading the text-repair tables) is timed separately and excluded. Scoring is
single-threaded; the CPU time is the one-core figure (wall clock also counts other processes
sharing the machine).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summarizer.eval.checks.coverage import glosses, lemma
from summarizer.eval.goldset import load_set, write_set
from summarizer.eval.run import run_eval
from summarizer.text import prepare
from summarizer.text.repair.lexicon import word_frequencies

TARGET_SECONDS = 5.0  # issue 11: 1,000 predictions in under 5 s of CPU on one core


def _perturb(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 3:
        words.pop(rng.randrange(len(words)))
    return " ".join(words)


def build(folder: Path, count: int, seed: int) -> Path:
    rng = random.Random(seed)
    shipped = [e for name in ("seed", "wmt22-zhen", "zh-news-summaries") for e in load_set(name)]
    examples, predictions = [], []
    for number in range(count):
        base = shipped[number % len(shipped)]
        data = base.to_json()
        data["id"] = f"{base.id}#{number}"
        examples.append(data)
        prediction: dict[str, object] = {"id": data["id"]}
        references = base.references
        if base.translations():
            prediction["translation"] = [_perturb(p, rng) for p in base.translations()[-1]]
        if "summary" in references:
            prediction["summary"] = _perturb(references["summary"][0], rng)
            prediction["headline"] = references["headline"][0]
            prediction["key_points"] = [_perturb(p, rng) for p in references["key_points"]]
            prediction["people"] = references["people"][: rng.randint(1, 10)]
        if "summary_zh" in references:
            source = base.source
            start = rng.randrange(max(1, len(source) - 40))
            prediction["evidence"] = [source[start : start + 30]]
        predictions.append(json.dumps(prediction, ensure_ascii=False))
    write_set(
        folder / "set",
        {
            "name": "speed",
            "version": "1",
            "description": "speed test",
            "provenance": "shipped sets",
            "license": "as shipped",
        },
        examples,
    )
    path = folder / "predictions.jsonl"
    path.write_text("\n".join(predictions) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description="Time scoring of a predictions file.")
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        prepare(load_set("seed").examples[0].source)  # load text-repair tables (start-up)
        glosses()  # and the CC-CEDICT glosses of the coverage check
        lemma("wrote")  # and simplemma's English dictionary
        word_frequencies()  # jieba's dictionary (repair loads it for some damaged inputs)
        import summarizer.batch.runner
        import summarizer.eval.report  # noqa: F401  (modules imported on first use, not scoring)

        warmup = time.perf_counter() - started
        predictions = build(folder, args.examples, args.seed)
        started, cpu_started = time.perf_counter(), time.process_time()
        result = run_eval(folder / "set", predictions_path=predictions, out_dir=folder / "run")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        # Scores must not change when scoring gets faster: compare this hash before and after.
        scores_hash = hashlib.sha256((folder / "run" / "scores.jsonl").read_bytes()).hexdigest()
    translated = sum(1 for s in result.scores if "translation.chrf" in s.metrics)
    print(
        f"scored {len(result.scores)} examples ({translated} with translations): "
        f"{cpu:.2f} s CPU on one core ({1000 * cpu / len(result.scores):.2f} ms/example), "
        f"{elapsed:.2f} s wall clock; target < {TARGET_SECONDS:.0f} s per 1,000 "
        f"(start-up excluded: {warmup:.2f} s)"
    )
    summary = {name: estimate.to_json() for name, estimate in sorted(result.summary.items())}
    summary_hash = hashlib.sha256(
        json.dumps([summary, result.corpus], sort_keys=True).encode()
    ).hexdigest()
    print(f"scores.jsonl sha256 {scores_hash[:16]}; means/CIs/corpus {summary_hash[:16]}")
    return 0


if __name__ == "__main__":
    from benchdoc import documented

    with documented("eval_speed"):
        raise SystemExit(main())
