"""Injection into the pages a browser really loads: tricky scripts, form POSTs, huge pages."""

from __future__ import annotations

import gzip

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext

from proxy_addons.embedded import EmbeddedProxy
from proxy_addons.injection import MAX_DOCUMENT_BYTES

from .conftest import Upstream, episode_proxy
from .faultkit import records

pytestmark = pytest.mark.proxy

SCRIPT = "window.__gymfuzz_ran = true;"
HTML = {"content-type": "text/html; charset=utf-8"}

# The page's own inline script holds "<head>" and, as pages write it, "<\/script>" in strings,
# before the real <head>; a text search for "<head" would put our script inside that string.
TRICKY = """<!doctype html><html><script>
  var opener = "<head>", closer = "<\\/script>";
  window.__page_strings = opener + "|" + closer;
</script><head><title>tricky</title></head>
<body><p id="p" title="<head>">still here</p></body></html>"""

FORM = """<!doctype html><html><head><title>{title}</title></head><body>
<form method="post" action="/form"><input name="when" value="{value}">
<button id="save" type="submit">Save</button></form>{errors}</body></html>"""


async def _context(browser: Browser, proxy: EmbeddedProxy, episode: str) -> BrowserContext:
    proxy.set_plan({"episode": episode, "seed": 1, "faults": [], "page_script": SCRIPT})
    return await browser.new_context(
        proxy={"server": proxy.url, "username": episode, "password": "x"}
    )


@pytest.mark.browser
async def test_a_page_with_head_and_script_end_in_its_strings_still_works(
    proxy: EmbeddedProxy, upstream: Upstream, browser: Browser
) -> None:
    upstream.routes["/tricky"] = (TRICKY.encode(), HTML)
    context = await _context(browser, proxy, "ep-tricky")
    try:
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        await page.goto(f"{upstream.url}/tricky")
        ours = await page.evaluate("window.__gymfuzz_ran === true")
        theirs = await page.evaluate("window.__page_strings")
        text = await page.text_content("#p")
        title = await page.title()
    finally:
        await context.close()
    assert ours is True
    assert theirs == "<head>|</script>"
    assert (text, title, errors) == ("still here", "tricky", [])


@pytest.mark.browser
@pytest.mark.parametrize("status", [200, 422])
async def test_a_page_rendered_by_a_form_post_gets_the_script(
    proxy: EmbeddedProxy, upstream: Upstream, browser: Browser, status: int
) -> None:
    upstream.routes["/form"] = (FORM.format(title="new", value="", errors="").encode(), HTML)
    again = FORM.format(title="errors", value="bad", errors="<p class=err>not a date</p>")
    upstream.post_routes["/form"] = (status, again.encode(), HTML)
    upstream.post_routes["/api/partial"] = (200, b"<p>a fragment</p>", HTML)
    context = await _context(browser, proxy, "ep-form")
    try:
        page = await context.new_page()
        await page.goto(f"{upstream.url}/form")
        await page.fill("input[name=when]", "bad")
        async with page.expect_navigation():
            await page.click("#save")
        assert await page.title() == "errors"
        ran = await page.evaluate("window.__gymfuzz_ran === true")
        fragment = await page.evaluate(
            "fetch('/api/partial', {method: 'POST', body: 'x'}).then(r => r.text())"
        )
    finally:
        await context.close()
    assert ran is True
    assert fragment == "<p>a fragment</p>"  # a fetch's answer is not a page: untouched
    injected = {
        (r["method"], r["path"]): r["injected"] for r in records(proxy, "ep-form", "response")
    }
    assert injected[("POST", "/form")] is True
    assert injected[("POST", "/api/partial")] is False


def test_a_page_above_the_cap_passes_untouched_and_the_ledger_says_why(
    proxy: EmbeddedProxy, upstream: Upstream
) -> None:
    huge = ("<!doctype html><html><head></head><body>" + "x" * MAX_DOCUMENT_BYTES).encode()
    upstream.routes["/huge"] = (huge, HTML)
    upstream.routes["/huge.gz"] = (gzip.compress(huge), {**HTML, "content-encoding": "gzip"})
    proxy.set_plan({"episode": "ep-huge", "seed": 1, "faults": [], "page_script": SCRIPT})
    with httpx.Client(proxy=episode_proxy(proxy, "ep-huge"), timeout=120) as client:
        assert client.get(f"{upstream.url}/huge").content == huge
        assert client.get(f"{upstream.url}/huge.gz").content == huge
    skipped = [
        (r["injected"], r.get("inject_skipped", "")) for r in records(proxy, "ep-huge", "response")
    ]
    assert [injected for injected, _ in skipped] == [False, False]
    assert all(f"{MAX_DOCUMENT_BYTES}-byte cap" in why for _, why in skipped), skipped
