"""The careful agent's primitives: act only on what can take the action, then check it.

:class:`CarefulPage` wraps a Playwright page with the habits every careful script shares:
re-find elements for every action (never hold a handle across a re-render), close dialogs
that cover the page (topmost first) before acting, retry a click the page did not take, and
fill a field until it reads back the value. The drill scripts in :mod:`fuzzer.agents.scripts`
build on it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from fuzzer.agents.base import AgentError, AgentOutcome

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

#: Dialogs that may cover the page (the app's and the perturbations' alike).
DIALOGS = '[role="dialog"]:visible, [role="alertdialog"]:visible'

#: Errors a Playwright action raises when the page did not take it.
MISSED = (PlaywrightTimeout, PlaywrightError)


class CarefulPage:
    """A page and the outcome being written, with careful actions (module docstring)."""

    def __init__(self, page: Page, out: AgentOutcome | None = None) -> None:
        self.page = page
        self.out = out if out is not None else AgentOutcome()

    def log(self, action: str) -> None:
        self.out.actions.append(action)

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
                    self.log("dismiss dialog")
                    break
                except MISSED:
                    continue  # covered by another dialog: try the next one
            else:
                await asyncio.sleep(0.1)

    def _locator(self, selector: str | Locator) -> Locator:
        return self.page.locator(selector) if isinstance(selector, str) else selector

    async def click(
        self, selector: str | Locator, what: str, tries: int = 6, *, nth: int = 0
    ) -> bool:
        """Click ``selector`` (a CSS selector or a locator) once it can receive the click;
        dismiss what covers it.

        ``nth`` picks among several matches (wrapping around): a caller whose click had no
        effect passes the next index, so a lookalike that swallows clicks is not tried forever.
        """
        for _ in range(tries):
            await self.dismiss()
            loc = self._locator(selector)
            try:
                count = await loc.count()
                await loc.nth(nth % count if count else 0).click(timeout=1_500)
                self.log(what)
                return True
            except MISSED:
                continue
        return False

    async def fill(self, selector: str | Locator, value: str, tries: int = 6) -> bool:
        """Fill ``selector`` (a CSS selector or a locator) until it reads back ``value``."""
        for _ in range(tries):
            await self.dismiss()
            loc = self._locator(selector).first
            try:
                await loc.fill(value, timeout=2_000)
                if await loc.input_value() == value:
                    self.log(f"fill {selector}")
                    return True
            except MISSED:
                continue
        return False

    async def attr(self, selector: str, name: str) -> str:
        """Attribute ``name`` of the first match ('' when absent), without waiting."""
        loc = self.page.locator(selector).first
        if await loc.count() == 0:
            return ""
        try:
            return await loc.get_attribute(name, timeout=1_000) or ""
        except MISSED:
            return ""

    async def reload_record(self, button: str, api_path: str, ready: str, what: str) -> None:
        """Have the page re-read a record from the backend and wait until it shows it.

        Clicks ``button`` until a ``GET`` whose URL contains ``api_path`` answers 2xx (a
        failed or lost reload is tried again, five times in all), then waits for ``ready`` (e.g.
        ``#bookings[data-state='ready']``). Raises :class:`AgentError` naming ``what`` when
        the record cannot be read: the agent cannot check its work, so it must not guess.
        """
        page = self.page
        for _ in range(5):
            await self.dismiss()
            try:
                async with page.expect_response(
                    lambda r: r.request.method == "GET" and api_path in r.url,
                    timeout=20_000,
                ) as info:
                    await page.locator(button).first.click(timeout=5_000)
                if (await info.value).ok:
                    self.log(f"refresh {what}")
                    break
            except MISSED:
                continue
        else:
            raise AgentError(f"could not read {what}")
        if not await self.wait_for(ready):
            raise AgentError(f"{what} did not load")

    async def wait_for(self, selector: str, timeout_ms: float = 10_000) -> bool:
        """Wait until ``selector`` is attached; False on timeout."""
        try:
            await self.page.wait_for_selector(selector, state="attached", timeout=timeout_ms)
        except PlaywrightTimeout:
            return False
        return True


async def pick_suggestion(page: Page, field: str, listbox: str, value: str) -> None:
    """Type ``value`` into the combobox ``field`` and click its own suggestion of it.

    When something else covers the suggestions (a competing list), Escape closes it first
    (and never the app's list: the competing list takes that key while it is open). Raises
    a Playwright error when the suggestion cannot be clicked.
    """
    box = page.locator(field)
    await box.fill("", timeout=2_000)
    await box.press_sequentially(value, delay=20, timeout=5_000)
    option = page.locator(f'{listbox} [role=option][data-value="{value}"]')
    await option.wait_for(state="visible", timeout=5_000)
    for attempt in range(3):
        try:
            await option.click(timeout=1_500)
            return
        except MISSED:
            if attempt == 2:
                raise
            await box.press("Escape")
