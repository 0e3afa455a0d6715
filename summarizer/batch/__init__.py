"""Many articles at once: streamed input, bounded concurrency, rate limits, cache, resumable output.

    >>> from summarizer.batch import read_input, summarize_many
    >>> report = summarize_many(read_input("articles.jsonl"), output="out.jsonl")  # doctest: +SKIP

Data flow of one run::

    records (read_input, or (id, text) pairs)
        │
        ├──> runner: N workers ── cache.open_cache (a hit makes no call)
        │       │                 limiter (paces every HTTP attempt)
        │       ▼
        │    results.ResultWriter ──> journal (the output JSONL)
        │    results.CostAccountant ──> stats (tokens, USD via pricing)
        │
        └──> batch_api: export ─> submit ─> wait ─> ingest ──> results (valid answers)
                                                       └─> runner (everything else)

Modules, in the order a record meets them:

* ``records``: the input as a lazy stream of ``Article`` / ``BadRecord`` (JSONL file, folder of
  ``.txt``/``.html``, stdin, any iterable); bad records carry a typed ``RecordError``.
* ``runner``: the online runner. ``arun_records(records, engine, ...)`` is its API for code that
  holds an engine (the CLI, the eval harness, a service); ``asummarize_many`` / ``summarize_many``
  resolve the engine, cache, prices and limits from plain arguments first.
* ``cache``: the SQLite response cache keyed by engine fingerprint (the model, not its address)
  and text; ``open_cache`` is the one way a run opens it (the default file is skipped for the
  offline engine).
* ``limiter``: the always-on rate limiter (caps from ``rpm``/``tpm``, limits learnt from
  ``x-ratelimit-*`` headers and full windows of 429s, ``Retry-After`` for everyone), and the token
  estimator.
* ``results``: the one result-line writer and the one cost accountant, shared by the runner and
  the Batch API ingest.
* ``pricing`` (with ``prices.toml``): USD per million tokens, the Batch API discount.
* ``journal``: the output file, which is also the crash-safe journal that makes a rerun resume.
* ``stats``: the live counters (``BatchStats``) and the final ``BatchReport``.
* ``batch_api``: the OpenAI Batch API path (export, submit, status, ingest), which sends whatever
  the batch did not settle through ``runner``.

JSONL is read through ``summarizer.jsonl`` (one reader, ``"\\n"`` only, one ``JSONLError``).
"""

from __future__ import annotations

from summarizer.batch.records import (
    Article,
    BadRecord,
    Record,
    count_records,
    ignored_files,
    read_input,
)
from summarizer.batch.runner import arun_records, asummarize_many, run_records, summarize_many
from summarizer.batch.stats import BatchReport, BatchStats

__all__ = [
    "Article",
    "BadRecord",
    "BatchReport",
    "BatchStats",
    "Record",
    "arun_records",
    "asummarize_many",
    "count_records",
    "ignored_files",
    "read_input",
    "run_records",
    "summarize_many",
]
