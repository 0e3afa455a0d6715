"""A worker hands a waiting ``POST /v1/summaries`` the outcome the store kept, and nothing else.

The sync answer skips a store read: the in-process worker passes its outcome, already serialized,
to the waiting request. That is only right when the worker's ack is the one the store kept; a
redelivered item's losing duplicate must hand over nothing, so the request reads the store.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from service_helpers import article_text

from summarizer.schema import ArticleSummary
from summarizer.service import EngineSettings
from summarizer.service.metrics import ServiceMetrics
from summarizer.service.sqlite_store import SQLiteStore
from summarizer.service.store import NewItem, Outcome
from summarizer.service.workers import WorkerPool


async def test_only_the_outcome_the_store_kept_is_handed_over(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    handed: list[tuple[str, Outcome | None]] = []
    pool = WorkerPool(
        store,
        EngineSettings(engine="offline"),
        ServiceMetrics(),
        concurrency=1,
        on_finished=lambda job_id, outcome: handed.append((job_id, outcome)),
    )
    try:
        for number in (1, 2):
            await store.create_job(
                job_id=f"sum_{number}",
                kind="summary",
                key_id="k",
                options={},
                items=[NewItem("a", article_text(number))],
            )
        (fresh,) = await store.claim("w1", lease_seconds=30)
        await pool._process(fresh)
        # The second item's first delivery outlives its lease; a redelivery finishes it first.
        (stale,) = await store.claim("dying", lease_seconds=0.05)
        await asyncio.sleep(0.1)
        (again,) = await store.claim("w2", lease_seconds=30)
        await store.ack(again, Outcome(status="ok", result={"by": "w2"}))
        await pool._process(stale)

        kept_fresh = await store.get_result("sum_1", "a")
        kept_stale = await store.get_result("sum_2", "a")
    finally:
        await pool.stop()
        await store.close()

    assert [job_id for job_id, _ in handed] == ["sum_1", "sum_2"]
    outcome = handed[0][1]
    assert outcome is not None and outcome.status == "ok" and outcome.result_json is not None
    # The handed-over JSON is exactly what the store kept, and a valid summary of the article.
    assert kept_fresh is not None and json.loads(outcome.result_json) == kept_fresh.result
    summary = ArticleSummary.model_validate_json(outcome.result_json)
    assert "art-00001" in summary.source.normalized_text
    assert handed[1][1] is None
    assert kept_stale is not None and kept_stale.result == {"by": "w2"}
