"""Browser harness for page-perturbation tests.

Pages are served by Playwright routes on a fake origin (nothing listens on a port): the
route answers the page HTML and captures what the runtime POSTs to ``/__gymfuzz/events``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Route,
    async_playwright,
)

from fuzzer.browser import launch_chromium
from perturbations import build_bundle

ORIGIN = "http://gymfuzz.test"

#: Params every kind needs at the least (the others take their defaults).
REQUIRED_PARAMS: dict[str, dict[str, object]] = {
    "modal": {"title": "Notice", "text": "Read me."},
    "native_dialog": {"message": "Hello"},
    "calendar_drift": {"next_selector": "#cal .next", "prev_selector": "#cal .prev"},
}
EVENTS_PATH = "/__gymfuzz/events"


def page_config(
    *perturbations: Mapping[str, object], seed: int = 7, **extra: object
) -> dict[str, object]:
    """A bundle config for episode ``ep-test`` holding ``perturbations``."""
    return {"episode": "ep-test", "seed": seed, "perturbations": list(perturbations), **extra}


def instance(
    kind: str,
    selector: str,
    trigger: Mapping[str, object],
    params: Mapping[str, object] | None = None,
    *,
    id: str = "p1",
    probability: float = 1.0,
) -> dict[str, object]:
    """One page-perturbation envelope."""
    return {
        "id": id,
        "layer": "page",
        "kind": kind,
        "target": {"selector": selector},
        "trigger": dict(trigger),
        "probability": probability,
        "params": dict(params or {}),
    }


@dataclass
class Harness:
    """One loaded page, and the events the route received from it."""

    page: Page
    posted: list[dict[str, Any]] = field(default_factory=list)

    async def events(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = await self.page.evaluate("window.__gymfuzz.events")
        return events

    async def wait_events(self, count: int) -> list[dict[str, Any]]:
        """Wait until the page has recorded at least ``count`` events, then return them."""
        await self.page.wait_for_function(
            "n => window.__gymfuzz && window.__gymfuzz.events.length >= n", arg=count
        )
        return await self.events()

    async def wait_posted(self, count: int, timeout_s: float = 5.0) -> list[dict[str, Any]]:
        """Wait until the route has captured at least ``count`` POSTed events."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while len(self.posted) < count and loop.time() < deadline:
            await asyncio.sleep(0.02)
        return sorted(self.posted, key=lambda e: int(e["seq"]))

    async def decisions(self, perturbation: str = "p1") -> list[tuple[str, int]]:
        """(fired|skipped, occurrence) for one instance, in order."""
        return [
            (e["event"], e["occurrence"])
            for e in await self.events()
            if e["perturbation"] == perturbation and e["event"] in ("fired", "skipped")
        ]


OpenPage = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def open_page(browser: Browser) -> AsyncIterator[OpenPage]:
    """``await open_page(html, config, inline=False, installs=None)`` -> :class:`Harness`.

    ``inline`` puts the bundle in an inline ``<script>`` at the top of ``<head>`` (as the
    proxy does); it is also added ``installs`` times as a context init script (default: 0
    when inline, else 1). ``config`` may also be a ready bundle string.
    """
    async with _opener(browser) as opener:
        yield opener


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def module_browser() -> AsyncIterator[Browser]:
    """One headless Chromium shared by the tests of a module (they run in its event loop)."""
    async with async_playwright() as pw:
        b = await launch_chromium(pw)
        try:
            yield b
        finally:
            await b.close()


@pytest_asyncio.fixture(loop_scope="module")
async def open_shared(module_browser: Browser) -> AsyncIterator[OpenPage]:
    """Like ``open_page``, on the module's shared Chromium (a fresh context per page).

    Tests using it run in the module's loop: ``pytest.mark.asyncio(loop_scope="module")``.
    """
    async with _opener(module_browser) as opener:
        yield opener


@contextlib.asynccontextmanager
async def _opener(browser: Browser) -> AsyncIterator[OpenPage]:
    contexts: list[BrowserContext] = []

    async def _open(
        html: str,
        config: Mapping[str, object] | str,
        *,
        inline: bool = False,
        installs: int | None = None,
        dismiss_dialogs: bool = False,
    ) -> Harness:
        bundle = config if isinstance(config, str) else build_bundle(config)
        context = await browser.new_context(viewport={"width": 800, "height": 600})
        contexts.append(context)
        posted: list[dict[str, Any]] = []
        head = f"<script>{bundle}</script>" if inline else ""
        document = f"<!doctype html><html><head>{head}</head><body>{html}</body></html>"

        async def handle(route: Route) -> None:
            request = route.request
            if urlsplit(request.url).path == EVENTS_PATH and request.method == "POST":
                posted.append(json.loads(request.post_data or "null"))
                await route.fulfill(status=204)
            else:
                await route.fulfill(status=200, content_type="text/html", body=document)

        await context.route(f"{ORIGIN}/**", handle)
        for _ in range((0 if inline else 1) if installs is None else installs):
            await context.add_init_script(script=bundle)
        page = await context.new_page()
        if dismiss_dialogs:  # handled from the start, not left to Playwright's auto-dismiss
            page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
        await page.goto(f"{ORIGIN}/")
        return Harness(page, posted)

    try:
        yield _open
    finally:
        for context in contexts:
            await context.close()


async def hits(page: Page, name: str = "hits") -> int:
    """The page's ``window[name]`` counter (test pages count their handlers' runs there)."""
    return int(await page.evaluate("n => window[n] || 0", name))


async def click_and_verify(
    page: Page,
    locator: Locator,
    check: Callable[[], Awaitable[bool]],
    *,
    attempts: int = 10,
    pause_ms: int = 200,
) -> int:
    """Click like a careful agent: locate afresh, click its centre, check the effect, retry.

    Returns how many clicks it took; raises ``AssertionError`` when none had the effect.
    """
    for attempt in range(1, attempts + 1):
        await locator.scroll_into_view_if_needed()
        box = await locator.bounding_box()
        if box is not None:
            await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if await check():
            return attempt
        await page.wait_for_timeout(pause_ms)
    raise AssertionError(f"no click on {locator} had its effect in {attempts} attempts")


async def click_at(page: Page, box: Mapping[str, float]) -> None:
    """Click the centre of a bounding box measured earlier (a stale-coordinates click)."""
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


async def hit(page: Page, name: str = "hits") -> bool:
    """Whether the page's ``window[name]`` counter has moved (a click reached the app)."""
    return await hits(page, name) > 0
