"""``batch`` at concurrency 1, 2 and 8 against real servers that answer one request at a time.

llama-cpp-python's server runs one generation at a time (a lock); ``llama-server -np 1`` has one
slot. A request sent while the server is busy waits in the server's queue, and the client's
``request_timeout`` runs while it waits. This starts each server on the tests' tiny random-weight
GGUF (``tests/real_servers/tiny_gguf.py``), sends the same N short articles at each concurrency,
and counts per run: wall time, attempts that timed out, transport retries, failed articles by
kind, articles with more than one result line (done twice) or none (lost), and generations the
server *started* beyond the answers the client read (work the server did for nobody: an
abandoned request it ran, or one retried after it had started).

The random model writes to the answer cap (``--max-output-tokens``), so articles end as
``model_output.truncated`` (the answer arrived) or as a transport error (it did not):
the first counts as "answered". ``--request-timeout`` defaults to 2.5 times the median
latency of one request alone, measured first on each server: the ratio of the default 120 s to a
~50 s answer of a 7B model on a CPU.

It also reads, from the server's log, the seconds it spent reading prompts (and the prompt
tokens it evaluated) and writing answers, and the CPU seconds the server and the client used.

    PYTHONPATH=$PWD python benchmarks/single_slot_batch.py [--articles 8] [--max-output-tokens 20]

``--code NAME=FOLDER`` (repeatable) runs another checkout of the project, e.g. one made with
``git worktree add /tmp/old d4d1fb4``: each concurrency runs every checkout in turn, in a fresh
process, against the same server with new articles, so that before and after meet the same load.

Servers: ``$SUMMARIZER_LLAMA_SERVER`` (else the build cache's ``llama-server``) and
``$SUMMARIZER_LLAMA_CPP_PYTHON`` (a Python with llama-cpp-python's server), as the real-server
tests find them. CPU heavy: run it at most a few times and read the load average it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "real_servers"))
from tiny_gguf import write_tiny_llama  # noqa: E402

BUILD_CACHE = Path(
    os.environ.get("SUMMARIZER_BUILD_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "summarizer-builds"
)
LLAMA_SERVER = Path(
    os.environ.get("SUMMARIZER_LLAMA_SERVER")
    or BUILD_CACHE
    / f"llama-server-{os.environ.get('LLAMA_CPP_PYTHON_VERSION', '0.3.36')}"
    / "llama-server"
)
LLAMA_PYTHON = Path(
    os.environ.get("SUMMARIZER_LLAMA_CPP_PYTHON") or REPO / ".venv-llama" / "bin" / "python"
)
CONTEXT = 32768


@dataclass
class Server:
    name: str
    base_url: str
    log: Path
    process: subprocess.Popen[bytes]

    def generations(self) -> int:
        """Generations the server started so far, from its log."""
        text = self.log.read_text(errors="replace")
        if self.name.startswith("llama-server"):
            return len(re.findall(r"launch_slot_: .*processing task", text))
        return len(re.findall(r"llama_perf_context_print: +total time", text))

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far, all its threads (Linux ``/proc``)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, timeout: float = 600.0) -> None:
        """Until the server runs nothing (an abandoned generation may still be running)."""
        root = self.base_url.removesuffix("/v1")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.name.startswith("llama-server"):
                    slots = httpx.get(f"{root}/slots", timeout=5.0).json()
                    if not any(slot.get("is_processing") for slot in slots):
                        return
                else:  # its /v1/models waits for the model lock: answered once idle
                    httpx.get(f"{self.base_url}/models", timeout=timeout)
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(name: str, model: Path, folder: Path) -> Iterator[Server]:
    port = _free_port()
    if name == "llama-cpp-python":
        command = [
            str(LLAMA_PYTHON), "-m", "llama_cpp.server", "--model", str(model),
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT),
        ]  # fmt: skip
    else:
        command = [
            str(LLAMA_SERVER), "-m", str(model), "--host", "127.0.0.1", "--port", str(port),
            "-c", str(CONTEXT), "--no-webui", "--no-jinja",
        ]  # fmt: skip
        if name == "llama-server -np 1":
            command += ["-np", "1"]
    log = folder / f"{name.replace(' ', '_')}.log"
    with log.open("wb") as sink:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}  # its access log as it happens
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=environment)
    server = Server(name, f"http://127.0.0.1:{port}/v1", log, process)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{server.base_url}/models", timeout=2.0).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def articles(count: int, run: int) -> list[dict[str, str]]:
    """Short Chinese news items, distinct within and across runs: llama-server keeps a cache of
    prompts it has seen (``--cache-ram``), which would make a later run's answers cheaper."""
    return [
        {
            "id": f"a{number:02d}",
            "text": f"通州区召开第{run}届第{number}次工作会议。\n"
            f"会议研究了第{number}季度的工作安排。\n"
            f"区长吴瑕出席会议并讲话，要求{run}个部门在{number}月底前完成任务。",
        }
        for number in range(1, count + 1)
    ]


#: Per-generation timings the servers log: llama.cpp's ``llama_perf_context_print`` (what
#: llama-cpp-python prints after each answer) and llama-server's ``print_timings``.
_TIMING = re.compile(r"(prompt eval|(?<!prompt )eval|total) time =\s*([\d.]+) ms /\s*(\d+)")


def server_timings(text: str) -> dict[str, float]:
    """Seconds the server spent reading prompts and writing answers, and the prompt tokens it
    evaluated (a prompt whose start matches the previous one is evaluated from the difference),
    summed over the generations logged in ``text``."""
    sums = {"prompt_s": 0.0, "prompt_tokens": 0.0, "answer_s": 0.0, "total_s": 0.0}
    for kind, milliseconds, count in _TIMING.findall(text):
        if kind == "prompt eval":
            sums["prompt_s"] += float(milliseconds) / 1000
            sums["prompt_tokens"] += int(count)
        elif kind == "eval":
            sums["answer_s"] += float(milliseconds) / 1000
        else:
            sums["total_s"] += float(milliseconds) / 1000
    return sums


#: Run in a child process with the code under test first on its path (``--code``): one batch,
#: its wall time measured around ``summarize_many`` alone (not the interpreter's start).
CHILD = """
import json, sys, time
job = json.load(sys.stdin)
sys.path.insert(0, job["code"])
import summarizer
assert summarizer.__file__.startswith(job["code"]), summarizer.__file__
summarizer.summarize(job["items"][0]["text"], engine="offline")  # warm the text tools
started, cpu = time.perf_counter(), time.process_time()
report = summarizer.summarize_many(
    job["items"], engine="openai", model="tiny", base_url=job["base_url"],
    concurrency=job["concurrency"], cache=False, **job["options"],
)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
json.dump(
    {"wall_s": wall, "client_cpu_s": cpu, "retries": report.stats.retries,
     "results": report.results},
    sys.stdout,
)
"""


def one_run(
    server: Server,
    items: list[dict[str, str]],
    concurrency: int,
    options: dict[str, Any],
    code: Path = REPO,
) -> dict[str, Any]:
    server.wait_idle()
    log_start = server.log.stat().st_size
    server_cpu = server.cpu_seconds()
    before = server.generations()
    job = {
        "code": str(code),
        "items": items,
        "base_url": server.base_url,
        "concurrency": concurrency,
        "options": options,
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"the batch with the code in {code} failed:\n{child.stderr[-3000:]}")
    done = json.loads(child.stdout)
    server.wait_idle()
    server_cpu = server.cpu_seconds() - server_cpu
    with server.log.open("rb") as log:
        log.seek(log_start)
        timings = server_timings(log.read().decode(errors="replace"))
    lines = done["results"]
    per_id = Counter(str(line.get("id")) for line in lines)
    attempts: list[dict[str, Any]] = []
    kinds: Counter[str] = Counter()
    for line in lines:
        if line.get("status") == "ok":
            kinds["ok"] += 1
            attempts += line["result"]["meta"].get("ledger", [])
        else:
            error = line["error"]
            kinds[str(error["kind"])] += 1
            attempts += error.get("attempts", [])
    answered = [attempt for attempt in attempts if attempt.get("status_code") == 200]
    timeouts = sum(
        1
        for attempt in attempts
        if attempt.get("error") == "DeadlineExceededError" and attempt.get("status_code") is None
    )
    latencies = [attempt["latency_ms"] / 1000 for attempt in answered]
    generations = server.generations() - before
    return {
        "server": server.name,
        "concurrency": concurrency,
        "wall_s": done["wall_s"],
        "attempts": len(attempts),
        "timeouts": timeouts,
        "refused": sum(1 for a in attempts if (a.get("status_code") or 0) >= 400),
        "retries": done["retries"],
        "outcomes": dict(kinds),
        "rungs": dict(Counter(str(attempt.get("capability")) for attempt in answered)),
        "twice": sum(1 for count in per_id.values() if count > 1),
        "lost": sum(1 for item in items if per_id[item["id"]] == 0),
        "generations": generations,
        "unread": generations - len(answered),
        "median_answer_s": statistics.median(latencies) if latencies else float("nan"),
        "client_cpu_s": done["client_cpu_s"],
        "server_cpu_s": server_cpu,
        **timings,
    }


def _code(value: str) -> tuple[str, Path]:
    name, _, path = value.rpartition("=")
    folder = Path(path).resolve()
    if not (folder / "summarizer" / "__init__.py").exists():
        raise argparse.ArgumentTypeError(f"{path} holds no summarizer package")
    return name or folder.name, folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 8])
    parser.add_argument("--max-output-tokens", type=int, default=20)
    parser.add_argument("--request-timeout", type=float, default=None)
    parser.add_argument(
        "--servers",
        nargs="+",
        default=["llama-cpp-python", "llama-server -np 1", "llama-server"],
    )
    parser.add_argument(
        "--code",
        type=_code,
        action="append",
        metavar="NAME=FOLDER",
        help="a checkout of the project to run (repeat it to compare: each concurrency runs "
        "every checkout in turn against the same server; default: this one)",
    )
    arguments = parser.parse_args()
    codes: list[tuple[str, Path]] = arguments.code or [("this", REPO)]
    runs = iter(range(1, 1000))
    rows: list[dict[str, Any]] = []
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        model = write_tiny_llama(Path(folder) / "tiny.gguf")
        for name in arguments.servers:
            with running(name, model, Path(folder)) as server:
                options: dict[str, Any] = {
                    "max_output_tokens": arguments.max_output_tokens,
                    "max_reasks": 0,
                    "few_shot": False,
                }
                timeout = arguments.request_timeout
                if timeout is None:  # one request alone, to scale the timeout to this server
                    alone = one_run(server, articles(2, next(runs)), 1, options, codes[-1][1])
                    timeout = round(2.5 * alone["median_answer_s"], 1)
                options["request_timeout"] = timeout
                for concurrency in arguments.concurrency:
                    for code_name, code in codes:
                        items = articles(arguments.articles, next(runs))
                        row = one_run(server, items, concurrency, options, code)
                        row["request_timeout"] = timeout
                        row["code"] = code_name
                        row["load"] = os.getloadavg()[0]
                        rows.append(row)
                        print(json.dumps(row), file=sys.stderr)
    print(
        f"{arguments.articles} articles per run, answer cap {arguments.max_output_tokens} "
        f"tokens, no re-asks; load average {load_at_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    print()
    print(
        "| server | code | -j | timeout s | wall s | timeouts | refused | retries | answered "
        "| failed (transport) | twice | lost | generations | unread | median answer s "
        "| server prompt s (tokens) | server answer s | rung of the answers | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        outcomes = row["outcomes"]
        answered = outcomes.get("ok", 0) + outcomes.get("model_output.truncated", 0)
        transport = sum(v for k, v in outcomes.items() if k.startswith("transport"))
        rungs = ", ".join(f"{rung} {count}" for rung, count in sorted(row["rungs"].items()))
        print(
            f"| {row['server']} | {row['code']} | {row['concurrency']} "
            f"| {row['request_timeout']:g} | {row['wall_s']:.1f} | {row['timeouts']} "
            f"| {row['refused']} | {row['retries']} | {answered} | {transport} | {row['twice']} "
            f"| {row['lost']} | {row['generations']} | {row['unread']} "
            f"| {row['median_answer_s']:.1f} | {row['prompt_s']:.1f} ({row['prompt_tokens']:.0f}) "
            f"| {row['answer_s']:.1f} | {rungs} | {row['load']:.1f} |"
        )


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("single_slot_batch"):
        main()
