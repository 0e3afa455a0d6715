"""A cold process loads its text tools (jieba, glossary, gazetteer, LAC, romanization tables) in
seconds; that one-time loading is not the first article's work and must not use up its deadline.
Each test runs a fresh interpreter, so the loading really is cold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import summarizer

ROOT = Path(summarizer.__file__).resolve().parents[1]
ARTICLE = "区委召开会议。张建华出席会议并讲话。"
#: Far above what a two-sentence article takes once the tools are loaded, far below a cold load.
DEADLINE = "0.5"


def _fresh(arguments: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SUMMARIZER_LOG_PATH": str(tmp_path / "calls.db"),
    }
    for name in ("SUMMARIZER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_DEADLINE"):
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard: a cold load took 46 s beside three busy loops (load 8)
        env=environment,
        check=False,
        cwd=tmp_path,
    )


def test_the_first_summarize_call_of_a_process_keeps_its_deadline_for_the_article(
    tmp_path: Path,
) -> None:
    code = (
        "import summarizer, time\n"
        "started = time.monotonic()\n"
        f"result = summarizer.summarize({ARTICLE!r}, engine='offline', deadline={DEADLINE})\n"
        "print(len(result.people), round(time.monotonic() - started, 2))\n"
    )
    finished = _fresh(["-c", code], tmp_path)
    assert finished.returncode == 0, finished.stderr
    people, seconds = finished.stdout.split()
    assert int(people) == 1
    assert float(seconds) > float(DEADLINE)  # the loading took longer than the deadline itself


def test_the_first_asummarize_call_of_a_process_keeps_its_deadline(tmp_path: Path) -> None:
    code = (
        "import asyncio, summarizer\n"
        f"coroutine = summarizer.asummarize({ARTICLE!r}, engine='offline', deadline={DEADLINE})\n"
        "print(len(asyncio.run(coroutine).people))\n"
    )
    finished = _fresh(["-c", code], tmp_path)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split() == ["1"]


def test_the_first_article_of_a_cli_run_and_of_a_batch_is_summarized(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    summarize = ["-m", "summarizer", "summarize", "article.txt", "--engine", "offline"]
    one = _fresh([*summarize, "--deadline", DEADLINE], tmp_path)
    assert one.returncode == 0, one.stderr
    assert json.loads(one.stdout)["people"][0]["name_as_written"] == "张建华"

    records = "".join(
        json.dumps({"id": f"a{number}", "text": ARTICLE}, ensure_ascii=False) + "\n"
        for number in range(3)
    )
    (tmp_path / "articles.jsonl").write_text(records, encoding="utf-8")
    command = ["-m", "summarizer", "batch", "articles.jsonl", "-o", "out.jsonl"]
    options = ["--engine", "offline", "--deadline", DEADLINE, "--cache", str(tmp_path / "c.db")]
    batch = _fresh([*command, *options], tmp_path)
    assert batch.returncode == 0, batch.stderr
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted((line["id"], line["status"]) for line in lines) == [
        ("a0", "ok"),
        ("a1", "ok"),
        ("a2", "ok"),
    ]
