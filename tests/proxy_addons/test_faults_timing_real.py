"""Faults that act on time and order, through a real mitmproxy with real clients."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
import pytest

from proxy_addons import seeding
from proxy_addons.embedded import EmbeddedProxy
from proxy_addons.faults import make_fault
from proxy_addons.faults.base import Draw
from proxy_addons.faults.latency import LatencyFault

from .conftest import Upstream, episode_proxy
from .faultkit import fault, plan, records
from .wskit import MESSAGES, receive_all, ws_server

pytestmark = pytest.mark.proxy


def test_lognormal_latency_is_replayed_exactly(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    f = fault("latency", ms=200, distribution="lognormal", sigma=0.5, max_ms=1500)
    proxy.set_plan(plan("ep", f))
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=10) as client:
        waited = []
        for i in range(3):
            t0 = time.monotonic()
            client.get(f"{upstream.url}/api/{i}")
            waited.append((time.monotonic() - t0) * 1000)
    recorded = [r["faults"][0]["delay_ms"] for r in records(proxy, "ep", "response")]
    fault_obj = make_fault("latency", f["params"])
    assert isinstance(fault_obj, LatencyFault)
    expected = [
        round(fault_obj.delay_ms(Draw(11, "f-latency", f"GET /api/{i}", 1)), 3) for i in range(3)
    ]
    assert recorded == expected
    assert len(set(recorded)) == 3  # drawn per request, not one fixed value
    assert all(w >= d for w, d in zip(waited, recorded, strict=True))


def test_reorder_completes_in_the_seeded_permutation(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    seed = 9
    f = fault("reorder", group=4, gap_ms=300)
    proxy.set_plan(plan("ep", f, seed=seed))
    finished: list[int] = []
    lock = threading.Lock()

    def get(i: int) -> None:
        with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=20) as client:
            client.get(f"{upstream.url}/api/{i}")
        with lock:
            finished.append(i)

    threads = []
    for i in range(4):
        threads.append(threading.Thread(target=get, args=(i,)))
        threads[-1].start()
        time.sleep(0.1)
    for t in threads:
        t.join(30)
    permutation = list(range(4))  # permutation[rank] = the arrival released at that rank
    seeding.rng(seed, "f-reorder", "reorder", 0).shuffle(permutation)
    assert permutation != [0, 1, 2, 3]  # this seed really shuffles
    assert asyncio.run(proxy.wait_idle("ep")) is True
    facts = {r["path"]: r["faults"][0] for r in records(proxy, "ep", "response")}
    # Arrival order is the proxy's (a loaded machine may reorder the sending threads).
    arrival = {i: facts[f"/api/{i}"]["arrival"] for i in range(4)}
    assert sorted(arrival.values()) == [0, 1, 2, 3]
    assert all(permutation[facts[f"/api/{i}"]["release"]] == arrival[i] for i in range(4))
    by_arrival = sorted(range(4), key=arrival.__getitem__)
    assert finished == [by_arrival[a] for a in permutation]


def test_reorder_releases_an_incomplete_group(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(plan("ep", fault("reorder", group=5, max_wait_ms=200)))
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=10) as client:
        assert client.get(f"{upstream.url}/api/alone").status_code == 200
    assert records(proxy, "ep", "response")[0]["faults"][0]["release"] == 0


def test_websocket_drop_is_seeded_and_recorded(tmp_path: Path) -> None:
    f = {
        "id": "ws",
        "kind": "websocket",
        "match": {"path": "/feed"},
        "params": {"action": "drop", "message_probability": 0.5},
    }
    with (
        ws_server() as base,
        EmbeddedProxy(upstream=base, ledger_dir=tmp_path) as proxy,
    ):
        proxy.set_plan({"seed": 3, "faults": [f]})
        port = proxy.reverse_port
        assert port is not None
        runs = [receive_all("127.0.0.1", port, "/feed") for _ in range(2)]
        direct = receive_all("127.0.0.1", int(base.rsplit(":", 1)[1]), "/feed")
        dropped = records(proxy, None, "websocket")
    assert direct == [f"m{i}" for i in range(MESSAGES)]
    # Each message is decided by its own keyed draw: (seed, id, request key, connection, index).
    for k, got in enumerate(runs, start=1):
        keep = [i for i in range(MESSAGES) if seeding.unit(3, "ws", "GET /feed", k, i) >= 0.5]
        assert got == [f"m{i}" for i in keep]
    assert 0 < len(runs[0]) < MESSAGES
    first_conn = dropped[: MESSAGES - len(runs[0])]
    kept = {int(m[1:]) for m in runs[0]}
    assert {d["message"] for d in first_conn} == set(range(MESSAGES)) - kept
    assert all(d["action"] == "drop" and d["from"] == "server" for d in dropped)


def test_websocket_delay_holds_every_message(tmp_path: Path) -> None:
    f = {"id": "ws", "kind": "websocket", "params": {"action": "delay", "ms": 100}}
    with ws_server() as base, EmbeddedProxy(upstream=base, ledger_dir=tmp_path) as proxy:
        proxy.set_plan({"seed": 3, "faults": [f]})
        port = proxy.reverse_port
        assert port is not None
        t0 = time.monotonic()
        got = receive_all("127.0.0.1", port, "/feed")
        took = time.monotonic() - t0
        delayed = records(proxy, None, "websocket")
    assert got == [f"m{i}" for i in range(MESSAGES)]  # nothing lost, order kept
    assert took >= MESSAGES * 0.1  # each message waited its turn behind the previous one
    assert [(d["action"], d["message"]) for d in delayed] == [("delay", i) for i in range(MESSAGES)]
