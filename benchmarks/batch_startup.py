"""How soon does ``summarizer batch`` send its first request after the CLI starts (seconds)?

    python benchmarks/batch_startup.py [--runs 3] [--articles 200]

Starts the scripted server in its own process, then runs the real CLI
(``python -m summarizer batch IN -o OUT --no-cache``) against it, as a user would, and reports
for each run: the time from starting the CLI process to the first request reaching the server,
to the 10th result line written, and to the end. ``CLOCK_MONOTONIC`` is one clock for the whole
machine, so the two processes' timestamps compare directly.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from batch_throughput import TAG, TEMPLATE_TAG, article, write_draft  # noqa: E402


def serve(draft_file: str) -> None:
    """The server: prints its URL, then answers each stdin line with the request times so far."""
    from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

    template = Path(draft_file).read_text("utf-8")

    def handler(request: RecordedRequest) -> Reply:
        found = TAG.search(request.user_text)
        return Reply.json(template.replace(TEMPLATE_TAG, found.group() if found else TEMPLATE_TAG))

    with ScriptedOpenAIServer(latency=0.1) as server:
        server.set_handler(handler)
        print(server.base_url, flush=True)
        for _ in sys.stdin:
            times = sorted(r.received_at for r in server.chat_requests)
            print(json.dumps(times), flush=True)
            server.reset()
            server.set_handler(handler)
            server.latency = 0.1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--draft-file", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.draft_file)
        return
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        draft = folder / "draft.json"
        write_draft(draft)
        source = folder / "in.jsonl"
        source.write_text(
            "".join(
                json.dumps({"id": str(n), "text": article(n)}, ensure_ascii=False) + "\n"
                for n in range(args.articles)
            ),
            "utf-8",
        )
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--draft-file", str(draft)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdin is not None and server.stdout is not None
        base_url = server.stdout.readline().strip()
        environment = {
            **os.environ,
            "OPENAI_BASE_URL": base_url,
            "OPENAI_API_KEY": "sk-bench",
            "SUMMARIZER_MODEL": "test-model",
            "PYTHONPATH": str(ROOT),
        }
        rows = []
        for run in range(args.runs):
            output = folder / f"out{run}.jsonl"
            started = time.monotonic()
            command = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(output)]
            cli = subprocess.Popen(
                [*command, "--no-cache", "--quiet", "-j", "16"],
                env=environment,
                stdout=subprocess.DEVNULL,
            )
            tenth: float | None = None
            while cli.poll() is None:
                if tenth is None and output.exists() and output.read_bytes().count(b"\n") >= 10:
                    tenth = time.monotonic() - started
                time.sleep(0.01)
            finished = time.monotonic() - started
            server.stdin.write("\n")
            server.stdin.flush()
            times = json.loads(server.stdout.readline())
            first = times[0] - started if times else float("nan")
            rows.append((first, tenth, finished, cli.returncode))
        server.stdin.close()
        server.wait(timeout=30)
    print(f"\nbatch start-up ({args.articles} articles, -j 16, 100 ms server latency)")
    print(f"{'run':>3} {'first request':>14} {'10th result':>12} {'all done':>9} {'exit':>5}")
    for number, (first, tenth, finished, code) in enumerate(rows, start=1):
        tenth_text = f"{tenth:.2f}" if tenth is not None else "-"
        print(f"{number:>3} {first:>13.2f}s {tenth_text:>11}s {finished:>8.2f}s {code:>5}")


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("batch_startup"):
        main()
