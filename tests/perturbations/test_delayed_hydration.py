"""delayed_hydration in a real Chromium: early actions do nothing; check-and-retry works."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, click_and_verify, hit, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<div id="app"><button id="go" onclick="window.hits = (window.hits || 0) + 1">Go</button>
<input id="name"> <input id="agree" type="checkbox"></div>"""


def inert(duration_ms: int) -> dict[str, object]:
    return instance("delayed_hydration", "#app", {"event": "load"}, {"duration_ms": duration_ms})


async def test_controls_are_inert(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(inert(60_000)))
    await h.wait_events(2)
    await h.page.locator("#go").click()
    await h.page.locator("#agree").click(force=True)
    await h.page.locator("#name").click()
    await h.page.keyboard.type("Ada")
    assert await hits(h.page) == 0
    assert await h.page.locator("#agree").is_checked() is False
    assert await h.page.locator("#name").input_value() == ""
    swallowed = [e["detail"]["event"] for e in await h.events() if e["event"] == "swallowed"]
    assert swallowed[:2] == ["click", "click"] and "keydown" in swallowed


async def test_check_and_retry_works(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(inert(500)))
    await h.wait_events(2)
    attempts = await click_and_verify(h.page, h.page.locator("#go"), lambda: hit(h.page))
    assert attempts >= 1
    assert await hits(h.page) == 1
