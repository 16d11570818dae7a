"""The booking page in a real Chromium, against the real site subprocess."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, Route, expect

from sites.booking.rules import SLOTS
from sites.booking.server import SiteProcess
from tests.sites.sample import COUNT_READ_BODIES, FIXTURE, episode, full_day

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
    await context.add_init_script(COUNT_READ_BODIES)
    page = await context.new_page()
    await page.goto(f"{site.url}/")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    await expect(page.locator("#bookings")).to_have_attribute("data-state", "ready")
    yield page
    await context.close()


SLOTS_URL = re.compile(r"/api/slots\?date=")


async def pick_day(page: Page, day: str) -> None:
    """Click *day* in the calendar and wait until its slots are shown."""
    await page.click(f'.cal-day[data-date="{day}"]')
    await expect(page.locator("#selected-date")).to_have_text(day)
    slots = page.locator("#slots")
    await expect(slots).to_have_attribute("data-date", day)
    await expect(slots).to_have_attribute("aria-busy", "false")


async def test_book_a_free_slot_next_month(page: Page, site: SiteProcess) -> None:
    await expect(page.locator(".cal-month")).to_have_attribute("data-month", "2026-11")
    await expect(page.locator(".cal-month")).to_have_text("November 2026")
    await expect(page.locator("#bookings li")).to_have_count(2)
    await expect(page.locator('#bookings li[data-id="1"]')).to_have_attribute("data-time", "10:00")

    await page.click(".cal-next")
    await expect(page.locator(".cal-month")).to_have_attribute("data-month", "2026-12")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    # December 2026 starts on a Tuesday: one leading blank cell, then 31 day buttons.
    await expect(page.locator(".cal-grid > :not(.cal-day)")).to_have_count(1)
    await expect(page.locator(".cal-grid .cal-day")).to_have_count(31)
    for closed in ("2026-12-05", "2026-12-08"):
        await expect(page.locator(f'.cal-day[data-date="{closed}"]')).to_be_disabled()
    # One booked slot leaves the day open.
    await expect(page.locator('.cal-day[data-date="2026-12-02"]')).to_be_enabled()

    day = page.locator('.cal-day[data-date="2026-12-03"]')
    await pick_day(page, "2026-12-03")
    await expect(day).to_have_attribute("aria-pressed", "true")
    await expect(page.locator("#slots .slot")).to_have_text(list(SLOTS))
    slot = page.locator('#slots .slot[data-time="14:00"]')
    await slot.click()
    await expect(slot).to_have_attribute("aria-pressed", "true")
    await expect(page.locator('#slots .slot[aria-pressed="true"]')).to_have_count(1)
    await expect(page.locator("#selected-time")).to_have_text("14:00")
    await page.fill("#title", "Quarterly planning")
    await page.fill("#attendee", "Dee Ray")
    await page.click("#confirm")

    status = page.locator("#status")
    await expect(status).to_have_attribute("data-state", "saved")
    await expect(status).to_have_text("Booked #8 on 2026-12-03 at 14:00")
    item = page.locator('#bookings li[data-id="8"]')
    await expect(item.locator(".title")).to_have_text("Quarterly planning")
    await expect(item).to_have_attribute("data-time", "14:00")
    await expect(item).to_have_text("Quarterly planning — Dee Ray on 2026-12-03 at 14:00")
    # The booked choice is cleared; picking the day again shows the slot as taken.
    await expect(page.locator("#selected-time")).to_have_text("")
    await expect(page.locator("#selected-date")).to_have_text("")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    await pick_day(page, "2026-12-03")
    await expect(page.locator('#slots .slot[data-time="14:00"]')).to_be_disabled()
    await expect(page.locator("#slots .slot:enabled")).to_have_count(len(SLOTS) - 1)

    after = await state(site, "t1")
    added = {k: v for k, v in after["bookings"].items() if k not in {"1", "7"}}
    assert added == {
        "8": {
            "id": 8,
            "date": "2026-12-03",
            "time": "14:00",
            "title": "Quarterly planning",
            "attendee": "Dee Ray",
        }
    }


async def test_taken_slots_and_full_days_are_disabled(browser: Browser, site: SiteProcess) -> None:
    await reset(
        site, "t2", {**FIXTURE, "bookings": FIXTURE["bookings"] + full_day("2026-11-26", 20)}
    )
    context = await browser.new_context(extra_http_headers=episode("t2"))
    page = await context.new_page()
    await page.goto(f"{site.url}/")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    await expect(page.locator('.cal-day[data-date="2026-11-26"]')).to_be_disabled()  # full

    await page.click(".cal-next")
    await expect(page.locator(".cal-month")).to_have_attribute("data-month", "2026-12")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    await pick_day(page, "2026-12-02")
    taken = page.locator('#slots .slot[data-time="10:00"]')
    await expect(taken).to_be_disabled()
    await expect(page.locator("#slots .slot:enabled")).to_have_text(
        [t for t in SLOTS if t != "10:00"]
    )
    # Re-enabling the taken button in the DOM does not make it choosable: the page trusts
    # the server's answer, not the markup.
    await taken.evaluate("node => { node.disabled = false; }")
    await taken.click()
    await expect(page.locator("#selected-time")).to_have_text("")
    await expect(taken).to_have_attribute("aria-pressed", "false")
    await context.close()


async def test_changing_the_day_clears_the_time(page: Page) -> None:
    await pick_day(page, "2026-11-24")
    await page.click('#slots .slot[data-time="09:00"]')
    await expect(page.locator("#selected-time")).to_have_text("09:00")

    await pick_day(page, "2026-11-25")
    await expect(page.locator("#selected-time")).to_have_text("")
    await expect(page.locator('#slots .slot[aria-pressed="true"]')).to_have_count(0)
    await expect(page.locator("#slots .slot")).to_have_count(len(SLOTS))
    # Going back to the first day does not bring the old time back.
    await pick_day(page, "2026-11-24")
    await expect(page.locator("#selected-time")).to_have_text("")
    # Clicking the selected day again keeps the time chosen on it.
    await page.click('#slots .slot[data-time="16:00"]')
    await page.click('.cal-day[data-date="2026-11-24"]')
    await expect(page.locator("#selected-time")).to_have_text("16:00")


async def test_slots_show_a_skeleton_then_a_retry_after_a_failure(page: Page) -> None:
    release = asyncio.Event()
    calls: list[str] = []

    async def fail_first(route: Route) -> None:
        calls.append(route.request.url)
        if len(calls) == 1:
            await release.wait()
            await route.fulfill(status=503, json={"error": "warming up"})
        else:
            await route.fallback()

    await page.route(SLOTS_URL, fail_first)
    await page.click('.cal-day[data-date="2026-11-24"]')
    box = page.locator("#slots")
    await expect(box).to_have_attribute("aria-busy", "true")
    await expect(box).to_have_attribute("data-date", "2026-11-24")
    await expect(box.locator(".slot-skeleton")).to_have_count(len(SLOTS))
    await expect(box.locator(".slot")).to_have_count(0)

    release.set()
    await expect(box).to_have_attribute("aria-busy", "false")
    await expect(box.locator(".slots-error")).to_have_text(
        "Could not load the times (HTTP 503). Retry"
    )
    await expect(box.locator(".slot")).to_have_count(0)

    await box.locator(".slots-retry").click()
    await expect(box.locator(".slot")).to_have_text(list(SLOTS))
    await expect(box.locator(".slots-error")).to_have_count(0)
    assert calls == [f"{page.url}api/slots?date=2026-11-24"] * 2
    await box.locator('.slot[data-time="11:00"]').click()
    await expect(page.locator("#selected-time")).to_have_text("11:00")


async def test_a_late_answer_for_an_earlier_day_is_dropped(page: Page) -> None:
    release = asyncio.Event()
    held = asyncio.Event()

    async def hold_first_day(route: Route) -> None:
        if route.request.url.endswith("date=2026-11-24"):
            held.set()
            await release.wait()
        await route.fallback()

    await page.route(SLOTS_URL, hold_first_day)
    await page.click('.cal-day[data-date="2026-11-24"]')
    await held.wait()
    await pick_day(page, "2026-11-25")
    await page.click('#slots .slot[data-time="13:00"]')

    before = await page.evaluate("window.__bodiesRead")
    release.set()
    await page.wait_for_function(f"window.__bodiesRead > {before}")
    await expect(page.locator("#slots")).to_have_attribute("data-date", "2026-11-25")
    await expect(page.locator("#selected-date")).to_have_text("2026-11-25")
    await expect(page.locator("#selected-time")).to_have_text("13:00")


async def test_confirming_without_a_time_shows_the_server_message(
    page: Page, site: SiteProcess
) -> None:
    await pick_day(page, "2026-11-24")
    await page.fill("#title", "No time")
    await page.fill("#attendee", "Nia")
    await page.click("#confirm")
    status = page.locator("#status")
    await expect(status).to_have_attribute("data-state", "error")
    await expect(status).to_have_text(
        "Could not save the booking (HTTP 422): time: required field is missing. Try again."
    )
    assert sorted((await state(site, "t1"))["bookings"]) == ["1", "7"]


async def test_a_slot_taken_meanwhile_is_refused_and_dropped(page: Page, site: SiteProcess) -> None:
    await pick_day(page, "2026-11-24")
    await page.click('#slots .slot[data-time="15:00"]')
    await expect(page.locator("#selected-time")).to_have_text("15:00")
    # Someone else books the same slot after the page showed it as free.
    async with httpx.AsyncClient(base_url=site.url) as http:
        body = {"date": "2026-11-24", "time": "15:00", "title": "First", "attendee": "Fred"}
        assert (
            await http.post("/api/bookings", json=body, headers=episode("t1"))
        ).status_code == 201

    await page.fill("#title", "Second")
    await page.fill("#attendee", "Sam")
    await page.click("#confirm")
    status = page.locator("#status")
    await expect(status).to_have_text(
        "Could not save the booking (HTTP 409): date: 2026-11-24 15:00 is already booked."
        " Try again."
    )
    # The reloaded slots show 15:00 as taken, and the stale choice is gone.
    await expect(page.locator('#slots .slot[data-time="15:00"]')).to_be_disabled()
    await expect(page.locator("#selected-time")).to_have_text("")
    await expect(page.locator("#selected-date")).to_have_text("2026-11-24")
    titles = [b["title"] for b in (await state(site, "t1"))["bookings"].values()]
    assert titles.count("First") == 1 and "Second" not in titles


async def test_widget_keeps_working_after_clone_replacement(page: Page) -> None:
    stale = await page.query_selector('.cal-day[data-date="2026-11-24"]')
    await page.evaluate(
        "() => { const c = document.querySelector('#calendar'); c.replaceWith(c.cloneNode(true)); }"
    )
    assert stale is not None and not await stale.evaluate("node => node.isConnected")

    day = page.locator('.cal-day[data-date="2026-11-24"]')
    await pick_day(page, "2026-11-24")
    await expect(day).to_have_attribute("aria-pressed", "true")

    # The slot buttons also keep working when their box is replaced by a clone.
    await page.evaluate(
        "() => { const s = document.querySelector('#slots'); s.replaceWith(s.cloneNode(true)); }"
    )
    await page.click('#slots .slot[data-time="13:00"]')
    await expect(page.locator("#selected-time")).to_have_text("13:00")
    await expect(page.locator('#slots .slot[data-time="13:00"]')).to_have_attribute(
        "aria-pressed", "true"
    )

    # Navigation and re-rendering also work on the clone.
    await page.click(".cal-next")
    await expect(page.locator(".cal-month")).to_have_attribute("data-month", "2026-12")
    await expect(page.locator("#calendar")).to_have_attribute("aria-busy", "false")
    await pick_day(page, "2026-12-04")
    await expect(page.locator("#selected-time")).to_have_text("")


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
    await pick_day(page, "2026-11-24")
    await page.click('#slots .slot[data-time="09:00"]')
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
    # A failed save keeps the choice (the slot is still free), ready for another try.
    await expect(page.locator("#slots")).to_have_attribute("aria-busy", "false")
    await expect(page.locator('#slots .slot[data-time="09:00"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(page.locator("#selected-time")).to_have_text("09:00")

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
