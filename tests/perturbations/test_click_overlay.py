"""click_overlay in a real Chromium: the click is taken; a careful retry gets through."""

from __future__ import annotations

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from .conftest import OpenPage, click_and_verify, click_at, hit, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = '<button id="go" onclick="window.hits = (window.hits || 0) + 1">Go</button>'


def overlay(**params: object) -> dict[str, object]:
    return instance("click_overlay", "#go", {"event": "load"}, params)


async def test_the_layer_takes_the_click(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(overlay(clicks_to_dismiss=3)))
    await h.wait_events(2)
    box = await h.page.locator("#go").bounding_box()
    assert box is not None
    await click_at(h.page, box)
    assert await hits(h.page) == 0
    with pytest.raises(PlaywrightTimeoutError, match="intercepts pointer events"):
        await h.page.locator("#go").click(timeout=500)
    intercepted = [e["detail"] for e in await h.events() if e["event"] == "intercepted"]
    assert intercepted == [{"index": 0, "clicks": 1}]


async def test_careful_retry_gets_through(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(overlay(clicks_to_dismiss=2)))
    await h.wait_events(2)
    go = h.page.locator("#go")
    attempts = await click_and_verify(h.page, go, lambda: hit(h.page))
    assert attempts == 3  # two clicks swallowed, the third reaches the button
    assert await hits(h.page) == 1
    removed = [e["detail"] for e in await h.events() if e["event"] == "removed"]
    assert removed == [{"index": 0, "reason": "clicked"}]


async def test_duration_removes_the_layer(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(overlay(duration_ms=300)))
    await h.page.wait_for_function(
        "window.__gymfuzz.events.some(e => e.event === 'removed')", timeout=10_000
    )
    await h.page.locator("#go").click(timeout=2000)
    assert await hits(h.page) == 1


async def test_another_perturbations_buttons_are_not_covered(open_shared: OpenPage) -> None:
    # a generic "every button" target: the modal fired just before must stay closable
    modal = instance("modal", "body", {"event": "load"}, {"title": "Hi", "text": ""}, id="m")
    cover = instance("click_overlay", "button", {"event": "load"}, {}, id="c")
    h = await open_shared(PAGE, page_config(modal, cover))
    await h.page.get_by_role("dialog").get_by_role("button").click(timeout=10_000)
    fired = {e["perturbation"]: e["detail"] for e in await h.events() if e["event"] == "fired"}
    assert fired["c"]["covered"] == 1  # the app's button only
    assert await h.page.get_by_role("dialog").count() == 0
