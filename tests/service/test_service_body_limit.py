"""A body over the limit gets its 413 even when the client is still sending it.

HTTP/1.1 clients such as ``http.client`` and ``requests`` send the whole body before they read
the answer. If the server answers and closes while part of the body is still on its way, the
client's next write fails (broken pipe, connection reset) and the typed 413 is never read. This
happened with any client streaming a chunked body more slowly than the server read it (a slow
link, a loaded machine), and with any body whose declared ``Content-Length`` was over the limit
and larger than the socket buffers.
"""

from __future__ import annotations

import http.client
import json
import socket
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


BIG = 8_000_000  # far more than the socket buffers hold: the client is still sending at the 413


def _raw_request(port: int, key: str, headers: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = (
        f"POST /v1/summaries HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: text/plain\r\n{headers}\r\n"
    )
    sock.sendall(head.encode())
    return sock


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode().split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
    while len(body) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, "the connection closed in the middle of the answer"
        body += chunk
    return int(status_line.split()[1]), headers, body


def test_a_declared_length_over_the_limit_is_a_clean_413_for_a_client_still_sending(
    service_factory: ServiceFactory,
) -> None:
    """``http.client`` (like ``requests``) sends all 8 MB before reading: before the fix the
    server answered at once and closed, and the client got a broken pipe or a reset."""
    service = service_factory(engines=EngineSettings(engine="offline"), max_body_bytes=LIMIT)
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/v1/summaries",
            body=b"x" * BIG,
            headers={"Content-Type": "text/plain", "Authorization": f"Bearer {service.key}"},
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()

    assert response.status == 413, body
    assert json.loads(body)["error"]["kind"] == "input.too_large"

    # The same on a raw socket: every byte of the body is accepted, then the JSON 413 is read.
    sock = _raw_request(service.port, str(service.key), f"Content-Length: {BIG}\r\n")
    try:
        for _ in range(BIG // 100_000):
            sock.sendall(b"y" * 100_000)
        status, headers, raw = _read_response(sock)
    finally:
        sock.close()
    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json.loads(raw)["error"]["kind"] == "input.too_large"


def test_expect_100_continue_gets_the_413_instead_of_the_go_ahead(
    service_factory: ServiceFactory,
) -> None:
    service = service_factory(engines=EngineSettings(engine="offline"), max_body_bytes=LIMIT)
    sock = _raw_request(
        service.port, str(service.key), f"Content-Length: {BIG}\r\nExpect: 100-continue\r\n"
    )
    try:
        status, _, raw = _read_response(sock)  # no body sent at all
    finally:
        sock.close()

    assert status == 413
    assert json.loads(raw)["error"]["kind"] == "input.too_large"
