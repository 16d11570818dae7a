"""``throttle`` through a real mitmproxy: the body drips to (or from) a real client."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream, episode_proxy
from .faultkit import fault, plan, records

pytestmark = pytest.mark.proxy

BODY = bytes(range(256)) * 16  # 4096 bytes


def _settled(proxy: EmbeddedProxy, episode: str) -> list[dict[str, Any]]:
    # A streamed body reaches the client before the proxy writes its response record.
    assert asyncio.run(proxy.wait_idle(episode, timeout=10)) is True
    return records(proxy, episode, "response")


def test_response_drips_in_slices_at_the_rate(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    upstream.routes["/api/file"] = (BODY, {"content-type": "application/octet-stream"})
    rate, chunk = 8000, 512
    proxy.set_plan(plan("ep", fault("throttle", bytes_per_s=rate, chunk_bytes=chunk)))
    arrivals: list[tuple[float, int]] = []
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=20) as client:
        t0 = time.monotonic()
        with client.stream("GET", f"{upstream.url}/api/file") as resp:
            for piece in resp.iter_raw():
                arrivals.append((time.monotonic() - t0, len(piece)))
        total_ms = (time.monotonic() - t0) * 1000
    assert sum(n for _, n in arrivals) == len(BODY)
    [rec] = _settled(proxy, "ep")
    [facts] = rec["faults"]
    head_and_body = facts["bytes"]
    assert head_and_body > len(BODY)  # status line and headers cross the slow link too
    assert facts["delay_ms"] == round(head_and_body * 1000 / rate, 3)
    assert facts["streamed"] is True and facts["chunk_bytes"] == chunk
    # The whole transfer takes at least what the bandwidth allows...
    assert total_ms >= facts["delay_ms"]
    assert facts["took_ms"] >= facts["delay_ms"] - chunk * 1000 / rate
    # ...and the client got its first bytes long before the last: the body dripped.
    first_ms = arrivals[0][0] * 1000
    assert first_ms < total_ms / 3
    assert len(arrivals) >= len(BODY) // chunk // 2


def test_response_body_is_byte_identical(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    upstream.routes["/api/file"] = (BODY, {"content-type": "application/octet-stream"})
    proxy.set_plan(plan("ep", fault("throttle", bytes_per_s=50_000, chunk_bytes=100)))
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=20) as client:
        dripped = client.get(f"{upstream.url}/api/file")
        again = client.get(f"{upstream.url}/api/file")  # the next request on the same client
    assert dripped.content == BODY and again.content == BODY
    assert [r["status"] for r in _settled(proxy, "ep")] == [200, 200]


def test_request_body_drips_to_the_app(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    rate = 4000
    proxy.set_plan(plan("ep", fault("throttle", bytes_per_s=rate, direction="request")))
    payload = {"note": "x" * 2000}
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=20) as client:
        t0 = time.monotonic()
        resp = client.post(f"{upstream.url}/api/notes", json=payload)
        total_ms = (time.monotonic() - t0) * 1000
    assert resp.status_code == 201
    assert upstream.writes == [payload]
    [facts] = _settled(proxy, "ep")[0]["faults"]
    assert facts["direction"] == "request"
    assert facts["bytes"] > 2000
    assert total_ms >= facts["delay_ms"] == round(facts["bytes"] * 1000 / rate, 3)


def test_html_with_page_script_arrives_whole_after_the_drip(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    throttle = fault("throttle", path="/page", bytes_per_s=2000, first_byte_ms=100)
    proxy.set_plan({**plan("ep", throttle), "page_script": "window.t = 1;"})
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=20) as client:
        t0 = time.monotonic()
        page = client.get(f"{upstream.url}/page", headers={"accept": "text/html"})
        total_ms = (time.monotonic() - t0) * 1000
    assert '">window.t = 1;</script>' in page.text and 'data-gymfuzz="runtime"' in page.text
    [rec] = _settled(proxy, "ep")
    [facts] = rec["faults"]
    assert rec["injected"] is True and facts["streamed"] is False
    assert total_ms >= facts["delay_ms"] >= 100


def test_reverse_listener_drips_too(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    upstream.routes["/api/file"] = (BODY, {"content-type": "application/octet-stream"})
    proxy.set_plan({"seed": 1, "faults": [fault("throttle", bytes_per_s=40_000, chunk_bytes=256)]})
    with httpx.Client(timeout=20) as client:
        resp = client.get(f"{proxy.reverse_url}/api/file")
    assert resp.content == BODY
    [facts] = _settled(proxy, None)[0]["faults"]
    assert facts["streamed"] is True and facts["bytes"] > len(BODY)


def test_unreachable_app_behind_the_drip_is_a_clear_error(tmp_path: Any) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    with EmbeddedProxy(upstream=dead, ledger_dir=tmp_path) as proxy:
        proxy.set_plan(plan("ep", fault("throttle", bytes_per_s=1000)))
        with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=10) as client:
            assert client.get(f"{dead}/api/x").status_code == 502
            assert client.get(f"{dead}/api/y").status_code == 502  # and it keeps serving
        assert asyncio.run(proxy.wait_idle("ep", timeout=10)) is True
        errors = records(proxy, "ep", "error")
    assert [e["path"] for e in errors] == ["/api/x", "/api/y"]
    assert all(e["reached_backend"] is False for e in errors)
    assert all("connect call failed" in e["faults"][0]["failure"].lower() for e in errors)


def test_max_ms_caps_the_drip(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    upstream.routes["/api/file"] = (BODY, {"content-type": "application/octet-stream"})
    # 4 KB at 100 B/s would take 40 s; the cap sends the rest after 300 ms.
    proxy.set_plan(plan("ep", fault("throttle", bytes_per_s=100, chunk_bytes=10, max_ms=300)))
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=10) as client:
        assert client.get(f"{upstream.url}/api/file").content == BODY
    [facts] = _settled(proxy, "ep")[0]["faults"]
    assert facts["delay_ms"] == 300.0 and facts["bytes"] > len(BODY)
