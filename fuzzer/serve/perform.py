"""Carry out one parsed browser action on a Playwright page.

Elements are found by their ``bid`` attribute (see :mod:`fuzzer.serve.axtree`). Whatever
goes wrong in the page (no such element, an element that does not take text, a click
that another element intercepts, a time-out) is the agent's problem, not the server's: it
comes back as a one-line error for the next observation, never as an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin

from playwright.async_api import Error as PlaywrightError

from fuzzer.serve.actions import BrowserAction

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

#: How long one action may wait for its element to be actionable.
ACTION_TIMEOUT_MS = 5_000


def _element(page: Page, bid: str) -> Locator:
    return page.locator(f'[bid="{bid.replace(chr(34), "")}"]')


async def perform(page: Page, action: BrowserAction) -> str | None:
    """Do ``action`` on ``page``; ``None``, or the error in one line.

    ``noop`` only waits; ``send_msg_to_user`` does nothing to the page (the caller ends the
    episode).
    """
    name, args = action.name, action.args
    try:
        if name == "click":
            await _element(page, str(args[0])).click(timeout=ACTION_TIMEOUT_MS)
        elif name == "fill":
            await _element(page, str(args[0])).fill(str(args[1]), timeout=ACTION_TIMEOUT_MS)
        elif name == "select_option":
            await _element(page, str(args[0])).select_option(
                [str(a) for a in args[1:]], timeout=ACTION_TIMEOUT_MS
            )
        elif name == "press":
            await _element(page, str(args[0])).press(str(args[1]), timeout=ACTION_TIMEOUT_MS)
        elif name == "scroll":
            await page.mouse.wheel(float(args[0]), float(args[1]))
        elif name == "noop":
            await page.wait_for_timeout(float(args[0]))
        elif name == "goto":
            await page.goto(urljoin(page.url, str(args[0])), timeout=ACTION_TIMEOUT_MS * 4)
    except PlaywrightError as exc:
        return _one_line(exc)
    return None


def _one_line(exc: PlaywrightError) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if "Timeout" in type(exc).__name__ or "Timeout" in first:
        return f"TimeoutError: {first}"
    return f"{type(exc).__name__}: {first}"
