"""Matching and triggers through a real mitmproxy: resource type and time since first match."""

from __future__ import annotations

import time

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream, episode_proxy
from .faultkit import curl, plan, records

pytestmark = pytest.mark.proxy


@pytest.mark.parametrize(
    ("headers", "path", "resource"),
    [
        ({"sec-fetch-dest": "document"}, "/api/x", "document"),
        ({"sec-fetch-dest": "empty"}, "/api/x", "fetch"),
        ({"sec-fetch-dest": "script"}, "/api/x", "asset"),
        ({"accept": "text/html,*/*"}, "/page", "document"),
        ({}, "/static/app.js", "asset"),
        ({}, "/api/x", "fetch"),
    ],
)
def test_resource_type_match(
    proxy: EmbeddedProxy, upstream: Upstream, headers: dict[str, str], path: str, resource: str
) -> None:
    fault = {
        "id": "only-fetch",
        "kind": "http_error",
        "match": {"resource": "fetch"},
        "params": {"status": 418},
    }
    proxy.set_plan(plan("ep", fault))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        resp = client.get(f"{upstream.url}{path}", headers=headers)
    assert (resp.status_code == 418) is (resource == "fetch")
    assert records(proxy, "ep", "request")[0]["resource"] == resource


def test_after_ms_counts_from_the_first_match(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    fault = {
        "id": "late",
        "kind": "http_error",
        "match": {"path": "/api/*"},
        "trigger": {"after_ms": 400, "count": 1},
        "params": {"status": 503},
    }
    proxy.set_plan(plan("ep", fault))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        early = [client.get(f"{upstream.url}/api/{i}").status_code for i in range(3)]
        time.sleep(0.45)
        late = [client.get(f"{upstream.url}/api/{i}").status_code for i in range(3)]
    assert early == [200, 200, 200]
    assert late == [503, 200, 200]
    fired = [r["decisions"] for r in records(proxy, "ep", "request")]
    assert fired[:3] == [[], [], []] and fired[3][0]["fired"] is True


def test_host_and_method_match(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    fault = {
        "id": "other-host",
        "kind": "http_error",
        "match": {"host": "app.example", "methods": ["GET"]},
        "params": {"status": 500},
    }
    proxy.set_plan(plan("ep", fault))
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        assert client.get(f"{upstream.url}/api/x").status_code == 200
    assert records(proxy, "ep", "request")[0]["decisions"] == []


@pytest.mark.parametrize(
    ("hosts", "touched"), [(["app.example", "*.app.example"], False), (["127.0.0.*"], True)]
)
def test_plan_hosts_scope_faults_and_injection(
    proxy: EmbeddedProxy, upstream: Upstream, hosts: list[str], touched: bool
) -> None:
    fault = {
        "id": "all",
        "kind": "http_error",
        "match": {"path": "/api/*"},
        "params": {"status": 500},
    }
    proxy.set_plan({**plan("ep", fault), "page_script": "window.x = 1;", "hosts": hosts})
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        api = client.get(f"{upstream.url}/api/x")
        page = client.get(f"{upstream.url}/page")
    assert (api.status_code == 500) is touched
    assert ("data-gymfuzz" in page.text) is touched
    scope = [r.get("in_scope", True) for r in records(proxy, "ep", "request")]
    assert scope == [touched, touched]


def test_client_without_sec_fetch_is_matched_by_content_type(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    # curl sends "Accept: */*" and no Sec-Fetch-*: the request does not say what it fetches.
    upstream.routes["/dl/pic"] = (b"PNG." + b"x" * 96, {"content-type": "image/png"})
    upstream.routes["/dl/data"] = (b'{"rows": [1, 2, 3]}', {"content-type": "application/json"})
    cut_assets = {
        "id": "cut",
        "kind": "truncate",
        "match": {"path": "/dl/*", "resource": "asset"},
        "params": {"keep_bytes": 4, "declare": "short"},
    }
    break_pages = {
        "id": "pages",
        "kind": "http_error",
        "match": {"path": "/dl/*", "resource": "document"},
        "params": {"status": 500},
    }
    proxy.set_plan(plan("ep", cut_assets, break_pages))
    pic = curl(proxy, "ep", f"{upstream.url}/dl/pic", "-w", " %{http_code}")
    data = curl(proxy, "ep", f"{upstream.url}/dl/data", "-w", " %{http_code}")
    assert pic[1] == "PNG. 200"  # cut: the response said image/png
    assert data[1] == '{"rows": [1, 2, 3]} 200'  # untouched: JSON is no asset
    requests = records(proxy, "ep", "request")
    assert [(r["resource"], r["resource_sure"], r["decisions"]) for r in requests] == [
        ("fetch", False, []),
        ("fetch", False, []),
    ]
    assert [r["deferred"] for r in requests] == [["cut"], ["cut"]]
    late = [(d["path"], d["resource"], d["decisions"]) for d in records(proxy, "ep", "decision")]
    assert late == [
        ("/dl/pic", "asset", [{"id": "cut", "kind": "truncate", "occurrence": 1, "fired": True}]),
        ("/dl/data", "fetch", []),
    ]
