"""The control API through a real mitmproxy: token, atomic replace, bad plans, ledger."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream, episode_proxy

pytestmark = pytest.mark.proxy

TOKEN = "s3cret-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def cproxy(upstream: Upstream, tmp_path: Path) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(
        upstream=upstream.url, ledger_dir=tmp_path / "ledgers", control_token=TOKEN
    ) as p:
        yield p


def _error_plan(status: int) -> dict[str, object]:
    fault = {
        "id": "e",
        "kind": "http_error",
        "match": {"path": "/api/*"},
        "params": {"status": status},
    }
    return {"seed": 1, "faults": [fault]}


def test_health_needs_no_token_and_the_rest_does(cproxy: EmbeddedProxy, upstream: Upstream) -> None:
    base = f"{cproxy.reverse_url}/__gymfuzz/control"
    with httpx.Client() as client:
        assert client.get(f"{base}/health").json()["ok"] is True
        assert client.put(f"{base}/plans/ep", json=_error_plan(500)).status_code == 401
        wrong = client.put(
            f"{base}/plans/ep", json=_error_plan(500), headers={"authorization": "Bearer nope"}
        )
        assert wrong.status_code == 401
        assert client.get(f"{base}/ledger/ep", headers=AUTH).status_code == 404
    assert upstream.seen == []


def test_bad_plan_is_rejected_and_the_old_one_stays(
    cproxy: EmbeddedProxy, upstream: Upstream
) -> None:
    base = f"{cproxy.reverse_url}/__gymfuzz/control"
    with httpx.Client() as control, httpx.Client(proxy=episode_proxy(cproxy, "ep")) as client:
        assert (
            control.put(f"{base}/plans/ep", json=_error_plan(502), headers=AUTH).status_code == 204
        )
        bad = _error_plan(502)
        bad["faults"][0]["params"] = {"status": 200}  # type: ignore[index]
        resp = control.put(f"{base}/plans/ep", json=bad, headers=AUTH)
        assert resp.status_code == 400
        assert resp.json()["error"] == "ep.faults[0].params.status: 200 is less than 400"
        assert control.put(f"{base}/plans/ep", content=b"{", headers=AUTH).status_code == 400
        assert client.get(f"{upstream.url}/api/x").status_code == 502  # old plan still on
        assert control.delete(f"{base}/plans/ep", headers=AUTH).status_code == 204
        assert client.get(f"{upstream.url}/api/x").status_code == 200
        ledger = control.get(f"{base}/ledger/ep", headers=AUTH)
    assert ledger.headers["content-type"] == "application/x-ndjson"
    statuses = [r.get("status") for r in map(json.loads, ledger.text.splitlines())]
    assert 502 in statuses


def test_replace_is_atomic_for_flows_in_flight(cproxy: EmbeddedProxy, upstream: Upstream) -> None:
    slow = {"id": "slow", "kind": "latency", "match": {"path": "/api/slow"}, "params": {"ms": 600}}
    cproxy.set_plan({"episode": "ep", "seed": 1, "faults": [slow]})
    results: dict[str, int] = {}

    def in_flight() -> None:
        with httpx.Client(proxy=episode_proxy(cproxy, "ep"), timeout=10) as client:
            results["old"] = client.get(f"{upstream.url}/api/slow").status_code

    t = threading.Thread(target=in_flight)
    t.start()
    deadline = time.monotonic() + 10
    while cproxy.inflight("ep") == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cproxy.inflight("ep") == 1
    with httpx.Client() as control:
        resp = control.put(
            f"{cproxy.reverse_url}/__gymfuzz/control/plans/ep", json=_error_plan(503), headers=AUTH
        )
    assert resp.status_code == 204
    with httpx.Client(proxy=episode_proxy(cproxy, "ep"), timeout=10) as client:
        results["new"] = client.get(f"{upstream.url}/api/slow").status_code
    t.join(10)
    assert results == {"old": 200, "new": 503}
