"""MiniWoB++ task pages (the ``miniwob`` package) served on 127.0.0.1, and careful solvers.

Each solver plays one task the way a careful agent does: it reads the task's query, closes
what is not part of the task, checks every value it sets before going on, and returns once
the task has ended. The task's own reward (``WOB_RAW_REWARD_GLOBAL``, 1.0 = solved) is the
verdict; the solvers never read it while acting.
"""

from __future__ import annotations

import re
from datetime import date

from playwright.async_api import Page

from fuzzer.gym.miniwob import serve_html

#: The MiniWoB++ pages served on 127.0.0.1, as the gym adapter serves them to its browser.
serve_miniwob = serve_html


async def start_task(page: Page, seed: str) -> str:
    """Seed the task's own generator, lift its time limit, press START; returns the query."""
    await page.wait_for_function("typeof core === 'object' && core.cover_div !== null")
    await page.evaluate("seed => { Math.seedrandom(seed); core.EPISODE_MAX_TIME = 600000; }", seed)
    await page.locator("#sync-task-cover").click()
    return (await page.locator("#query").inner_text()).strip()


async def reward(page: Page) -> float:
    """The task's raw reward once it has ended (1.0 solved, -1.0 failed)."""
    await page.wait_for_function("WOB_DONE_GLOBAL === true")
    return float(await page.evaluate("WOB_RAW_REWARD_GLOBAL"))


async def close_interruptions(page: Page) -> int:
    """Close gymfuzz dialogs and pop-ups, topmost first; returns how many were closed."""
    closed = 0
    for _ in range(20):
        modals = page.locator(".gf-modal-backdrop")
        if await modals.count():
            layers = await modals.evaluate_all(
                "els => els.map(e => Number(e.dataset.gymfuzzLayer))"
            )
            top = max(layers)
            await page.locator(
                f".gf-modal-backdrop[data-gymfuzz-layer='{top}'] .gf-modal-close"
            ).click()
        elif await page.locator("[data-gymfuzz=popup_ad] .gf-popup-close").count():
            await page.locator("[data-gymfuzz=popup_ad] .gf-popup-close").first.click()
        else:
            return closed
        closed += 1
    return closed


# ---- the date picker (jQuery UI), used by choose-date and book-flight ------------------------

_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


async def _shown_month(page: Page) -> date:
    title = await page.locator(".ui-datepicker-title").inner_text()
    name, year = title.split()
    return date(int(year), _MONTHS.index(name) + 1, 1)


async def pick_date(page: Page, field: str, wanted: date, *, attempts: int = 5) -> None:
    """Open the picker on ``field``, go to ``wanted``'s month, pick the day, check the value."""
    text = wanted.strftime("%m/%d/%Y")
    for _ in range(attempts):
        await page.locator(field).click()
        await page.locator(".ui-datepicker-title").wait_for()
        for _ in range(36):
            await page.wait_for_timeout(50)  # let a late re-render (a drift) show itself
            shown = await _shown_month(page)
            target = wanted.replace(day=1)
            if shown == target:
                break
            step = ".ui-datepicker-next" if shown < target else ".ui-datepicker-prev"
            await page.locator(step).click()
        if await _shown_month(page) == wanted.replace(day=1):
            day = page.locator(".ui-datepicker-calendar td[data-handler=selectDay] a")
            await day.filter(has_text=re.compile(rf"^{wanted.day}$")).click()
        if await page.locator(field).input_value() == text:
            return
    raise AssertionError(f"could not set {field} to {text}")


def query_date(query: str) -> date:
    """The first MM/DD/YYYY date in a query."""
    found = re.search(r"(\d\d)/(\d\d)/(\d{4})", query)
    if found is None:
        raise AssertionError(f"no date in query {query!r}")
    month, day, year = (int(g) for g in found.groups())
    return date(year, month, day)


async def pick_autocomplete(
    page: Page, field: str, typed: str, want: str, *, attempts: int = 3
) -> None:
    """Type into a jQuery UI autocomplete field, click the item containing ``want``, check it."""
    for _ in range(attempts):
        await page.locator(field).fill("")
        await page.locator(field).press_sequentially(typed)
        if await page.get_by_role("listbox").count():
            await page.keyboard.press("Escape")  # a competing suggestion list: close it first
        menu = page.locator("ul.ui-autocomplete:visible li")
        await menu.filter(has_text=want).first.click()
        if want in await page.locator(field).input_value():
            return
    raise AssertionError(f"could not pick {want!r} in {field}")
