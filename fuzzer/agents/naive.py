"""``naive``: clicks what it expects, where it expects it, and never re-checks.

It takes element handles once and reuses them, clicks at their on-screen centre with the
mouse (so whatever covers the element gets the click), picks options by the position it
expects them at, and ends as soon as the page stops saving, without looking at the result.
With no perturbation it completes every task of the three drills; under perturbation its
failures show what a pack exercises. The per-drill scripts are in
:mod:`fuzzer.agents.scripts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError

from fuzzer.agents.base import AgentError, AgentOutcome, Task

if TYPE_CHECKING:
    from playwright.async_api import ElementHandle, Page

WAIT_MS = 10_000


async def click_center(page: Page, handle: ElementHandle, what: str) -> None:
    """Scroll ``handle`` into view and mouse-click the centre of its box, whatever is on top
    there; :class:`AgentError` if it has no box (it left the page)."""
    try:
        await handle.scroll_into_view_if_needed(timeout=WAIT_MS)
    except PlaywrightError as exc:
        raise AgentError(f"{what}: element is no longer on the page") from exc
    box = await handle.bounding_box()
    if box is None:
        raise AgentError(f"{what}: element is no longer on the page")
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


async def find(page: Page, selector: str, timeout_ms: float = WAIT_MS) -> ElementHandle:
    """Wait for ``selector`` to be visible and hold on to it (the naive way)."""
    handle = await page.wait_for_selector(selector, timeout=timeout_ms)
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
        from fuzzer.agents.scripts import script_for

        script = script_for(task.drill, "naive")
        if script is None:
            raise AgentError(f"naive agent has no script for drill {task.drill!r}")
        return await script(page, task)
