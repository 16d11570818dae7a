"""The episode relay in front of a real gymfuzz proxy: each request arrives as its episode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fuzzer.gym.miniwob import serve_html
from fuzzer.gym.relay import EpisodeRelay, body_length, name_request
from proxy_addons.embedded import EmbeddedProxy

pytestmark = [pytest.mark.proxy]


def test_name_request_replaces_credentials() -> None:
    head = b"GET http://a/ HTTP/1.1\r\nHost: a\r\nProxy-Authorization: Basic old\r\n\r\n"
    named = name_request(head, "ep-1")
    assert named.count(b"Proxy-Authorization") == 1
    assert named.endswith(b"Proxy-Authorization: Basic ZXAtMTpneW1mdXp6\r\n\r\n")
    assert name_request(head, None) == head


def test_body_length() -> None:
    assert body_length(b"POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n") == 12
    assert body_length(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") is None
    assert body_length(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 0
    with pytest.raises(ValueError):
        body_length(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n")


def test_bad_upstream_is_named() -> None:
    with pytest.raises(ValueError, match=r"upstream_proxy: expected http://host:port, got 'x'"):
        EpisodeRelay("x")


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(ledger_dir=tmp_path) as p:
        yield p


def _paths(proxy: EmbeddedProxy, episode: str) -> list[str]:
    path = proxy.ledger_path(episode)
    assert path is not None and path.exists(), episode
    records = [json.loads(line) for line in path.read_text().splitlines()]
    return [r["path"] for r in records if r.get("type") == "request"]


def test_requests_reach_the_proxy_as_the_current_episode(proxy: EmbeddedProxy) -> None:
    with (
        serve_html() as site,
        EpisodeRelay(proxy.url) as relay,
        httpx.Client(proxy=relay.url) as client,  # one keep-alive connection
    ):
        relay.episode = "ep-a"
        assert client.get(f"{site}/miniwob/click-button.html").status_code == 200
        relay.episode = "ep-b"
        # A body on the kept-alive connection; the next request must still be framed right.
        assert client.post(f"{site}/miniwob/form", content=b"x" * 5000).status_code == 501
        assert client.get(f"{site}/core/core.js").status_code == 200
        relay.episode = None
        # No episode named: the proxy challenges, as for any anonymous client.
        assert client.get(f"{site}/miniwob/click-button.html").status_code == 407
    assert _paths(proxy, "ep-a") == ["/miniwob/click-button.html"]
    assert _paths(proxy, "ep-b") == ["/miniwob/form", "/core/core.js"]
