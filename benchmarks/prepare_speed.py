"""What ``prepare()`` costs against the same work minus repairs.

Run: ``python benchmarks/prepare_speed.py [--runs N] [--no-cold]``.

Four inputs: the scraped seed (traditional script, pinyin, damaged annotations, mojibake), a clean
simplified article from ``zh_news_summaries.jsonl`` (the common case), a news page built by
``html_boilerplate.py`` (article extraction included), and a long article (the seed, the clean
articles and the WMT22 documents concatenated) to show that the cost grows linearly.

* ``baseline``: decode the bytes as UTF-8, OpenCC ``t2s`` over the whole text, split on newlines:
  what any pipeline does anyway. ``prepare / baseline`` is what the repair machinery costs.
* warm: median of ``--runs`` calls, the two paths interleaved so machine noise hits them alike.
* cold: a fresh interpreter per measurement, imports included (``import`` and the first call are
  shown apart; the first call loads OpenCC's tables and only the lexicons the input needs:
  jieba's dictionary when a lost character must be restored, pypinyin when there is a pinyin
  annotation to check).
* ``us/kchar``: warm microseconds per 1000 characters; equal across inputs means linear cost.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
#: The shared material beside the repository (or beside the worktrees' parent).
DATA = next(
    (
        folder / "shared" / "data"
        for folder in (ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "data").is_dir()
    ),
    ROOT.parent / "shared" / "data",
)

_COLD_PREPARE = """
import sys, time, json
raw = open(sys.argv[1], "rb").read()
t0 = time.perf_counter()
from summarizer.text.repair.prepare import prepare
t1 = time.perf_counter()
document = prepare(raw)
t2 = time.perf_counter()
jieba = sys.modules.get("jieba")
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "repairs": len(document.repairs),
                  "jieba_loaded": bool(jieba and jieba.dt.initialized),
                  "pypinyin_imported": "pypinyin" in sys.modules}))
"""

_COLD_BASELINE = """
import sys, time, json
raw = open(sys.argv[1], "rb").read()
t0 = time.perf_counter()
import opencc
t1 = time.perf_counter()
lines = opencc.OpenCC("t2s").convert(raw.decode("utf-8")).split("\\n")
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1}))
"""


def inputs() -> dict[str, bytes]:
    seed = SEED.read_bytes()
    articles = [json.loads(line)["article"] for line in (DATA / "zh_news_summaries.jsonl").open()]
    # The clean article nearest the seed in length.
    seed_length = len(seed.decode("utf-8"))
    clean = min(articles, key=lambda article: abs(len(article) - seed_length))
    documents = [
        "\n".join(json.loads(line)["zh"]) for line in (DATA / "wmt22_zhen_docs.jsonl").open()
    ]
    long = "\n".join([seed.decode("utf-8"), *articles, *documents])
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from html_boilerplate import pages

    page = pages()[0].markup  # a built news page: article extraction (trafilatura) included
    return {
        "seed": seed,
        "clean": clean.encode("utf-8"),
        "html": page.encode("utf-8"),
        "long": long.encode("utf-8"),
    }


def baseline(raw: bytes) -> list[str]:
    from summarizer.text.repair.lexicon import t2s_converter

    return str(t2s_converter().convert(raw.decode("utf-8"))).split("\n")


def warm(raw: bytes, runs: int) -> tuple[float, float]:
    from summarizer.text.repair.prepare import prepare

    paths: list[Callable[[bytes], object]] = [prepare, baseline]
    for path in paths:
        path(raw)  # load lexicons and fill caches
    timings: list[list[float]] = [[], []]
    gc.collect()
    for _ in range(runs):
        for index, path in enumerate(paths):
            start = time.perf_counter()
            path(raw)
            timings[index].append(time.perf_counter() - start)
    return statistics.median(timings[0]), statistics.median(timings[1])


def cold(raw: bytes, script: str, workdir: Path) -> dict[str, float]:
    path = workdir / "input.bin"
    path.write_bytes(raw)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    result["process"] = time.perf_counter() - start
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="warm calls per input and path")
    parser.add_argument("--no-cold", action="store_true", help="skip the fresh-process runs")
    args = parser.parse_args()
    import tempfile

    from summarizer.text.repair.prepare import prepare

    data = inputs()
    print(
        f"prepare() vs baseline (UTF-8 decode + OpenCC t2s + split lines); warm: median of "
        f"{args.runs}, interleaved\n"
    )
    header = (
        f"{'input':6} {'chars':>6} {'repairs':>7} {'warm ms':>8} {'base ms':>8} {'ratio':>6}"
        f" {'us/kchar':>8}"
    )
    print(header)
    for name, raw in data.items():
        document = prepare(raw)
        ours_warm, base_warm = warm(raw, args.runs if name != "long" else max(args.runs // 10, 5))
        chars = len(document.original)
        print(
            f"{name:6} {chars:6d} {len(document.repairs):7d} {ours_warm * 1e3:8.2f}"
            f" {base_warm * 1e3:8.2f} {ours_warm / base_warm:6.1f}"
            f" {ours_warm * 1e6 / chars * 1000:8.0f}"
        )
    if args.no_cold:
        return
    print("\ncold (fresh interpreter): import + first call, seconds")
    print(f"{'input':6} {'path':8} {'import':>7} {'first':>7} {'process':>8}  lexicons loaded")
    with tempfile.TemporaryDirectory() as workdir:
        for name, raw in data.items():
            ours = cold(raw, _COLD_PREPARE, Path(workdir))
            base = cold(raw, _COLD_BASELINE, Path(workdir))
            loaded = ", ".join(
                label
                for label, key in (
                    ("jieba dict", "jieba_loaded"),
                    ("pypinyin", "pypinyin_imported"),
                )
                if ours[key]
            )
            print(
                f"{name:6} {'prepare':8} {ours['import']:7.3f} {ours['first']:7.3f}"
                f" {ours['process']:8.3f}  {loaded or '-'}"
            )
            print(
                f"{name:6} {'baseline':8} {base['import']:7.3f} {base['first']:7.3f}"
                f" {base['process']:8.3f}"
            )


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("prepare_speed"):
        main()
