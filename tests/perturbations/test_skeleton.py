"""skeleton in a real Chromium: content is not there at first; waiting for it works."""

from __future__ import annotations

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from .conftest import OpenPage, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<ul id="list"><li><button id="go" onclick="window.hits = (window.hits || 0) + 1">
Go</button></li></ul>"""


def skeleton(duration_ms: int) -> dict[str, object]:
    return instance("skeleton", "#list", {"event": "load"}, {"duration_ms": duration_ms})


async def test_content_is_hidden_behind_a_placeholder(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(skeleton(60_000)))
    await h.wait_events(2)
    assert await h.page.locator("[aria-busy=true]").is_visible()
    with pytest.raises(PlaywrightTimeoutError, match="not visible"):
        await h.page.locator("#go").click(timeout=300)
    assert await hits(h.page) == 0


async def test_waiting_for_the_content_works(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(skeleton(400)))
    await h.page.locator("#go").wait_for(state="visible")
    await h.page.locator("#go").click()
    assert await hits(h.page) == 1
    assert await h.page.locator("[aria-busy=true]").count() == 0
    assert [e["event"] for e in await h.events()] == ["started", "fired", "populated"]
