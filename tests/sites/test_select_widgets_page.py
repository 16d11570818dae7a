"""The preferences page's seat drawn by the npm select libraries, in a real Chromium against
the real site subprocess: each hides the ``<select>`` under a box of its own, shows the stored
seat, and a choice made in its list the way a person makes it is saved by the page."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import Browser, expect

from fuzzer.agents.scripts.select_boxes import BOXES, SEAT, seat_box
from sites.booking.server import SiteProcess
from tests.sites.sample import FIXTURE, episode

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site() -> Iterator[SiteProcess]:
    with SiteProcess() as running:
        yield running


@pytest.mark.parametrize("widget", [box.name for box in BOXES])
async def test_a_select_library_shows_the_stored_seat_and_saves_a_choice(
    browser: Browser, site: SiteProcess, widget: str
) -> None:
    tenant = f"s-{widget.replace('.', '-')}"
    admin = {"X-Admin-Token": site.admin_token}
    fixture = {**FIXTURE, "select_widget": widget, "preferences": {"seat": "middle"}}
    async with httpx.AsyncClient(base_url=site.url, headers=admin) as http:
        assert (await http.put(f"/_admin/tenants/{tenant}", json=fixture)).status_code == 204
    context = await browser.new_context(extra_http_headers=episode(tenant))
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{site.url}/preferences")
    await page.wait_for_selector("#prefs[aria-busy='false']")
    box = await seat_box(page)
    assert box is not None and box.name == widget
    # the library's box stands in for the <select>, and shows the stored seat
    await expect(page.locator(box.opener)).to_be_visible()
    await expect(page.locator(box.opener)).to_contain_text("Middle")
    assert await page.locator(SEAT).input_value() == "middle"
    async with page.expect_response(lambda r: r.request.method == "PUT") as answer:
        await page.click(box.opener)
        await page.click(box.option_for("window"))
    assert (await answer.value).ok
    await expect(page.locator("[data-pref-status=seat]")).to_have_attribute("data-state", "saved")
    await expect(page.locator(box.opener)).to_contain_text("Window")
    async with httpx.AsyncClient(base_url=site.url, headers=admin) as http:
        state = (await http.get(f"/_admin/tenants/{tenant}/state")).json()
    assert state["preferences"]["seat"]["value"] == "window"
    assert errors == []
    await context.close()
