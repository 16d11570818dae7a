"""Scripted demonstrations for ``gymfuzz record`` on the example calendar site.

``gymfuzz record --target target.yaml --script demonstrations:add_event --out drills/add_event``
records :func:`add_event`: a person's way through the admin, written as a Playwright function
(log in, open Events > Add, type the title and the day, choose the calendar and the slot,
save). :func:`add_event_again` is the same task with other values: both recordings infer the
same drill.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page


async def _add(page: Page, start: str, title: str, day: str, calendar: str, slot: str) -> None:
    await page.goto(start)
    await page.get_by_label("Username:").fill("admin")
    await page.get_by_label("Password:").fill("gymfuzz-admin-pass")
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("row", name="Events").get_by_role("link", name="Add").click()
    await page.get_by_label("Title:").fill(title)
    await page.get_by_label("Day:").fill(day)
    await page.get_by_label("Calendar:").select_option(label=calendar)
    await page.get_by_label("Slot:").select_option(label=slot)
    await page.get_by_role("button", name="Save", exact=True).click()
    await page.wait_for_load_state()


async def add_event(page: Page, start: str) -> None:
    """Add "Quarterly planning" to the Work calendar on 2027-02-10 at 10:00."""
    await _add(page, start, "Quarterly planning", "2027-02-10", "Work", "10:00")


async def add_event_again(page: Page, start: str) -> None:
    """The same task with other values: "Dentist visit", Home, 2027-01-19 at 15:00."""
    await _add(page, start, "Dentist visit", "2027-01-19", "Home", "15:00")
