"""Stopping the proxy closes the connections it holds: the browser's and the app's."""

from __future__ import annotations

import base64
import gc
import socket
import warnings
from pathlib import Path

import pytest

from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream

pytestmark = pytest.mark.proxy


def test_stop_closes_client_and_app_connections(upstream: Upstream, tmp_path: Path) -> None:
    proxy = EmbeddedProxy(upstream=upstream.url, ledger_dir=tmp_path).start()
    auth = base64.b64encode(b"ep-s:x").decode()
    client = socket.create_connection(("127.0.0.1", proxy.port))
    try:
        # one answered request on a kept-alive connection: mitmproxy now holds a client
        # connection and, behind it, one to the app, both idle
        client.sendall(
            f"GET {upstream.url}/ok HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic {auth}"
            "\r\n\r\n".encode()
        )
        assert client.recv(65536).startswith(b"HTTP/1.1 ")
        client.settimeout(0.5)
        with pytest.raises(TimeoutError):
            while client.recv(65536):  # the rest of the answer; then the connection idles
                pass
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            proxy.stop()
            gc.collect()
        leaks = [str(w.message) for w in seen if issubclass(w.category, ResourceWarning)]
        assert leaks == []
        try:
            closed = client.recv(1) == b""
        except ConnectionResetError:
            closed = True
        assert closed  # the proxy closed the browser's connection
    finally:
        client.close()
