"""The trip booking page in a real Chromium, against the real site subprocess."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, Route, expect

from sites.booking.server import SiteProcess
from tests.sites.sample import COUNT_READ_BODIES, episode
from tests.sites.test_trips_api import TRIP_FIXTURE

pytestmark = pytest.mark.browser

FLIGHTS = re.compile(r"/api/flights\?")
AIRPORTS = re.compile(r"/api/airports\?")


async def reset(site: SiteProcess, tenant: str, fixture: dict[str, Any]) -> None:
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.put(
            f"/_admin/tenants/{tenant}", json=fixture, headers={"X-Admin-Token": site.admin_token}
        )
        assert response.status_code == 204, response.text


async def trips_state(site: SiteProcess, tenant: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.get(
            f"/_admin/tenants/{tenant}/state", headers={"X-Admin-Token": site.admin_token}
        )
        result: dict[str, Any] = response.json()["trips"]
        return result


class Gate:
    """Holds matching requests until :meth:`open` is called (to observe in-between states)."""

    def __init__(self) -> None:
        self.held = asyncio.Event()
        self._open = asyncio.Event()

    async def handle(self, route: Route) -> None:
        self.held.set()
        await self._open.wait()
        await route.fallback()

    def open(self) -> None:
        self._open.set()


@pytest.fixture
async def page(browser: Browser, site: SiteProcess) -> AsyncIterator[Page]:
    """The trips page of tenant "t1" (reset to TRIP_FIXTURE), with its trip list loaded."""
    await reset(site, "t1", TRIP_FIXTURE)
    context = await browser.new_context(extra_http_headers=episode("t1"))
    await context.add_init_script(COUNT_READ_BODIES)
    page = await context.new_page()
    await page.goto(f"{site.url}/trips")
    await expect(page.locator("#my-trips")).to_have_attribute("data-state", "ready")
    yield page
    await context.close()


async def pick_airport(page: Page, field: str, typed: str, code: str) -> None:
    """Type *typed* into the airport *field* and click the suggested option *code*."""
    await page.locator(f"#{field}").press_sequentially(typed)
    await page.click(f'#{field}-list [role="option"][data-value="{code}"]')
    await expect(page.locator(f"#{field}")).to_have_attribute("data-value", code)


async def search(page: Page, day: str = "2026-12-14") -> None:
    await pick_airport(page, "origin", "lis", "LIS")
    await pick_airport(page, "destination", "amster", "AMS")
    await page.fill("#depart-date", day)
    await page.click("#search")


async def flight_order(page: Page) -> list[str | None]:
    return [await li.get_attribute("data-flight") for li in await page.locator("li.flight").all()]


async def test_book_a_trip_from_search_to_confirmation(page: Page, site: SiteProcess) -> None:
    flow = page.locator("#trip-flow")
    await expect(flow).to_have_attribute("data-step", "search")
    await expect(page.locator("#my-trips li")).to_have_count(1)

    # Origin by clicking a suggestion, destination by keyboard.
    await pick_airport(page, "origin", "lis", "LIS")
    await expect(page.locator("#origin")).to_have_value("Lisbon (LIS)")
    await expect(page.locator("#origin-list")).to_be_hidden()
    await page.locator("#destination").press_sequentially("amster")
    option = page.locator('#destination-list [role="option"][data-value="AMS"]')
    await expect(option).to_have_text("Amsterdam (AMS) \u2013 Amsterdam Schiphol")
    await page.press("#destination", "ArrowDown")
    await expect(option).to_have_attribute("aria-selected", "true")
    await page.press("#destination", "Enter")
    await expect(page.locator("#destination")).to_have_value("Amsterdam (AMS)")
    await expect(page.locator("#destination")).to_have_attribute("data-value", "AMS")
    await page.fill("#depart-date", "2026-12-14")

    # The results scaffold with skeleton rows until the flights arrive.
    gate = Gate()
    await page.route(FLIGHTS, gate.handle)
    await page.click("#search")
    await expect(flow).to_have_attribute("data-step", "results")
    results = page.locator("#results")
    await expect(results).to_have_attribute("aria-busy", "true")
    await expect(results.locator("li.skeleton")).to_have_count(3)
    await gate.held.wait()
    gate.open()
    await expect(results).to_have_attribute("aria-busy", "false")
    await expect(results.locator("li.skeleton")).to_have_count(0)
    await expect(results.locator("li.flight")).to_have_count(3)
    assert await flight_order(page) == ["GF145", "GF123", "GF101"]  # cheapest first

    await page.check("#filter-nonstop")
    await expect(results.locator("li.flight")).to_have_count(2)
    assert await flight_order(page) == ["GF123", "GF101"]
    await page.select_option("#sort", "departure")
    await expect(results.locator("li.flight").first).to_have_attribute("data-flight", "GF101")
    assert await flight_order(page) == ["GF101", "GF123"]
    fare = page.locator('li.flight[data-flight="GF123"] .fare[data-fare="standard"]')
    await expect(fare).to_have_text("Standard €129")
    await expect(fare).to_have_attribute("data-price", "129")
    await fare.click()

    # Passenger: empty fields are refused inline.
    await expect(flow).to_have_attribute("data-step", "passenger")
    await page.click("#to-payment")
    await expect(page.locator('.field-error[data-for="pax-name"]')).to_have_text(
        "Enter the passenger's full name"
    )
    await expect(page.locator('.field-error[data-for="pax-email"]')).to_be_visible()
    await expect(flow).to_have_attribute("data-step", "passenger")
    await page.fill("#pax-name", "Dee Ray")
    await page.fill("#pax-email", "dee@example.com")
    await page.click("#to-payment")

    # Payment: a card failing the Luhn check and an expired card are refused inline.
    await expect(flow).to_have_attribute("data-step", "payment")
    await page.fill("#card-number", "4242 4242 4242 4241")
    await page.fill("#card-expiry", "10/26")
    await page.fill("#card-cvc", "123")
    await page.click("#to-review")
    await expect(page.locator('.field-error[data-for="card-number"]')).to_have_text(
        "This card number is not valid; check the digits"
    )
    await expect(page.locator('.field-error[data-for="card-expiry"]')).to_have_text(
        "This card has expired"
    )
    await expect(flow).to_have_attribute("data-step", "payment")
    await page.fill("#card-number", "4242 4242 4242 4242")
    await page.fill("#card-expiry", "11/26")
    await expect(page.locator(".field-error")).to_have_count(0)
    await page.click("#to-review")

    await expect(flow).to_have_attribute("data-step", "review")
    review = {
        "flight": "GF123",
        "date": "2026-12-14, 09:15 \u2013 13:05",
        "route": "LIS → AMS",
        "fare": "Standard",
        "price": "€129",
        "passenger": "Dee Ray",
        "email": "dee@example.com",
        "card": "•••• 4242, expires 11/26",
    }
    for name, text in review.items():
        await expect(page.locator(f'[data-review="{name}"]')).to_have_text(text)

    # Confirm: "saving" with the button disabled while the POST is in flight.
    post_gate = Gate()
    await page.route("**/api/trips", post_gate.handle)
    await page.click("#confirm-trip")
    status = page.locator("#trip-status")
    await expect(status).to_have_attribute("data-state", "saving")
    await expect(page.locator("#confirm-trip")).to_be_disabled()
    await post_gate.held.wait()
    post_gate.open()
    await expect(flow).to_have_attribute("data-step", "done")
    await expect(status).to_have_attribute("data-state", "saved")
    await expect(page.locator("#trip-reference")).to_have_text("GF-000005")
    mine = page.locator('#my-trips li[data-trip-id="5"]')
    await expect(mine).to_have_attribute("data-flight", "GF123")
    await expect(mine).to_have_attribute("data-fare", "standard")
    await expect(mine).to_have_attribute("data-passenger", "Dee Ray")

    added = {k: v for k, v in (await trips_state(site, "t1")).items() if k != "4"}
    assert added == {
        "5": {
            "id": 5,
            "reference": "GF-000005",
            "flight": "GF123",
            "date": "2026-12-14",
            "fare": "standard",
            "price": 129,
            "passenger": "Dee Ray",
            "email": "dee@example.com",
            "card_last4": "4242",
        }
    }

    # Book another trip: back to an empty search step, same page.
    await page.click("#new-trip")
    await expect(flow).to_have_attribute("data-step", "search")
    await expect(page.locator("#origin")).to_have_value("")
    await expect(page.locator("#origin")).not_to_have_attribute("data-value", "LIS")
    await expect(page.locator("#depart-date")).to_have_value("")
    await expect(page.locator("#my-trips li")).to_have_count(2)


async def test_search_refuses_airport_text_not_picked_from_the_list(page: Page) -> None:
    searches: list[str] = []
    page.on("request", lambda r: searches.append(r.url) if "/api/flights" in r.url else None)
    await page.locator("#origin").press_sequentially("Lisbon")
    await expect(page.locator('#origin-list [role="option"]')).to_have_count(1)
    await page.click("#search")
    await expect(page.locator("#origin-list")).to_be_hidden()
    await expect(page.locator('.field-error[data-for="origin"]')).to_have_text(
        "Choose an airport from the list"
    )
    await expect(page.locator('.field-error[data-for="destination"]')).to_have_text(
        "Choose an airport from the list"
    )
    await expect(page.locator('.field-error[data-for="depart-date"]')).to_have_text(
        "Choose a departure date"
    )
    await expect(page.locator("#trip-flow")).to_have_attribute("data-step", "search")

    # Picking clears the error; typing again un-picks the airport.
    await page.locator("#origin").fill("")
    await pick_airport(page, "origin", "lis", "LIS")
    await expect(page.locator('.field-error[data-for="origin"]')).to_have_count(0)
    await page.locator("#origin").press("End")
    await page.locator("#origin").press("Backspace")
    await expect(page.locator("#origin")).to_have_value("Lisbon (LIS")
    await expect(page.locator("#origin")).not_to_have_attribute("data-value", "LIS")
    await page.click("#search")
    await expect(page.locator('.field-error[data-for="origin"]')).to_have_text(
        "Choose an airport from the list"
    )
    assert searches == []


async def test_unknown_text_shows_no_match_and_past_date_is_refused(page: Page) -> None:
    await page.locator("#origin").press_sequentially("Atlantis")
    await expect(page.locator("#origin-list .note")).to_have_text("No matching airport")
    await expect(page.locator('#origin-list [role="option"]')).to_have_count(0)
    await page.locator("#origin").fill("")
    await pick_airport(page, "origin", "lis", "LIS")
    await pick_airport(page, "destination", "ams", "AMS")
    await page.fill("#depart-date", "2026-11-22")
    await page.click("#search")
    await expect(page.locator('.field-error[data-for="depart-date"]')).to_have_text(
        "Choose a date from 2026-11-23 on"
    )


async def test_superseded_suggestions_are_dropped(page: Page) -> None:
    first = Gate()

    async def hold_first(route: Route) -> None:
        if route.request.url.endswith("q=lo"):
            await first.handle(route)
        else:
            await route.fallback()

    await page.route(AIRPORTS, hold_first)
    # fill() sends one input event, so each value makes exactly one query.
    await page.fill("#origin", "lo")
    await first.held.wait()
    await page.fill("#origin", "london")
    await expect(page.locator('#origin-list [role="option"]')).to_have_count(3)
    # The stale answer for "lo" (BOS, LGW, LHR, STN) arrives last and must be ignored.
    bodies_read = await page.evaluate("() => window.__bodiesRead")
    first.open()
    await page.wait_for_function("(n) => window.__bodiesRead > n", arg=bodies_read)
    await expect(page.locator('#origin-list [role="option"]')).to_have_count(3)
    await page.locator("#origin").press("ArrowDown")
    await expect(page.locator('#origin-list [aria-selected="true"]')).to_have_attribute(
        "data-value", "LGW"
    )


async def test_failed_flight_load_offers_a_retry(page: Page) -> None:
    failures = [True]

    async def fail_once(route: Route) -> None:
        if failures:
            failures.pop()
            await route.fulfill(status=503, json={"error": "maintenance"})
        else:
            await route.fallback()

    await page.route(FLIGHTS, fail_once)
    await search(page, "2026-12-15")
    error = page.locator("#results-error")
    await expect(error).to_be_visible()
    await expect(error).to_contain_text("Could not load flights (HTTP 503: maintenance).")
    await expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    await page.click("#results-retry")
    await expect(error).to_be_hidden()
    await expect(page.locator("li.flight")).to_have_count(1)

    await page.click("#back-to-search")
    await expect(page.locator("#origin")).to_have_value("Lisbon (LIS)")
    await page.fill("#depart-date", "2026-12-20")
    await page.click("#search")
    await expect(page.locator("#no-results")).to_be_visible()
    await expect(page.locator("li.flight")).to_have_count(0)


async def test_failed_save_stays_on_review_and_retry_books_once(
    page: Page, site: SiteProcess
) -> None:
    await search(page)
    await page.click('li.flight[data-flight="GF101"] .fare[data-fare="flex"]')
    await page.fill("#pax-name", "Ann Lee")
    await page.fill("#pax-email", "ann@example.com")
    await page.click("#to-payment")
    await page.fill("#card-number", "4111111111111111")
    await page.fill("#card-expiry", "01/28")
    await page.fill("#card-cvc", "1234")
    await page.click("#to-review")
    await expect(page.locator('[data-review="price"]')).to_have_text("€209")

    failures = [True]

    async def fail_post_once(route: Route) -> None:
        if route.request.method == "POST" and failures:
            failures.pop()
            await route.fulfill(status=422, json={"error": "card_number: declined"})
        else:
            await route.fallback()

    await page.route("**/api/trips", fail_post_once)
    await page.click("#confirm-trip")
    status = page.locator("#trip-status")
    await expect(status).to_have_attribute("data-state", "error")
    await expect(status).to_have_text(
        "Could not book the trip (HTTP 422: card_number: declined). Try again."
    )
    await expect(page.locator("#trip-flow")).to_have_attribute("data-step", "review")
    await expect(page.locator("#confirm-trip")).to_be_enabled()
    assert sorted(await trips_state(site, "t1")) == ["4"]

    await page.click("#confirm-trip")
    await expect(status).to_have_attribute("data-state", "saved")
    await expect(page.locator("#trip-reference")).to_have_text("GF-000005")
    trips = await trips_state(site, "t1")
    assert sorted(trips) == ["4", "5"]
    assert trips["5"]["fare"] == "flex" and trips["5"]["price"] == 209
    assert trips["5"]["card_last4"] == "1111"


async def test_flow_keeps_working_after_clone_replacement(page: Page) -> None:
    await search(page)
    await expect(page.locator("li.flight")).to_have_count(3)
    await page.evaluate(
        "() => { const m = document.querySelector('#trip-flow');"
        " m.replaceWith(m.cloneNode(true)); }"
    )
    await page.check("#filter-nonstop")
    await expect(page.locator("li.flight")).to_have_count(2)
    await page.click('li.flight[data-flight="GF123"] .fare[data-fare="basic"]')
    await expect(page.locator("#trip-flow")).to_have_attribute("data-step", "passenger")
    await expect(page.locator('[data-step-panel="passenger"]')).to_be_visible()
    await expect(page.locator('[data-step-panel="results"]')).to_be_hidden()


async def test_edit_trip_returns_to_search_with_values_kept(page: Page) -> None:
    await search(page)
    await page.click('li.flight[data-flight="GF123"] .fare[data-fare="basic"]')
    await page.fill("#pax-name", "Ann Lee")
    await page.fill("#pax-email", "ann@example.com")
    await page.click("#to-payment")
    await page.fill("#card-number", "4242424242424242")
    await page.fill("#card-expiry", "12/27")
    await page.fill("#card-cvc", "321")
    await page.click("#to-review")
    await page.click("#edit-trip")
    await expect(page.locator("#trip-flow")).to_have_attribute("data-step", "search")
    await expect(page.locator("#origin")).to_have_value("Lisbon (LIS)")
    await expect(page.locator("#destination")).to_have_attribute("data-value", "AMS")
    await expect(page.locator("#depart-date")).to_have_value("2026-12-14")
    await page.fill("#depart-date", "2026-12-15")
    await page.click("#search")
    await page.click('li.flight[data-flight="GF123"] .fare[data-fare="basic"]')
    await expect(page.locator("#pax-name")).to_have_value("Ann Lee")
    await page.click("#to-payment")
    await expect(page.locator("#card-number")).to_have_value("4242424242424242")
    await page.click("#to-review")
    await expect(page.locator('[data-review="date"]')).to_have_text(
        "2026-12-15, 09:15 \u2013 13:05"
    )
    await expect(page.locator('[data-review="price"]')).to_have_text("€79")
