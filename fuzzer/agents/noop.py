"""``noop``: opens the page and does nothing. Every solvable task must fail with it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fuzzer.agents.base import AgentOutcome, Task

if TYPE_CHECKING:
    from playwright.async_api import Page


class NoopAgent:
    """The do-nothing agent that keeps verifiers honest."""

    name = "noop"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        await page.goto(task.start_url)
        return AgentOutcome(actions=["open"])
