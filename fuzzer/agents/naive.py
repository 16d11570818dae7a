"""``naive``: clicks what it expects, where it expects it, and never re-checks.

It takes element handles once and reuses them, clicks at their on-screen centre with the
mouse (so whatever covers the element gets the click), and ends as soon as the page stops
saving, without looking at the result. With no perturbation it completes every calendar
task; under perturbation its failures show what a pack exercises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fuzzer.agents.base import AgentError, AgentOutcome, Task

if TYPE_CHECKING:
    from playwright.async_api import ElementHandle, Page

WAIT_MS = 5_000


async def click_center(page: Page, handle: ElementHandle, what: str) -> None:
    """Mouse-click the centre of ``handle``'s box; :class:`AgentError` if it has none."""
    box = await handle.bounding_box()
    if box is None:
        raise AgentError(f"{what}: element is no longer on the page")
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


async def _find(page: Page, selector: str) -> ElementHandle:
    """Wait for ``selector`` to be visible and hold on to it (the naive way)."""
    handle = await page.wait_for_selector(selector, timeout=WAIT_MS)
    if handle is None:  # only for state="hidden"/"detached"; kept for the type checker
        raise AgentError(f"{selector}: not found")
    return handle


def months_between(current: str, target: str) -> int:
    """Whole months from ``YYYY-MM`` ``current`` to ``target`` (negative: backwards)."""
    cy, cm = map(int, current.split("-"))
    ty, tm = map(int, target.split("-"))
    return (ty - cy) * 12 + (tm - cm)


class NaiveAgent:
    """See the module docstring."""

    name = "naive"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        if task.drill != "calendar":
            raise AgentError(f"naive agent has no script for drill {task.drill!r}")
        out = AgentOutcome()
        f = task.fields
        await page.goto(task.start_url)
        title = await _find(page, "#title")
        attendee = await _find(page, "#attendee")
        confirm = await _find(page, "#confirm")
        month = await _find(page, ".cal-month:not([data-month=''])")
        nxt = await _find(page, ".cal-next")
        await title.fill(f["title"])
        await attendee.fill(f["attendee"])
        out.actions += ["fill title", "fill attendee"]
        current = await month.get_attribute("data-month") or ""
        for _ in range(months_between(current, f["date"][:7])):
            await click_center(page, nxt, "next month")
            out.actions.append("next month")
        day = await _find(page, f'.cal-day[data-date="{f["date"]}"]:not([disabled])')
        await click_center(page, day, f"day {f['date']}")
        await click_center(page, confirm, "confirm")
        out.actions += [f"pick {f['date']}", "confirm"]
        await page.wait_for_function(
            "document.querySelector('#status')?.dataset.state !== 'saving'", timeout=30_000
        )
        return out
