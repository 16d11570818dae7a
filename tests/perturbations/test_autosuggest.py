"""autosuggest in a real Chromium: Enter is stolen and the next field covered; Escape helps."""

from __future__ import annotations

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from .conftest import OpenPage, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<form onsubmit="window.sent = (window.sent || 0) + 1; return false">
<p><input id="city" name="city" aria-label="City"></p>
<p><input id="zip" name="zip" aria-label="Zip"></p>
<button type="submit">Send</button></form>"""


def suggest(**params: object) -> dict[str, object]:
    return instance("autosuggest", "#city", {"event": "input"}, params)


async def test_enter_picks_a_suggestion_and_the_next_field_is_covered(
    open_shared: OpenPage,
) -> None:
    h = await open_shared(PAGE, page_config(suggest(suggestions=["Paris", "Parma", "Pau"])))
    city = h.page.locator("#city")
    await city.click()
    await h.page.keyboard.type("Par")
    listbox = h.page.get_by_role("listbox")
    await listbox.wait_for()
    assert sorted(await listbox.get_by_role("option").all_text_contents()) == [
        "Paris",
        "Parma",
        "Pau",
    ]
    with pytest.raises(PlaywrightTimeoutError, match="intercepts pointer events"):
        await h.page.locator("#zip").click(timeout=500)
    await h.page.keyboard.press("ArrowDown")
    await h.page.keyboard.press("Enter")
    opened = [e for e in await h.events() if e["event"] == "opened"][-1]  # one per keystroke
    assert await city.input_value() == opened["detail"]["items"][1]
    assert await hits(h.page, "sent") == 0, "Enter went to the list, not the form"
    picked = [e["detail"] for e in await h.events() if e["event"] == "picked"]
    assert picked == [{"value": opened["detail"]["items"][1], "how": "enter"}]


async def test_escape_then_verify_keeps_the_typed_value(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(suggest()))
    city = h.page.locator("#city")
    await city.click()
    await h.page.keyboard.type("Lyon")
    await h.page.get_by_role("listbox").wait_for()
    await h.page.keyboard.press("Escape")
    assert await h.page.get_by_role("listbox").count() == 0
    assert await city.input_value() == "Lyon"
    await h.page.locator("#zip").fill("69001")
    await h.page.keyboard.press("Enter")
    assert await hits(h.page, "sent") == 1
    assert (await city.input_value(), await h.page.locator("#zip").input_value()) == (
        "Lyon",
        "69001",
    )
