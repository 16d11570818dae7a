"""HTTPS through the forward proxy: the client trusts mitmproxy's CA, faults and injection work."""

from __future__ import annotations

import asyncio
import re
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy

from .conftest import episode_proxy
from .faultkit import records

pytestmark = pytest.mark.proxy


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        html = self.path == "/page"
        body = b"<html><head></head><body>secure</body></html>" if html else b'{"ok": true}'
        self.send_response(200)
        self.send_header("content-type", "text/html" if html else "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def https_app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS app on 127.0.0.1 with a self-signed certificate; yields (url, cert path)."""
    cert, key = tmp_path / "app.pem", tmp_path / "app.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()


def test_https_through_the_mitmproxy_ca(https_app: tuple[str, Path], tmp_path: Path) -> None:
    url, app_cert = https_app
    confdir = tmp_path / "mitm"
    with EmbeddedProxy(
        ledger_dir=tmp_path / "ledgers",
        confdir=confdir,
        app_host="127.0.0.1",  # the first request is no page load: name the app up front
        mitm_options={"ssl_verify_upstream_trusted_ca": str(app_cert)},
    ) as proxy:
        fault = {
            "id": "e",
            "kind": "http_error",
            "match": {"path": "/api/*"},
            "params": {"status": 503},
        }
        proxy.set_plan({"episode": "tls", "seed": 1, "faults": [fault], "page_script": "var a=1;"})
        ca = confdir / "mitmproxy-ca-cert.pem"
        with httpx.Client(proxy=episode_proxy(proxy, "tls"), verify=str(ca)) as client:
            api = client.get(f"{url}/api/x")
            page = client.get(f"{url}/page")
        with (
            httpx.Client(proxy=episode_proxy(proxy, "tls")) as untrusting,
            pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
        ):
            untrusting.get(f"{url}/page")
        paths = [(r["path"], r["status"]) for r in records(proxy, "tls", "response")]
    assert api.status_code == 503
    assert re.match(
        r'<html><head><script data-gymfuzz="runtime" data-gymfuzz-plan="\w+">var a=1;</script>',
        page.text,
    )
    assert paths == [("/api/x", 503), ("/page", 200)]


def test_connect_without_an_episode_is_challenged(
    https_app: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = https_app
    with (
        EmbeddedProxy(confdir=tmp_path / "mitm") as proxy,
        httpx.Client(proxy=proxy.url) as client,
        pytest.raises(httpx.ProxyError, match="407"),
    ):
        client.get(f"{url}/page")


def test_other_https_hosts_can_be_tunnelled_untouched(
    https_app: tuple[str, Path], tmp_path: Path
) -> None:
    url, app_cert = https_app  # on 127.0.0.1, which is not the app here
    fault = {"id": "e", "kind": "http_error", "params": {"status": 503}}
    with EmbeddedProxy(
        ledger_dir=tmp_path / "ledgers",
        confdir=tmp_path / "mitm",
        app_host="127.0.0.2",
        passthrough_other_hosts=True,
    ) as proxy:
        proxy.set_plan({"episode": "tls", "seed": 1, "faults": [fault]})
        # The client trusts the app's own certificate only: it gets through because the
        # proxy never decrypts the tunnel.
        with httpx.Client(proxy=episode_proxy(proxy, "tls"), verify=str(app_cert)) as client:
            resp = client.get(f"{url}/api/x")
        seen = records(proxy, "tls", "request")
    assert resp.status_code == 200 and resp.json() == {"ok": True}
    assert seen == []


def test_passthrough_needs_an_app_host() -> None:
    with pytest.raises(ValueError, match="passthrough_other_hosts: needs an app_host"):
        EmbeddedProxy(passthrough_other_hosts=True)


def test_throttle_drips_https_through_its_tunnel(
    https_app: tuple[str, Path], tmp_path: Path
) -> None:
    url, app_cert = https_app
    confdir = tmp_path / "mitm"
    throttle = {"id": "t", "kind": "throttle", "params": {"bytes_per_s": 20_000}}
    with EmbeddedProxy(
        ledger_dir=tmp_path / "ledgers",
        confdir=confdir,
        app_host="127.0.0.1",
        mitm_options={"ssl_verify_upstream_trusted_ca": str(app_cert)},
    ) as proxy:
        proxy.set_plan({"episode": "tls", "seed": 1, "faults": [throttle]})
        ca = confdir / "mitmproxy-ca-cert.pem"
        with httpx.Client(proxy=episode_proxy(proxy, "tls"), verify=str(ca)) as client:
            resp = client.get(f"{url}/api/x")
        assert asyncio.run(proxy.wait_idle("tls")) is True
        [rec] = records(proxy, "tls", "response")
    assert resp.json() == {"ok": True}
    [facts] = rec["faults"]
    # TLS to the app runs inside the tunnel: its handshake and records drip as well.
    assert facts["bytes"] > 1000 and facts["streamed"] is True
