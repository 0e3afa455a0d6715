"""The HTML report in a real headless Chromium: renders with charts, no console errors, and a
script planted in an article or a model output does not run.

Needs the Debian ``chromium`` package (``apt-get install -y chromium``; ``make test`` installs it).
When it is missing this test FAILS with that instruction: a silently skipped browser test would
hide an unchecked XSS surface.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarizer.eval.goldset import load_set, write_set
from summarizer.eval.run import run_eval

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
    """A one-example set whose article and prediction both carry a planted script."""
    (example,) = load_set("seed").examples
    data = example.to_json()
    data["id"] = "hostile-" + PLANTED
    data["source"] = example.source + "\n" + PLANTED
    data["source_clean"] = [*example.source_clean, PLANTED]
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
        [data],
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
            assert page.locator("svg rect").count() > 0
            assert page.locator("table#summary tr").count() > 5
            # the planted text is shown as text, in the source, output and heading
            assert page.locator("section.example h3").inner_text().startswith("hostile-</script>")
            assert page.locator("mark").count() >= 1  # the misspelled name is highlighted
            # the inline script ran (it fills the counter) and its data survived escaping
            assert page.locator("#shown").inner_text() == "1 of 1 shown"
            page.locator("#only-flagged").check()
            assert page.locator("#shown").inner_text() == "1 of 1 shown"
            page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        finally:
            browser.close()
    assert errors == []
