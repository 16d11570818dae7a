"""A real upstream HTTP server and a real embedded mitmproxy for proxy tests."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from proxy_addons.embedded import EmbeddedProxy

PAGE = "<!doctype html><html><head><title>t</title></head><body><p>héllo</p></body></html>"


class Upstream:
    """A tiny app with a 'database' (a list of writes) and the headers it saw."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.writes: list[dict[str, Any]] = []
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        #: extra GET routes: path -> (body, headers)
        self.routes: dict[str, tuple[bytes, dict[str, str]]] = {}
        #: extra POST routes answering any body: path -> (status, body, headers)
        self.post_routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        self.lock = threading.Lock()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes, ctype: str, **extra: str) -> None:
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(body)))
                for k, v in extra.items():
                    self.send_header(k.replace("_", "-"), v)
                self.end_headers()
                self.wfile.write(body)

            def _record(self) -> None:
                with upstream.lock:
                    upstream.seen.append((self.command, self.path, dict(self.headers.items())))

            def do_GET(self) -> None:
                self._record()
                if self.path in upstream.routes:
                    body, headers = upstream.routes[self.path]
                    self.send_response(200)
                    for k, v in {"content-length": str(len(body)), **headers}.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                elif self.path == "/page":
                    self._send(200, PAGE.encode(), "text/html; charset=utf-8")
                elif self.path == "/page.gz":
                    body = gzip.compress(PAGE.encode())
                    self._send(200, body, "text/html; charset=utf-8", content_encoding="gzip")
                elif self.path == "/writes":
                    with upstream.lock:
                        body = json.dumps(upstream.writes).encode()
                    self._send(200, body, "application/json")
                else:
                    self._send(200, json.dumps({"path": self.path}).encode(), "application/json")

            def do_PUT(self) -> None:  # recorded, so a test sees a PUT that reached the app
                self._record()
                self._send(200, b"{}", "application/json")

            do_DELETE = do_PUT

            def do_POST(self) -> None:
                self._record()
                n = int(self.headers.get("content-length", "0"))
                if self.path in upstream.post_routes:
                    self.rfile.read(n)
                    status, body, headers = upstream.post_routes[self.path]
                    self.send_response(status)
                    for k, v in {"content-length": str(len(body)), **headers}.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                    return
                data = json.loads(self.rfile.read(n) or b"{}")
                with upstream.lock:
                    upstream.writes.append(data)
                    body = json.dumps({"id": len(upstream.writes)}).encode()
                self._send(201, body, "application/json")

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    up = Upstream()
    try:
        yield up
    finally:
        up.close()


@pytest.fixture
def other_upstream() -> Iterator[Upstream]:
    """A second app on another loopback address: another host, not the app under test."""
    up = Upstream("127.0.0.2")
    try:
        yield up
    finally:
        up.close()


@pytest.fixture
def proxy(upstream: Upstream, tmp_path: Path) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(upstream=upstream.url, ledger_dir=tmp_path / "ledgers") as p:
        yield p


def episode_proxy(proxy: EmbeddedProxy, episode: str) -> str:
    """The forward-proxy URL with ``episode`` as its username (httpx sends it pre-emptively)."""
    return f"http://{episode}:x@{proxy.listen_host}:{proxy.port}"
