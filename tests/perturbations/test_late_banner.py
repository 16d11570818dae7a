"""late_banner in a real Chromium: the layout shifts under the agent; relocating works."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, click_at, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<button id="arm">Start</button>
<p><button id="go" onclick="window.hits = (window.hits || 0) + 1">Go</button></p>"""


def banner(**params: object) -> dict[str, object]:
    return instance("late_banner", "#go", {"event": "click", "selector": "#arm"}, params)


async def test_banner_pushes_the_page_down(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(banner(height_px=150)))
    before = await h.page.locator("#go").bounding_box()
    assert before is not None
    await h.page.click("#arm")
    after = await h.page.locator("#go").bounding_box()
    assert after is not None
    assert after["y"] - before["y"] == pytest.approx(150, abs=1)
    await click_at(h.page, before)  # coordinates measured before the shift
    assert await hits(h.page) == 0
    assert await h.page.get_by_role("region", name="Announcement").is_visible()


async def test_relocating_and_dismissing_work(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(banner(position="before_target", text="News")))
    before = await h.page.locator("#go").bounding_box()
    await h.page.click("#arm")
    await h.page.locator("#go").click()  # located afresh
    assert await hits(h.page) == 1
    await h.page.get_by_role("button", name="Dismiss").click()
    assert await h.page.locator("[data-gymfuzz=late_banner]").count() == 0
    assert await h.page.locator("#go").bounding_box() == before
    fired = [e["detail"] for e in await h.events() if e["event"] == "fired"]
    assert fired == [
        {
            "trigger": "click",
            "element": 'button#go "Go"',  # the target it went before
            "trigger_element": 'button#arm "Start"',
            "height_px": 120,
            "position": "before_target",
        }
    ]
