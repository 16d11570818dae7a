"""The booking page's date field drawn by the browser's date input and by the npm date-picker
libraries, in a real Chromium against the real site subprocess: each draws the server's
availability, pages months through the site's API, selects a day the way a person does, and
keeps working after a re-render replaced its subtree."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from fuzzer.agents.scripts.date_pickers import READY, Picker, detect, shown_month
from sites.booking.server import SiteProcess
from tests.sites.sample import FIXTURE, episode

pytestmark = pytest.mark.browser

LIBRARIES = ["flatpickr", "pikaday", "vanillajs-datepicker"]
#: Free weekdays of FIXTURE's December (2026-12-08 is closed, the 12th a Saturday).
FREE, CLOSED, WEEKEND = "2026-12-09", "2026-12-08", "2026-12-12"


@pytest.fixture(scope="module")
def site() -> Iterator[SiteProcess]:
    with SiteProcess() as running:
        yield running


async def open_page(browser: Browser, site: SiteProcess, widget: str) -> Page:
    tenant = f"w-{widget}"
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.put(
            f"/_admin/tenants/{tenant}",
            json={**FIXTURE, "date_widget": widget},
            headers={"X-Admin-Token": site.admin_token},
        )
        assert response.status_code == 204, response.text
    context = await browser.new_context(extra_http_headers=episode(tenant))
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{site.url}/")
    await page.wait_for_selector(READY)
    assert errors == []
    return page


async def next_month(page: Page, picker: Picker) -> None:
    before = await shown_month(page, picker)
    async with page.expect_response(lambda r: "/api/availability?month=" in r.url) as answer:
        await page.click(picker.next)
    assert (await answer.value).ok
    await page.wait_for_selector(READY)
    assert await shown_month(page, picker) != before


@pytest.mark.parametrize("widget", LIBRARIES)
async def test_a_library_draws_the_site_availability_and_selects_a_day(
    browser: Browser, site: SiteProcess, widget: str
) -> None:
    page = await open_page(browser, site, widget)
    picker = await detect(page)
    assert picker.name == widget
    # drawn by the library itself, not the site's grid
    assert await page.locator("#calendar .cal-day").count() == 0
    assert await shown_month(page, picker) == "2026-11"  # the site's today, not the clock
    await next_month(page, picker)
    assert await shown_month(page, picker) == "2026-12"
    # a closed day and a weekend day are disabled: no enabled button names them
    for day in (CLOSED, WEEKEND):
        assert await page.locator(await picker.day(page, day)).count() == 0, day
    await page.click(await picker.day(page, FREE))
    await expect(page.locator("#selected-date")).to_have_text(FREE)
    await expect(page.locator(f"#slots[data-date='{FREE}'] .slot").first).to_be_visible()


@pytest.mark.parametrize("widget", LIBRARIES)
async def test_a_library_replaced_by_a_re_render_is_mounted_again(
    browser: Browser, site: SiteProcess, widget: str
) -> None:
    page = await open_page(browser, site, widget)
    picker = await detect(page)
    await next_month(page, picker)
    # a framework re-render: the subtree is swapped for a copy without its listeners
    await page.evaluate(
        "() => { const c = document.querySelector('#calendar'); c.replaceWith(c.cloneNode(true)); }"
    )
    await page.wait_for_selector(READY)
    assert await shown_month(page, picker) == "2026-12"  # the state survived the re-render
    await next_month(page, picker)  # and the fresh widget answers again
    await page.click(await picker.day(page, "2027-01-05"))
    await expect(page.locator("#selected-date")).to_have_text("2027-01-05")


async def test_the_native_date_input_takes_a_typed_day_and_refuses_a_closed_one(
    browser: Browser, site: SiteProcess
) -> None:
    page = await open_page(browser, site, "native")
    picker = await detect(page)
    assert picker.typed
    field = page.locator(f"#calendar {picker.root}")
    assert await field.get_attribute("min") == "2026-11-23"
    await field.fill(CLOSED)
    await expect(page.locator("#calendar .cal-error")).to_contain_text(f"{CLOSED} cannot be booked")
    assert await page.locator("#selected-date").text_content() == ""
    await field.fill(FREE)
    await expect(page.locator("#selected-date")).to_have_text(FREE)
    await expect(page.locator("#calendar .cal-error")).to_be_hidden()
