"""Calendar stability scripts: book one meeting on one date and time, exactly once.

``naive`` fills the form, pages the picker with held handles and mouse clicks at their
centres, clicks the day, the time slot and confirm, and stops when the page stops saving.
``careful`` re-finds every element, waits for the picker and the slots to be idle, checks
the month, the selected date and the selected time after each click, and after a save
re-reads the system's list of bookings (not the status line): when a save reports an error
it looks before retrying, so a write that landed despite the error is never made twice;
when the backend keeps failing it escalates.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from playwright.async_api import TimeoutError as PlaywrightTimeout

from fuzzer.agents.base import AgentOutcome, Task
from fuzzer.agents.careful_tools import CarefulPage
from fuzzer.agents.naive import click_center, find, months_between
from fuzzer.agents.scripts.date_pickers import READY, Picker, detect, shown_month

if TYPE_CHECKING:
    from playwright.async_api import Page

SAVE_ATTEMPTS = 4


async def naive(page: Page, task: Task) -> AgentOutcome:
    """Fill, page, pick, confirm; no re-checks."""
    out = AgentOutcome()
    f = task.fields
    await page.goto(task.start_url)
    title = await find(page, "#title")
    attendee = await find(page, "#attendee")
    confirm = await find(page, "#confirm")
    month = await find(page, ".cal-month:not([data-month=''])")
    nxt = await find(page, ".cal-next")
    await title.fill(f["title"])
    await attendee.fill(f["attendee"])
    out.actions += ["fill title", "fill attendee"]
    current = await month.get_attribute("data-month") or ""
    for _ in range(months_between(current, f["date"][:7])):
        await click_center(page, nxt, "next month")
        out.actions.append("next month")
    day = await find(page, f'.cal-day[data-date="{f["date"]}"]:not([disabled])')
    await click_center(page, day, f"day {f['date']}")
    slot = await find(page, f'.slot[data-time="{f["time"]}"]:not([disabled])')
    await click_center(page, slot, f"time {f['time']}")
    await click_center(page, confirm, "confirm")
    out.actions += [f"pick {f['date']}", f"pick {f['time']}", "confirm"]
    await page.wait_for_function(
        "document.querySelector('#status')?.dataset.state !== 'saving'", timeout=30_000
    )
    return out


async def careful(page: Page, task: Task) -> AgentOutcome:
    """Book with re-checks and retries; escalate when the backend keeps failing."""
    return await _CalendarSession(page, task).play()


class _CalendarSession(CarefulPage):
    def __init__(self, page: Page, task: Task) -> None:
        super().__init__(page)
        self.f = task.fields
        self.task = task

    async def calendar_ready(self) -> Picker:
        """Wait until the date field is drawn and idle; which implementation draws it."""
        await self.page.wait_for_selector(READY, timeout=20_000)
        return await detect(self.page)

    async def goto_month(self, target: str) -> bool:
        lost = 0  # clicks without effect: the next try clicks the next matching button
        for _ in range(24):
            picker = await self.calendar_ready()
            current = await shown_month(self.page, picker)
            delta = months_between(current, target)
            if delta == 0:
                return True
            button = picker.next if delta > 0 else picker.prev
            await self.click(button, "change month", nth=lost)
            try:
                await self.page.wait_for_function(
                    "m => { const c = document.querySelector('#calendar');"
                    f" return !!c && ({picker.month_js})(c) !== m; }}",
                    arg=current,
                    timeout=2_000,
                )
            except PlaywrightTimeout:
                lost += 1  # the click was lost (or taken by a lookalike): look again, retry
        return False

    async def selected_date(self) -> str:
        return await self.page.locator("#selected-date").text_content() or ""

    async def pick_day(self) -> bool:
        date = self.f["date"]
        for _ in range(8):
            picker = await self.calendar_ready()
            if picker.typed:
                await self.type_day(picker)
            else:
                if not await self.goto_month(date[:7]):
                    return False
                if await self.selected_date() == date:
                    return True
                picker = await self.calendar_ready()
                await self.click(await picker.day(self.page, date), f"pick {date}")
            await asyncio.sleep(0.05)
            if await self.selected_date() == date:
                return True
        return await self.selected_date() == date

    async def type_day(self, picker: Picker) -> None:
        """Type the goal's date into a date input; wait for the page to take it (it may
        first load the month's availability)."""
        date, field = self.f["date"], f"#calendar {picker.root}"
        if await self.selected_date() == date:
            return
        await self.click(field, "focus the date field")
        await self.fill(field, date)
        with contextlib.suppress(PlaywrightTimeout):
            await self.page.wait_for_function(
                "d => document.querySelector('#selected-date')?.textContent === d",
                arg=date,
                timeout=5_000,
            )

    async def pick_time(self) -> bool:
        """Choose the goal's slot once the goal's day has its slots listed; check it took."""
        date, time = self.f["date"], self.f["time"]
        for _ in range(8):
            if await self.selected_date() != date:
                return False  # the day was lost meanwhile: start over from the day
            if await self.page.locator("#selected-time").text_content() == time:
                return True
            await self.page.wait_for_selector(
                f"#slots[aria-busy='false'][data-date='{date}'] .slot", timeout=20_000
            )
            await self.click(f'.slot[data-time="{time}"]:not([disabled])', f"pick {time}")
            await asyncio.sleep(0.05)
        return await self.page.locator("#selected-time").text_content() == time

    async def booking_listed(self) -> bool:
        """Reload the system's list of bookings and look for ours there."""
        page, f = self.page, self.f
        await self.reload_record(
            "#refresh-bookings",
            "/api/bookings",
            "#bookings[data-state='ready']",
            "the list of bookings",
        )
        items = page.locator(f'#bookings li[data-date="{f["date"]}"][data-time="{f["time"]}"]')
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
        f = self.f
        await self.page.goto(self.task.start_url)
        await self.calendar_ready()
        for attempt in range(SAVE_ATTEMPTS):
            await self.fill("#title", f["title"])
            await self.fill("#attendee", f["attendee"])
            if not (await self.pick_day() and await self.pick_time()):
                self.out.message = f"could not select {f['date']} at {f['time']}"
                continue
            await self.save_once()
            # Trust the system, not the status line: the write may have landed whatever the
            # page said (an error after the backend stored it, a click that seemed lost).
            if await self.booking_listed():
                self.log("verified booking")
                return self.out
            await asyncio.sleep(0.3 * (attempt + 1))
        self.out.escalated = True
        self.out.message = self.out.message or "the booking could not be saved; escalating"
        return self.out
