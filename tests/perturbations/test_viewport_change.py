"""viewport_change in a real Chromium: the layout reflows; relocating works."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, click_at, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<button id="arm">Arm</button>
<div style="display: flex; flex-wrap: wrap">
<div style="width: 300px; height: 50px"></div><div style="width: 300px; height: 50px"></div>
<button id="go" onclick="window.hits = (window.hits || 0) + 1">Go</button></div>"""


def narrow(**params: object) -> dict[str, object]:
    return instance("viewport_change", "html", {"event": "click", "selector": "#arm"}, params)


async def test_layout_reflows(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(narrow(width=320)))
    before = await h.page.locator("#go").bounding_box()
    assert before is not None
    await h.page.click("#arm")
    after = await h.page.locator("#go").bounding_box()
    assert after is not None
    assert after["y"] > before["y"] + 40 and after["x"] < before["x"]
    await click_at(h.page, before)
    assert await hits(h.page) == 0


async def test_relocating_works_and_duration_restores(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(narrow(width=320, duration_ms=300)))
    before = await h.page.locator("#go").bounding_box()
    await h.page.click("#arm")
    await h.page.locator("#go").click()
    assert await hits(h.page) == 1
    await h.page.wait_for_function("window.__gymfuzz.events.some(e => e.event === 'restored')")
    assert await h.page.locator("#go").bounding_box() == before
