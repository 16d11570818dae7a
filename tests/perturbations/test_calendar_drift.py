"""calendar_drift in a real Chromium: the picker jumps back; re-reading the month recovers."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from .conftest import OpenPage, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

# A picker that re-renders its whole body on every month change (as the booking site's does).
PAGE = """<div id="cal"></div>
<script>
let month = 0;
function render() {
  const cal = document.getElementById("cal");
  cal.innerHTML = `<button class="prev">&lt;</button> <b id="label">Month ${month}</b>
    <button class="next">&gt;</button>
    ${[1, 2, 3].map(d => `<button class="day">${d}</button>`).join("")}`;
  cal.querySelector(".prev").onclick = () => { month -= 1; render(); };
  cal.querySelector(".next").onclick = () => { month += 1; render(); };
  cal.querySelectorAll(".day").forEach(b => {
    b.onclick = () => { window.picked = month + "-" + b.textContent; };
  });
}
render();
</script>"""

DRIFT = instance(
    "calendar_drift",
    "#cal",
    {"event": "click", "selector": ".next", "nth": 2},
    {"next_selector": "#cal .next", "prev_selector": "#cal .prev"},
)


async def _drifted(page: Page) -> None:
    await page.wait_for_function("window.__gymfuzz.events.some(e => e.event === 'drifted')")


async def test_picker_jumps_back_to_the_first_month(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(DRIFT))
    await h.page.click(".next")
    await h.page.click(".next")
    await _drifted(h.page)
    assert await h.page.text_content("#label") == "Month 0"
    await h.page.get_by_role("button", name="2", exact=True).click()
    assert await h.page.evaluate("window.picked") == "0-2", "the day landed in the wrong month"
    drifted = next(e for e in await h.events() if e["event"] == "drifted")
    assert drifted["detail"] == {"months": -2}


async def test_rereading_the_month_before_picking_recovers(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(DRIFT))
    await h.page.click(".next")
    await h.page.click(".next")
    await _drifted(h.page)
    for _ in range(10):  # navigate until the picker shows the wanted month
        month = int((await h.page.text_content("#label") or "").removeprefix("Month "))
        if month == 2:
            break
        await h.page.click(".next" if month < 2 else ".prev")
    await h.page.get_by_role("button", name="2", exact=True).click()
    assert await h.page.evaluate("window.picked") == "2-2"
