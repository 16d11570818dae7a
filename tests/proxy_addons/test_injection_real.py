"""Script injection into real-world documents, through a real mitmproxy (and a real Chromium)."""

from __future__ import annotations

import gzip
import os
import sys
import zlib
from collections.abc import Callable

import brotli
import httpx
import pytest
from playwright.async_api import Browser

from proxy_addons.csp import script_hash
from proxy_addons.embedded import EmbeddedProxy
from proxy_addons.injection import script_body

from .conftest import Upstream, episode_proxy
from .faultkit import records

# zstd through the library mitmproxy itself decodes and re-encodes it with
# (mitmproxy.net.encoding): the standard library's from Python 3.14, its backport before.
if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

pytestmark = pytest.mark.proxy

SCRIPT = "window.__gymfuzz_ran = 'd\u00e9j\u00e0 </script>';"


def _tag(proxy: EmbeddedProxy, episode: str = "ep") -> str:
    """The element the proxy injects for ``episode``'s plan (its id changes with each plan)."""
    plan_id = proxy.registry.get(episode).plan_id
    attrs = f'data-gymfuzz="runtime" data-gymfuzz-plan="{plan_id}"'
    return f"<script {attrs}>{script_body(SCRIPT)}</script>"


PAGE = "<!doctype html><html><head><title>t</title></head><body>d\u00e9j\u00e0 vu</body></html>"
Codec = tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]
CODECS: dict[str, Codec] = {
    "gzip": (gzip.compress, gzip.decompress),
    "br": (brotli.compress, brotli.decompress),
    "deflate": (zlib.compress, zlib.decompress),
    "zstd": (zstd.compress, zstd.decompress),
}


def _get(proxy: EmbeddedProxy, url: str) -> httpx.Response:
    proxy.set_plan({"episode": "ep", "seed": 1, "faults": [], "page_script": SCRIPT})
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        return client.get(url)


@pytest.mark.parametrize("coding", sorted(CODECS))
def test_compressed_html_is_injected_and_recompressed(
    proxy: EmbeddedProxy, upstream: Upstream, coding: str
) -> None:
    compress, decompress = CODECS[coding]
    upstream.routes["/c"] = (
        compress(PAGE.encode()),
        {"content-type": "text/html", "content-encoding": coding},
    )
    proxy.set_plan({"episode": "ep", "seed": 1, "faults": [], "page_script": SCRIPT})
    with (
        httpx.Client(proxy=episode_proxy(proxy, "ep")) as client,
        client.stream("GET", f"{upstream.url}/c") as resp,
    ):
        raw = b"".join(resp.iter_raw())  # as sent: the client's own decoders play no part
    assert resp.headers["content-encoding"] == coding
    assert decompress(raw).decode() == PAGE.replace("<head>", "<head>" + _tag(proxy))


@pytest.mark.parametrize(
    ("ctype", "page"),
    [
        ("text/html; charset=iso-8859-1", PAGE),
        ("text/html", '<meta charset="windows-1252">' + PAGE),
    ],
)
def test_other_charsets_survive(
    proxy: EmbeddedProxy, upstream: Upstream, ctype: str, page: str
) -> None:
    upstream.routes["/l"] = (page.encode("latin-1"), {"content-type": ctype})
    resp = _get(proxy, f"{upstream.url}/l")
    assert resp.content == page.replace("<head>", "<head>" + _tag(proxy)).encode("latin-1")


def test_document_without_head_or_html(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    upstream.routes["/frag"] = (b"<p>just a fragment</p>", {"content-type": "text/html"})
    assert _get(proxy, f"{upstream.url}/frag").text == _tag(proxy) + "<p>just a fragment</p>"


def test_csp_header_gets_our_hash_and_nothing_else(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    policy = "default-src 'self'; script-src 'self' 'nonce-r4nd'; object-src 'none'"
    upstream.routes["/csp"] = (
        PAGE.encode(),
        {"content-type": "text/html; charset=utf-8", "content-security-policy": policy},
    )
    resp = _get(proxy, f"{upstream.url}/csp")
    expected = policy.replace("'nonce-r4nd'", f"'nonce-r4nd' {script_hash(script_body(SCRIPT))}")
    assert resp.headers["content-security-policy"] == expected
    assert _tag(proxy) in resp.text


def test_non_html_and_large_bodies_are_untouched(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    big = os.urandom(3 * 1024 * 1024)
    upstream.routes["/big.bin"] = (big, {"content-type": "application/octet-stream"})
    upstream.routes["/data.json"] = (b'{"html": "<head>"}', {"content-type": "application/json"})
    proxy.set_plan({"episode": "ep", "seed": 1, "faults": [], "page_script": SCRIPT})
    # One plan for both: installing it again would close the ledger that the streamed
    # body's response record may still be on its way to.
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        assert client.get(f"{upstream.url}/big.bin").content == big
        assert client.get(f"{upstream.url}/data.json").content == b'{"html": "<head>"}'
    injected = [r["injected"] for r in records(proxy, "ep", "response")]
    assert injected == [False, False]


@pytest.mark.browser
async def test_chromium_runs_our_script_under_a_strict_csp(
    proxy: EmbeddedProxy, upstream: Upstream, browser: Browser
) -> None:
    page_html = (
        "<!doctype html><html><head><title>t</title></head><body>"
        "<script>window.__page_inline = true;</script></body></html>"
    )
    upstream.routes["/strict"] = (
        page_html.encode(),
        {
            "content-type": "text/html; charset=utf-8",
            "content-security-policy": "script-src 'self'",
        },
    )
    proxy.set_plan({"episode": "ep-b", "seed": 1, "faults": [], "page_script": SCRIPT})
    context = await browser.new_context(
        proxy={"server": proxy.url, "username": "ep-b", "password": "x"}
    )
    try:
        page = await context.new_page()
        await page.goto(f"{upstream.url}/strict")
        ours = await page.evaluate("window.__gymfuzz_ran")
        theirs = await page.evaluate("window.__page_inline === true")
    finally:
        await context.close()
    assert ours == "d\u00e9j\u00e0 </script>"
    assert theirs is False  # the policy still blocks the page's own inline script


def test_an_injected_page_is_never_cached_and_always_sent_whole(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    # A browser that kept a page would show it to the next episode with the earlier
    # episode's script (name, seed, counts) without asking the proxy: it must not keep it.
    cached = {"etag": '"v1"', "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT"}
    fresh = {"cache-control": "max-age=3600", "expires": "Thu, 01 Jan 2099 00:00:00 GMT"}
    upstream.routes["/kept"] = (PAGE.encode(), {"content-type": "text/html", **cached, **fresh})
    upstream.routes["/app.js"] = (b"var app;", {"content-type": "text/javascript", **cached})
    proxy.set_plan({"episode": "ep", "seed": 1, "faults": [], "page_script": SCRIPT})
    revalidate = {"if-none-match": '"v1"', "if-modified-since": cached["last-modified"]}
    with httpx.Client(proxy=episode_proxy(proxy, "ep")) as client:
        page = client.get(f"{upstream.url}/kept", headers={"accept": "text/html", **revalidate})
        asset = client.get(f"{upstream.url}/app.js", headers={"accept": "*/*", **revalidate})
    assert _tag(proxy) in page.text
    assert page.headers["cache-control"] == "no-store"
    assert not {"etag", "last-modified", "expires"} & set(page.headers)
    # The app saw no revalidation of the page (else a 304 points at the browser's old copy);
    # other resources keep their caching.
    seen = {path: headers for _, path, headers in upstream.seen}
    assert not {"if-none-match", "if-modified-since"} & {h.lower() for h in seen["/kept"]}
    assert {"if-none-match", "if-modified-since"} <= {h.lower() for h in seen["/app.js"]}
    assert asset.headers["etag"] == '"v1"' and "cache-control" not in asset.headers


def test_each_plan_installed_gets_its_own_plan_id(proxy: EmbeddedProxy, upstream: Upstream) -> None:
    first = _get(proxy, f"{upstream.url}/page").text
    first_id = proxy.registry.get("ep").plan_id
    second = _get(proxy, f"{upstream.url}/page").text  # the same plan, installed again
    second_id = proxy.registry.get("ep").plan_id
    assert first_id != second_id
    assert f'data-gymfuzz-plan="{first_id}"' in first
    assert f'data-gymfuzz-plan="{second_id}"' in second
