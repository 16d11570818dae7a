"""Every fault through a real mitmproxy with a real client: what it sees, what is recorded."""

from __future__ import annotations

import time

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream, episode_proxy
from .faultkit import curl, fault, plan, records

pytestmark = pytest.mark.proxy


def test_reset_before_gives_curl_empty_reply(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(plan("ep", fault("reset", when="before")))
    code, _ = curl(proxy, "ep", f"{upstream.url}/api/x")
    assert code == 52  # curl: empty reply from server
    assert upstream.seen == []
    [err] = records(proxy, "ep", "error")
    assert err["reached_backend"] is False
    assert err["faults"] == [{"id": "f-reset", "kind": "reset", "when": "before"}]


def test_reset_after_lets_the_write_happen(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(plan("ep", fault("reset", when="after")))
    code, _ = curl(proxy, "ep", f"{upstream.url}/api/b", "--json", '{"n": 1}')
    assert code == 52
    assert upstream.writes == [{"n": 1}]
    [err] = records(proxy, "ep", "error")
    assert err["reached_backend"] is True
    assert err["faults"][0]["backend_status"] == 201


def test_truncate_full_length_breaks_the_transfer(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(plan("ep", fault("truncate", keep_bytes=5)))
    code, body = curl(proxy, "ep", f"{upstream.url}/api/truncated")
    assert code == 18  # curl: transfer closed with outstanding read data remaining
    assert body == '{"pat'
    [resp] = records(proxy, "ep", "response")
    assert resp["faults"][0] == {
        "id": "f-truncate",
        "kind": "truncate",
        "bytes": len('{"path": "/api/truncated"}'),
        "kept": 5,
        "declare": "full",
    }


def test_truncate_short_is_well_formed_but_incomplete(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    proxy.set_plan(plan("ep", fault("truncate", keep=0.5, declare="short")))
    code, body = curl(proxy, "ep", f"{upstream.url}/api/abcd")
    assert code == 0
    full = '{"path": "/api/abcd"}'
    assert body == full[: len(full) // 2]
    assert records(proxy, "ep", "response")[0]["faults"][0]["kept"] == len(full) // 2


@pytest.mark.parametrize("when", ["before", "after"])
def test_hang_then_504(proxy: EmbeddedProxy, upstream: Upstream, when: str) -> None:
    proxy.set_plan(plan("ep", fault("hang", timeout_ms=300, then="504", when=when)))
    with httpx.Client(proxy=episode_proxy(proxy, "ep"), timeout=10) as client:
        t0 = time.monotonic()
        resp = client.post(f"{upstream.url}/api/b", json={"n": 2})
        waited = time.monotonic() - t0
    assert resp.status_code == 504
    assert waited >= 0.3
    assert len(upstream.writes) == (1 if when == "after" else 0)
    [rec] = records(proxy, "ep", "response")
    assert rec["faults"][0]["timeout_ms"] == 300
    assert rec["reached_backend"] is (when == "after")


def test_hang_then_reset_and_client_that_gives_up(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(plan("ep", fault("hang", timeout_ms=600)))
    code, _ = curl(proxy, "ep", f"{upstream.url}/api/x")
    assert code == 52
    # A client that gives up mid-hang: the proxy keeps serving the next one.
    code, _ = curl(proxy, "ep", f"{upstream.url}/api/y", "--max-time", "0.2")
    assert code == 28  # curl: operation timed out
    code, body = curl(proxy, "ep", f"{upstream.url}/other")
    assert (code, body) == (0, '{"path": "/other"}')
    assert upstream.seen and all(path == "/other" for _, path, _ in upstream.seen)


def test_malformed_json_fails_to_parse(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    proxy.set_plan(plan("ep", fault("malformed")))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        resp = client.get(f"{upstream.url}/api/items")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        resp.json()
    assert records(proxy, "ep", "response")[0]["faults"][0]["mode"] == "invalid_json"


@pytest.mark.parametrize(
    ("mode", "ctype"),
    [("content_type", "text/html; charset=utf-8"), ("html_error_page", "text/html; charset=utf-8")],
)
def test_malformed_content_type(
    proxy: EmbeddedProxy, upstream: Upstream, mode: str, ctype: str
) -> None:
    proxy.set_plan(plan("ep", fault("malformed", mode=mode)))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        resp = client.get(f"{upstream.url}/api/items")
    assert resp.headers["content-type"] == ctype
    assert ("Something went wrong" in resp.text) is (mode == "html_error_page")
    assert ("path" in resp.text) is (mode == "content_type")
    [rec] = records(proxy, "ep", "response")
    assert rec["faults"][0]["mode"] == mode and rec["status"] == 200


def test_phantom_write_echoes_and_never_reaches_backend(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    f = fault("phantom_write", status=201)
    f["match"] = {"methods": ["POST"], "path": "/api/*"}
    proxy.set_plan(plan("ep", f))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        resp = client.post(f"{upstream.url}/api/bookings", json={"date": "2026-12-24"})
        listed = client.get(f"{upstream.url}/writes")
    assert (resp.status_code, resp.json()) == (201, {"date": "2026-12-24"})
    assert upstream.writes == [] and listed.json() == []
    rec = records(proxy, "ep", "response")[0]
    assert rec["reached_backend"] is False
    assert rec["faults"] == [{"id": "f-phantom_write", "kind": "phantom_write", "status": 201}]


def test_session_expiry_latches_after_trigger(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    f = fault("session_expiry", cookies=["sid"])
    f["trigger"] = {"start": 2, "count": 1}
    proxy.set_plan(plan("ep", f))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        statuses = []
        for i in range(4):
            resp = client.get(f"{upstream.url}/api/{i}", headers={"cookie": "sid=abc"})
            statuses.append(resp.status_code)
    assert statuses == [200, 401, 401, 401]
    assert resp.headers["set-cookie"].startswith("sid=; Max-Age=0")
    decisions = [r["decisions"] for r in records(proxy, "ep", "request")]
    assert decisions[0] == []
    assert decisions[1][0]["fired"] is True and "latched" not in decisions[1][0]
    assert all(d[0]["latched"] is True for d in decisions[2:])
    assert [p for _, p, _ in upstream.seen] == ["/api/0"]


def test_session_expiry_strip_forwards_without_credentials(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    proxy.set_plan(plan("ep", fault("session_expiry", mode="strip")))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        client.get(f"{upstream.url}/api/me", headers={"cookie": "s=1", "authorization": "Bearer t"})
    [(_, _, headers)] = upstream.seen
    assert not {"cookie", "authorization"} & {k.lower() for k in headers}
    rec = records(proxy, "ep", "response")[0]
    assert rec["faults"][0]["removed"] == ["cookie", "authorization"]


def test_stale_serves_the_first_answer(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    f = fault("stale", path="/writes")
    f["trigger"] = {"start": 2}
    proxy.set_plan(plan("ep", f))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        first = client.get(f"{upstream.url}/writes").json()
        client.post(f"{upstream.url}/api/b", json={"n": 1})
        second = client.get(f"{upstream.url}/writes").json()
    assert first == second == []
    assert upstream.writes == [{"n": 1}]
    served = [r["faults"] for r in records(proxy, "ep", "response") if r["path"] == "/writes"]
    assert served[0] == [] and served[1][0]["served"] is True
    assert [p for _, p, _ in upstream.seen].count("/writes") == 1
