"""The HTML report in a real headless Chromium: renders with charts, no console errors, and a
script planted in an article or a model output does not run.

Needs the Debian ``chromium`` package (``apt-get install -y chromium``; ``make test`` installs it).
When it is missing this test FAILS with that instruction: a silently skipped browser test would
hide an unchecked XSS surface.
"""

from __future__ import annotations

import json
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer.config import ModelConfig
from summarizer.engines.openai import OpenAIEngine
from summarizer.eval.goldset import load_set, write_set
from summarizer.eval.run import run_eval
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PLANTED = (
    '</script><script>window.__pwned = 1; document.title = "pwned";</script>'
    '<img src=x onerror="window.__pwned = 2">'
)

pytestmark = pytest.mark.browser


def _hostile_run(tmp_path: Path) -> Path:
    """A two-example set whose articles, outputs, names, failure reason and raw answers all carry a
    planted script: one example with an output, one that failed."""
    (example,) = load_set("seed").examples
    data = example.to_json()
    data["id"] = "hostile-" + PLANTED
    data["source"] = example.source + "\n" + PLANTED
    data["source_clean"] = [*example.source_clean, PLANTED]
    failed = dict(data, id="failed-" + PLANTED, source=example.source + "\n" + PLANTED + " 2")
    folder = tmp_path / "hostile-set"
    write_set(
        folder,
        {
            "name": "hostile",
            "version": "1",
            "description": PLANTED,
            "provenance": PLANTED,
            "license": "test",
        },
        [data, failed],
    )
    translation = [*example.translations()[0], PLANTED]
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(
        json.dumps(
            {
                "id": data["id"],
                "headline": PLANTED,
                "summary": "Zhang Jianhau spoke. " + PLANTED,
                "translation": translation,
                "key_points": [PLANTED],
                "evidence": [PLANTED],
                "people": [{"name": PLANTED, "name_en": PLANTED}],
            },
            ensure_ascii=False,
        )
        + "\n"
        + json.dumps(
            {
                "id": failed["id"],
                "error": {
                    "kind": "model_output.invalid",
                    "message": "still invalid: " + PLANTED,
                    "problems": ["summary_en: " + PLANTED],
                    "attempts": [
                        {
                            "kind": "content",
                            "usage": {"prompt_tokens": 10, "completion_tokens": 5},
                            "latency_ms": 12.0,
                            "error": "OutputValidationError",
                            "raw_answer": '{"summary_en": "' + PLANTED + '"}',
                        }
                    ],
                },
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    run_eval(folder, predictions_path=predictions, out_dir=out, resamples=200)
    return out / "report.html"


def test_report_renders_with_charts_and_planted_scripts_stay_inert(tmp_path: Path) -> None:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.fail(
            "headless Chromium is required for the HTML report test: "
            "run `apt-get update && apt-get install -y chromium` (make test does this)"
        )
    from playwright.sync_api import sync_playwright

    report = _hostile_run(tmp_path)
    html = report.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # no external assets
    assert "https://" not in html

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("window.__pwned") is None
            assert page.title() != "pwned" and page.title().startswith("Eval report")
            # two examples make no distribution: no chart, and the page says why
            assert page.locator("svg rect").count() == 0
            assert "summary.rougeL (n=1 < 5)" in page.locator("#no-chart").inner_text()
            assert page.locator("table#summary tr").count() > 5
            # the inline script ran (it fills the counter) and its data survived escaping
            assert page.locator("#shown").inner_text() == "Showing 2 of 2 examples"
            page.locator("#filter").select_option("flagged")
            assert page.locator("#shown").inner_text() == "Showing 1 of 2 examples"
            page.locator("#filter").select_option("all")
            page.locator("#expand-all").click()
            # the planted text is shown as text everywhere: ids, output, names, failure, raw answer
            ids = page.locator("tbody.ex button.toggle").all_inner_texts()
            assert ids == ["hostile-" + PLANTED, "failed-" + PLANTED]
            assert page.locator("mark").count() >= 1  # the misspelled name is highlighted
            assert page.locator("table.entities td.extra").first.inner_text() == PLANTED
            assert page.locator(".failure .reason").inner_text() == "still invalid: " + PLANTED
            raw = page.locator("pre.raw").inner_text()
            assert raw == '{"summary_en": "' + PLANTED + '"}'
            page.locator("#search").fill("onerror")
            assert page.locator("#shown").inner_text() == "Showing 2 of 2 examples"
            assert page.evaluate("window.__pwned") is None
            page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        finally:
            browser.close()
    assert errors == []


PROSE_ANSWER = "Sorry, I can only describe it: the article is about <b>news</b>."


def _forty_example_run(
    tmp_path: Path, server: ScriptedOpenAIServer, good: Callable[[RecordedRequest], Reply]
) -> tuple[Path, list[dict[str, Any]]]:
    """A real engine run on zh-news-summaries (40 examples) against the scripted server, where the
    model answers prose instead of JSON for about a quarter of the articles.

    The engine does not record raw answers yet; the HTML report reads them from
    ``attempts[].raw_answer`` of each failed prediction line. This run adds the answer the scripted
    server actually sent there (the field the engine is to fill), then scores the lines.
    """

    def handler(request: RecordedRequest) -> Reply:
        article = next(m["content"] for m in request.messages if m["role"] == "user")
        if zlib.crc32(article.encode("utf-8")) % 4 == 0:
            return Reply.text(PROSE_ANSWER, usage=(50, 20))
        return good(request)

    server.set_handler(handler)
    config = ModelConfig(model="test-model", base_url=server.base_url, max_reasks=1)
    generated = tmp_path / "generated"
    run_eval("zh-news-summaries", engine=OpenAIEngine(config), out_dir=generated, resamples=200)
    lines = [
        json.loads(line)
        for line in (generated / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    for line in lines:
        for attempt in line.get("error", {}).get("attempts", []):
            if attempt.get("error") == "OutputValidationError":
                attempt["raw_answer"] = PROSE_ANSWER
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    out = tmp_path / "run"
    run_eval("zh-news-summaries", predictions_path=predictions, out_dir=out, resamples=200)
    scores = [
        json.loads(line) for line in (out / "scores.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    return out / "report.html", scores


def test_forty_examples_worst_first_with_one_sort_and_one_click(
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
    fake_model: Callable[[RecordedRequest], Reply],
) -> None:
    if not CHROMIUM.exists():
        pytest.fail("headless Chromium is required: run `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    report, scores = _forty_example_run(tmp_path, openai_server, fake_model)
    failed = [s for s in scores if s["error"]]
    assert 0 < len(failed) < 40
    rouge = {s["id"]: s["metrics"]["evidence_zh.rougeL"] for s in scores if not s["error"]}
    worst_rouge = min(rouge, key=lambda key: rouge[key])
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(report.as_uri())
            assert page.locator("#shown").inner_text() == "Showing 40 of 40 examples"
            height = page.evaluate("document.documentElement.scrollHeight")
            assert height < 9000  # the collapsed table; the old page was far taller
            (tmp_path / "height.txt").write_text(str(height), encoding="utf-8")
            # charts only where they mean something, with counts on the bars
            assert page.locator("figure.chart").count() >= 1
            assert page.locator("figure.chart text.count").count() >= 2

            # one sort: schema_valid, worst first; one click: the first row opens
            page.locator("table#examples th", has_text="schema_valid").click()
            first = page.locator("tbody.ex").first
            first.locator("tr.summary-row").click()
            detail = first.locator("tr.detail")
            assert detail.is_visible()
            assert first.locator("button.toggle").inner_text() in {s["id"] for s in failed}
            reason = detail.locator(".failure")
            assert reason.is_visible()
            assert "model_output.invalid" in reason.inner_text()
            assert "failed validation" in reason.inner_text()
            raw = detail.locator("pre.raw").first
            assert raw.is_visible() and raw.inner_text() == PROSE_ANSWER  # as text, not bold
            assert detail.locator("table.attempts tr").count() >= 3  # header + attempt rows
            ledger = detail.locator("table.ledger tr").nth(1).locator("td").all_inner_texts()
            assert ledger[4:6] == ["2", "1"]  # two attempts: the answer was sent back once
            page.screenshot(path=str(tmp_path / "worst-first.png"))

            # sorting by a quality metric puts its lowest scored example first (n/a last)
            page.locator("table#examples th", has_text="evidence_zh.").click()
            assert page.locator("tbody.ex button.toggle").first.inner_text() == worst_rouge
            assert page.locator("tbody.ex").last.locator("td.na").count() >= 1

            # filter by error kind, by metric, and search
            page.locator("#filter").select_option("error:model_output.invalid")
            shown = f"Showing {len(failed)} of 40 examples"
            assert page.locator("#shown").inner_text() == shown
            page.locator("#filter").select_option("all")
            page.locator("#metric-filter").select_option(label="evidence_zh.rougeL")
            page.locator("#metric-op").select_option("na")
            assert page.locator("#shown").inner_text() == shown
            page.locator("#metric-filter").select_option("")
            page.locator("#search").fill(worst_rouge)
            assert page.locator("#shown").inner_text() == "Showing 1 of 40 examples"

            # a link into the report opens that example (comparisons link this way)
            anchor = page.locator("tbody.ex", has_text=worst_rouge).get_attribute("id")
            page.goto(report.as_uri() + "#" + str(anchor))
            assert page.locator(f"tbody#{anchor} tr.detail").is_visible()
            # CJK text carries its lang (the font stack picks simplified glyphs)
            assert page.locator(f'tbody#{anchor} td[lang="zh-Hans"]').count() >= 1
        finally:
            browser.close()
    assert errors == []
