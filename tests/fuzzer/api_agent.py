"""A test agent that writes through the app's own API from inside the page (so through the
proxy, like a page script), recording each call's status."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page

from fuzzer.agents import AgentOutcome, Task


class ApiAgent:
    """Plays ``calls`` (method, path, JSON body or None) with ``fetch`` in the page."""

    def __init__(self, name: str, calls: list[tuple[str, str, dict[str, Any] | None]]) -> None:
        self.name = name
        self.calls = calls
        self.statuses: list[int] = []

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        await page.goto(task.start_url)
        for method, path, body in self.calls:
            status = await page.evaluate(
                """async ([m, p, b]) => (await fetch(p, {method: m,
                       headers: {'content-type': 'application/json'},
                       body: b === null ? undefined : JSON.stringify(b)})).status""",
                [method, path, body],
            )
            self.statuses.append(status)
        return AgentOutcome()
