"""The booking page in a real Chromium, against the real site subprocess."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, Route, expect

from sites.booking.server import SiteProcess
from tests.sites.sample import FIXTURE, episode

pytestmark = pytest.mark.browser


async def reset(site: SiteProcess, tenant: str, fixture: dict[str, Any]) -> None:
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.put(
            f"/_admin/tenants/{tenant}", json=fixture, headers={"X-Admin-Token": site.admin_token}
        )
        assert response.status_code == 204, response.text


async def state(site: SiteProcess, tenant: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.get(
            f"/_admin/tenants/{tenant}/state", headers={"X-Admin-Token": site.admin_token}
        )
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
async def page(browser: Browser, site: SiteProcess) -> AsyncIterator[Page]:
    """The booking page of tenant "t1" (reset to FIXTURE), loaded and idle."""
    await reset(site, "t1", FIXTURE)
    context = await browser.new_context(extra_http_headers=episode("t1"))
    page = await context.new_page()
    await page.goto(f"{site.url}/")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    yield page
    await context.close()


async def test_book_an_available_day_next_month(page: Page, site: SiteProcess) -> None:
    await expect(page.locator(".cal-month")).to_have_attribute("data-month", "2026-11")
    await expect(page.locator(".cal-month")).to_have_text("November 2026")
    await expect(page.locator("#bookings li")).to_have_count(2)

    await page.click(".cal-next")
    await expect(page.locator(".cal-month")).to_have_attribute("data-month", "2026-12")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    # December 2026 starts on a Tuesday: one leading blank cell, then 31 day buttons.
    await expect(page.locator(".cal-grid > :not(.cal-day)")).to_have_count(1)
    await expect(page.locator(".cal-grid .cal-day")).to_have_count(31)
    for taken in ("2026-12-02", "2026-12-05", "2026-12-08"):
        await expect(page.locator(f'.cal-day[data-date="{taken}"]')).to_be_disabled()

    day = page.locator('.cal-day[data-date="2026-12-03"]')
    await day.click()
    await expect(day).to_have_attribute("aria-pressed", "true")
    await expect(page.locator("#selected-date")).to_have_text("2026-12-03")
    await page.fill("#title", "Quarterly planning")
    await page.fill("#attendee", "Dee Ray")
    await page.click("#confirm")

    status = page.locator("#status")
    await expect(status).to_have_attribute("data-state", "saved")
    await expect(status).to_have_text("Booked #8 on 2026-12-03")
    await expect(page.locator('#bookings li[data-id="8"] .title')).to_have_text(
        "Quarterly planning"
    )
    await expect(page.locator('.cal-day[data-date="2026-12-03"]')).to_be_disabled()

    after = await state(site, "t1")
    added = {k: v for k, v in after["bookings"].items() if k not in {"1", "7"}}
    assert added == {
        "8": {"id": 8, "date": "2026-12-03", "title": "Quarterly planning", "attendee": "Dee Ray"}
    }


async def test_widget_keeps_working_after_clone_replacement(page: Page) -> None:
    stale = await page.query_selector('.cal-day[data-date="2026-11-24"]')
    await page.evaluate(
        "() => { const c = document.querySelector('#calendar'); c.replaceWith(c.cloneNode(true)); }"
    )
    assert stale is not None and not await stale.evaluate("node => node.isConnected")

    day = page.locator('.cal-day[data-date="2026-11-24"]')
    await day.click()
    await expect(day).to_have_attribute("aria-pressed", "true")
    await expect(page.locator("#selected-date")).to_have_text("2026-11-24")

    # Navigation and re-rendering also work on the clone.
    await page.click(".cal-next")
    await expect(page.locator(".cal-month")).to_have_attribute("data-month", "2026-12")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    await page.click('.cal-day[data-date="2026-12-04"]')
    await expect(page.locator("#selected-date")).to_have_text("2026-12-04")


async def test_failed_saves_say_why_and_refresh(page: Page, site: SiteProcess) -> None:
    list_loads: list[str] = []
    page.on(
        "request",
        lambda r: list_loads.append(r.url) if r.url.endswith("/api/bookings") else None,
    )

    async def unavailable(route: Route) -> None:
        if route.request.method == "POST":
            await route.fulfill(status=503, json={"error": "maintenance"})
        else:
            await route.fallback()

    await page.route("**/api/bookings", unavailable)
    await page.click('.cal-day[data-date="2026-11-24"]')
    await page.fill("#title", "T")
    await page.fill("#attendee", "A")
    await page.click("#confirm")
    status = page.locator("#status")
    await expect(status).to_have_attribute("data-state", "error")
    await expect(status).to_have_text(
        "Could not save the booking (HTTP 503): maintenance. Try again."
    )
    await expect(page.locator("#bookings")).to_have_attribute("data-state", "ready")
    assert len(list_loads) >= 2  # the first load, then the refresh after the attempt

    await page.unroute("**/api/bookings")

    async def drop(route: Route) -> None:
        if route.request.method == "POST":
            await route.abort()
        else:
            await route.fallback()

    await page.route("**/api/bookings", drop)
    await page.click("#confirm")
    await expect(status).to_have_text("Could not save the booking (network error). Try again.")
    assert sorted((await state(site, "t1"))["bookings"]) == ["1", "7"]


async def test_calendar_uses_the_server_today(browser: Browser, site: SiteProcess) -> None:
    await reset(site, "t2", {"today": "2031-03-10"})
    context = await browser.new_context(extra_http_headers=episode("t2"))
    page = await context.new_page()
    await page.goto(f"{site.url}/")
    await expect(page.locator(".cal-month")).to_have_text("March 2031")
    await expect(page.locator(".cal-prev")).to_be_disabled()
    await expect(page.locator('.cal-day[data-date="2031-03-07"]')).to_be_disabled()  # past
    await expect(page.locator('.cal-day[data-date="2031-03-10"]')).to_be_enabled()
    await expect(page.locator("#bookings li")).to_have_count(0)
    await expect(page.locator("#bookings-message")).to_have_text("No bookings yet.")
    await context.close()
