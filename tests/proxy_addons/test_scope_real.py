"""Default scope through a real mitmproxy: only the app's host gets faults and the page script."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from proxy_addons.embedded import EmbeddedProxy
from proxy_addons.scope import parse_app_hosts

from .conftest import Upstream, episode_proxy
from .faultkit import plan, records

pytestmark = pytest.mark.proxy

HTML = {"accept": "text/html"}
BREAK_API = {
    "id": "e",
    "kind": "http_error",
    "match": {"path": "/api/*"},
    "params": {"status": 500},
}


def _scoped_plan(episode: str) -> dict[str, Any]:
    return {**plan(episode, BREAK_API), "page_script": "window.s = 1;"}


def _scope_of(proxy: EmbeddedProxy, episode: str) -> list[tuple[str, bool, int]]:
    return [
        (r["path"], r.get("in_scope", True), len(r["decisions"]))
        for r in records(proxy, episode, "request")
    ]


def test_first_page_load_names_the_app(
    upstream: Upstream, other_upstream: Upstream, tmp_path: Path
) -> None:
    app, other = upstream.url, other_upstream.url
    with EmbeddedProxy(ledger_dir=tmp_path) as proxy:
        proxy.set_plan(_scoped_plan("ep"))
        with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
            early = client.get(f"{app}/api/early").status_code  # no page load yet: no app
            page = client.get(f"{app}/page", headers=HTML)
            app_api = client.get(f"{app}/api/x").status_code
            other_page = client.get(f"{other}/page", headers=HTML)
            other_api = client.get(f"{other}/api/x").status_code
        scope = records(proxy, "ep", "scope")
        seen = _scope_of(proxy, "ep")
    assert (early, app_api, other_api) == (200, 500, 200)
    assert 'data-gymfuzz="runtime"' in page.text
    assert other_page.is_success and "data-gymfuzz" not in other_page.text
    assert [(s["app_host"], s["from"]) for s in scope] == [("127.0.0.1", "first document request")]
    assert seen == [
        ("/api/early", False, 0),
        ("/page", True, 0),
        ("/api/x", True, 1),
        ("/page", False, 0),
        ("/api/x", False, 0),  # no decision is even evaluated off the app
    ]


def test_upstream_host_is_the_app_of_the_forward_listener(
    upstream: Upstream, other_upstream: Upstream, tmp_path: Path
) -> None:
    with EmbeddedProxy(upstream=upstream.url, ledger_dir=tmp_path) as proxy:
        assert proxy.app_hosts == ("127.0.0.1",)
        proxy.set_plan(_scoped_plan("ep"))
        proxy.set_plan({**_scoped_plan("ep"), "episode": None})  # the default plan too
        with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
            other_page = client.get(f"{other_upstream.url}/page", headers=HTML)  # not learned
            statuses = [
                client.get(f"{u.url}/api/x").status_code for u in (other_upstream, upstream)
            ]
            reverse = httpx.get(f"{proxy.reverse_url}/api/x").status_code
        seen = _scope_of(proxy, "ep")
    assert statuses == [200, 500]
    assert reverse == 500  # everything on the reverse listener goes to the app
    assert "data-gymfuzz" not in other_page.text
    assert seen == [("/page", False, 0), ("/api/x", False, 0), ("/api/x", True, 1)]
    # The other host was served as is (not even told the episode); the app's errors came
    # before its backend.
    assert [(m, p) for m, p, _ in other_upstream.seen] == [("GET", "/page"), ("GET", "/api/x")]
    sent = [{k.lower() for k in headers} for _, _, headers in other_upstream.seen]
    assert all("x-gymfuzz-episode" not in names for names in sent)
    assert upstream.seen == []


def test_app_host_globs_and_plan_hosts_override(
    upstream: Upstream, other_upstream: Upstream, tmp_path: Path
) -> None:
    with EmbeddedProxy(ledger_dir=tmp_path, app_host="127.0.0.2") as proxy:
        proxy.set_plan(_scoped_plan("configured"))
        proxy.set_plan({**_scoped_plan("listed"), "hosts": ["127.0.0.*"]})
        got = {}
        for episode in ("configured", "listed"):
            with httpx.Client(proxy=episode_proxy(proxy, episode)) as client:
                got[episode] = [
                    client.get(f"{u.url}/api/x").status_code for u in (upstream, other_upstream)
                ]
    assert got == {"configured": [200, 500], "listed": [500, 500]}


def test_out_of_scope_bodies_pass_through_byte_identical(
    upstream: Upstream, other_upstream: Upstream, tmp_path: Path
) -> None:
    blob = bytes(range(256)) * 4096  # 1 MiB, streamed through
    other_upstream.routes["/blob"] = (blob, {"content-type": "application/octet-stream"})
    with EmbeddedProxy(upstream=upstream.url, ledger_dir=tmp_path) as proxy:
        everything = {"id": "t", "kind": "truncate", "params": {"declare": "short"}}
        proxy.set_plan(plan("ep", everything))
        with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
            assert client.get(f"{other_upstream.url}/blob").content == blob
            assert len(client.get(f"{upstream.url}/api/x").content) < len(b'{"path": "/api/x"}')


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("http://app.test", r"app_host: expected host names .*\(got 'http://app.test'\)"),
        ("app.test/x", r"\(got 'app.test/x'\)"),
        ("app.test, bad host", r"\(got 'bad host'\)"),
    ],
)
def test_bad_app_host_names_the_value(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_app_hosts(value)
    with pytest.raises(ValueError, match=message):
        EmbeddedProxy(app_host=value)


def test_app_hosts_are_lowered_and_split() -> None:
    assert parse_app_hosts(" App.Test ,*.app.test,") == ("app.test", "*.app.test")
    assert parse_app_hosts("") == ()
