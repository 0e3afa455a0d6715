"""A review link (``/?job=ID``) opened in a new tab, where no key is stored yet: the page says the
key is missing, and once a valid key is entered the job opens by itself (no click on Open).
A wrong key does not open it. In a real headless Chromium against the real service."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from review_helpers import SEED_TEXT, browser_page
from service_helpers import RunningService

pytestmark = pytest.mark.browser


def test_the_addressed_job_opens_once_a_key_is_entered(service: RunningService) -> None:
    response = service.request("POST", "/v1/summaries", {"text": SEED_TEXT})
    job_id = response.headers["location"].rsplit("/", 1)[-1]
    with browser_page() as page:
        opened: list[str] = []
        page.on(
            "request",
            lambda request: (
                opened.append(request.url) if "/v1/review/outputs/" in request.url else None
            ),
        )
        page.goto(f"{service.base_url}/?job={job_id}&article=article")
        status = page.locator("#status")
        expect(status).to_contain_text("Refused: an API key is required")
        expect(status).to_contain_text("It opens once a valid key is entered.")
        expect(page.locator("#review")).to_be_hidden()

        page.fill("#api-key", "sk-not-a-key-of-this-service")
        page.click("#key-form button[type=submit]")
        expect(page.locator("#session")).to_have_text("no valid key")
        page.wait_for_timeout(500)
        expect(page.locator("#review")).to_be_hidden()
        assert len(opened) == 1  # a wrong key does not retry the open

        page.fill("#api-key", service.key or "")
        page.click("#key-form button[type=submit]")
        expect(page.locator("#session")).to_have_text("as default")
        expect(page.locator("#review")).to_be_visible()  # no click on Open
        expect(status).to_contain_text(f"Opened {job_id} / article.")
        expect(page.locator("#people .entity")).not_to_have_count(0)
        assert len(opened) == 2
