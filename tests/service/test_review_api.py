"""The review API over real HTTP: corrected outputs become gold examples that `eval run` reads.

A real service (uvicorn on 127.0.0.1, its own SQLite file) summarizes through a scripted
OpenAI-compatible server; examples are saved into a per-test eval-sets folder
(``SUMMARIZER_EVAL_SETS``), then read back with the library and the real CLI.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from review_helpers import CORRECT, MISSPELLED, SEED_TEXT, run_cli, scripted_model, seed_draft
from service_helpers import RunningService, ServiceFactory, make_key, model_settings
from typer.testing import CliRunner

from summarizer.cli import app as cli_app
from summarizer.eval.goldset import load_set
from summarizer.service.keys import KEY_PREFIX


@pytest.fixture
def sets_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "eval-sets"
    monkeypatch.setenv("SUMMARIZER_EVAL_SETS", str(root))
    return root


def _summarize(service: RunningService, text: str, article_id: str = "article") -> str:
    response = service.request("POST", "/v1/summaries", {"text": text, "id": article_id})
    assert response.status == 200, response.body
    return response.headers["location"].rsplit("/", 1)[-1]


def _output(service: RunningService, job_id: str, article_id: str | None = None) -> dict[str, Any]:
    query = f"?article_id={article_id}" if article_id else ""
    response = service.request("GET", f"/v1/review/outputs/{job_id}{query}")
    assert response.status == 200, response.body
    output: dict[str, Any] = response.json()
    return output


def _editable(result: dict[str, Any]) -> dict[str, Any]:
    """The fields a reviewer edits, as a copy (editing it leaves ``result`` as served)."""
    fields = (
        "headline_en", "summary_en", "key_points", "people", "organizations", "places",
        "events", "topics", "translation",
    )  # fmt: skip
    return copy.deepcopy({name: result[name] for name in fields})


def test_a_corrected_name_is_saved_as_a_gold_example_that_eval_run_reads(
    service_factory: ServiceFactory, sets_root: Path, tmp_path: Path
) -> None:
    with scripted_model(seed_draft()) as model:
        service = service_factory(engines=model_settings(model.base_url))
        job_id = _summarize(service, SEED_TEXT, "tongzhou")
        output = _output(service, job_id)
    assert output["status"] == "ok" and output["article_id"] == "tongzhou"
    result = output["result"]
    assert result["people"][0]["name_en"] == MISSPELLED
    reviewed = _editable(result)
    reviewed["people"][0]["name_en"] = CORRECT

    response = service.request(
        "POST",
        "/v1/eval-sets/reviews/examples",
        {
            "output": {"job_id": job_id},
            "reviewed": reviewed,
            "source": SEED_TEXT,
            "note": "fixed the pinyin of the secretary's name",
            "license": "MIT",
        },
    )
    assert response.status == 201, response.body
    saved = response.json()
    assert saved["changes"] == [
        {"field": "people[0].name_en", "before": MISSPELLED, "after": CORRECT}
    ]
    assert saved["replaced"] is False and saved["example_id"] == "tongzhou"

    goldset = load_set(sets_root / "reviews")  # verifies the manifest's content hash
    assert saved["set"]["signature"] == goldset.signature and len(goldset) == 1
    (example,) = goldset.examples
    assert example.source == SEED_TEXT and example.license == "MIT"
    assert list(example.source_clean) == result["source"]["paragraphs"]
    assert example.references["people"] == [
        {
            "name": "张建华",
            "name_en": CORRECT,
            "titles": ["市委常委", "区委书记"],
            "titles_en": [
                "Member of the Standing Committee of the Municipal Party Committee",
                "Secretary of the District Party Committee",
            ],
        }
    ]
    assert example.references["headline"] == [result["headline_en"]]
    assert example.references["key_points"] == [p["text_en"] for p in result["key_points"]]
    assert example.translations() == [result["translation"]["paragraphs_en"]]

    review = example.extra["review"]
    key_id = service.key.split("-")[2] if service.key else ""
    assert review["reviewer"] == {"key_id": key_id, "name": "default"}
    reviewed_at = dt.datetime.strptime(review["reviewed_at"], "%Y-%m-%dT%H:%M:%SZ")
    age = dt.datetime.now(dt.UTC).replace(tzinfo=None) - reviewed_at
    assert dt.timedelta(0) <= age < dt.timedelta(minutes=5)
    origin = review["output"]
    assert (origin["job_id"], origin["job_kind"], origin["article_id"]) == (
        job_id,
        "summary",
        "tongzhou",
    )
    assert (origin["engine"], origin["model"]) == ("openai", "test-model")
    assert origin["prompt_version"] == result["meta"]["prompt_version"] is not None
    stored = json.dumps(result, sort_keys=True, ensure_ascii=False)
    assert origin["sha256"] == hashlib.sha256(stored.encode()).hexdigest()
    assert review["changes"] == saved["changes"]
    assert review["note"] == "fixed the pinyin of the secretary's name"
    assert "default" in example.provenance and job_id in example.provenance

    files = "".join(p.read_text("utf-8") for p in (sets_root / "reviews").iterdir())
    assert service.key and service.key not in files and KEY_PREFIX not in files

    listed = run_cli("eval", "sets", sets_root=sets_root)
    assert listed.returncode == 0, listed.stderr
    (line,) = [row for row in listed.stdout.splitlines() if row.startswith("reviews@")]
    assert line.split("\t")[:2] == [goldset.signature, "1 examples"]
    assert line.split("\t")[-1] == str(sets_root / "reviews")

    out = tmp_path / "run"
    scored = run_cli(
        "eval", "run", "--set", "reviews", "--engine", "offline", "--out", str(out),
        "--resamples", "200", sets_root=sets_root,
    )  # fmt: skip
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.startswith(f"# Eval report: {goldset.signature}")
    (row,) = (out / "scores.jsonl").read_text("utf-8").splitlines()
    assert json.loads(row)["id"] == "tongzhou"
    assert "people.f1" in json.loads(row)["metrics"]


def test_saving_the_same_id_replaces_the_example_and_bumps_the_version(
    service: RunningService, sets_root: Path
) -> None:
    job_id = _summarize(service, SEED_TEXT)
    reviewed = _editable(_output(service, job_id)["result"])
    body: dict[str, Any] = {"output": {"job_id": job_id}, "reviewed": reviewed}
    first = service.request("POST", "/v1/eval-sets/mine/examples", body).json()
    reviewed["headline_en"] = "District committee plans the next five years"
    second = service.request("POST", "/v1/eval-sets/mine/examples", body).json()
    third = service.request(
        "POST", "/v1/eval-sets/mine/examples", {**body, "example_id": "copy"}
    ).json()
    assert [first["set"]["version"], second["set"]["version"], third["set"]["version"]] == [
        "1",
        "2",
        "3",
    ]
    assert [first["replaced"], second["replaced"], third["replaced"]] == [False, True, False]
    assert [e.id for e in load_set(sets_root / "mine").examples] == ["article", "copy"]
    assert second["changes"] == [
        {
            "field": "headline_en",
            "before": None,
            "after": "District committee plans the next five years",
        }
    ]
    detail = service.request("GET", "/v1/eval-sets/mine").json()
    assert detail["set"]["examples"] == 2
    assert [(e["id"], e["reviewer"], e["changes"]) for e in detail["examples"]] == [
        ("article", "default", 1),
        ("copy", "default", 1),
    ]
    listed = service.request("GET", "/v1/eval-sets").json()
    assert [s["signature"] for s in listed["sets"]] == [load_set(sets_root / "mine").signature]


def test_the_source_must_be_the_article_the_output_was_made_from(
    service: RunningService, sets_root: Path
) -> None:
    job_id = _summarize(service, SEED_TEXT)
    result = _output(service, job_id)["result"]
    body: dict[str, Any] = {"output": {"job_id": job_id}, "reviewed": _editable(result)}
    refused = service.request(
        "POST", "/v1/eval-sets/mine/examples", {**body, "source": "另一篇文章。"}
    )
    assert refused.status == 400 and refused.json()["error"]["kind"] == "input"
    assert "not the article this output was made from" in refused.json()["error"]["message"]
    assert not (sets_root / "mine").exists()

    saved = service.request("POST", "/v1/eval-sets/mine/examples", body)
    assert saved.status == 201
    (example,) = load_set(sets_root / "mine").examples
    assert example.source == result["source"]["normalized_text"]
    assert example.extra["review"]["source"] == "normalized text of the output"


def test_set_names_are_checked_and_shipped_sets_are_never_written(
    service: RunningService, sets_root: Path
) -> None:
    job_id = _summarize(service, SEED_TEXT)
    body = {"output": {"job_id": job_id}, "reviewed": _editable(_output(service, job_id)["result"])}
    for bad in ("bad%20name", ".hidden", "a" * 65, "x%2F..%2F..%2Fescape"):
        response = service.request("POST", f"/v1/eval-sets/{bad}/examples", body)
        assert response.status in (404, 422), (bad, response.body)
        assert response.json()["error"]["kind"] in ("input.validation", "not_found")
    seed_manifest = Path(load_set("seed").path or ".") / "manifest.json"
    before = seed_manifest.read_bytes()
    shipped = service.request("POST", "/v1/eval-sets/seed/examples", body)
    assert shipped.status == 400 and shipped.json()["error"]["kind"] == "input.goldset"
    assert "shipped eval set" in shipped.json()["error"]["message"]
    assert seed_manifest.read_bytes() == before
    missing = service.request("GET", "/v1/eval-sets/nothing-here")
    assert missing.status == 404 and missing.json()["error"]["kind"] == "not_found"
    assert not sets_root.exists()


def test_only_a_finished_ok_output_of_a_known_job_can_be_saved(
    service: RunningService, sets_root: Path
) -> None:
    reviewed = {"headline_en": "x"}
    unknown = service.request(
        "POST",
        "/v1/eval-sets/mine/examples",
        {"output": {"job_id": "sum_nope"}, "reviewed": reviewed},
    )
    assert unknown.status == 404 and unknown.json()["error"]["kind"] == "not_found"
    invalid = service.request(
        "POST", "/v1/eval-sets/mine/examples", {"output": {}, "reviewed": reviewed}
    )
    assert invalid.status == 422
    job_id = _summarize(service, SEED_TEXT)
    lone_surrogate = json.dumps(
        {"output": {"job_id": job_id}, "reviewed": reviewed, "note": "\ud800"}
    )  # ASCII-escaped, as a client may send it
    refused = service.request(
        "POST",
        "/v1/eval-sets/mine/examples",
        lone_surrogate,
        headers={"Content-Type": "application/json"},
    )
    assert refused.status == 422 and refused.json()["error"]["kind"] == "input.validation"
    assert not (sets_root / "mine").exists()


def test_batch_articles_can_be_listed_opened_and_saved(
    service: RunningService, sets_root: Path
) -> None:
    items = [{"id": "a1", "text": SEED_TEXT}, {"id": "a2", "text": SEED_TEXT + "\n会议结束。"}]
    created = service.request("POST", "/v1/batches", items).json()
    assert service.wait_for_batch(created["id"])["state"] == "done"
    listed = service.request("GET", f"/v1/review/outputs/{created['id']}/articles").json()
    assert listed["job_kind"] == "batch" and not listed["truncated"]
    assert sorted((a["id"], a["status"]) for a in listed["articles"]) == [
        ("a1", "ok"),
        ("a2", "ok"),
    ]
    needs_article = service.request("GET", f"/v1/review/outputs/{created['id']}")
    assert needs_article.status == 400 and "article_id" in needs_article.json()["error"]["message"]
    absent = service.request("GET", f"/v1/review/outputs/{created['id']}?article_id=zzz")
    assert absent.status == 404
    output = _output(service, created["id"], "a2")
    assert output["job_kind"] == "batch" and output["article_id"] == "a2"
    saved = service.request(
        "POST",
        "/v1/eval-sets/batch-reviews/examples",
        {
            "output": {"job_id": created["id"], "article_id": "a2"},
            "reviewed": _editable(output["result"]),
            "source": SEED_TEXT + "\n会议结束。",
        },
    )
    assert saved.status == 201, saved.body
    (example,) = load_set(sets_root / "batch-reviews").examples
    assert example.id == "a2"
    assert example.extra["review"]["output"]["job_kind"] == "batch"
    assert example.extra["review"]["changes"] == []


def test_keys_read_only_keys_view_but_cannot_save_and_no_key_is_refused(
    service: RunningService, sets_root: Path
) -> None:
    job_id = _summarize(service, SEED_TEXT)
    reviewed = _editable(_output(service, job_id)["result"])
    body = {"output": {"job_id": job_id}, "reviewed": reviewed}
    assert service.request("POST", "/v1/eval-sets/mine/examples", body).status == 201

    reader = make_key(service.settings.database, name="reviewer", read_only=True)
    session = service.request("GET", "/v1/review/session", key=reader).json()
    assert session == {"key_id": reader.split("-")[2], "name": "reviewer", "read_only": True}
    assert service.request("GET", f"/v1/review/outputs/{job_id}", key=reader).status == 200
    assert service.request("GET", "/v1/eval-sets", key=reader).status == 200
    assert service.request("GET", "/v1/eval-sets/mine/export", key=reader).status == 200
    refused = service.request("POST", "/v1/eval-sets/other/examples", body, key=reader)
    assert refused.status == 403 and refused.json()["error"]["kind"] == "auth.forbidden"
    assert not (sets_root / "other").exists()

    for path in ("/v1/eval-sets", "/v1/eval-sets/mine", f"/v1/review/outputs/{job_id}"):
        missing = service.request("GET", path, key=None)
        assert missing.status == 401 and missing.json()["error"]["kind"] == "auth.missing"
    no_key = service.request("POST", "/v1/eval-sets/mine/examples", body, key=None)
    assert no_key.status == 401
    wrong = service.request("GET", "/v1/eval-sets", key=KEY_PREFIX + "0" * 12 + "-" + "0" * 48)
    assert wrong.status == 401 and wrong.json()["error"]["kind"] == "auth.invalid"

    revoked = make_key(service.settings.database, name="leaver")
    # a write key saves from its own outputs (another key's are not found for it)
    assert service.request("POST", "/v1/eval-sets/mine/examples", body, key=revoked).status == 404
    own = service.request("POST", "/v1/summaries", {"text": SEED_TEXT}, key=revoked)
    own_job = own.headers["location"].rsplit("/", 1)[-1]
    body = {"output": {"job_id": own_job}, "reviewed": reviewed}
    # ...and into its own sets only: "mine" is the default key's
    assert service.request("POST", "/v1/eval-sets/mine/examples", body, key=revoked).status == 404
    assert service.request("POST", "/v1/eval-sets/theirs/examples", body, key=revoked).status == 201
    revoking = CliRunner().invoke(
        cli_app, ["keys", "revoke", revoked.split("-")[2], "--db", service.settings.database]
    )
    assert revoking.exit_code == 0, revoking.output
    for method, path, sent in (
        ("GET", "/v1/eval-sets", None),
        ("GET", "/v1/eval-sets/mine/export", None),
        ("POST", "/v1/eval-sets/mine/examples", body),
    ):
        after = service.request(method, path, sent, key=revoked)
        assert after.status == 401 and after.json()["error"]["kind"] == "auth.invalid"
    assert len(load_set(sets_root / "mine")) == 1


def test_eval_sets_follow_the_isolation_of_the_jobs_they_are_made_from(
    service: RunningService, sets_root: Path
) -> None:
    job_id = _summarize(service, SEED_TEXT)
    reviewed = _editable(_output(service, job_id)["result"])
    body = {"output": {"job_id": job_id}, "reviewed": reviewed}
    assert service.request("POST", "/v1/eval-sets/mine/examples", body).status == 201
    other = make_key(service.settings.database, name="other")
    reviewer = make_key(service.settings.database, name="reviewer", read_only=True)

    # Another write key: the set does not exist for it (list, detail, export, save).
    assert service.request("GET", "/v1/eval-sets", key=other).json()["sets"] == []
    for path in ("/v1/eval-sets/mine", "/v1/eval-sets/mine/export"):
        hidden = service.request("GET", path, key=other)
        assert hidden.status == 404 and hidden.json()["error"]["kind"] == "not_found", path
    own = service.request("POST", "/v1/summaries", {"text": SEED_TEXT}, key=other)
    own_body = {"output": {"job_id": own.headers["location"].rsplit("/", 1)[-1]}}
    own_body["reviewed"] = reviewed
    assert service.request("POST", "/v1/eval-sets/mine/examples", own_body, key=other).status == 404
    assert len(load_set(sets_root / "mine")) == 1

    # The owner and review (read-only) keys see it; the export carries no key id.
    listed = service.request("GET", "/v1/eval-sets").json()["sets"]
    assert [item["name"] for item in listed] == ["mine"]
    assert service.request("GET", "/v1/eval-sets/mine", key=reviewer).status == 200
    export = service.request("GET", "/v1/eval-sets/mine/export", key=reviewer)
    assert export.status == 200
    with zipfile.ZipFile(io.BytesIO(export.body)) as archive:
        assert sorted(archive.namelist()) == ["mine/examples.jsonl", "mine/manifest.json"]

    # A set with no recorded owner (made outside the service): review keys only.
    (sets_root / "outside").mkdir()
    for filename in ("manifest.json", "examples.jsonl"):
        (sets_root / "outside" / filename).write_bytes((sets_root / "mine" / filename).read_bytes())
    manifest = json.loads((sets_root / "outside" / "manifest.json").read_text("utf-8"))
    manifest["name"] = "outside"
    (sets_root / "outside" / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert service.request("GET", "/v1/eval-sets/outside").status == 404
    assert service.request("GET", "/v1/eval-sets/outside", key=reviewer).status == 200


def test_export_is_a_zip_that_eval_run_reads_after_unzipping(
    service: RunningService, sets_root: Path, tmp_path: Path
) -> None:
    job_id = _summarize(service, SEED_TEXT)
    body = {"output": {"job_id": job_id}, "reviewed": _editable(_output(service, job_id)["result"])}
    assert service.request("POST", "/v1/eval-sets/exported/examples", body).status == 201
    response = service.request("GET", "/v1/eval-sets/exported/export")
    assert response.status == 200
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="exported.zip"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.body)) as archive:
        assert sorted(archive.namelist()) == ["exported/examples.jsonl", "exported/manifest.json"]
        archive.extractall(tmp_path / "unzipped")
        for name in ("examples.jsonl", "manifest.json"):
            assert archive.read(f"exported/{name}") == (sets_root / "exported" / name).read_bytes()
    assert load_set(tmp_path / "unzipped" / "exported").signature == (
        load_set(sets_root / "exported").signature
    )
    assert service.request("GET", "/v1/eval-sets/exported/export", key=None).status == 401


def test_the_page_is_static_with_a_strict_csp_and_no_inline_script(
    service: RunningService,
) -> None:
    page = service.request("GET", "/", key=None)
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "require-trusted-types-for 'script'" in policy
    html = page.body.decode()
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S)
    assert scripts == [""]  # one script, loaded from the package, with no inline body
    assert re.search(r"<script[^>]+src=\"/review/static/review\.js\"", html)
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers
    assert "http://" not in html and "https://" not in html  # no external assets

    script = service.request("GET", "/review/static/review.js", key=None)
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    code = "\n".join(
        line for line in script.body.decode().splitlines() if not line.strip().startswith("//")
    )
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code, sink
    assert service.request("GET", "/review/static/app.py", key=None).status == 404
    assert service.request("GET", "/review/static/..%2Fapp.py", key=None).status == 404
    schema = service.request("GET", "/openapi.json", key=None).json()
    assert "/v1/eval-sets/{name}/examples" in schema["paths"]
    assert "/" not in schema["paths"]
