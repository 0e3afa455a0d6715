"""A body over the limit gets its 413 even when the client is still sending it.

HTTP/1.1 clients such as ``http.client`` and ``requests`` send the whole body before they read
the answer. If the server answers and closes while part of the body is still on its way, the
client's next write fails (broken pipe, connection reset) and the typed 413 is never read. This
happened with any client streaming a chunked body more slowly than the server read it (a slow
link, a loaded machine).
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator

from service_helpers import ServiceFactory

from summarizer.service import EngineSettings

LIMIT = 4096


def _slow_chunks() -> Iterator[bytes]:
    """Ten 1,000-byte chunks, 50 ms apart: the limit is passed with most of the body unsent."""
    for _ in range(10):
        yield b"x" * 1000
        time.sleep(0.05)


def test_a_slowly_streamed_body_over_the_limit_is_answered_413(
    service_factory: ServiceFactory,
) -> None:
    service = service_factory(engines=EngineSettings(engine="offline"), max_body_bytes=LIMIT)
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/v1/summaries",
            body=_slow_chunks(),
            headers={"Content-Type": "text/plain", "Authorization": f"Bearer {service.key}"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()

    assert response.status == 413, body
    assert b'"kind":"input.too_large"' in body
