"""``careful``: waits for stable state, dismisses interruptions, re-checks, retries, escalates.

It re-finds elements for every action (never holds a handle across a re-render), clicks only
what can receive the click, closes dialogs that cover the page (topmost first), confirms after
each step that the page shows what it meant to do, and after a save checks the system's list
of bookings, not the status line: when a save reports an error it re-checks the list before
retrying, so a write that landed despite the error is never made twice. When the backend keeps
failing it escalates instead of guessing.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from fuzzer.agents.base import AgentOutcome, Task
from fuzzer.agents.naive import months_between

if TYPE_CHECKING:
    from playwright.async_api import Page

DIALOGS = '[role="dialog"]:visible, [role="alertdialog"]:visible'
SAVE_ATTEMPTS = 4


class CarefulAgent:
    """See the module docstring."""

    name = "careful"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        if task.drill != "calendar":
            return AgentOutcome(escalated=True, message=f"no script for drill {task.drill!r}")
        return await _CalendarSession(page, task).play()


class _CalendarSession:
    def __init__(self, page: Page, task: Task) -> None:
        self.page = page
        self.f = task.fields
        self.task = task
        self.out = AgentOutcome()

    # -- primitives ------------------------------------------------------------------------

    async def dismiss(self) -> None:
        """Close every visible dialog, topmost first (whichever close button is reachable)."""
        for _ in range(12):
            dialogs = self.page.locator(DIALOGS)
            n = await dialogs.count()
            if n == 0:
                return
            for i in reversed(range(n)):
                button = dialogs.nth(i).get_by_role("button").first
                try:
                    await button.click(timeout=400)
                    self.out.actions.append("dismiss dialog")
                    break
                except (PlaywrightTimeout, PlaywrightError):
                    continue  # covered by another dialog: try the next one
            else:
                await asyncio.sleep(0.1)

    async def click(self, selector: str, what: str, tries: int = 6) -> bool:
        """Click ``selector`` once it can receive the click; dismiss what covers it."""
        for _ in range(tries):
            await self.dismiss()
            try:
                await self.page.locator(selector).first.click(timeout=1_500)
                self.out.actions.append(what)
                return True
            except (PlaywrightTimeout, PlaywrightError):
                continue
        return False

    async def fill(self, selector: str, value: str) -> None:
        for _ in range(6):
            await self.dismiss()
            loc = self.page.locator(selector)
            try:
                await loc.fill(value, timeout=2_000)
                if await loc.input_value() == value:
                    self.out.actions.append(f"fill {selector}")
                    return
            except (PlaywrightTimeout, PlaywrightError):
                continue

    async def calendar_ready(self) -> None:
        await self.page.wait_for_selector(
            "#calendar[aria-busy='false'] .cal-month:not([data-month=''])", timeout=20_000
        )

    async def shown_month(self) -> str:
        return await self.page.locator(".cal-month").get_attribute("data-month") or ""

    # -- the task --------------------------------------------------------------------------

    async def goto_month(self, target: str) -> bool:
        for _ in range(24):
            await self.calendar_ready()
            current = await self.shown_month()
            delta = months_between(current, target)
            if delta == 0:
                return True
            await self.click(".cal-next" if delta > 0 else ".cal-prev", "change month")
            try:
                await self.page.wait_for_function(
                    "m => document.querySelector('.cal-month')?.dataset.month !== m",
                    arg=current,
                    timeout=2_000,
                )
            except PlaywrightTimeout:
                continue  # the click was lost: look again and retry
        return False

    async def pick_day(self) -> bool:
        date = self.f["date"]
        for _ in range(8):
            if not await self.goto_month(date[:7]):
                return False
            if await self.page.locator("#selected-date").text_content() == date:
                return True
            await self.click(f'.cal-day[data-date="{date}"]:not([disabled])', f"pick {date}")
            await asyncio.sleep(0.05)
        return await self.page.locator("#selected-date").text_content() == date

    async def booking_listed(self) -> bool:
        """Reload the system's list of bookings and look for ours there."""
        page, f = self.page, self.f
        for _ in range(4):
            try:
                async with page.expect_response(
                    lambda r: r.request.method == "GET" and "/api/bookings" in r.url,
                    timeout=10_000,
                ) as info:
                    if not await self.click("#refresh-bookings", "refresh bookings"):
                        continue
                if (await info.value).ok:
                    break
            except PlaywrightTimeout:
                continue
        else:
            raise RuntimeError("could not read the list of bookings")
        await page.wait_for_selector("#bookings[data-state='ready']", timeout=10_000)
        items = page.locator(f'#bookings li[data-date="{f["date"]}"]')
        for i in range(await items.count()):
            text = await items.nth(i).text_content() or ""
            if f["title"] in text and f["attendee"] in text:
                return True
        return False

    async def save_once(self) -> str:
        """Click confirm and wait for the outcome: ``saved``, ``error`` or ``lost``."""
        page = self.page
        before = await page.locator("#status").text_content() or ""
        if not await self.click("#confirm", "confirm"):
            return "lost"
        try:
            await page.wait_for_function(
                """prev => { const s = document.querySelector('#status');
                   return s && (s.dataset.state === 'saving' ||
                                (s.dataset.state !== 'idle' && s.textContent !== prev)); }""",
                arg=before,
                timeout=2_000,
            )
        except PlaywrightTimeout:
            return "lost"  # the click never reached the button
        await page.wait_for_selector(
            "#status[data-state='saved'], #status[data-state='error']", timeout=60_000
        )
        return await page.locator("#status").get_attribute("data-state") or "error"

    async def play(self) -> AgentOutcome:
        page, f = self.page, self.f
        await page.goto(self.task.start_url)
        await self.calendar_ready()
        for attempt in range(SAVE_ATTEMPTS):
            await self.fill("#title", f["title"])
            await self.fill("#attendee", f["attendee"])
            if not await self.pick_day():
                self.out.message = f"could not select {f['date']}"
                continue
            await self.save_once()
            # Trust the system, not the status line: the write may have landed whatever the
            # page said (an error after the backend stored it, a click that seemed lost).
            if await self.booking_listed():
                self.out.actions.append("verified booking")
                return self.out
            await asyncio.sleep(0.3 * (attempt + 1))
        self.out.escalated = True
        self.out.message = self.out.message or "the booking could not be saved; escalating"
        return self.out
