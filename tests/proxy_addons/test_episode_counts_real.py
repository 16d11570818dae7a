"""Page triggers count per episode: across the documents a multi-page app loads."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from playwright.async_api import Browser

from perturbations.bundle import build_bundle
from proxy_addons.embedded import EmbeddedProxy

from .conftest import Upstream
from .faultkit import records

pytestmark = [pytest.mark.proxy, pytest.mark.browser]

HTML = {"content-type": "text/html; charset=utf-8"}
PAGE = """<!doctype html><html><head><title>{title}</title></head><body>
<button id="act" type="button">Act</button>{rest}</body></html>"""
ONCE = {
    "id": "banner",
    "layer": "page",
    "kind": "late_banner",
    "target": {"selector": "body"},
    "trigger": {"event": "load"},  # nth 1, no repeat: once in the episode
}
SECOND_CLICK = {
    "id": "second",
    "layer": "page",
    "kind": "late_banner",
    "target": {"selector": "#act"},
    "trigger": {"event": "click", "nth": 2},  # the 2nd click of the episode, on any page
}


def _routes(upstream: Upstream) -> None:
    def page(title: str, rest: str) -> bytes:
        return PAGE.format(title=title, rest=rest).encode()

    upstream.routes["/one"] = (page("one", '<a id="next" href="/two">next</a>'), HTML)
    form = '<form method="post" action="/three"><button id="next">send</button></form>'
    upstream.routes["/two"] = (page("two", form), HTML)
    upstream.post_routes["/three"] = (200, page("three", '<a id="next" href="/four">n</a>'), HTML)
    upstream.routes["/four"] = (page("four", ""), HTML)


async def _page_events(proxy: EmbeddedProxy, episode: str, started: int) -> list[dict[str, Any]]:
    """The runtime's events in the ledger, once ``started`` documents have reported."""
    for _ in range(200):
        events = records(proxy, episode, "page")
        if sum(e["event"] == "started" for e in events) >= started:
            return events
        await asyncio.sleep(0.05)
    raise AssertionError(f"only {records(proxy, episode, 'page')} reached the ledger")


async def test_a_once_perturbation_fires_once_across_four_page_loads(
    proxy: EmbeddedProxy, upstream: Upstream, browser: Browser
) -> None:
    _routes(upstream)
    config = {"episode": "ep-multi", "seed": 5, "perturbations": [ONCE, SECOND_CLICK]}
    proxy.set_plan(
        {"episode": "ep-multi", "seed": 5, "faults": [], "page_script": build_bundle(config)}
    )
    context = await browser.new_context(
        proxy={"server": proxy.url, "username": "ep-multi", "password": "x"}
    )
    titles = []
    try:
        page = await context.new_page()
        await page.goto(f"{upstream.url}/one")
        for _ in range(3):  # one -> two -> (POST) three -> four, a click on "Act" on each
            await page.wait_for_function("window.__gymfuzz && window.__gymfuzz.events.length > 0")
            titles.append(await page.title())
            await page.click("#act")
            async with page.expect_navigation():
                await page.click("#next")
        await page.wait_for_function("window.__gymfuzz && window.__gymfuzz.events.length > 0")
        titles.append(await page.title())
    finally:
        await context.close()
    assert titles == ["one", "two", "three", "four"]
    events = await _page_events(proxy, "ep-multi", started=4)
    fired = [(e["perturbation"], e["occurrence"]) for e in events if e["event"] == "fired"]
    assert fired == [("banner", 1), ("second", 2)]
    injected = {
        (r["method"], r["path"]): r["injected"] for r in records(proxy, "ep-multi", "response")
    }
    assert injected[("POST", "/three")] is True
    resumed = [e["detail"].get("resumed") for e in events if e["event"] == "started"]
    assert resumed[0] is None and resumed[-1] == {"banner": 1, "second": 2}
