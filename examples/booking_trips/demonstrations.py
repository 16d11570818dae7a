"""Scripted demonstrations for ``gymfuzz record`` on the booking site's trip flow.

``gymfuzz record --target target.yaml --script demonstrations.py:book_trip --out
drills/book_trip`` records :func:`book_trip`: a person's way through ``/trips`` written as a
Playwright function. Type an airport code and pick the suggestion, twice; type the date;
search; press a fare of one of the flights found; fill in the passenger and the card;
review; confirm; then open ``/trips`` again, whose "My trips" list is where the replay agent
reads back what is stored. :func:`book_trip_again` is the same task with other values.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page


def _in_days(days: int) -> str:
    """A day of the site's timetable: the default one flies every route 7, 8 and 14 days on."""
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


async def _airport(page: Page, field: str, code: str) -> None:
    await page.locator(f"#{field}").fill(code)
    await page.locator(f'#{field}-list [role=option][data-value="{code}"]').click()


async def _book(page: Page, start: str, trip: dict[str, str]) -> None:
    await page.goto(start)
    await _airport(page, "origin", trip["origin"])
    await _airport(page, "destination", trip["destination"])
    await page.locator("#depart-date").fill(trip["date"])
    await page.get_by_role("button", name="Search flights").click()
    fare = f'li.flight[data-flight="{trip["flight"]}"] .fare[data-fare="{trip["fare"]}"]'
    await page.locator(fare).click()
    await page.locator("#pax-name").fill(trip["passenger"])
    await page.locator("#pax-email").fill(trip["email"])
    await page.get_by_role("button", name="Continue to payment").click()
    await page.locator("#card-number").fill("4242 4242 4242 4242")
    await page.locator("#card-expiry").fill("12/30")
    await page.locator("#card-cvc").fill("123")
    await page.get_by_role("button", name="Review trip").click()
    async with page.expect_response(lambda r: r.request.method == "POST"):
        await page.get_by_role("button", name="Confirm and pay").click()
    await page.goto(start)
    await page.get_by_text(trip["passenger"]).first.wait_for()


async def book_trip(page: Page, start: str) -> None:
    """Book GF123 Lisbon to Amsterdam in a week, Standard fare, for Ada Lovelace."""
    trip = {
        "origin": "LIS",
        "destination": "AMS",
        "date": _in_days(7),
        "flight": "GF123",
        "fare": "standard",
        "passenger": "Ada Lovelace",
        "email": "ada@example.org",
    }
    await _book(page, start, trip)


async def book_trip_again(page: Page, start: str) -> None:
    """The same task with other values: GF318 London to Barcelona, Flex, for Alan Turing."""
    trip = {
        "origin": "LHR",
        "destination": "BCN",
        "date": _in_days(14),
        "flight": "GF318",
        "fare": "flex",
        "passenger": "Alan Turing",
        "email": "alan@example.net",
    }
    await _book(page, start, trip)
