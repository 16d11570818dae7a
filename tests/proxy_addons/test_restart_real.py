"""A proxy whose thread stopped starts again on its ports, with its plans and ledgers."""

from __future__ import annotations

import pytest

from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream
from .faultkit import curl, fault, plan, records

pytestmark = pytest.mark.proxy


def test_restart_keeps_ports_plans_and_ledgers(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(plan("ep-r", fault("http_error", status=503, when="before")))
    assert curl(proxy, "ep-r", f"{upstream.url}/api/x")[0] == 0
    port, reverse = proxy.port, proxy.reverse_port
    proxy._halt()  # mitmproxy's loop ends as if it had crashed; the ledgers stay open
    assert not proxy.running
    assert curl(proxy, "ep-r", f"{upstream.url}/api/x")[0] != 0  # nothing listens

    assert proxy.restart() is proxy and proxy.running
    assert (proxy.port, proxy.reverse_port) == (port, reverse)
    assert proxy.restart() is proxy  # running: nothing to do
    assert curl(proxy, "ep-r", f"{upstream.url}/api/x")[0] == 0
    # the plan survived: the fault answered again, and both answers are in one ledger
    assert [r["status"] for r in records(proxy, "ep-r", "response")] == [503, 503]
    assert upstream.seen == []  # "before": the app never saw either request


def test_restart_takes_free_ports_when_its_own_are_taken(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    import socket

    port = proxy.port
    proxy._halt()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        proxy.restart()
        assert proxy.running and proxy.port not in (0, port)
        proxy.set_plan(plan("ep-s"))
        assert curl(proxy, "ep-s", f"{upstream.url}/ok")[0] == 0
        assert len(records(proxy, "ep-s", "response")) == 1


async def test_requests_held_by_a_stopped_proxy_are_not_waited_for(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    import asyncio
    import threading

    proxy.set_plan(plan("ep-h", fault("latency", ms=20_000)))
    held = threading.Thread(target=curl, args=(proxy, "ep-h", f"{upstream.url}/api/x"))
    held.start()
    while proxy.inflight("ep-h") == 0:  # the latency fault holds the request
        await asyncio.sleep(0.02)
    assert not await proxy.wait_idle("ep-h", timeout=0.2)
    proxy._halt()  # the request dies with the proxy's loop
    proxy.restart()
    assert proxy.inflight("ep-h") == 0
    assert await proxy.wait_idle("ep-h", timeout=0.2)
    held.join(timeout=30)
