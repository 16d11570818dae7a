"""form_reset in a real Chromium: filled values vanish silently; re-check and refill works."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from .conftest import OpenPage, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<form id="f" onsubmit="window.sent = [this.name.value, this.size.value,
  this.gift.checked]; return false">
<input id="name" name="name" value="">
<select id="size" name="size"><option>S</option><option>M</option><option>L</option></select>
<input id="gift" name="gift" type="checkbox">
<button id="send" type="submit">Send</button></form>
<script>document.getElementById("name").addEventListener("input", () => window.inputs =
  (window.inputs || 0) + 1)</script>"""

CONFIG = page_config(instance("form_reset", "#f", {"event": "focus", "selector": "#send"}))


async def fill(page: Page) -> None:
    await page.fill("#name", "Ada")
    await page.select_option("#size", "L")
    await page.check("#gift")


async def test_submit_sends_the_reset_values(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, CONFIG)
    await fill(h.page)
    inputs = await h.page.evaluate("window.inputs")
    await h.page.click("#send")
    assert await h.page.evaluate("window.sent") == ["", "S", False]
    assert await h.page.evaluate("window.inputs") == inputs, "the reset sends no input event"
    fired = next(e for e in await h.events() if e["event"] == "fired")
    assert fired["detail"]["reset"] == ["name", "size", "gift"]


async def test_recheck_and_refill_before_submit(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, CONFIG)
    await fill(h.page)
    await h.page.focus("#send")  # about to submit: re-check every field first
    if await h.page.input_value("#name") != "Ada" or await h.page.input_value("#size") != "L":
        await fill(h.page)
    await h.page.click("#send")
    assert await h.page.evaluate("window.sent") == ["Ada", "L", True]


async def test_resets_to_the_value_before_the_first_touch_not_the_value_attribute(
    open_shared: OpenPage,
) -> None:
    # Harnesses such as BrowserGym copy live values into the value attribute before every
    # observation; a reset to the defaults would then keep what the agent typed.
    h = await open_shared(PAGE, CONFIG)
    await h.page.evaluate("document.getElementById('name').value = 'prefilled'")
    await fill(h.page)
    await h.page.evaluate(
        """for (const el of document.querySelectorAll('input, select')) {
             el.setAttribute('value', el.value);
             if (el.type === 'checkbox' && el.checked) el.setAttribute('checked', '');
             for (const o of el.options || []) if (o.selected) o.setAttribute('selected', '');
           }"""
    )
    await h.page.click("#send")
    assert await h.page.evaluate("window.sent") == ["prefilled", "S", False]
