"""A loopback HTTP proxy in front of a real model server that counts chat requests at the server.

Why: whether requests waited in the server's queue cannot be read from the servers themselves
(llama-cpp-python logs a request only when it ends); every request passes the proxy, so it sees
how many of ours were at the server at once (being worked on or waiting there).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2 as httpx

#: Response headers not passed on: the proxy sends the body whole, with its own length.
_HOP_HEADERS = frozenset({"connection", "transfer-encoding", "content-length", "keep-alive"})


class CountingProxy:
    """Forwards everything to ``upstream`` (a server root, no ``/v1``); counts chat requests."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.chat_requests = 0
        self.at_server = 0
        self.most_at_server = 0
        self._lock = threading.Lock()
        self._http = httpx.Client(timeout=600.0)

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> httpx.Response:
        chat = path.endswith("/chat/completions")
        if chat:
            with self._lock:
                self.chat_requests += 1
                self.at_server += 1
                self.most_at_server = max(self.most_at_server, self.at_server)
        try:
            return self._http.request(method, self.upstream + path, headers=headers, content=body)
        finally:
            if chat:
                with self._lock:
                    self.at_server -= 1


def _handler(proxy: CountingProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _relay(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            sent = {
                k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
            }
            try:
                answer = proxy.forward(self.command, self.path, sent, body)
            except httpx.HTTPError:
                self.send_error(502)
                return
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in _HOP_HEADERS:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = _relay

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


@contextmanager
def counting_proxy(upstream: str) -> Iterator[tuple[CountingProxy, str]]:
    """The proxy and its base URL (``http://127.0.0.1:PORT/v1``) until the block ends."""
    proxy = CountingProxy(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy, f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        proxy._http.close()
