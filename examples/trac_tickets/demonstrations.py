"""Scripted demonstrations for ``gymfuzz record`` on Trac.

``gymfuzz record --target target.yaml --script demonstrations:file_ticket --out
drills/file_ticket`` records :func:`file_ticket`: a person's way through Trac's "New
Ticket" form, written as a Playwright function (type the summary, choose the type, the
component, the priority and the milestone, press "Create ticket", then open "View Tickets",
Trac's list of active tickets, where the replay agent later reads back what is stored).
:func:`file_ticket_again` is the same task with other values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page


async def _file(page: Page, start: str, summary: str, choices: dict[str, str]) -> None:
    await page.goto(start)
    await page.get_by_label("Summary:").fill(summary)
    for label, option in choices.items():
        await page.get_by_label(label).select_option(label=option)
    await page.get_by_role("button", name="Create ticket").click()
    await page.wait_for_load_state()
    await page.get_by_role("link", name="View Tickets").click()
    await page.get_by_role("link", name="Active Tickets", exact=False).first.click()
    await page.wait_for_load_state()


async def file_ticket(page: Page, start: str) -> None:
    """File "Export drops the header row": a defect in Billing, major, Sprint 42."""
    choices = {
        "Type:": "defect",
        "Component:": "Billing",
        "Priority:": "major",
        "Milestone:": "Sprint 42",
    }
    await _file(page, start, "Export drops the header row", choices)


async def file_ticket_again(page: Page, start: str) -> None:
    """The same task with other values: a task in Search, minor, Release 2.0."""
    choices = {
        "Type:": "task",
        "Component:": "Search",
        "Priority:": "minor",
        "Milestone:": "Release 2.0",
    }
    await _file(page, start, "Search box loses focus on reload", choices)
