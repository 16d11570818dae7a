"""Agents for the example calendar site: ``gymfuzz run PACK --agent agents:CarefulAgent``.

* :class:`CarefulAgent` logs in, looks up whether the event is already stored, adds it,
  clicks again when a click was swallowed, and after any answer (success or error page)
  looks up the stored events again: it adds the event only while none is stored.
* :class:`NaiveAgent` logs in, fills the form, presses Save once and trusts what it saw.
* :class:`WrongSlotAgent` and :class:`DoubleSaveAgent` are wrong on purpose (another slot;
  saving the form twice): the verifier must fail them and say which rule.

Each is built without arguments and has a ``name`` and an async ``run(page, task)``, which
is all gymfuzz asks of an agent.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from playwright.async_api import Error as PlaywrightError

from fuzzer.agents.base import AgentOutcome

if TYPE_CHECKING:
    from playwright.async_api import Page

    from fuzzer.agents.base import Task

SLOTS = ("09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00")
ADD = "/admin/events/event/add/"
LIST = "/admin/events/event/"


def _origin(task: Task) -> str:
    parts = urlsplit(task.start_url)
    return f"{parts.scheme}://{parts.netloc}"


async def log_in(page: Page, task: Task) -> None:
    """Open the start page; log in when the admin asks for it."""
    await page.goto(task.start_url)
    for _ in range(3):
        if not await page.locator("#login-form").count():
            return
        await page.fill("#id_username", task.fields["username"])
        await page.fill("#id_password", task.fields["password"])
        await submit(page, "#login-form [type=submit]")


async def click(page: Page, selector: str, attempts: int = 6) -> None:
    """Click ``selector``; while something lies on top of it, click there (the cover takes
    the click and may go away after it), then click the button itself."""
    button = page.locator(selector).first
    for _ in range(attempts):
        try:
            await button.click(timeout=3000, trial=True)  # can it take a click now?
        except PlaywrightError:
            box = await button.bounding_box(timeout=3000)
            if box is not None:
                await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            continue
        await button.click(timeout=60_000)
        return
    raise PlaywrightError(f"{selector}: every click was taken by something else")


async def submit(page: Page, selector: str, attempts: int = 4) -> None:
    """Click ``selector`` until the page actually submits (a click a cover took is lost)."""
    for _ in range(attempts):
        try:
            async with page.expect_navigation(timeout=10_000):
                await click(page, selector)
            return
        except PlaywrightError:
            continue
    raise PlaywrightError(f"{selector}: the form never submitted")


async def fill_form(page: Page, task: Task, slot: str | None = None) -> None:
    """Open the add form and fill it in."""
    await page.goto(_origin(task) + ADD)
    await page.fill("#id_title", task.fields["title"])
    await page.fill("#id_day", task.fields["day"])
    await page.select_option("#id_calendar", label=task.fields["calendar"])
    await page.select_option("#id_slot", value=slot or task.fields["slot"])


async def stored(page: Page, task: Task) -> int:
    """How many stored events have the task's title, day and slot (read from the list)."""
    day = dt.date.fromisoformat(task.fields["day"])
    query = {
        "q": task.fields["title"],
        "day__gte": day.isoformat(),
        "day__lt": (day + dt.timedelta(days=1)).isoformat(),
        "slot__exact": task.fields["slot"],
    }
    await page.goto(f"{_origin(task)}{LIST}?{urlencode(query)}")
    titles = await page.locator("#result_list tbody th.field-title").all_inner_texts()
    return sum(1 for t in titles if t.strip() == task.fields["title"])


class CarefulAgent:
    """See the module docstring."""

    name = "careful"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        out = AgentOutcome()
        await log_in(page, task)
        for attempt in range(4):
            count = await stored(page, task)
            out.actions.append(f"stored: {count}")
            if count >= 1:
                return out
            await fill_form(page, task)
            await submit(page, "[name=_save]")
            out.actions.append(f"saved (attempt {attempt + 1})")
        out.escalated = True
        out.message = "the event could not be stored"
        return out


class NaiveAgent:
    """See the module docstring."""

    name = "naive"
    slot_offset = 0
    saves = 1

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        out = AgentOutcome()
        await log_in(page, task)
        slot = task.fields["slot"]
        if self.slot_offset:
            slot = SLOTS[(SLOTS.index(slot) + self.slot_offset) % len(SLOTS)]
        for _ in range(self.saves):
            await fill_form(page, task, slot)
            await page.locator("[name=_save]").click(timeout=5000)
            await page.wait_for_load_state()
            out.actions.append("saved")
        return out


class WrongSlotAgent(NaiveAgent):
    """Books the slot after the one asked for."""

    name = "wrong_slot"
    slot_offset = 1


class DoubleSaveAgent(NaiveAgent):
    """Adds the event twice."""

    name = "double_save"
    saves = 2
