"""Keys and limits: refused requests, read-only keys, quotas with Retry-After, keys in no log,
which jobs a key sees, and reads counted apart from work."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from service_helpers import (
    DraftingModel,
    RunningService,
    ServiceFactory,
    article_text,
    make_key,
    model_settings,
)
from typer.testing import CliRunner

from summarizer.cli import app as cli_app
from summarizer.errors import QuotaExceededError
from summarizer.service import EngineSettings
from summarizer.service.keys import Principal, admit, create_key, read_limit
from summarizer.service.sqlite_store import SQLiteStore
from summarizer.testing import ScriptedOpenAIServer

ARTICLE = {"text": "南京市召开交通工作会议。会议部署了下一阶段的重点任务。"}
OFFLINE = EngineSettings(engine="offline")


def test_no_key_unknown_key_and_revoked_key_are_refused(service: RunningService) -> None:
    revoked = make_key(service.settings.database, name="to revoke")
    assert service.request("POST", "/v1/summaries", ARTICLE, key=revoked).status == 200
    result = CliRunner().invoke(
        cli_app, ["keys", "revoke", revoked.split("-")[2], "--db", service.settings.database]
    )
    assert result.exit_code == 0, result.output

    no_key = service.request("POST", "/v1/summaries", ARTICLE, key=None)
    garbage = service.request("POST", "/v1/summaries", ARTICLE, key="sk-sum-nonsense")
    wrong_secret = service.request("POST", "/v1/summaries", ARTICLE, key=revoked[:-4] + "0000")
    after_revoke = service.request("POST", "/v1/summaries", ARTICLE, key=revoked)
    read_after_revoke = service.request("GET", "/v1/batches/bat_x", key=revoked)

    assert no_key.status == 401
    assert no_key.json()["error"]["kind"] == "auth.missing"
    for response in (garbage, wrong_secret, after_revoke, read_after_revoke):
        assert response.status == 401, response.body
        assert response.json()["error"]["kind"] == "auth.invalid"


def test_a_read_only_key_reads_but_cannot_write(service: RunningService) -> None:
    batch = service.request("POST", "/v1/batches", [{"id": "one", **ARTICLE}]).json()
    reader = make_key(service.settings.database, name="review page", read_only=True)

    submit = service.request("POST", "/v1/summaries", ARTICLE, key=reader)
    submit_batch = service.request("POST", "/v1/batches", [{"id": "x", **ARTICLE}], key=reader)
    cancel = service.request("POST", f"/v1/batches/{batch['id']}/cancel", key=reader)
    read = service.request("GET", f"/v1/batches/{batch['id']}", key=reader)
    normalize = service.request("POST", "/v1/normalize", ARTICLE, key=reader)

    for response in (submit, submit_batch, cancel):
        assert response.status == 403, response.body
        assert response.json()["error"]["kind"] == "auth.forbidden"
    assert read.status == 200
    assert normalize.status == 200


def test_anonymous_loopback_only_when_asked(service_factory: ServiceFactory) -> None:
    closed = service_factory(engines=OFFLINE, with_key=False)
    opened = service_factory(engines=OFFLINE, with_key=False, allow_anonymous_loopback=True)

    assert closed.request("POST", "/v1/summaries", ARTICLE).status == 401
    assert opened.request("POST", "/v1/summaries", ARTICLE).status == 200


def test_no_auth_is_refused_off_loopback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli_app, ["serve", "--no-auth", "--host", "0.0.0.0", "--db", str(tmp_path / "s.db")]
    )

    assert result.exit_code == 3
    assert "only allowed on loopback" in result.output
    assert "Traceback" not in result.output


def test_a_key_over_its_request_quota_gets_429_with_retry_after(
    service: RunningService,
) -> None:
    limited = make_key(service.settings.database, name="limited", requests_per_minute=2)

    answers = [service.request("POST", "/v1/normalize", ARTICLE, key=limited) for _ in range(3)]
    other_key = service.request("POST", "/v1/normalize", ARTICLE)

    assert [response.status for response in answers] == [200, 200, 429]
    refused = answers[2]
    assert refused.json()["error"]["kind"] == "quota.exceeded"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert other_key.status == 200  # quotas are per key
    metrics = service.request("GET", "/metrics").body.decode()
    assert "summarizer_quota_refusals_total 1.0" in metrics
    assert 'route="/v1/normalize",status="429"} 1.0' in metrics


def test_a_key_over_its_token_quota_gets_429(
    service_factory: ServiceFactory, openai_server_with_model: str
) -> None:
    service = service_factory(engines=model_settings(openai_server_with_model))
    limited = make_key(service.settings.database, name="tokens", tokens_per_minute=150)
    article = {"text": article_text(1)}

    first = service.request("POST", "/v1/summaries", article, key=limited)
    second = service.request("POST", "/v1/summaries", article, key=limited)

    assert first.status == 200, first.body  # 200 tokens used, over the quota of 150
    assert second.status == 429
    assert "tokens per minute" in second.json()["error"]["message"]
    assert int(second.headers["retry-after"]) >= 1


def test_keys_appear_in_no_log_and_not_in_the_store(
    service: RunningService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    created = runner.invoke(
        cli_app, ["keys", "create", "--name", "ci", "--db", service.settings.database]
    )
    assert created.exit_code == 0
    key = created.stdout.strip()
    assert re.fullmatch(r"sk-sum-[0-9a-f]{12}-[0-9a-f]{48}", key)
    secret = key.rsplit("-", 1)[1]

    service.request("POST", "/v1/summaries", ARTICLE, key=key)
    service.request("POST", "/v1/batches", [{"id": "a", **ARTICLE}], key=key)
    service.request("GET", "/v1/batches/nope", key=key)
    service.request("POST", "/v1/summaries", ARTICLE, key=key[:-1] + "0")
    listed = runner.invoke(cli_app, ["keys", "list", "--db", service.settings.database])

    assert created.stderr.count(key) == 0
    assert key.split("-")[2] in listed.stdout and secret not in listed.stdout
    assert caplog.records, "the service logged nothing at DEBUG: the test would prove nothing"
    assert secret not in caplog.text
    stored = b"".join(
        path.read_bytes() for path in Path(service.settings.database).parent.glob("service0*")
    )
    assert secret.encode() not in stored


@pytest.fixture
def openai_server_with_model(openai_server: ScriptedOpenAIServer) -> str:
    openai_server.set_handler(DraftingModel())
    return openai_server.base_url


def test_jobs_are_visible_only_to_their_key_and_to_read_only_keys(
    service: RunningService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another write key gets the same 404 as for an id that does not exist (not a 403, which
    would tell that the job exists); read-only (review) keys read every job but change none."""
    monkeypatch.setenv("SUMMARIZER_EVAL_SETS", str(tmp_path / "sets"))
    database = service.settings.database
    other = make_key(database, name="another team")
    reviewer = make_key(database, name="reviewer", read_only=True)
    batch = service.request("POST", "/v1/batches", [{"id": "one", **ARTICLE}]).json()["id"]
    summary = service.request("POST", "/v1/summaries", ARTICLE)
    assert summary.status == 200
    summary_id = summary.headers["location"].rsplit("/", 1)[-1]
    queued = service.request("POST", "/v1/summaries", {**ARTICLE, "mode": "async"}).json()["id"]
    service.wait_for_batch(batch)
    save = {"output": {"job_id": summary_id}, "reviewed": {"headline_en": "x"}}
    reads = [
        ("GET", f"/v1/batches/{batch}", None),
        ("GET", f"/v1/batches/{batch}/results", None),
        ("GET", f"/v1/summaries/{summary_id}", None),
        ("GET", f"/v1/summaries/{queued}", None),
        ("GET", f"/v1/review/outputs/{summary_id}", None),
        ("GET", f"/v1/review/outputs/{batch}/articles", None),
        ("GET", f"/v1/review/outputs/{batch}?article_id=one", None),
    ]
    writes = [
        ("POST", f"/v1/batches/{batch}/cancel", None),
        ("POST", "/v1/eval-sets/mine/examples", save),
    ]

    for method, path, body in reads + writes:
        theirs = service.request(method, path, body, key=other)
        unknown = path.replace(batch, "bat_0").replace(summary_id, "x").replace(queued, "y")
        missing = service.request(method, unknown, body and {**body, "output": {"job_id": "x"}})
        assert theirs.status == 404, (path, theirs.body)
        assert theirs.json()["error"]["kind"] == missing.json()["error"]["kind"] == "not_found"
    for method, path, body in reads:
        assert service.request(method, path, body).status == 200, path  # the owner
        assert service.request(method, path, body, key=reviewer).status == 200, path
    for method, path, body in writes:
        refused = service.request(method, path, body, key=reviewer)
        assert refused.status == 403 and refused.json()["error"]["kind"] == "auth.forbidden"
    assert service.request("POST", f"/v1/batches/{batch}/cancel").status == 200
    assert service.request("POST", "/v1/eval-sets/mine/examples", save).status == 201


def test_reads_do_not_use_the_request_quota_meant_for_work(service: RunningService) -> None:
    limited = make_key(service.settings.database, name="poller", requests_per_minute=2)

    submitted = service.request("POST", "/v1/summaries", {**ARTICLE, "mode": "async"}, key=limited)
    job_url = submitted.json()["url"]
    polls = [service.request("GET", job_url, key=limited) for _ in range(15)]
    second = service.request("POST", "/v1/normalize", ARTICLE, key=limited)
    third = service.request("POST", "/v1/normalize", ARTICLE, key=limited)
    still_reading = service.request("GET", job_url, key=limited)

    assert submitted.status == 202
    assert [poll.status for poll in polls] == [200] * 15
    assert second.status == 200
    assert third.status == 429 and "2 requests per minute" in third.json()["error"]["message"]
    assert still_reading.status == 200


async def test_reads_have_their_own_far_higher_limit(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "reads.sqlite3")
    await store.open()
    try:
        _, record = await create_key(store, name="poller", requests_per_minute=2)
        who = Principal(record.key_id, requests_per_minute=2)
        limit = read_limit(who)
        assert limit is not None and limit >= 600
        for _ in range(limit):
            await admit(store, who, reading=True, now=1000.0)
        with pytest.raises(QuotaExceededError, match=f"{limit} reads per minute"):
            await admit(store, who, reading=True, now=1000.0)
        await admit(store, who, now=1000.0)  # the work quota is untouched by the reads
    finally:
        await store.close()
