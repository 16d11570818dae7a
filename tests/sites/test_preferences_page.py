"""The Preferences page in a real Chromium, against the real site subprocess."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, Route, expect

from sites.booking.server import SiteProcess
from tests.sites.sample import COUNT_READ_BODIES, FIXTURE, episode

pytestmark = pytest.mark.browser

#: The en dash the page puts between an airport's city and code and its full name.
DASH = "\u2013"

PREFS = {"seat": "window", "meal": "vegan", "home_airport": "LIS"}


async def reset(site: SiteProcess, tenant: str, fixture: dict[str, Any]) -> None:
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.put(
            f"/_admin/tenants/{tenant}", json=fixture, headers={"X-Admin-Token": site.admin_token}
        )
        assert response.status_code == 204, response.text


async def stored(site: SiteProcess, tenant: str = "t1") -> dict[str, str]:
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.get(
            f"/_admin/tenants/{tenant}/state", headers={"X-Admin-Token": site.admin_token}
        )
    return {key: row["value"] for key, row in response.json()["preferences"].items()}


@pytest.fixture
async def page(browser: Browser, site: SiteProcess) -> AsyncIterator[Page]:
    """The Preferences page of tenant "t1" (FIXTURE with :data:`PREFS`), loaded."""
    await reset(site, "t1", {**FIXTURE, "preferences": PREFS})
    context = await browser.new_context(extra_http_headers=episode("t1"))
    await context.add_init_script(COUNT_READ_BODIES)
    page = await context.new_page()
    await page.goto(f"{site.url}/preferences")
    await expect(page.locator("#prefs")).to_have_attribute("aria-busy", "false")
    yield page
    await context.close()


def status(page: Page, key: str) -> Locator:
    return page.locator(f'[data-pref-status="{key}"]')


async def bodies_read(page: Page) -> int:
    count: int = await page.evaluate("window.__bodiesRead")
    return count


async def test_controls_and_stored_panel_show_the_server_values(page: Page) -> None:
    await expect(page).to_have_title("Preferences")
    await expect(page.locator("#seat")).to_have_value("window")
    await expect(page.locator("#seat")).to_be_enabled()
    await expect(page.locator("#meal-button")).to_have_text("Vegan")
    await expect(page.locator("#meal-button")).to_have_attribute("aria-expanded", "false")
    airport = page.locator("#home-airport")
    await expect(airport).to_have_value("Lisbon (LIS)")
    await expect(airport).to_have_attribute("data-value", "LIS")
    panel = page.locator("#stored-prefs")
    await expect(panel).to_have_attribute("data-state", "ready")
    await expect(panel.locator("li")).to_have_text(
        ["Seat: Window", "Meal: Vegan", "Home airport: Lisbon (LIS)"]
    )
    await expect(panel.locator('li[data-key="meal"]')).to_have_attribute("data-value", "vegan")
    for key in PREFS:
        await expect(status(page, key)).to_have_attribute("data-state", "idle")
    await expect(page.locator("[data-retry]")).to_have_count(0)
    await expect(page.locator("nav.site-nav a")).to_have_text(
        ["Meetings", "Trips", "Preferences", "Inbox"]
    )


async def test_each_dropdown_kind_saves_its_choice(page: Page, site: SiteProcess) -> None:
    await page.select_option("#seat", "middle")
    await expect(status(page, "seat")).to_have_attribute("data-state", "saved")
    await expect(status(page, "seat")).to_have_text("Saved")

    await page.click("#meal-button")
    await expect(page.locator("#meal-button")).to_have_attribute("aria-expanded", "true")
    await expect(page.locator("#meal-list")).to_be_visible()
    await expect(page.locator('#meal-list [role="option"]')).to_have_count(6)
    await expect(page.locator('#meal-list [data-value="vegan"]')).to_have_attribute(
        "aria-selected", "true"
    )
    await page.click('#meal-list [role="option"][data-value="kosher"]')
    await expect(page.locator("#meal-list")).to_be_hidden()
    await expect(page.locator("#meal-button")).to_have_text("Kosher")
    await expect(status(page, "meal")).to_have_attribute("data-state", "saved")

    airport = page.locator("#home-airport")
    await airport.fill("zur")
    await expect(airport).to_have_attribute("aria-expanded", "true")
    option = page.locator('#home-airport-list [role="option"][data-value="ZRH"]')
    await expect(option).to_have_text(f"Zurich (ZRH) {DASH} Zurich Airport")
    await option.click()
    await expect(airport).to_have_value("Zurich (ZRH)")
    await expect(airport).to_have_attribute("data-value", "ZRH")
    await expect(airport).to_have_attribute("aria-expanded", "false")
    await expect(status(page, "home_airport")).to_have_attribute("data-state", "saved")

    assert await stored(site) == {"seat": "middle", "meal": "kosher", "home_airport": "ZRH"}
    # The panel shows the server's values only once it is refreshed.
    await expect(page.locator('#stored-prefs li[data-key="seat"]')).to_have_text("Seat: Window")
    await page.click("#refresh-prefs")
    await expect(page.locator("#stored-prefs li")).to_have_text(
        ["Seat: Middle", "Meal: Kosher", "Home airport: Zurich (ZRH)"]
    )


async def test_failed_save_keeps_the_new_value_and_retry_stores_it(
    page: Page, site: SiteProcess
) -> None:
    async def unavailable(route: Route) -> None:
        await route.fulfill(status=503, json={"error": "maintenance"})

    await page.route("**/api/preferences/seat", unavailable)
    await page.select_option("#seat", "aisle")
    seat = status(page, "seat")
    await expect(seat).to_have_attribute("data-state", "error")
    await expect(seat).to_have_text("Not saved")
    await expect(page.locator(".save-detail")).to_have_text("(HTTP 503: maintenance)")
    await expect(page.locator("#seat")).to_have_value("aisle")  # the trap: it looks chosen
    assert (await stored(site))["seat"] == "window"
    await page.click("#refresh-prefs")
    await expect(page.locator('#stored-prefs li[data-key="seat"]')).to_have_attribute(
        "data-value", "window"
    )

    await page.unroute("**/api/preferences/seat", unavailable)
    await page.route("**/api/preferences/seat", lambda route: route.abort())
    await page.click('[data-retry="seat"]')
    await expect(page.locator(".save-detail")).to_have_text("(network error)")
    await expect(seat).to_have_attribute("data-state", "error")

    await page.unroute("**/api/preferences/seat")
    await page.click('[data-retry="seat"]')
    await expect(seat).to_have_attribute("data-state", "saved")
    await expect(page.locator("[data-retry]")).to_have_count(0)
    assert (await stored(site))["seat"] == "aisle"


async def test_only_the_newest_save_sets_the_status(page: Page, site: SiteProcess) -> None:
    release = asyncio.Event()
    first_put = asyncio.Event()

    async def hold_first(route: Route) -> None:
        if route.request.post_data_json == {"value": "vegetarian"}:
            first_put.set()
            await release.wait()
            await route.fulfill(status=500, json={"error": "late failure"})
        else:
            await route.fallback()

    await page.route("**/api/preferences/meal", hold_first)
    await page.click("#meal-button")
    await page.click('#meal-list [data-value="vegetarian"]')
    await first_put.wait()
    await expect(status(page, "meal")).to_have_text("Saving…")
    await page.click("#meal-button")
    await page.click('#meal-list [data-value="halal"]')
    await expect(status(page, "meal")).to_have_attribute("data-state", "saved")

    before = await bodies_read(page)
    release.set()
    await page.wait_for_function(f"window.__bodiesRead > {before}")
    await expect(status(page, "meal")).to_have_attribute("data-state", "saved")
    await expect(page.locator("#meal-button")).to_have_text("Halal")
    assert (await stored(site))["meal"] == "halal"


async def test_stale_airport_suggestions_are_dropped(page: Page) -> None:
    release = asyncio.Event()
    held = asyncio.Event()

    async def hold_lon(route: Route) -> None:
        if route.request.url.endswith("q=lon"):
            held.set()
            await release.wait()
        await route.fallback()

    await page.route("**/api/airports?*", hold_lon)
    airport = page.locator("#home-airport")
    await airport.fill("lon")
    await held.wait()
    await airport.fill("mil")
    options = page.locator('#home-airport-list [role="option"]')
    await expect(options).to_have_text(
        [f"Milan (LIN) {DASH} Milan Linate", f"Milan (MXP) {DASH} Milan Malpensa"]
    )

    before = await bodies_read(page)
    release.set()
    await page.wait_for_function(f"window.__bodiesRead > {before}")
    await expect(options).to_have_count(2)
    await expect(options.first).to_have_attribute("data-value", "LIN")

    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(airport).to_have_value("Milan (MXP)")
    await expect(status(page, "home_airport")).to_have_attribute("data-state", "saved")


async def test_escape_restores_the_airport_and_closes_the_meal_list(page: Page) -> None:
    airport = page.locator("#home-airport")
    await airport.fill("par")
    await expect(page.locator('#home-airport-list [data-value="CDG"]')).to_be_visible()
    await airport.press("Escape")
    await expect(airport).to_have_value("Lisbon (LIS)")
    await expect(page.locator("#home-airport-list")).to_be_hidden()
    await expect(status(page, "home_airport")).to_have_attribute("data-state", "idle")

    await page.click("#meal-button")
    await expect(page.locator("#meal-list")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(page.locator("#meal-list")).to_be_hidden()
    await page.keyboard.press("ArrowDown")  # opens on the current choice
    await expect(page.locator("#meal-list .active")).to_have_attribute("data-value", "vegan")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(page.locator("#meal-button")).to_have_text("Kosher")
    await expect(status(page, "meal")).to_have_attribute("data-state", "saved")


async def test_controls_keep_working_after_clone_replacement(page: Page, site: SiteProcess) -> None:
    await page.evaluate(
        "() => { const f = document.querySelector('#prefs'); f.replaceWith(f.cloneNode(true)); }"
    )
    await page.click("#meal-button")
    await page.click('#meal-list [data-value="gluten_free"]')
    await expect(page.locator("#meal-button")).to_have_text("Gluten-free")
    await expect(status(page, "meal")).to_have_attribute("data-state", "saved")
    await page.select_option("#seat", "aisle")
    await expect(status(page, "seat")).to_have_attribute("data-state", "saved")
    await page.fill("#home-airport", "osl")
    await page.click('#home-airport-list [data-value="OSL"]')
    await expect(page.locator("#home-airport")).to_have_value("Oslo (OSL)")
    await expect(status(page, "home_airport")).to_have_attribute("data-state", "saved")
    assert await stored(site) == {"seat": "aisle", "meal": "gluten_free", "home_airport": "OSL"}


async def test_page_waits_for_the_server_before_enabling_controls(
    browser: Browser, site: SiteProcess
) -> None:
    await reset(site, "t2", {"today": "2026-11-23"})
    context = await browser.new_context(extra_http_headers=episode("t2"))
    page = await context.new_page()
    failing = True

    async def first_load_fails(route: Route) -> None:
        if failing:
            await route.fulfill(status=503, json={"error": "warming up"})
        else:
            await route.fallback()

    await page.route("**/api/preferences", first_load_fails)
    await page.goto(f"{site.url}/preferences")
    await expect(page.locator("#stored-prefs")).to_have_attribute("data-state", "error")
    await expect(page.locator("#stored-message")).to_contain_text("HTTP 503: warming up")
    await expect(page.locator("#prefs")).to_have_attribute("aria-busy", "true")
    await expect(page.locator("#seat")).to_be_disabled()
    await expect(page.locator("#meal-button")).to_be_disabled()
    await expect(page.locator("#home-airport")).to_be_disabled()

    failing = False
    await page.click("#refresh-prefs")
    await expect(page.locator("#prefs")).to_have_attribute("aria-busy", "false")
    await expect(page.locator("#stored-prefs")).to_have_attribute("data-state", "ready")
    await expect(page.locator("#seat")).to_have_value("aisle")
    await expect(page.locator("#meal-button")).to_have_text("Standard")
    await expect(page.locator("#home-airport")).to_have_value("London (LHR)")
    await expect(page.locator("#stored-message")).to_be_hidden()
    await context.close()
