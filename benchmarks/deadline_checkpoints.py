"""How soon a long article's deadline is honoured while its text is prepared and analyzed.

    PYTHONPATH=$PWD python benchmarks/deadline_checkpoints.py [--chars 650000] [--deadline 0.5]
        [--seed-dir ../shared/seed]

The input is the steering seed article (``shared/seed``) repeated to ``--chars`` characters.
Measured:

* warm (dictionaries loaded by a first run): the text handling's checkpoints
  (``prepare_article(checkpoint=...)``): how many calls, and the longest stretch between two of
  them, with the stages on either side: the most a deadline can be overrun by the text handling;
* cold, as a user meets it: ``summarizer summarize FILE --engine offline --deadline D`` in a fresh
  process, wall time until it exits, its exit code and its message.

Before the checkpoints the offline engine checked its deadline only after the whole analysis
(47 s for 650,000 characters with ``--deadline 0.5``, load average 1-3).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.api import prepare_article  # noqa: E402

SEED_DIR = ROOT.parent / "shared" / "seed"


def long_input(chars: int, seed_dir: Path) -> str:
    """The seed articles joined by blank lines and repeated until ``chars`` characters."""
    seed = "\n\n".join(path.read_text("utf-8") for path in sorted(seed_dir.glob("*.txt")))
    if not seed:
        raise SystemExit(f"no seed articles (*.txt) in {seed_dir}; pass --seed-dir")
    return ("\n\n".join([seed] * (chars // len(seed) + 1)))[:chars]


def checkpoint_gaps(text: str) -> tuple[int, list[tuple[float, str, str]], float]:
    """(calls, the three longest gaps with their stages, total seconds) of one warm run."""
    gaps: list[tuple[float, str, str]] = []
    last = [time.perf_counter(), "start"]

    def record(stage: str) -> None:
        now = time.perf_counter()
        gaps.append((now - float(last[0]), str(last[1]), stage))
        last[0], last[1] = now, stage

    started = time.perf_counter()
    prepare_article(text, checkpoint=record)
    record("end")
    total = time.perf_counter() - started
    return len(gaps) - 1, sorted(gaps, reverse=True)[:3], total


def cli_time_to_error(path: Path, deadline: float) -> tuple[float, int, str]:
    """Wall seconds, exit code and last stderr line of the offline CLI on ``path``."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("SUMMARIZER_MODEL", None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(path), "--engine", "offline",
         "--deadline", f"{deadline:g}"],
        capture_output=True, text=True, env=environment, check=False,
    )  # fmt: skip
    lines = done.stderr.strip().splitlines()
    return time.perf_counter() - started, done.returncode, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=650_000)
    parser.add_argument("--deadline", type=float, default=0.5)
    parser.add_argument("--seed-dir", type=Path, default=SEED_DIR)
    arguments = parser.parse_args()
    text = long_input(arguments.chars, arguments.seed_dir)
    prepare_article(text[:20_000])  # load the dictionaries: not what a deadline is about
    calls, longest, total = checkpoint_gaps(text)
    print(f"input: {len(text):,} characters (seed repeated)")
    print(f"warm prepare_article: {total:.1f} s, {calls:,} checkpoint calls")
    for seconds, before, after in longest:
        print(f"  longest gap {seconds:.2f} s: {before!r} -> {after!r}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.txt"
        path.write_text(text, "utf-8")
        seconds, code, message = cli_time_to_error(path, arguments.deadline)
    print(f"cold CLI --deadline {arguments.deadline:g}: exit {code} after {seconds:.1f} s")
    print(f"  {message}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("deadline-checkpoints"):
        main()
