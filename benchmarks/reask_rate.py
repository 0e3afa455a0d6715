"""Re-ask rate for paragraph alignment, with and without per-request counts, on a real grammar.

Against a running llama-cpp-python (or llama-server) with the tiny random model of
``tests/real_servers/tiny_gguf.py``: random weights pick uniformly among what the server's grammar
allows, so this measures what the *grammar* guarantees. Each trial asks for the translation of
``--paragraphs`` paragraphs; an answer whose count is wrong (or that does not parse) would cost a
re-ask. Without counts the schema says "a list of strings"; with them, ``minItems = maxItems``.

    python -m llama_cpp.server --model tiny.gguf --port 18777 &
    PYTHONPATH=$PWD python benchmarks/reask_rate.py --base-url http://127.0.0.1:18777/v1
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient
from summarizer.engines.openai import request_schema, response_schema
from summarizer.engines.parsing import parse
from summarizer.schema import ChunkTranslation

#: The '"' byte token of the tiny model made likelier: short strings, fast trials. Nothing biases
#: the array's length.
SHORT_STRINGS = {"logit_bias": {str(3 + ord('"')): 6}}


async def trial(client: ChatClient, schema: dict[str, Any], paragraphs: int) -> bool:
    """Whether this answer would need a re-ask for its paragraph count."""
    completion = await client.complete(
        lambda rung: [{"role": "user", "content": "[P1] 一。\n[P2] 二。\n[P3] 三。"}],
        schema_name="ChunkTranslation",
        schema=schema,
        max_output_tokens=400,
    )
    chunk, _ = parse(completion.content, ChunkTranslation)
    return chunk is None or len(chunk.paragraphs_en) != paragraphs


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--server", default="llama-cpp-python")
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--paragraphs", type=int, default=3)
    args = parser.parse_args()
    config = ModelConfig(
        model="tiny",
        base_url=args.base_url,
        server=args.server,
        temperature=1.0,
        extra_body=SHORT_STRINGS,
    )
    client = ChatClient(config)
    plain = response_schema(ChunkTranslation)[0]
    counted = request_schema(ChunkTranslation, args.paragraphs).schema
    for label, schema in (("without counts", plain), ("with counts", counted)):
        failed = [await trial(client, schema, args.paragraphs) for _ in range(args.trials)]
        rate = sum(failed) / len(failed)
        print(f"{label:<15} re-ask rate {rate:.0%} ({sum(failed)}/{len(failed)} answers)")
    await client.aclose()


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("reask_rate"):
        asyncio.run(main())
