"""``careful``: waits for stable state, dismisses interruptions, re-checks, retries, escalates.

It re-finds elements for every action (never holds a handle across a re-render), clicks only
what can receive the click, closes dialogs that cover the page (topmost first), confirms after
each step that the page shows what it meant to do, and after every write checks the system's
own record (the list of bookings, the stored settings, the list of trips and sent mail), not
the status line: when a save reports an error it re-checks before retrying, so a write that
landed despite the error is never made twice. When the backend keeps failing it escalates
instead of guessing. The per-drill scripts are in :mod:`fuzzer.agents.scripts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fuzzer.agents.base import AgentOutcome, Task

if TYPE_CHECKING:
    from playwright.async_api import Page


class CarefulAgent:
    """See the module docstring."""

    name = "careful"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        from fuzzer.agents.scripts import script_for

        script = script_for(task.drill, "careful")
        if script is None:
            return AgentOutcome(escalated=True, message=f"no script for drill {task.drill!r}")
        return await script(page, task)
