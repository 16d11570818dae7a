"""zoom_shift in a real Chromium: measured coordinates go wrong; locators still work."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, click_at, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<button id="arm">Start</button>
<div style="margin: 200px 0 0 300px">
<button id="go" onclick="window.hits = (window.hits || 0) + 1">Go</button></div>"""


def zoom(**params: object) -> dict[str, object]:
    return instance("zoom_shift", "html", {"event": "click", "selector": "#arm"}, params)


@pytest.mark.parametrize("mode", ["zoom", "transform"])
async def test_scaling_moves_the_target(open_shared: OpenPage, mode: str) -> None:
    h = await open_shared(PAGE, page_config(zoom(scale=0.5, mode=mode)))
    before = await h.page.locator("#go").bounding_box()
    assert before is not None
    await h.page.click("#arm")
    after = await h.page.locator("#go").bounding_box()
    assert after is not None
    assert after["x"] < before["x"] - 100 and after["width"] < before["width"]
    await click_at(h.page, before)
    assert await hits(h.page) == 0


@pytest.mark.parametrize("mode", ["zoom", "transform"])
async def test_locating_again_works(open_shared: OpenPage, mode: str) -> None:
    h = await open_shared(PAGE, page_config(zoom(scale=1.5, mode=mode)))
    await h.page.click("#arm")
    await h.page.locator("#go").click()
    assert await hits(h.page) == 1
