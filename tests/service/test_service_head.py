"""``HEAD`` is answered like ``GET`` without a body: uptime monitors and load balancers probe
``HEAD /healthz`` and ``HEAD /``, which were 405 (FastAPI routes take only the methods named)."""

from __future__ import annotations

import pytest
from service_helpers import RunningService


@pytest.mark.parametrize(
    "path", ["/healthz", "/readyz", "/metrics", "/", "/review/static/review.js"]
)
def test_head_gets_the_status_and_headers_of_get_and_no_body(
    service: RunningService, path: str
) -> None:
    got = service.request("GET", path)
    head = service.request("HEAD", path)
    assert got.status == 200 and got.body
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if path != "/metrics":  # its counters move between the two requests
        assert head.headers["content-length"] == str(len(got.body))


def test_head_of_a_stored_job_needs_the_key_like_get(service: RunningService) -> None:
    created = service.request(
        "POST", "/v1/summaries", {"text": "北京市政府今天宣布新的交通规划。", "mode": "async"}
    )
    assert created.status == 202, created.body
    job = created.headers["location"]
    assert service.request("HEAD", job).status == 200
    refused = service.request("HEAD", job, key=None)
    assert (refused.status, refused.body) == (401, b"")
    assert service.request("HEAD", "/v1/summaries/nope").status == 404


def test_a_post_only_route_still_refuses_head(service: RunningService) -> None:
    assert service.request("HEAD", "/v1/batches").status == 405
