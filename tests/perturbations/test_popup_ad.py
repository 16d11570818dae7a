"""popup_ad in a real Chromium: it covers the target and lures; its close button frees it."""

from __future__ import annotations

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from .conftest import OpenPage, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<div style="margin: 150px 0 0 250px">
<button id="go" onclick="window.hits = (window.hits || 0) + 1">Go</button></div>"""

CONFIG = page_config(
    instance("popup_ad", "#go", {"event": "load"}, {"title": "You won!", "lure_label": "Claim"})
)


async def test_popup_covers_the_target_and_lures(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, CONFIG)
    popup = h.page.get_by_role("dialog", name="You won!")
    await popup.wait_for()
    with pytest.raises(PlaywrightTimeoutError, match="intercepts pointer events"):
        await h.page.locator("#go").click(timeout=500)
    await popup.get_by_role("button", name="Claim").click()
    assert await popup.is_visible(), "the large button does not close the pop-up"
    assert await hits(h.page) == 0
    assert "lured" in [e["event"] for e in await h.events()]


async def test_close_button_frees_the_target(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, CONFIG)
    popup = h.page.get_by_role("dialog", name="You won!")
    await popup.get_by_role("button", name="Close").click()
    assert await popup.count() == 0
    await h.page.locator("#go").click(timeout=2000)
    assert await hits(h.page) == 1
    assert [e["event"] for e in await h.events()] == ["started", "fired", "dismissed"]
