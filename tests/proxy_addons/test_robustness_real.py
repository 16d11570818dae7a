"""Replay under concurrency, byte-identity at volume, dead upstreams and vanishing clients."""

from __future__ import annotations

import asyncio
import fnmatch
import socket
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy
from proxy_addons.envelope import OccurrenceTrigger

from .conftest import Upstream, episode_proxy
from .faultkit import records

pytestmark = pytest.mark.proxy

FLAKY = {
    "id": "flaky",
    "kind": "http_error",
    "match": {"path": "/api/aimed/*"},
    "probability": 0.3,
    "params": {"status": 503},
}
SLOW = {
    "id": "slow",
    "kind": "latency",
    "match": {"path": "/api/aimed/*"},
    "probability": 0.5,
    "params": {"ms": 2, "jitter_ms": 2},
}


async def _fetch_all(
    proxy_url: str, urls: list[str], concurrency: int
) -> list[tuple[str, int, bytes]]:
    limits = httpx.Limits(max_connections=concurrency)
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(proxy=proxy_url, limits=limits, timeout=30) as client:

        async def one(url: str) -> tuple[str, int, bytes]:
            async with sem:
                resp = await client.get(url)
                return url, resp.status_code, resp.content

        return await asyncio.gather(*(one(u) for u in urls))


def _decisions(proxy: EmbeddedProxy, episode: str) -> Counter[tuple[str, str, int, bool]]:
    out: Counter[tuple[str, str, int, bool]] = Counter()
    for rec in records(proxy, episode, "request"):
        for d in rec["decisions"]:
            out[(d["id"], rec["path"], d["occurrence"], d["fired"])] += 1
    return out


async def test_same_decisions_whatever_the_concurrency(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    urls = [f"{upstream.url}/api/aimed/{i % 7}" for i in range(140)]
    for episode, concurrency in (("serial", 1), ("parallel", 16)):
        proxy.set_plan({"episode": episode, "seed": 42, "faults": [FLAKY, SLOW]})
        await _fetch_all(episode_proxy(proxy, episode), urls, concurrency)
    serial, parallel = _decisions(proxy, "serial"), _decisions(proxy, "parallel")
    assert serial == parallel
    fired = sum(n for (_, _, _, f), n in serial.items() if f)
    assert 0 < fired < 280  # the probabilities really decide


def _curl_many(proxy_url: str, urls: list[str], out: Path) -> dict[str, tuple[int, bytes]]:
    """Fetch ``urls`` with one curl (16 in parallel, keep-alive): ``{url: (status, body)}``."""
    out.mkdir()
    config = out / "curl.cfg"
    config.write_text(
        "".join(f'url = "{u}"\noutput = "{out}/{i}"\n' for i, u in enumerate(urls)),
        encoding="utf-8",
    )
    write_out = "%{http_code} %{filename_effective}\n"
    done = subprocess.run(
        [
            *("curl", "-sS", "--parallel", "--parallel-max", "16", "--proxy", proxy_url),
            *("--max-time", "60", "-w", write_out, "-K", str(config)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    result = {}
    for line in done.stdout.splitlines():
        status, name = line.split(" ", 1)
        result[urls[int(Path(name).name)]] = (int(status), Path(name).read_bytes())
    return result


def test_ten_thousand_requests_untouched_unless_aimed_at(
    proxy: EmbeddedProxy, upstream: Upstream, tmp_path: Path
) -> None:
    # 10,000 requests through the proxy, 1 in 10 aimed at; the other 9,000 must come back
    # exactly as the app sends them directly.
    urls = [
        f"{upstream.url}/api/aimed/{i}" if i % 10 == 0 else f"{upstream.url}/api/plain/{i}"
        for i in range(10_000)
    ]
    proxy.set_plan({"episode": "bulk", "seed": 7, "faults": [FLAKY, SLOW]})
    through = _curl_many(episode_proxy(proxy, "bulk"), urls, tmp_path / "proxied")
    plain = [u for u in urls if "/plain/" in u]
    direct = _curl_many("", plain, tmp_path / "direct")
    assert len(through) == 10_000 and len(direct) == 9_000
    for url in plain:
        assert through[url] == direct[url], url
    aimed = [through[u][0] for u in urls if "/aimed/" in u]
    assert 0 < aimed.count(503) < 1000 and set(aimed) == {200, 503}
    assert len(records(proxy, "bulk", "response")) == 10_000


def test_dead_upstream_is_a_clear_502_with_a_ledger_entry(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"  # closed when the block ends
    with EmbeddedProxy(upstream=dead, ledger_dir=tmp_path) as proxy:
        proxy.set_plan({"episode": "ep", "seed": 1, "faults": []})
        with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=10) as client:
            resp = client.get(f"{dead}/api/x")
            assert resp.status_code == 502
            # The proxy keeps serving after it.
            assert client.get(f"{dead}/api/y").status_code == 502
        errors = records(proxy, "ep", "error")
    assert [e["path"] for e in errors] == ["/api/x", "/api/y"]
    assert all("connect call failed" in str(e["error"]).lower() for e in errors)
    assert all(e["reached_backend"] is False for e in errors)


def test_client_disconnecting_mid_delay(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    slow = {"id": "s", "kind": "latency", "match": {"path": "/api/slow"}, "params": {"ms": 800}}
    proxy.set_plan({"episode": "ep", "seed": 1, "faults": [slow]})
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=0.2) as client:
        for _ in range(3):
            with pytest.raises(httpx.ReadTimeout):
                client.get(f"{upstream.url}/api/slow")
    assert asyncio.run(proxy.wait_idle("ep", timeout=10)) is True
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=10) as client:
        assert client.get(f"{upstream.url}/api/fast").json() == {"path": "/api/fast"}
    paths = [r["path"] for r in records(proxy, "ep", "error")]
    assert paths.count("/api/slow") == 3


EVERY_THIRD: dict[str, Any] = {
    "id": "every-third",
    "kind": "http_error",
    "match": {"path": "/api/aimed/*"},
    "trigger": {"start": 2, "every": 3, "count": 8},
    "params": {"status": 503},
}
STALE_HALF: dict[str, Any] = {
    "id": "stale-half",
    "kind": "stale",
    "match": {"path": "/api/feed"},
    "trigger": {"start": 2, "every": 2},
    "probability": 0.5,
}
REORDER_PAIRS: dict[str, Any] = {
    "id": "reorder-pairs",
    "kind": "reorder",
    "match": {"path": "/api/order/*"},
    "trigger": {"every": 2},
    "params": {"group": 2, "gap_ms": 0, "max_wait_ms": 100},
}


def _pattern(proxy: EmbeddedProxy, episode: str, fault: dict[str, Any]) -> list[Any]:
    """Per matching request, in the order the proxy received them: its decision or None."""
    glob = fault["match"]["path"]
    out: list[Any] = []
    for rec in records(proxy, episode, "request"):
        if fnmatch.fnmatchcase(rec["path"], glob):
            mine = [d for d in rec["decisions"] if d["id"] == fault["id"]]
            out.append((mine[0]["occurrence"], mine[0]["fired"]) if mine else None)
    return out


async def test_triggers_count_in_arrival_order_whatever_the_concurrency(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    families = ("/api/aimed/{}", "/api/feed", "/api/order/{}")
    urls = [upstream.url + families[i % 3].format(i) for i in range(90)]
    faults: list[dict[str, Any]] = [EVERY_THIRD, STALE_HALF, REORDER_PAIRS]
    for episode, concurrency in (("serial", 1), ("parallel", 12)):
        proxy.set_plan({"episode": episode, "seed": 5, "faults": faults})
        await _fetch_all(episode_proxy(proxy, episode), urls, concurrency)
        assert await proxy.wait_idle(episode) is True
    for fault in faults:
        serial, parallel = _pattern(proxy, "serial", fault), _pattern(proxy, "parallel", fault)
        assert serial == parallel, fault["id"]
        trigger = OccurrenceTrigger.model_validate(fault["trigger"])
        candidates = [n for n in range(1, 31) if trigger.is_candidate(n)]
        assert [i + 1 for i, d in enumerate(serial) if d is not None] == candidates
    stale = [d for d in _pattern(proxy, "serial", STALE_HALF) if d is not None]
    assert {fired for _, fired in stale} == {True, False}  # the draw really decides
