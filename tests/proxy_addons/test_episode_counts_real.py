"""Page triggers count per episode: across the documents a multi-page app loads, through a
real proxy, in a real Chromium; the next episode in the same tab starts from zero."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from playwright.async_api import Browser, Page

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
    "trigger": {"event": "load"},  # count: 1 (nth 1, no repeat): once in the episode
}
SECOND_CLICK = {
    "id": "second",
    "layer": "page",
    "kind": "late_banner",
    "target": {"selector": "#act"},
    "trigger": {"event": "click", "nth": 2},  # the 2nd click of the episode, on any page
}
EVERY_PAGE = {
    "id": "every",
    "layer": "page",
    "kind": "late_banner",
    "target": {"selector": "body"},
    "trigger": {"event": "load", "repeat": True},  # each document: occurrences 1, 2, 3, 4
    "params": {"height_px": 10},
}
EPISODE, SEED = "ep-multi", 5
COUNTS = "Object.keys(sessionStorage).filter(k => k.startsWith('__gymfuzz:counts:'))"


def _routes(upstream: Upstream) -> None:
    def page(title: str, rest: str) -> bytes:
        return PAGE.format(title=title, rest=rest).encode()

    upstream.routes["/one"] = (page("one", '<a id="next" href="/two">next</a>'), HTML)
    form = '<form method="post" action="/three"><button id="next">send</button></form>'
    upstream.routes["/two"] = (page("two", form), HTML)
    upstream.post_routes["/three"] = (200, page("three", '<a id="next" href="/four">n</a>'), HTML)
    upstream.routes["/four"] = (page("four", ""), HTML)


def _install(proxy: EmbeddedProxy) -> str:
    """Install the episode's plan (a new episode, same name and seed); its plan id."""
    config = {"episode": EPISODE, "seed": SEED, "perturbations": [ONCE, SECOND_CLICK, EVERY_PAGE]}
    proxy.set_plan(
        {"episode": EPISODE, "seed": SEED, "faults": [], "page_script": build_bundle(config)}
    )
    return proxy.registry.get(EPISODE).plan_id


async def _runtime_started(page: Page) -> None:
    await page.wait_for_function("window.__gymfuzz && window.__gymfuzz.events.length > 0")


async def _play(page: Page, upstream: Upstream) -> list[str]:
    """one -> two -> (form POST) three -> four, a click on "Act" on each of the first three."""
    titles = []
    await page.goto(f"{upstream.url}/one")
    for _ in range(3):
        await _runtime_started(page)
        titles.append(await page.title())
        await page.click("#act")
        async with page.expect_navigation():
            await page.click("#next")
    await _runtime_started(page)
    titles.append(await page.title())
    return titles


async def _page_events(proxy: EmbeddedProxy, started: int) -> list[dict[str, Any]]:
    """The runtime's events in the ledger, once ``started`` documents have reported."""
    for _ in range(200):
        events = records(proxy, EPISODE, "page")
        if sum(e["event"] == "started" for e in events) >= started:
            await asyncio.sleep(0.2)  # the last document's other events
            return records(proxy, EPISODE, "page")
        await asyncio.sleep(0.05)
    raise AssertionError(f"only {records(proxy, EPISODE, 'page')} reached the ledger")


def _fired(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(e["perturbation"], e["occurrence"]) for e in events if e["event"] == "fired"]


async def test_a_count_1_perturbation_fires_once_across_four_page_loads(
    proxy: EmbeddedProxy, upstream: Upstream, browser: Browser
) -> None:
    _routes(upstream)
    first_plan = _install(proxy)
    context = await browser.new_context(
        proxy={"server": proxy.url, "username": EPISODE, "password": "x"}
    )
    try:
        page = await context.new_page()
        titles = await _play(page, upstream)
        # The page rendered by the form POST carried the runtime, and knew the episode.
        config = await page.evaluate("window.__gymfuzz.config")
        events = await _page_events(proxy, started=4)

        # A new episode in the same tab, same episode name, same seed: counts start afresh.
        second_plan = _install(proxy)
        await page.goto(f"{upstream.url}/one")
        await _runtime_started(page)
        again = await page.evaluate("window.__gymfuzz.events")
        kept = await page.evaluate(COUNTS)
    finally:
        await context.close()

    assert titles == ["one", "two", "three", "four"]
    assert (config["episode"], config["plan_id"]) == (EPISODE, first_plan)
    fired = _fired(events)
    assert [f for f in fired if f[0] == "banner"] == [("banner", 1)]  # once in four loads
    assert [f for f in fired if f[0] == "second"] == [("second", 2)]  # on page two
    assert [f for f in fired if f[0] == "every"] == [("every", k) for k in (1, 2, 3, 4)]
    injected = {
        (r["method"], r["path"]): r["injected"] for r in records(proxy, EPISODE, "response")
    }
    assert injected[("POST", "/three")] is True
    started = [e["detail"] for e in events if e["event"] == "started"]
    assert "resumed" not in started[0]
    assert started[-1]["resumed"] == {"banner": 1, "second": 2, "every": 3}

    assert second_plan != first_plan
    assert [(e["perturbation"], e["event"], e["occurrence"]) for e in again] == [
        (None, "started", 0),
        ("banner", "fired", 1),
        ("every", "fired", 1),
    ]
    assert kept == [f"__gymfuzz:counts:{EPISODE}:{SEED}:{second_plan}"]  # the old ones dropped
