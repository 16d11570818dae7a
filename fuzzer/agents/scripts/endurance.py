"""Async endurance scripts: book each requested trip once and reply to each requester.

The trip page (``/trips``) is one flow of steps (``#trip-flow[data-step]``): airports from
server suggestions (``#origin``/``#destination`` with ``#origin-list``/``#destination-list``),
the date, a results list that shows a skeleton first (``#results[aria-busy]``), a fare button
per flight (``li.flight[data-flight] .fare[data-fare]``), the passenger and payment forms,
the review and ``#confirm-trip`` with its ``#trip-status``. ``#my-trips`` lists the trips
the backend holds. The inbox (``/inbox``) sends mail through ``#compose-form`` and lists
the sent folder.

``naive`` walks the flow once per request with held handles and mouse clicks at their
centres, picks the first suggestion, and moves on as soon as a save stops, whatever it said.
``careful`` picks airports by their code, waits out skeletons and retries failed searches,
dismisses dialogs, checks every step arrived, reads the review before paying, and after each
booking and each reply looks in My trips / the sent folder before doing anything again; a
booking that keeps failing makes it escalate.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from playwright.async_api import TimeoutError as PlaywrightTimeout

from fuzzer.agents.base import AgentOutcome, Task
from fuzzer.agents.careful_tools import MISSED, CarefulPage, pick_suggestion
from fuzzer.agents.naive import click_center, find

if TYPE_CHECKING:
    from playwright.async_api import Page

#: Failed attempts of one write in a row before the careful script escalates.
ATTEMPTS = 4


def requests_of(task: Task) -> list[dict[str, str]]:
    """The task's requests: ``[{"origin", "destination", "date", "flight", ...}, ...]``."""
    count = int(task.fields.get("requests", "0"))
    out = []
    for i in range(1, count + 1):
        prefix = f"r{i}_"
        out.append({k[len(prefix) :]: v for k, v in task.fields.items() if k.startswith(prefix)})
    return out


def _flight_selector(r: dict[str, str]) -> str:
    return f'li.flight[data-flight="{r["flight"]}"] .fare[data-fare="{r["fare"]}"]'


# -- naive -----------------------------------------------------------------------------


async def _naive_airport(page: Page, field: str, code: str) -> None:
    box = await find(page, f"#{field}")
    await box.fill(code)
    first = await find(page, f"#{field}-list [role=option]")
    await click_center(page, first, f"first {field} suggestion")


async def naive(page: Page, task: Task) -> AgentOutcome:
    """Walk the flow once per request and send each reply; never re-check."""
    out = AgentOutcome()
    f = task.fields
    await page.goto(task.start_url)
    trips_url, inbox_url = urljoin(task.start_url, "/trips"), urljoin(task.start_url, "/inbox")
    for r in requests_of(task):
        await page.goto(trips_url)
        await _naive_airport(page, "origin", r["origin"])
        await _naive_airport(page, "destination", r["destination"])
        await (await find(page, "#depart-date")).fill(r["date"])
        await click_center(page, await find(page, "#search"), "search")
        fare = await find(page, _flight_selector(r))
        await click_center(page, fare, "fare")
        await (await find(page, "#pax-name")).fill(r["passenger"])
        await (await find(page, "#pax-email")).fill(r["email"])
        await click_center(page, await find(page, "#to-payment"), "to payment")
        await (await find(page, "#card-number")).fill(f["card_number"])
        await (await find(page, "#card-expiry")).fill(f["card_expiry"])
        await (await find(page, "#card-cvc")).fill(f["card_cvc"])
        await click_center(page, await find(page, "#to-review"), "to review")
        await click_center(page, await find(page, "#confirm-trip"), "confirm")
        await page.wait_for_function(
            "['saved', 'error'].includes(document.querySelector('#trip-status')?.dataset.state)",
            timeout=30_000,
        )
        out.actions.append(f"booked {r['flight']}")
        await page.goto(inbox_url)
        await click_center(page, await find(page, "#compose"), "compose")
        await (await find(page, "#to")).fill(r["email"])
        await (await find(page, "#subject")).fill(r["subject"])
        await (await find(page, "#body")).fill(f"Your trip {r['flight']} is booked.")
        await click_center(page, await find(page, "#send"), "send")
        await page.wait_for_function(
            "['sent', 'error'].includes(document.querySelector('#send-status')?.dataset.state)",
            timeout=30_000,
        )
        out.actions.append(f"replied to {r['email']}")
    return out


# -- careful ---------------------------------------------------------------------------


async def careful(page: Page, task: Task) -> AgentOutcome:
    """Book and reply with checks of the system's record; escalate on a lasting outage."""
    return await _EnduranceSession(page, task).play()


class _EnduranceSession(CarefulPage):
    def __init__(self, page: Page, task: Task) -> None:
        super().__init__(page)
        self.task = task
        self.f = task.fields
        self.trips_url = urljoin(task.start_url, "/trips")
        self.inbox_url = urljoin(task.start_url, "/inbox")

    async def step_is(self, step: str, timeout_ms: float = 5_000) -> bool:
        return await self.wait_for(f'#trip-flow[data-step="{step}"]', timeout_ms)

    async def click_until(self, selector: str, what: str, step: str) -> bool:
        """Click ``selector`` until the flow shows ``step`` (a lost click is clicked again)."""
        for _ in range(5):
            if await self.step_is(step, 200):
                return True
            await self.click(selector, what, tries=3)
            if await self.step_is(step, 3_000):
                return True
        return False

    # -- the trip flow ----------------------------------------------------------------

    async def pick_airport(self, field: str, code: str) -> bool:
        for _ in range(4):
            await self.dismiss()
            try:
                await pick_suggestion(self.page, f"#{field}", f"#{field}-list", code)
            except MISSED:
                continue
            if await self.attr(f"#{field}", "data-value") == code:
                self.log(f"{field} {code}")
                return True
        return False

    async def search(self, r: dict[str, str]) -> bool:
        """Fill the search step and get the flights listed (retrying a failed load)."""
        page = self.page
        if not await self.pick_airport("origin", r["origin"]):
            return False
        if not await self.pick_airport("destination", r["destination"]):
            return False
        if not await self.fill("#depart-date", r["date"]):
            return False
        if not await self.click_until("#search", "search", "results"):
            return False
        for _ in range(ATTEMPTS):
            try:
                await page.wait_for_selector(
                    "#results[aria-busy='false'], #results-error:visible", timeout=30_000
                )
            except PlaywrightTimeout:
                return False
            if await page.locator(_flight_selector(r)).count():
                return True
            if await page.locator("#results-error:visible").count():
                await asyncio.sleep(0.5)
                await self.click("#results-retry", "retry results")
                await page.wait_for_timeout(200)
                continue
            return False
        return False

    async def fill_forms(self, r: dict[str, str]) -> bool:
        f = self.f
        if not await self.click_until(_flight_selector(r), f"fare {r['fare']}", "passenger"):
            return False
        ok = await self.fill("#pax-name", r["passenger"]) and await self.fill(
            "#pax-email", r["email"]
        )
        if not ok or not await self.click_until("#to-payment", "to payment", "payment"):
            return False
        for selector, value in (
            ("#card-number", f["card_number"]),
            ("#card-expiry", f["card_expiry"]),
            ("#card-cvc", f["card_cvc"]),
        ):
            if not await self.fill(selector, value):
                return False
        return await self.click_until("#to-review", "to review", "review")

    async def review_matches(self, r: dict[str, str]) -> bool:
        flight = await self.page.locator('[data-review="flight"]').text_content() or ""
        passenger = await self.page.locator('[data-review="passenger"]').text_content() or ""
        return r["flight"] in flight and r["passenger"] in passenger

    async def trip_listed(self, r: dict[str, str]) -> bool:
        """Reload My trips from the backend and look for this request's trip."""
        await self.reload_record(
            "#refresh-trips", "/api/trips", "#my-trips[data-state='ready']", "My trips"
        )
        selector = (
            f'#my-trips li[data-flight="{r["flight"]}"][data-date="{r["date"]}"]'
            f'[data-fare="{r["fare"]}"][data-email="{r["email"]}"]'
        )
        return await self.page.locator(selector).count() > 0

    async def confirm(self) -> str:
        """Confirm and wait for the outcome: ``saved``, ``error`` or ``lost``."""
        page = self.page
        if not await self.click("#confirm-trip", "confirm"):
            return "lost"
        try:
            await page.wait_for_selector(
                "#trip-status[data-state='saved'], #trip-status[data-state='error']",
                state="attached",
                timeout=60_000,
            )
        except PlaywrightTimeout:
            return "lost"
        return await self.attr("#trip-status", "data-state")

    async def book(self, r: dict[str, str]) -> bool:
        """Book the request's trip exactly once; False when the backend keeps failing."""
        await self.page.goto(self.trips_url)
        await self.wait_for("#my-trips[data-state='ready']", 20_000)
        if await self.trip_listed(r):
            return True  # booked before (a save that seemed to fail)
        for _ in range(ATTEMPTS):
            if not await self.step_is("review", 200):
                await self.page.goto(self.trips_url)
                if not (await self.search(r) and await self.fill_forms(r)):
                    continue
                if not await self.review_matches(r):
                    continue
            await self.confirm()
            # Trust My trips, not the status line: the write may have landed anyway.
            if await self.trip_listed(r):
                self.log(f"verified trip {r['flight']}")
                return True
            await asyncio.sleep(0.5)
        return False

    # -- the replies ------------------------------------------------------------------

    async def reply_listed(self, r: dict[str, str]) -> bool:
        """Show the sent folder (reloaded from the backend) and look for the reply."""
        page = self.page
        if not await self.click("#folder-sent", "open sent folder"):
            return False
        await self.wait_for("#message-list[data-folder='sent'][data-state='ready']", 10_000)
        await self.click("#refresh-messages", "refresh sent folder")
        await self.wait_for("#message-list[data-folder='sent'][data-state='ready']", 10_000)
        items = page.locator("#message-list li.message")
        for i in range(await items.count()):
            item = items.nth(i)
            to = await item.locator(".to").text_content() or ""
            subject = await item.locator(".subject").text_content() or ""
            if r["email"] in to and subject.strip() == r["subject"]:
                return True
        return False

    async def reply(self, r: dict[str, str]) -> bool:
        await self.page.goto(self.inbox_url)
        await self.wait_for("#message-list[data-state='ready']", 20_000)
        for _ in range(ATTEMPTS):
            if await self.reply_listed(r):
                self.log(f"verified reply to {r['email']}")
                return True
            if not await self.click("#compose", "compose"):
                continue
            ok = (
                await self.fill("#to", r["email"])
                and await self.fill("#subject", r["subject"])
                and await self.fill("#body", f"Your trip {r['flight']} on {r['date']} is booked.")
            )
            if not ok or not await self.click("#send", "send"):
                continue
            try:
                await self.page.wait_for_selector(
                    "#send-status[data-state='sent'], #send-status[data-state='error']",
                    state="attached",
                    timeout=60_000,
                )
            except PlaywrightTimeout:
                continue
        return await self.reply_listed(r)

    async def play(self) -> AgentOutcome:
        await self.page.goto(self.task.start_url)
        for r in requests_of(self.task):
            if not await self.book(r):
                self.out.escalated = True
                self.out.message = f"trip {r['flight']} could not be booked; escalating"
                return self.out
            if not await self.reply(r):
                self.out.escalated = True
                self.out.message = f"the reply to {r['email']} could not be sent; escalating"
                return self.out
        return self.out
