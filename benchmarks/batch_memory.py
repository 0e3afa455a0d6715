"""Memory of a 20,000-article batch: resident set size must stay flat as the input grows.

    python benchmarks/batch_memory.py              # 20,000 articles, offline engine (~1-2 min)
    python benchmarks/batch_memory.py --articles 5000

The input is a JSONL file on disk, read with ``read_input`` (streamed) and written to a JSONL
output through ``summarize_many``, exactly as the CLI does. RSS is sampled after 1k, 2k, 5k, 10k
and 20k articles; the peak (VmHWM) is reported at the end. The growth that remains is the set of
ids seen (needed to detect duplicate ids): tens of bytes per article.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAGRAPHS = (
    "{city}市召开{topic}工作会议（编号{number}）。会议部署了下一阶段的重点任务，要求各部门加强协调。",
    "会议要求各部门坚持问题导向，切实解决群众关心的{topic}问题。与会人员表示将认真落实会议精神。",
    "据介绍，今年以来{city}在{topic}领域投入资金持续增加，相关项目进展顺利，群众满意度不断提升。",
)
CITIES = ("北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "重庆")
TOPICS = ("交通", "教育", "医疗", "环保", "文化", "科技", "农业", "住房", "就业", "旅游")


def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def write_input(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            values = {
                "city": CITIES[number % 10],
                "topic": TOPICS[number // 10 % 10],
                "number": number,
            }
            text = "\n".join(paragraph.format(**values) for paragraph in PARAGRAPHS)
            stream.write(
                json.dumps({"id": f"n{number}", "text": text, "feed": "bench"}, ensure_ascii=False)
                + "\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()

    from summarizer.api import prepare_article
    from summarizer.batch import BatchStats, read_input, summarize_many
    from summarizer.engines.offline import OfflineEngine

    checkpoints = [n for n in (1_000, 2_000, 5_000, 10_000, 20_000, 50_000) if n <= args.articles]
    samples: dict[int, int] = {}

    def on_progress(stats: BatchStats) -> None:
        if stats.done in checkpoints and stats.done not in samples:
            samples[stats.done] = status_kib("VmRSS")

    with tempfile.TemporaryDirectory() as directory:
        source, output = Path(directory) / "in.jsonl", Path(directory) / "out.jsonl"
        write_input(source, args.articles)
        prepare_article(PARAGRAPHS[0].format(city="北京", topic="交通", number=0))  # warm-up
        baseline = status_kib("VmRSS")
        started = time.perf_counter()
        report = summarize_many(
            read_input(source),
            engine=OfflineEngine(),
            output=output,
            cache=False,
            concurrency=8,
            on_progress=on_progress,
        )
        seconds = time.perf_counter() - started
        output_mib = output.stat().st_size / 2**20
        input_mib = source.stat().st_size / 2**20

    print(f"\nbatch memory: {args.articles} articles, offline engine, concurrency 8")
    print(
        f"input {input_mib:.1f} MiB, output {output_mib:.1f} MiB, {seconds:.0f} s, "
        f"ok {report.stats.ok}, failed {report.stats.failed}"
    )
    print(f"RSS after warm-up (dictionaries loaded): {baseline / 1024:.1f} MiB")
    for count in checkpoints:
        if count in samples:
            print(f"RSS after {count:>6} articles: {samples[count] / 1024:.1f} MiB")
    first, last = min(samples), max(samples)
    growth = (samples[last] - samples[first]) / 1024
    print(
        f"growth from {first} to {last} articles: {growth:+.1f} MiB "
        f"({growth * 1024 * 1024 / max(1, last - first):.0f} bytes per article)"
    )
    print(f"peak RSS (VmHWM): {status_kib('VmHWM') / 1024:.1f} MiB")


if __name__ == "__main__":
    from benchdoc import documented

    with documented("batch_memory"):
        main()
