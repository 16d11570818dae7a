"""scroll_jump in a real Chromium: what was under the pointer moves; scrolling back works."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, click_at, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<div style="height: 1500px"></div><button id="arm">Arm</button>
<button id="go" onclick="window.hits = (window.hits || 0) + 1">Go</button>
<div style="height: 3000px"></div>"""


def jump(**params: object) -> dict[str, object]:
    return instance("scroll_jump", "html", {"event": "click", "selector": "#arm"}, params)


async def test_page_jumps_away(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(jump(to="top")))
    await h.page.locator("#arm").click()
    assert await h.page.evaluate("window.scrollY") == 0
    await h.page.locator("#go").scroll_into_view_if_needed()
    box = await h.page.locator("#go").bounding_box()
    assert box is not None
    await h.page.evaluate("window.scrollTo(0, 0)")  # as the jump does, once measured
    await click_at(h.page, box)
    assert await hits(h.page) == 0


async def test_random_offset_is_seeded(open_shared: OpenPage) -> None:
    async def offset(seed: int) -> int:
        h = await open_shared(PAGE, page_config(jump(), seed=seed))
        await h.page.locator("#arm").click()
        fired = next(e for e in await h.events() if e["event"] == "fired")
        to: int = fired["detail"]["moves"][0]["to"]
        return to

    first = await offset(1)
    assert first == await offset(1)
    assert {first, await offset(2), await offset(3)} != {first}


async def test_scrolling_back_into_view_works(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(jump(to="bottom")))
    await h.page.locator("#arm").click()
    await h.page.locator("#go").click()  # scrolls it into view again
    assert await hits(h.page) == 1
