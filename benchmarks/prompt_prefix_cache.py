"""Prompt tokens a real ``llama-server`` evaluates per article, per summarize prompt version.

A server that caches prompt prefixes (llama-server's ``cache_prompt``, on by default) evaluates
only the tokens after the longest prefix the new prompt shares with the previous one in its slot.
This starts ``llama-server -np 1`` on the tests' tiny random-weight GGUF, sends the first summarize
request of N different articles (cut from the seed article: different text, paragraph counts and
notes) for each prompt version, one answer token each, and prints the server's own counts from
its response: ``timings.prompt_n`` (tokens evaluated) and ``timings.cache_n`` (reused).

    PYTHONPATH=$PWD python benchmarks/prompt_prefix_cache.py [--articles 6] [--versions v2,v3]

The tiny model's byte-level vocabulary spends about 3 tokens on a CJK character and 1 on an ASCII
one, so absolute counts are larger than a real tokenizer's; the ratio is what compares.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from summarizer.api import prepare_article
from summarizer.config import ModelConfig
from summarizer.engines.openai import OpenAIEngine

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "tongzhou_2025-12-13_scraped.txt"
sys.path.insert(0, str(REPO / "tests" / "real_servers"))
from tiny_gguf import write_tiny_llama  # noqa: E402

LLAMA_SERVER = Path(
    os.environ.get("SUMMARIZER_LLAMA_SERVER")
    or Path.home() / ".cache" / "summarizer-builds" / "llama-server-0.3.36" / "llama-server"
)


def articles(count: int) -> list[bytes]:
    """``count`` different articles: runs of the seed's paragraphs of varying start and length."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    cut: list[bytes] = []
    for index in range(count):
        start = index % max(1, len(paragraphs) - 3)
        length = 3 + index % max(1, len(paragraphs) - start - 2)
        cut.append("\n\n".join(paragraphs[start : start + length]).encode())
    return cut


def evaluated(base_url: str, messages: list[dict[str, Any]]) -> tuple[int, int]:
    """(prompt tokens evaluated, prompt tokens reused from the cache) for one request."""
    response = httpx.post(
        f"{base_url}/chat/completions",
        json={"model": "m", "messages": messages, "max_tokens": 1, "temperature": 0},
        timeout=600,
    )
    response.raise_for_status()
    timings = response.json()["timings"]
    return int(timings["prompt_n"]), int(timings.get("cache_n", 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=6)
    parser.add_argument("--versions", default="v2,v3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        model = write_tiny_llama(Path(folder) / "tiny.gguf")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        command = [
            str(LLAMA_SERVER), "-m", str(model), "--host", "127.0.0.1", "--port", str(port),
            "-c", "32768", "-np", "1", "--no-webui", "--no-jinja",
        ]  # fmt: skip
        log = (Path(folder) / "server.log").open("wb")
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}/v1"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            texts = articles(args.articles)
            print(f"{args.articles} articles; load average {os.getloadavg()[0]:.2f}")
            print("{:<8} {:>9} {:>10} {:>7} {:>14}".format(
                "version", "article", "evaluated", "cached", "evaluated 2..N"))  # fmt: skip
            for version in args.versions.split(","):
                config = ModelConfig(model="m", base_url=base_url, server="llama-server")
                engine = OpenAIEngine(config, prompt_version=version)
                counts = []
                for number, text in enumerate(texts, start=1):
                    document, analysis = prepare_article(text, thorough=False)
                    messages = engine.render_messages(document, analysis, "json_object")
                    prompt_n, cache_n = evaluated(base_url, messages)
                    counts.append((prompt_n, cache_n))
                    print(f"{version:<8} {number:>9} {prompt_n:>10} {cache_n:>7}")
                later = counts[1:]
                total = sum(p + c for p, c in later)
                share = sum(p for p, _ in later) / total if total else 0.0
                print(f"{version:<8} {'2..N':>9} {sum(p for p, _ in later):>10} "
                      f"{sum(c for _, c in later):>7} {share:>13.0%}")  # fmt: skip
            print(f"load average after: {os.getloadavg()[0]:.2f}")
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("prompt_prefix_cache"):
        main()
