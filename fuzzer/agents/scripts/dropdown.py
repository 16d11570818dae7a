"""Dropdown discipline scripts: set three preferences and make sure the system stored them.

The preferences page has a native ``<select id="seat">``, a custom listbox (``#meal-button``
opening ``#meal-list``) and a searchable combobox (``#home-airport`` with server
suggestions in ``#home-airport-list``). Each control saves at once and shows a
``[data-pref-status=<key>]`` indicator: ``saving``, then ``saved`` only when the backend
confirmed, or ``error`` with a Retry button. ``#stored-prefs`` lists what the backend holds.

``naive`` sets each control the quickest way (found by the ids it learned, options by the
position it expects, the airport by typing its code and pressing Enter), waits for each save
to stop, and stops. ``careful`` finds each control by what it is (form names, roles,
accessible names: never by an id, which a framework may generate anew per render), chooses
options by value, re-reads each control and its indicator, retries failed saves, then
reloads the stored settings from the backend and sets again whatever is not stored; when
every save keeps failing it escalates without changing anything else.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from playwright.async_api import TimeoutError as PlaywrightTimeout

from fuzzer.agents.base import AgentOutcome, Task
from fuzzer.agents.careful_tools import MISSED, CarefulPage, pick_suggestion
from fuzzer.agents.naive import click_center, find
from fuzzer.agents.scripts.select_boxes import SEAT, seat_box

if TYPE_CHECKING:
    from playwright.async_api import Page

#: The settings in the order both scripts set them.
KEYS = ("seat", "meal", "home_airport")

#: The meal options in the order the page lists them (naive picks by this position).
MEALS = ("standard", "vegetarian", "vegan", "kosher", "halal", "gluten_free")

#: Failed saves of one setting in a row before the careful script escalates.
SAVE_ATTEMPTS = 4

_STATUS = "[data-pref-status={key}]"
_LOADED = "#prefs[aria-busy='false']"

# What the careful script finds the controls by: form names, roles, ARIA and the page's
# data-* hooks, which a renamed id (the ``renamed`` look) leaves as they were.
MEAL_BUTTON = "button[aria-haspopup=listbox]"
# the airports' list has a label of its own; a select library's lists are not <ul>s
MEAL_LIST = "ul[role=listbox][aria-labelledby]"
AIRPORT = "input[name=home_airport]"
AIRPORT_LIST = "[role=listbox][aria-label=Airports]"
REFRESH = "role=button[name='Refresh']"
STORED = "ul[data-state]"
LOADED = "form[aria-busy='false']"


async def _wait_not_saving(page: Page, key: str, timeout_ms: float = 30_000) -> None:
    await page.wait_for_function(
        "k => document.querySelector(`[data-pref-status=${k}]`)?.dataset.state !== 'saving'",
        arg=key,
        timeout=timeout_ms,
    )


async def naive(page: Page, task: Task) -> AgentOutcome:
    """Set the three controls once, the quick way; never look at what was stored."""
    out = AgentOutcome()
    f = task.fields
    await page.goto(task.start_url)
    await find(page, _LOADED, 10_000)
    seat = await find(page, "#seat")
    meal_button = await find(page, "#meal-button")
    airport = await find(page, "#home-airport")

    await seat.select_option(f["seat"])
    out.actions.append(f"seat {f['seat']}")
    await _wait_not_saving(page, "seat")

    await click_center(page, meal_button, "meal button")
    await find(page, "#meal-list [role=option]")
    option = page.locator("#meal-list [role=option]").nth(MEALS.index(f["meal"]))
    handle = await option.element_handle(timeout=5_000)
    await click_center(page, handle, "meal option")
    out.actions.append(f"meal option #{MEALS.index(f['meal'])}")
    await _wait_not_saving(page, "meal")

    await airport.fill(f["home_airport"])
    first = await find(page, "#home-airport-list [role=option]")
    await click_center(page, first, "first airport suggestion")
    out.actions.append(f"airport {f['home_airport']}")
    await _wait_not_saving(page, "home_airport")
    return out


async def careful(page: Page, task: Task) -> AgentOutcome:
    """Set, confirm, re-read the stored settings, fix, or escalate."""
    return await _PrefsSession(page, task).play()


class _PrefsSession(CarefulPage):
    def __init__(self, page: Page, task: Task) -> None:
        super().__init__(page)
        self.task = task
        self.goal = {k: task.fields[k] for k in KEYS}

    # -- one control ------------------------------------------------------------------

    async def shown(self, key: str) -> str:
        """The value the control shows now."""
        if key == "seat":
            return await self.page.locator(SEAT).input_value()
        if key == "meal":
            selected = f"{MEAL_LIST} [role=option][aria-selected=true]"
            return await self.attr(selected, "data-value")
        return await self.attr(AIRPORT, "data-value")

    async def choose_seat(self, value: str) -> None:
        """Pick the seat in the browser's ``<select>``, or in the library drawn over it the
        way a person does: open its box, click the option."""
        box = await seat_box(self.page)
        if box is None:
            await self.page.locator(SEAT).select_option(value, timeout=2_000)
            return
        await self.page.locator(box.opener).first.click(timeout=2_000)
        await self.page.locator(box.option_for(value)).first.click(timeout=2_000)

    async def choose(self, key: str, value: str) -> bool:
        """Make the control show ``value`` (by value, never by position); True if it does."""
        page = self.page
        for _ in range(4):
            await self.dismiss()
            try:
                if key == "seat":
                    await self.choose_seat(value)
                elif key == "meal":
                    await self.choose_meal(value)
                else:
                    await self.choose_airport(value)
            except MISSED:
                await page.keyboard.press("Escape")
                continue
            if await self.shown(key) == value:
                self.log(f"{key} {value}")
                return True
        return False

    async def choose_meal(self, value: str) -> None:
        page = self.page
        if await page.locator(f"{MEAL_LIST}:visible").count() == 0:
            await page.locator(MEAL_BUTTON).click(timeout=2_000)
        option = f'{MEAL_LIST} [role=option][data-value="{value}"]'
        await page.locator(option).click(timeout=2_000)

    async def choose_airport(self, code: str) -> None:
        await pick_suggestion(self.page, AIRPORT, AIRPORT_LIST, code)

    async def save_state(self, key: str) -> str:
        """Wait for the control's save to finish: ``saved`` or ``error`` (or ``idle``)."""
        try:
            await _wait_not_saving(self.page, key, 60_000)
        except PlaywrightTimeout:
            return "error"
        return await self.attr(_STATUS.format(key=key), "data-state")

    async def set(self, key: str) -> bool:
        """Choose the goal value and see its save confirmed; False if every try failed."""
        value = self.goal[key]
        for attempt in range(SAVE_ATTEMPTS):
            if await self.shown(key) == value:
                # The control already shows it (an optimistic UI, or a save that failed):
                # choose another value first, so that choosing ours saves it again.
                other = await self.other_value(key, value)
                if other is not None and await self.choose(key, other):
                    await self.save_state(key)
            if not await self.choose(key, value):
                continue
            if await self.save_state(key) == "saved":
                return True
            await asyncio.sleep(0.3 * (attempt + 1))
        return False

    async def other_value(self, key: str, value: str) -> str | None:
        if key == "seat":
            return "aisle" if value != "aisle" else "window"
        if key == "meal":
            return "standard" if value != "standard" else "vegan"
        return None  # the combobox saves a re-picked airport again

    # -- the system's record ----------------------------------------------------------

    async def stored(self) -> dict[str, str]:
        """Reload the stored settings from the backend and read them."""
        page = self.page
        await self.reload_record(
            REFRESH,
            "/api/preferences",
            f"{STORED}[data-state='ready']",
            "the stored settings",
        )
        items = page.locator(f"{STORED} li[data-key]")
        found: dict[str, str] = {}
        for i in range(await items.count()):
            item = items.nth(i)
            found[await item.get_attribute("data-key") or ""] = (
                await item.get_attribute("data-value") or ""
            )
        return found

    async def play(self) -> AgentOutcome:
        await self.page.goto(self.task.start_url)
        await self.page.wait_for_selector(LOADED, timeout=20_000)
        todo = list(KEYS)
        for _ in range(3):
            for key in todo:
                if not await self.set(key):
                    self.out.escalated = True
                    self.out.message = f"the {key} setting could not be saved; escalating"
                    return self.out
            stored = await self.stored()
            todo = [k for k in KEYS if stored.get(k) != self.goal[k]]
            if not todo:
                self.log("verified stored settings")
                return self.out
            self.log(f"not stored: {', '.join(todo)}")
        self.out.escalated = True
        self.out.message = f"settings still not stored: {', '.join(todo)}; escalating"
        return self.out
