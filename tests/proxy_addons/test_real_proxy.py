"""Faults, routing, injection and the ledger, through a real mitmproxy with a real client."""

from __future__ import annotations

import time

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy
from proxy_addons.ledger import read_ledger

from .conftest import Upstream, episode_proxy

pytestmark = pytest.mark.proxy


def _plan(episode: str, *faults: dict[str, object], script: str | None = None) -> dict[str, object]:
    return {"episode": episode, "seed": 11, "faults": list(faults), "page_script": script}


def _ledger(proxy: EmbeddedProxy, episode: str) -> list[dict[str, object]]:
    path = proxy.ledger_path(episode)
    assert path is not None
    return list(read_ledger(path))


def test_latency_is_observed_by_the_client(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    fault = {"id": "slow", "kind": "latency", "match": {"path": "/api/*"}, "params": {"ms": 400}}
    proxy.set_plan(_plan("ep-lat", fault))
    with httpx.Client(proxy=episode_proxy(proxy, "ep-lat")) as client:
        t0 = time.monotonic()
        assert client.get(f"{upstream.url}/api/slow").status_code == 200
        slow = time.monotonic() - t0
        t0 = time.monotonic()
        assert client.get(f"{upstream.url}/other").status_code == 200
        fast = time.monotonic() - t0
    assert slow >= 0.4
    assert fast < slow
    responses = [r for r in _ledger(proxy, "ep-lat") if r["type"] == "response"]
    [facts] = responses[0]["faults"]
    assert facts.pop("held_ms") >= 399.0  # asyncio may wake within its clock resolution
    assert facts == {"id": "slow", "kind": "latency", "delay_ms": 400.0, "phase": "request"}
    assert responses[1]["faults"] == []


@pytest.mark.parametrize(("when", "writes", "reached"), [("before", 0, False), ("after", 1, True)])
def test_http_error_before_vs_after_backend(
    proxy: EmbeddedProxy, upstream: Upstream, when: str, writes: int, reached: bool
) -> None:
    fault = {
        "id": "boom",
        "kind": "http_error",
        "match": {"methods": ["POST"], "path": "/api/bookings"},
        "params": {"status": 503, "when": when, "retry_after": 2},
    }
    proxy.set_plan(_plan("ep-err", fault))
    with httpx.Client(proxy=episode_proxy(proxy, "ep-err")) as client:
        resp = client.post(f"{upstream.url}/api/bookings", json={"date": "2026-12-14"})
    assert resp.status_code == 503
    assert resp.headers["retry-after"] == "2"
    assert len(upstream.writes) == writes
    [rec] = [r for r in _ledger(proxy, "ep-err") if r["type"] == "response"]
    assert rec["reached_backend"] is reached
    assert rec["status"] == 503


def test_trigger_and_probability_pick_the_same_requests_on_replay(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    fault = {
        "id": "flaky",
        "kind": "http_error",
        "match": {"path": "/api/*"},
        "trigger": {"start": 2},
        "probability": 0.5,
        "params": {"status": 500},
    }
    runs = []
    for episode in ("ep-a", "ep-b"):
        proxy.set_plan({**_plan(episode, fault), "seed": 3})
        with httpx.Client(proxy=episode_proxy(proxy, episode)) as client:
            runs.append([client.get(f"{upstream.url}/api/x").status_code for _ in range(20)])
    assert runs[0] == runs[1]
    assert runs[0][0] == 200  # start=2: the first request is never a candidate
    assert 500 in runs[0] and runs[0].count(200) > 1


def test_page_script_injected_into_gzip_html(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(_plan("ep-html", script="window.__x = '</script>';"))
    with httpx.Client(proxy=episode_proxy(proxy, "ep-html")) as client:
        page = client.get(f"{upstream.url}/page.gz")
        api = client.get(f"{upstream.url}/api/data")
    assert page.headers["content-encoding"] == "gzip"
    text = page.text
    assert text.startswith('<!doctype html><html><head><script data-gymfuzz="runtime" ')
    assert "window.__x = '<\\/script>';</script><title>" in text
    assert "héllo" in text
    assert api.json() == {"path": "/api/data"}


def test_unauthenticated_forward_client_is_challenged(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    with httpx.Client(proxy=proxy.url) as client:
        resp = client.get(f"{upstream.url}/api/x")
    assert resp.status_code == 407
    assert resp.headers["proxy-authenticate"].startswith("Basic")
    assert upstream.seen == []


def test_reverse_listener_serves_default_plan(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    with httpx.Client() as client:
        resp = client.get(f"{proxy.reverse_url}/api/x")
    assert resp.json() == {"path": "/api/x"}
    [(_, _, headers)] = upstream.seen
    assert "X-Gymfuzz-Episode" not in headers


def test_episode_header_reaches_upstream_and_credentials_do_not(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    with httpx.Client(proxy=episode_proxy(proxy, "ep-7")) as client:
        client.get(f"{upstream.url}/api/x")
    [(_, _, headers)] = upstream.seen
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["x-gymfuzz-episode"] == "ep-7"
    assert "proxy-authorization" not in lowered


def test_page_events_are_recorded_and_never_forwarded(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    proxy.set_plan(_plan("ep-ev"))
    event = {"seq": 0, "perturbation": "m1", "kind": "modal", "event": "fired"}
    with httpx.Client(proxy=episode_proxy(proxy, "ep-ev")) as client:
        resp = client.post(f"{upstream.url}/__gymfuzz/events", json=event)
    assert resp.status_code == 204
    assert upstream.seen == []
    pages = [r for r in _ledger(proxy, "ep-ev") if r["type"] == "page"]
    assert pages == [{**event, "type": "page", "seq": pages[0]["seq"], "t_ms": pages[0]["t_ms"]}]


def test_a_failing_fault_never_breaks_the_flow(
    proxy: EmbeddedProxy, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    from proxy_addons.faults.latency import LatencyFault

    async def explode(self: object, flow: object, draw: object) -> dict[str, object]:
        raise RuntimeError("bug in a fault")

    monkeypatch.setattr(LatencyFault, "on_request", explode)
    fault = {"id": "bad", "kind": "latency", "params": {"ms": 1}}
    proxy.set_plan(_plan("ep-bug", fault))
    with httpx.Client(proxy=episode_proxy(proxy, "ep-bug")) as client:
        resp = client.get(f"{upstream.url}/api/x")
    assert resp.json() == {"path": "/api/x"}
    errors = [r for r in _ledger(proxy, "ep-bug") if r["type"] == "hook_error"]
    assert errors and "bug in a fault" in str(errors[0]["error"])


def test_in_flight_count_drains(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(_plan("ep-idle"))
    with httpx.Client(proxy=episode_proxy(proxy, "ep-idle")) as client:
        client.get(f"{upstream.url}/api/x")
    assert proxy.inflight("ep-idle") == 0
