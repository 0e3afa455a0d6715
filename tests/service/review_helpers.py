"""Review-page test helpers: scripted model drafts, planted payloads, the browser, the real CLI.

(A uniquely named module, not ``conftest``, so that imports never meet another folder's conftest.)
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from service_helpers import ROOT, SEED_PATH

from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer, valid_draft
from summarizer.text import prepare

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
#: Runs (sets ``window.__pwned``, opens a dialog) if it is ever parsed as HTML instead of shown.
PLANTED = (
    '</script><script>window.__pwned = 1; alert("script")</script>'
    "<img src=x onerror=\"window.__pwned = 2; alert('img')\">"
)
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
#: A spelling the output checks accept (a romanization of 张建华, given name first) that a
#: reviewer corrects to the house style; a misspelling ("Zhang Jianhau") is re-asked now.
MISSPELLED = "Jianhua Zhang"
CORRECT = "Zhang Jianhua"
USAGE = (900, 700)


def seed_draft() -> dict[str, Any]:
    """A valid draft of the seed whose only person's English name is misspelled."""
    draft = valid_draft(prepare(SEED_TEXT), key_points=4)
    draft["people"] = [
        {
            "name_as_written": "张建华",
            "name_en": MISSPELLED,
            "role_as_written": "市委常委、区委书记",
            "role_en": "Member of the Standing Committee of the Municipal Party Committee; "
            "Secretary of the District Party Committee",
            "organization_en": "Tongzhou District Party Committee",
        }
    ]
    draft["places"] = [{"name_as_written": "通州", "name_en": "Tongzhou"}]
    return draft


def hostile_article() -> str:
    # A transliterated foreign name: its name_en needs no pinyin, so the payload stays in it.
    return SEED_TEXT + "\n导演斯皮尔伯格在现场看到标语：" + PLANTED + "。\n"


def hostile_draft(article: str) -> dict[str, Any]:
    """A valid draft whose every free-text field carries the planted payload."""
    draft = valid_draft(prepare(article), key_points=3)
    draft["headline_en"] = PLANTED
    draft["summary_en"] = "The district held a meeting. " + PLANTED
    draft["key_points"][0]["text_en"] = PLANTED
    draft["people"] = [
        {
            "name_as_written": "斯皮尔伯格",
            "name_en": PLANTED,
            "role_as_written": "区委书记",
            "role_en": PLANTED,
            "organization_en": PLANTED,
        }
    ]
    draft["organizations"] = [{"name_as_written": "区委", "name_en": PLANTED}]
    draft["events"] = [{"date_as_written": "12月13日", "date_iso": None, "description_en": PLANTED}]
    draft["topics"] = [PLANTED, "local government", "planning"]
    draft["translation"]["paragraphs_en"][-1] = PLANTED
    return draft


@contextmanager
def scripted_model(draft: dict[str, Any]) -> Iterator[ScriptedOpenAIServer]:
    """An OpenAI-compatible server on loopback that answers every request with ``draft``."""
    server = ScriptedOpenAIServer().start()

    def answer(_: RecordedRequest) -> Reply:
        return Reply.json(copy.deepcopy(draft), usage=USAGE)

    server.set_handler(answer)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def browser_page() -> Iterator[Any]:
    """A page in Debian's headless Chromium; fails (never skips) when Chromium is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            "headless Chromium is required for the review page tests: "
            "run `apt-get update && apt-get install -y chromium` (make test does this)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            yield context.new_page()
        finally:
            browser.close()


def run_cli(*args: str, sets_root: Path) -> subprocess.CompletedProcess[str]:
    """The real ``summarizer`` CLI in a subprocess, reading user sets from ``sets_root``."""
    env = {
        **os.environ,
        "SUMMARIZER_EVAL_SETS": str(sets_root),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
