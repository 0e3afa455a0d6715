"""The review page in a real headless Chromium against the real service on loopback.

Open an article, follow a key point to its highlighted evidence, correct a name, save it, and see
it in `summarizer eval sets`; payloads planted in an article, in model output and in gold-set
metadata stay inert; a read-only key views but cannot save; no key is refused.

Needs the Debian ``chromium`` package; when it is missing these tests FAIL with the instruction
(a silently skipped browser test would hide an unchecked XSS surface).
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from review_helpers import (
    CORRECT,
    MISSPELLED,
    PLANTED,
    SEED_TEXT,
    browser_page,
    hostile_article,
    hostile_draft,
    run_cli,
    scripted_model,
    seed_draft,
)
from service_helpers import DraftingModel, RunningService, ServiceFactory, make_key, model_settings

from summarizer.eval.goldset import load_set, write_set
from summarizer.service import EngineSettings
from summarizer.testing import ScriptedOpenAIServer

pytestmark = pytest.mark.browser

EVIDENCE_HIGHLIGHT = "rgb(255, 224, 138)"  # --evidence-active in review.css


@pytest.fixture
def sets_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "eval-sets"
    monkeypatch.setenv("SUMMARIZER_EVAL_SETS", str(root))
    return root


def _watch(page: Page) -> dict[str, list[str]]:
    """Collect console errors, page errors, dialogs and CSP violations from now on."""
    seen: dict[str, list[str]] = {"errors": [], "dialogs": []}

    def console(message: Any) -> None:
        # the page asks who it is before a key is entered: Chromium logs that expected 401
        if message.type == "error" and "status of 401" not in message.text:
            seen["errors"].append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def dialog(d: Any) -> None:
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective));"
    )
    return seen


def _use_key(page: Page, key: str | None, expected_session: str) -> None:
    page.fill("#api-key", key or "")
    page.click("#key-form button[type=submit]")
    expect(page.locator("#session")).to_have_text(expected_session)


def _summarize(page: Page, text: str, article_id: str) -> None:
    page.fill("#article", text)
    page.fill("#article-id", article_id)
    page.click("#paste-form button[type=submit]")
    expect(page.locator("#review")).to_be_visible(timeout=30_000)


def test_open_follow_evidence_correct_a_name_save_and_see_it_in_eval_sets(
    service_factory: ServiceFactory, sets_root: Path, tmp_path: Path
) -> None:
    with scripted_model(seed_draft()) as model:
        service = service_factory(engines=model_settings(model.base_url))
        with browser_page() as page:
            seen = _watch(page)
            page.goto(service.base_url + "/")
            _use_key(page, service.key, "as default")
            _summarize(page, SEED_TEXT, "tongzhou")
            _review_and_save(page, tmp_path, sets_root)
            assert seen == {"errors": [], "dialogs": []}


def _review_and_save(page: Page, tmp_path: Path, sets_root: Path) -> None:
    """Read, follow evidence, correct a name, save, export, list: the reviewer's whole path."""
    # the source (with repairs marked) and the translation, paragraph by paragraph
    rows = page.locator("#paragraphs tr")
    paragraphs = rows.count()
    assert paragraphs == len(page.locator("td.source").all()) >= 8
    assert page.locator("td.source").first.get_attribute("lang") == "zh"
    assert page.locator("textarea.translation").first.get_attribute("lang") == "en"
    assert all(t.input_value() for t in page.locator("textarea.translation").all())
    assert page.locator("td.source .rep-mojibake").count() >= 1
    assert "mojibake" in (
        page.locator("td.source .rep-mojibake").first.get_attribute("title") or ""
    )
    assert page.locator("td.source .rep-mark").count() >= 100  # removed pinyin annotations

    # people with their titles and romanized names
    person = page.locator("#people .entity").first
    expect(person.locator("[data-field=name_as_written]")).to_have_value("张建华")
    expect(person.locator("[data-field=name_en]")).to_have_value(MISSPELLED)
    expect(person.locator("[data-field=role_as_written]")).to_have_value("市委常委、区委书记")

    # follow key point 3 to its evidence: highlighted, scrolled into view, the very span
    point = page.locator("#key-points li").nth(2)
    evidence = point.locator(".kp-evidence").input_value()
    assert evidence
    point.locator(".kp-link").click()
    active = page.locator("td.source .ev-active")
    expect(active.first).to_be_in_viewport()
    expect(active.last).to_be_in_viewport()
    assert "".join(active.all_text_contents()) == evidence
    background = active.first.evaluate("node => getComputedStyle(node).backgroundColor")
    assert background == EVIDENCE_HIGHLIGHT
    expect(point).to_have_class("kp selected")
    page.screenshot(path=str(tmp_path / "review-evidence.png"))

    # correct the name and save it into a named eval set
    person.locator("[data-field=name_en]").fill(CORRECT)
    expect(page.locator("#changes-summary")).to_have_text("1 field changed from the model output")
    page.fill("#set-name", "reviews")
    page.fill("#note", "pinyin of the secretary's name")
    page.click("#save-button")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Saved “tongzhou” in reviews@1#")
    expect(status).to_contain_text("1 field changed")
    page.screenshot(path=str(tmp_path / "review-saved.png"))

    # export: the download is the set, as files eval run reads
    with page.expect_download() as download:
        status.locator("button").click()
    archive_path = Path(download.value.path())
    with zipfile.ZipFile(archive_path) as archive:
        assert sorted(archive.namelist()) == ["reviews/examples.jsonl", "reviews/manifest.json"]

    # the saved example, through the library and the real CLI
    goldset = load_set(sets_root / "reviews")
    (example,) = goldset.examples
    assert example.id == "tongzhou" and example.source == SEED_TEXT
    assert example.references["people"][0]["name_en"] == CORRECT
    assert example.extra["review"]["changes"] == [
        {"field": "people[0].name_en", "before": MISSPELLED, "after": CORRECT}
    ]
    assert example.extra["review"]["note"] == "pinyin of the secretary's name"
    listed = run_cli("eval", "sets", sets_root=sets_root)
    assert listed.returncode == 0, listed.stderr
    assert any(
        line.startswith(f"{goldset.signature}\t1 examples") for line in listed.stdout.split("\n")
    )

    # and the page's own list of sets shows it
    page.click("#tab-sets")
    expect(page.locator("#set-list")).to_contain_text(goldset.signature)


def test_scripts_planted_in_article_model_output_and_set_metadata_stay_inert(
    service_factory: ServiceFactory, sets_root: Path, tmp_path: Path
) -> None:
    write_set(
        sets_root / "hostile-meta",
        {
            "name": "hostile-meta",
            "version": "1",
            "description": PLANTED,
            "provenance": PLANTED,
            "license": PLANTED,
        },
        [
            {
                "id": "meta-" + PLANTED,
                "source": PLANTED,
                "provenance": PLANTED,
                "license": PLANTED,
                "references": {},
                "extra": {
                    "review": {
                        "reviewer": {"key_id": "x", "name": PLANTED},
                        "reviewed_at": PLANTED,
                        "changes": [],
                        "note": PLANTED,
                    }
                },
            }
        ],
    )
    article = hostile_article()
    with scripted_model(hostile_draft(article)) as model:
        service = service_factory(engines=model_settings(model.base_url))
        assert service.key is not None
        # The planted set is the default key's (a set shows only to its owner and review keys).
        owner = {"key_id": service.key.split("-")[2]}
        (sets_root / ".hostile-meta.owner.json").write_text(json.dumps(owner), "utf-8")
        with browser_page() as page:
            seen = _watch(page)
            page.goto(service.base_url + "/")
            _use_key(page, service.key, "as default")
            _summarize(page, article, "hostile<img src=x onerror=alert(3)>")
            _check_hostile_page(page, seen, sets_root, tmp_path)


def _check_hostile_page(
    page: Page, seen: dict[str, list[str]], sets_root: Path, tmp_path: Path
) -> None:

    # the payloads are on the page as text: in the source, output fields and the translation
    source_text = page.locator("#paragraphs").inner_text()
    assert '</script><script>window.__pwned = 1; alert("script")</script>' in source_text
    repaired_tag = page.locator("td.source [title*='onerror']")
    assert repaired_tag.count() >= 1  # the stripped <img> tag is shown in its repair's title
    expect(page.locator("#headline")).to_have_value(PLANTED)
    expect(page.locator("#key-points .kp-text").first).to_have_value(PLANTED)
    expect(page.locator("#people [data-field=name_en]").first).to_have_value(PLANTED)
    expect(page.locator("textarea.translation").last).to_have_value(PLANTED)
    expect(page.locator("#origin")).to_contain_text("hostile<img src=x onerror=alert(3)>")

    # edits carrying payloads show in the change list and are saved as data
    page.fill("#headline", PLANTED + " (edited)")
    expect(page.locator("#change-list li")).to_have_count(1)
    expect(page.locator("#change-list code")).to_have_text("headline_en")
    page.fill("#set-name", "hostile-out")
    page.fill("#note", PLANTED)
    page.fill("#set-description", PLANTED)
    page.click("#save-button")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    (example,) = load_set(sets_root / "hostile-out").examples
    assert example.references["headline"] == [PLANTED + " (edited)"]

    # gold-set metadata: listed and opened
    page.click("#tab-sets")
    expect(page.locator("#set-list li")).to_have_count(2)
    expect(page.locator("#set-list")).to_contain_text(PLANTED)
    meta = page.locator("#set-list li", has_text="hostile-meta")
    meta.get_by_role("button", name="Examples").click()
    expect(page.locator("#set-detail table")).to_contain_text("meta-" + PLANTED)
    page.screenshot(path=str(tmp_path / "review-hostile.png"), full_page=True)

    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.title") == "Review · summarizer"
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("window.__violations") == []
    assert seen == {"errors": [], "dialogs": []}
    # and the policy is live: an HTML sink refuses strings (Trusted Types), so a slip would throw
    outcome = page.evaluate(
        "() => { try { document.body.insertAdjacentHTML('beforeend', '<b>x</b>');"
        " return 'parsed'; } catch (e) { return e.name; } }"
    )
    assert outcome == "TypeError"


def test_a_read_only_key_views_but_cannot_save_and_no_key_is_refused(
    service: RunningService, sets_root: Path
) -> None:
    response = service.request("POST", "/v1/summaries", {"text": SEED_TEXT})
    job_id = response.headers["location"].rsplit("/", 1)[-1]
    reader = make_key(service.settings.database, name="reader", read_only=True)
    with browser_page() as page:
        seen = _watch(page)
        _read_only_flow(page, service, job_id, reader, sets_root)
        assert [e for e in seen["errors"] if "status of 403" not in e] == []
        assert seen["dialogs"] == []


def _read_only_flow(
    page: Page, service: RunningService, job_id: str, reader: str, sets_root: Path
) -> None:

    # no key: the page opens, the output does not
    page.goto(f"{service.base_url}/?job={job_id}&article=article")
    expect(page.locator("#session")).to_have_text("no valid key")
    expect(page.locator("#status")).to_contain_text("Refused: an API key is required")
    expect(page.locator("#review")).to_be_hidden()

    # a read-only key: the output opens, saving is refused
    _use_key(page, reader, "as reader · read-only")
    page.click("#result-form button[type=submit]")
    expect(page.locator("#review")).to_be_visible()
    expect(page.locator("#people .entity")).not_to_have_count(0)
    expect(page.locator("#save-button")).to_be_disabled()
    expect(page.locator("#save-status")).to_contain_text("read-only")
    # forcing the button does not help: the server refuses the write
    page.evaluate("document.getElementById('save-button').disabled = false")
    page.fill("#set-name", "blocked")
    page.click("#save-button")
    expect(page.locator("#save-status")).to_contain_text("Refused: this API key is read-only")
    assert not (sets_root / "blocked").exists()


def test_a_batch_article_is_picked_from_its_batch_and_edited_evidence_is_checked(
    service: RunningService,
) -> None:
    items = [
        {"id": "first", "text": SEED_TEXT},
        {"id": "second", "text": SEED_TEXT + "\n会议结束。"},
    ]
    batch = service.request("POST", "/v1/batches", items).json()
    assert service.wait_for_batch(batch["id"])["state"] == "done"
    with browser_page() as page:
        seen = _watch(page)
        page.goto(service.base_url + "/")
        _use_key(page, service.key, "as default")
        page.click("#tab-result")
        page.fill("#job-id", batch["id"])
        page.click("#list-articles")
        expect(page.locator("#status")).to_contain_text("2 finished articles")
        assert sorted(
            o.get_attribute("value") or "" for o in page.locator("#job-articles option").all()
        ) == ["first", "second"]
        page.fill("#job-article-id", "second")
        page.click("#result-form button[type=submit]")
        expect(page.locator("#origin")).to_contain_text(f"{batch['id']} / second")
        assert page.locator("td.source").last.inner_text() == "会议结束。"
        # the offline engine quotes source sentences: every key point's evidence is found
        expect(page.locator("#key-points .kp-missing:visible")).to_have_count(0)
        evidence = page.locator("#key-points .kp-evidence").first
        evidence.fill("这句话不在文章里")
        evidence.dispatch_event("change")
        expect(page.locator("#key-points .kp-missing").first).to_be_visible()
        page.locator("#key-points .kp-link").first.click()
        expect(page.locator("#status")).to_contain_text("is not in the source")
        assert page.locator("td.source .ev-active").count() == 0
        assert "?job=" in page.url and "article=second" in page.url
        assert seen == {"errors": [], "dialogs": []}


def test_a_summary_answered_with_202_is_polled_until_it_opens(
    service_factory: ServiceFactory,
) -> None:
    service = service_factory(engines=EngineSettings(engine="offline"), sync_wait_seconds=0.0)
    accepted = service.request("POST", "/v1/summaries", {"text": SEED_TEXT, "id": "probe"})
    assert accepted.status == 202  # this service never waits: the page must poll
    with browser_page() as page:
        seen = _watch(page)
        page.goto(service.base_url + "/")
        _use_key(page, service.key, "as default")
        _summarize(page, SEED_TEXT, "polled")
        expect(page.locator("#origin")).to_contain_text("/ polled")
        expect(page.locator("#origin")).to_contain_text("offline")
        assert page.locator("#key-points li").count() >= 3
        assert seen == {"errors": [], "dialogs": []}


def _count_output_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/v1/review/outputs/" in r.url else None)
    return seen


def test_polling_stops_after_its_bound_with_a_visible_message(
    service_factory: ServiceFactory,
) -> None:
    """A job that never ends (no workers here) is polled for ``?wait=`` seconds, then not."""
    service = service_factory(engines=EngineSettings(engine="offline"), run_workers=False)
    job = service.request("POST", "/v1/summaries", {"text": SEED_TEXT, "mode": "async"}).json()
    with browser_page() as page:
        seen = _watch(page)
        polls = _count_output_requests(page)
        page.goto(service.base_url + "/")
        _use_key(page, service.key, "as default")
        page.goto(f"{service.base_url}/?job={job['id']}&wait=2")
        status = page.locator("#status")
        expect(status).to_contain_text(f"Waiting for {job['id']} (queued")
        # The page counts whole seconds when a poll returns: 2 s, or 3 s when a loaded machine
        # made its polls and timers take over a second in all.
        stopped = re.compile(
            rf"Stopped waiting for {re.escape(job['id'])}: still queued after [23] s"
        )
        expect(status).to_contain_text(stopped, timeout=10_000)
        assert status.get_attribute("data-kind") == "warn"
        made = len(polls)
        page.wait_for_timeout(2500)
        assert len(polls) == made and 2 <= made <= 5  # one a second, then none
        expect(page.locator("#review")).to_be_hidden()
        assert seen == {"errors": [], "dialogs": []}


def test_polling_stops_when_the_job_ends_without_a_summary(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(DraftingModel(delay=3.0, refuse=True))
    service = service_factory(engines=model_settings(openai_server.base_url))
    with browser_page() as page:
        seen = _watch(page)
        polls = _count_output_requests(page)
        page.goto(service.base_url + "/")
        _use_key(page, service.key, "as default")
        job = service.request("POST", "/v1/summaries", {"text": SEED_TEXT, "mode": "async"}).json()
        page.goto(f"{service.base_url}/?job={job['id']}")
        status = page.locator("#status")
        expect(status).to_contain_text("Waiting for")
        expect(status).to_contain_text("No summary to review (model_output.refusal", timeout=20_000)
        made = len(polls)
        page.wait_for_timeout(1500)
        assert len(polls) == made
        assert seen == {"errors": [], "dialogs": []}


_DOM_PIECES = """() => [...document.querySelectorAll('td.source')].map(cell =>
    [...cell.childNodes].map(node => [node.className || '', node.textContent]))"""


def test_repair_marks_of_an_html_page_sit_on_the_text_shown(service: RunningService) -> None:
    """An HTML page is summarized from its extracted text; the page shows that text, repaired,
    and every repair mark must sit exactly on its replacement there (a zero-width mark exactly
    where text was removed), never at an offset into the markup or the unrepaired text."""
    lines = [line for line in SEED_TEXT.split("\n") if line.strip()]
    page_html = (
        "<!doctype html><html><head><title>通州</title><script>var x = 1;</script></head>"
        '<body><nav><a href="/">首页</a> | <a href="/news">新闻</a></nav><article>'
        f"<h1>{html.escape(lines[0])}</h1>"
        + "".join(f"<p>{html.escape(line).replace('，', '，<br>', 1)}</p>" for line in lines[1:])
        + "</article><footer>版权所有 &copy; 2025</footer></body></html>"
    )
    with browser_page() as page:
        seen = _watch(page)
        page.goto(service.base_url + "/")
        _use_key(page, service.key, "as default")
        _summarize(page, page_html, "html-page")
        expect(page.locator("#origin")).to_contain_text("text extracted from HTML")
        for hidden in page.locator("#repair-legend button[aria-pressed=false]").all():
            hidden.click()  # show every kind, script conversions too
        pieces: list[list[list[str]]] = page.evaluate(_DOM_PIECES)
        job_id = page.evaluate("() => new URLSearchParams(location.search).get('job')")
        assert seen == {"errors": [], "dialogs": []}
    source = service.request("GET", f"/v1/summaries/{job_id}").json()["result"]["source"]
    text, repairs = source["normalized_text"], source["repairs"]
    assert "var x" not in text and "首页" not in text and "<" not in text

    shown = ["".join(piece[1] for piece in cell) for cell in pieces]
    assert shown == source["paragraphs"]  # the page shows the extracted, repaired text
    marked: dict[int, str] = {}  # offset in the shown text -> the character, when inside a mark
    removals: set[int] = set()  # offsets of zero-width marks
    cursor = 0
    for paragraph, cell in zip(source["paragraphs"], pieces, strict=True):
        at = text.index(paragraph, cursor)
        cursor = at + len(paragraph)
        for class_name, piece_text in cell:
            classes = class_name.split()
            if "rep-mark" in classes:
                removals.add(at)
            elif "rep" in classes:
                marked.update({at + k: char for k, char in enumerate(piece_text)})
            at += len(piece_text)
    ranged = [r for r in repairs if r["normalized_end"] > r["normalized_start"]]
    assert len(ranged) >= 100 and {r["kind"] for r in ranged} >= {"mojibake", "script"}
    for repair in ranged:
        start, end = repair["normalized_start"], repair["normalized_end"]
        assert "".join(marked.get(k, "") for k in range(start, end)) == repair["replacement"]
    assert {r["normalized_start"] for r in repairs if r not in ranged} == removals
    assert len(removals) >= 100  # removed pinyin annotations
