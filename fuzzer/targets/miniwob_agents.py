"""Scripted agents for MiniWoB++ task pages played by the runner.

They get the started task page and its instruction (see
:mod:`fuzzer.targets.miniwob`); use them with ``gymfuzz run PACK --agent
fuzzer.targets.miniwob_agents:CarefulMiniWoBAgent``.

* :class:`OneClickAgent` (``miniwob-one-click``): the one-click policy of click-button. It
  reads the button the instruction names (``Click on the "ok" button.``) and clicks it once,
  where it is on the screen, without checking that nothing covers it.
* :class:`NaiveMiniWoBAgent` (``miniwob-naive``): solves click-button, click-dialog,
  choose-list, choose-date and use-autocomplete in one pass, each control clicked where it
  is, nothing re-checked.
* :class:`CarefulMiniWoBAgent` (``miniwob-careful``): the same policies, but it closes
  dialogs that interrupt the task (never the task's own), checks that each step had its
  effect (the value the widget shows, the task's START screen back after a submit), redoes
  a step that did not take, and re-reads its fields right before submitting.

An unsupported task ends with an :class:`~fuzzer.agents.base.AgentError` naming it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError

from fuzzer.agents.base import AgentError, AgentOutcome, Task

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

#: The task's START screen: it shows again as soon as the episode ended.
COVER = "#sync-task-cover"
#: Dialogs that interrupt the task: any visible dialog but the task's own (jQuery UI's).
INTERRUPTIONS = '[role="dialog"]:visible:not(.ui-dialog), [role="alertdialog"]:visible'
ACTION_TIMEOUT_MS = 5000


def quoted(goal: str) -> str:
    """The first double-quoted text of an instruction; :class:`AgentError` if none."""
    found = re.search(r'"(.+?)"', goal)
    if not found:
        raise AgentError(f"goal: no quoted text in {goal!r}")
    return found.group(1)


class Steps:
    """The page and the outcome being written, with naive or careful actions."""

    def __init__(self, page: Page, careful: bool, out: AgentOutcome) -> None:
        self.page = page
        self.careful = careful
        self.out = out

    async def click(self, target: Locator, what: str) -> None:
        """Click where ``target`` is (as a pointer would, whatever covers it)."""
        await target.first.click(force=True, timeout=ACTION_TIMEOUT_MS)
        self.out.actions.append(f"click {what}")

    async def ended(self) -> bool:
        """Whether the episode ended (the START screen is back)."""
        return await self.page.locator(COVER).is_visible()

    async def dismiss(self) -> None:
        """Close interrupting dialogs, topmost first (only its button can take the click)."""
        for _ in range(12):
            dialogs = self.page.locator(INTERRUPTIONS)
            n = await dialogs.count()
            if n == 0:
                return
            for i in reversed(range(n)):
                try:
                    await dialogs.nth(i).get_by_role("button").first.click(timeout=400)
                    self.out.actions.append("dismiss dialog")
                    break
                except PlaywrightError:
                    continue  # covered by another dialog

    async def act(
        self, do: Callable[[], Awaitable[None]], took: Callable[[], Awaitable[bool]], what: str
    ) -> None:
        """Do a step; a careful agent clears interruptions first, checks the step took and
        redoes it when it did not (:class:`AgentError` after 4 tries)."""
        if not self.careful:
            await do()
            return
        for _ in range(4):
            await self.dismiss()
            await do()
            if await took():
                return
        raise AgentError(f"{what}: no effect after 4 tries")

    async def submit(self, button: Locator) -> None:
        """Click ``button`` and (careful) again until the task has ended."""
        await self.act(lambda: self.click(button, "submit"), self.ended, "submit")


async def click_button(s: Steps, goal: str) -> None:
    """Click the button the instruction names (its exact text)."""
    label = quoted(goal)
    button = s.page.locator("#area").get_by_role("button", name=label, exact=True)
    await s.act(lambda: s.click(button, f"button {label!r}"), s.ended, f"button {label!r}")


async def click_dialog(s: Steps, goal: str) -> None:
    """Close the task's own (jQuery UI) dialog with its "x"."""
    close = s.page.locator(".ui-dialog .ui-dialog-titlebar-close")
    await s.act(lambda: s.click(close, "dialog x"), s.ended, "close the dialog")


async def choose_list(s: Steps, goal: str) -> None:
    """Pick the named item in the list by its label, then Submit."""
    found = re.match(r"Select (.+) from the list", goal)
    if not found:
        raise AgentError(f"goal: not a choose-list instruction: {goal!r}")
    item = found.group(1)
    select = s.page.locator("#options")

    async def pick() -> None:
        await select.select_option(label=item, timeout=ACTION_TIMEOUT_MS)
        s.out.actions.append(f"select {item!r}")

    async def picked() -> bool:
        label = await select.evaluate("el => el.options[el.selectedIndex].textContent")
        return bool(label == item)

    await s.act(pick, picked, f"select {item!r}")
    submit = s.page.locator("#area button", has_text="Submit")
    if s.careful:
        await submit.focus()  # re-read the selection once the focus left the list
        await s.act(pick, picked, f"select {item!r}")
    await s.submit(submit)


async def choose_date(s: Steps, goal: str) -> None:
    """Open the date picker, move to the month, click the day, then Submit."""
    found = re.search(r"(\d\d)/(\d\d)/(\d{4})", goal)
    if not found:
        raise AgentError(f"goal: no MM/DD/YYYY date in {goal!r}")
    month, day, year = (int(g) for g in found.groups())
    field = s.page.locator("#datepicker")
    picker = s.page.locator("#ui-datepicker-div")

    async def shown_month() -> int:
        title = await picker.locator(".ui-datepicker-title").inner_text()
        when = dt.datetime.strptime(" ".join(title.split()), "%B %Y")
        return when.year * 12 + when.month

    async def pick() -> None:
        if s.careful:  # close and reopen: the picker renders afresh
            await s.click(s.page.locator("#query"), "away")
            await picker.wait_for(state="hidden", timeout=ACTION_TIMEOUT_MS)
        await s.click(field, "date field")
        await picker.wait_for(state="visible", timeout=ACTION_TIMEOUT_MS)
        moves = year * 12 + month - await shown_month()
        arrow = picker.locator(".ui-datepicker-next" if moves > 0 else ".ui-datepicker-prev")
        for _ in range(abs(moves)):
            await s.click(arrow, "month arrow")
        cell = picker.locator("td:not(.ui-datepicker-unselectable) a").get_by_text(
            str(day), exact=True
        )
        await s.click(cell, f"day {day}")
        if not s.careful:  # the picker fades out over Submit; the careful agent re-checks
            with contextlib.suppress(PlaywrightError):
                await picker.wait_for(state="hidden", timeout=ACTION_TIMEOUT_MS)

    async def picked() -> bool:
        return await field.input_value() == found.group(0)

    await s.act(pick, picked, f"pick {found.group(0)}")
    await s.submit(s.page.locator("#subbtn"))


async def use_autocomplete(s: Steps, goal: str) -> None:
    """Type the prefix, click a suggestion that also has the wanted ending, then Submit."""
    parts = re.findall(r'"(.+?)"', goal)
    if not parts:
        raise AgentError(f"goal: no quoted prefix in {goal!r}")
    start, end = parts[0], parts[1] if len(parts) > 1 else ""
    field = s.page.locator("#tags")
    chosen: list[str] = []

    async def enter() -> None:
        if chosen:  # known already: type it whole
            await field.fill(chosen[0], timeout=ACTION_TIMEOUT_MS)
            return
        await field.press_sequentially(start, timeout=ACTION_TIMEOUT_MS)
        items = s.page.locator("ul.ui-autocomplete:visible li")
        await items.first.wait_for(timeout=ACTION_TIMEOUT_MS)
        texts = [t.strip() for t in await items.all_inner_texts()]
        fits = [t for t in texts if t.startswith(start) and t.endswith(end)]
        if not fits:
            raise AgentError(f"no suggestion starts with {start!r} and ends with {end!r}")
        chosen.append(fits[0])
        await s.click(items.get_by_text(fits[0], exact=True), f"suggestion {fits[0]!r}")

    async def entered() -> bool:
        return bool(chosen) and await field.input_value() == chosen[0]

    await s.act(enter, entered, "enter an item")
    submit = s.page.locator("#subbtn")
    if s.careful:
        await submit.focus()  # re-read the field once the focus left it
        await s.act(enter, entered, "enter an item")
    await s.submit(submit)


#: The policy of each supported task.
POLICIES: dict[str, Callable[[Steps, str], Awaitable[None]]] = {
    "click-button": click_button,
    "click-dialog": click_dialog,
    "choose-list": choose_list,
    "choose-date": choose_date,
    "use-autocomplete": use_autocomplete,
}


class NaiveMiniWoBAgent:
    """Solves the tasks of :data:`POLICIES` in one pass, nothing re-checked."""

    name = "miniwob-naive"
    careful = False

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        name = task.fields.get("task", "")
        policy = POLICIES.get(name)
        if policy is None:
            raise AgentError(f"task: {name!r} is not one of {', '.join(POLICIES)}")
        out = AgentOutcome()
        await policy(Steps(page, self.careful, out), task.goal)
        return out


class CarefulMiniWoBAgent(NaiveMiniWoBAgent):
    """Solves the tasks of :data:`POLICIES`, clearing interruptions and checking each step."""

    name = "miniwob-careful"
    careful = True


class OneClickAgent:
    """Clicks the button the instruction names, once (click-button's one-click policy)."""

    name = "miniwob-one-click"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        out = AgentOutcome()
        await click_button(Steps(page, False, out), task.goal)
        return out
