"""A proxy asked to listen on a port that is already taken says so at once."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from proxy_addons.embedded import EmbeddedProxy, ProxyStartError
from tests.cli import gymfuzz

pytestmark = pytest.mark.proxy

#: generous against a noisy machine; a proxy that waits for its start-up deadline takes 30 s
BOUND_S = 10.0


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


def test_embedded_proxy_raises_naming_the_address(taken_port: int) -> None:
    t0 = time.monotonic()
    with pytest.raises(ProxyStartError, match=rf"127\.0\.0\.1:{taken_port} is already in use"):
        EmbeddedProxy(listen_port=taken_port).start()
    assert time.monotonic() - t0 < BOUND_S


@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "reverse"])
def test_gymfuzz_proxy_exits_2_with_one_line(taken_port: int, reverse: bool) -> None:
    upstream = ["--upstream", "http://127.0.0.1:9"] if reverse else []
    t0 = time.monotonic()
    proc = gymfuzz("proxy", "--listen-port", str(taken_port), *upstream, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert f"127.0.0.1:{taken_port} is already in use" in proc.stderr
    assert proc.stdout == ""
    # interpreter start-up included; before, the command waited ~31 s in silence
    assert time.monotonic() - t0 < BOUND_S + 5
