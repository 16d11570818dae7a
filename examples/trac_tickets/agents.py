"""Agents for the Trac example: ``gymfuzz run PACK --agent agents:CarefulAgent``.

* :class:`CarefulAgent` waits for the form's controls, closes dialogs in its way, chooses the
  options by their values and reads every field back before it presses "Create ticket";
  a press that sent nothing (a swallowed click) is pressed again, a press that sent the form
  is followed, whatever its answer, by a look at the stored tickets on Trac's own query page:
  it files the ticket again only while none is stored.
* :class:`NaiveAgent` fills the form, chooses the options by their labels, presses "Create
  ticket" once, waits for Trac's answer and trusts it (a press that sends nothing within
  3 s is an error).
* :class:`WrongPriorityAgent` and :class:`DoubleSubmitAgent` are wrong on purpose (the
  priority below the one asked for; filing the ticket twice): the verifier must fail them and
  say which rule.

Each is built without arguments and has a ``name`` and an async ``run(page, task)``, which
is all gymfuzz asks of an agent.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from playwright.async_api import Error as PlaywrightError

from fuzzer.agents.base import AgentOutcome

if TYPE_CHECKING:
    from playwright.async_api import Page, Request

    from fuzzer.agents.base import Task

PRIORITIES = ("blocker", "critical", "major", "minor", "trivial")
#: The form's <select>s, by goal field.
SELECTS = ("type", "priority", "milestone", "component")
NEW = "/newticket"
SUBMIT = "#propertyform [name=submit]"
SUMMARY = "#field-summary"


def _origin(task: Task) -> str:
    parts = urlsplit(task.start_url)
    return f"{parts.scheme}://{parts.netloc}"


async def close_dialogs(page: Page, rounds: int = 6) -> int:
    """Close the dialogs lying over the page, topmost first (only its button can be hit)."""
    closed = 0
    for _ in range(rounds):
        buttons = page.locator("[role=dialog] button")
        count = await buttons.count()
        if not count:
            break
        for i in reversed(range(count)):
            try:
                await buttons.nth(i).click(timeout=500)
            except PlaywrightError:
                continue
            closed += 1
            break
    return closed


async def click(page: Page, selector: str, attempts: int = 6) -> None:
    """Click ``selector``; while something lies on top of it, click there (the cover takes
    the click and may go away after it), then click the element itself."""
    target = page.locator(selector).first
    for _ in range(attempts):
        await close_dialogs(page)
        try:
            await target.click(timeout=3000, trial=True)  # can it take a click now?
        except PlaywrightError:
            box = await target.bounding_box(timeout=3000)
            if box is not None:
                await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            continue
        await target.click(timeout=10_000)
        return
    raise PlaywrightError(f"{selector}: every click was taken by something else")


async def fill_form(page: Page, task: Task, attempts: int = 20) -> None:
    """Fill the form (options by value) and read it back until it holds the goal."""
    want = {"summary": task.fields["summary"], **{f: task.fields[f] for f in SELECTS}}
    await page.locator(SUMMARY).wait_for(state="visible", timeout=30_000)
    for _ in range(attempts):
        await close_dialogs(page)
        await page.fill(SUMMARY, want["summary"])
        for name in SELECTS:
            await page.select_option(f"#field-{name}", value=want[name])
        seen = {"summary": await page.input_value(SUMMARY)}
        for name in SELECTS:
            seen[name] = await page.input_value(f"#field-{name}")
        if seen == want:
            return
        await page.wait_for_timeout(500)  # the form did not take it yet: look again
    raise PlaywrightError(f"the form does not keep the values asked for: {seen}")


async def _new_document(page: Page, timeout_s: float = 45.0) -> None:
    """Wait until the page holds a document other than the form and has loaded it."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout_s
    while loop.time() < end:
        try:
            if await page.evaluate("!window.__carefulForm && document.readyState === 'complete'"):
                return
        except PlaywrightError:  # the document is being replaced
            pass
        await asyncio.sleep(0.1)


async def submit(page: Page, presses: int = 6) -> bool:
    """Press "Create ticket" until the form is sent; wait for whatever answers it.

    A press that sent nothing (a cover or a dialog took the click, the controls were not
    ready yet) is pressed again: nothing can have been stored. Returns whether it was sent.
    """
    sent: list[Request] = []

    def on_request(request: Request) -> None:
        if _form_post(request):
            sent.append(request)

    await page.evaluate("window.__carefulForm = true")
    page.on("request", on_request)
    try:
        for _ in range(presses):
            await click(page, SUBMIT)
            for _ in range(30):  # did this press send the form?
                if sent:
                    await _new_document(page)
                    return True
                await asyncio.sleep(0.1)
        return False
    finally:
        page.remove_listener("request", on_request)


def _form_post(request: Request) -> bool:
    """Is ``request`` the browser sending a form (not a script's background request)?"""
    return request.method == "POST" and request.is_navigation_request()


async def stored(page: Page, task: Task) -> int:
    """How many stored tickets match the goal, read from Trac's query page."""
    cols = ["id", "summary", *SELECTS]
    query = urlencode([("summary", task.fields["summary"]), *(("col", c) for c in cols)])
    await page.goto(f"{_origin(task)}/query?{query}")
    rows = page.locator("table.listing.tickets tbody tr:has(td.id)")
    found = 0
    for i in range(await rows.count()):
        row = rows.nth(i)
        seen = {c: (await row.locator(f"td.{c}").inner_text()).strip() for c in cols[1:]}
        if seen == {c: task.fields[c] for c in cols[1:]}:
            found += 1
    return found


class CarefulAgent:
    """See the module docstring."""

    name = "careful"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        out = AgentOutcome()
        await page.goto(task.start_url)
        for attempt in range(4):
            if attempt:
                await page.goto(_origin(task) + NEW)
            await fill_form(page, task)
            sent = await submit(page)
            out.actions.append(f"submitted (attempt {attempt + 1})" if sent else "not sent")
            count = await stored(page, task)  # whatever the answer said: look it up
            out.actions.append(f"stored: {count}")
            if count >= 1:
                return out
        out.escalated = True
        out.message = "the ticket could not be filed"
        return out


class NaiveAgent:
    """See the module docstring."""

    name = "naive"
    priority_offset = 0
    submits = 1

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        out = AgentOutcome()
        fields = dict(task.fields)
        if self.priority_offset:
            at = PRIORITIES.index(fields["priority"]) + self.priority_offset
            fields["priority"] = PRIORITIES[at % len(PRIORITIES)]
        for _ in range(self.submits):
            await page.goto(_origin(task) + NEW)
            await page.fill(SUMMARY, fields["summary"], timeout=10_000)
            for name in SELECTS:
                await page.select_option(f"#field-{name}", label=fields[name], timeout=3000)
            async with page.expect_request(_form_post, timeout=3000) as posted:
                await page.locator(SUBMIT).click(timeout=3000)
            await (await posted.value).response()  # Trac has answered: stored or not
            await page.wait_for_load_state()
            out.actions.append("submitted")
        return out


class WrongPriorityAgent(NaiveAgent):
    """Files the ticket with the priority after the one asked for."""

    name = "wrong_priority"
    priority_offset = 1


class DoubleSubmitAgent(NaiveAgent):
    """Files the ticket twice."""

    name = "double_submit"
    submits = 2
