"""``noop``: opens the page, lets it settle, and does nothing.

Every solvable task must fail with it: a verifier it passes is vacuous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fuzzer.agents.base import AgentOutcome, Task

if TYPE_CHECKING:
    from playwright.async_api import Page


class NoopAgent:
    """The do-nothing agent that keeps verifiers honest."""

    name = "noop"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        # Settled, so what the page loads (and what fires on it) does not depend on timing.
        await page.goto(task.start_url, wait_until="networkidle")
        return AgentOutcome(actions=["open"])
