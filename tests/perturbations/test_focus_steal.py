"""focus_steal in a real Chromium: typed keys land elsewhere; verify-and-retype recovers."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = '<input id="name" aria-label="Name"> <input id="mail" aria-label="Mail">'

CONFIG = page_config(instance("focus_steal", "#name", {"event": "focus"}, {"label": "Find"}))


async def test_keys_go_to_the_stealing_box(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, CONFIG)
    await h.page.locator("#name").click()
    await h.page.keyboard.type("Ada")
    assert await h.page.locator("#name").input_value() == ""
    assert await h.page.get_by_role("searchbox", name="Find").input_value() == "Ada"
    fired = next(e for e in await h.events() if e["event"] == "fired")
    assert fired["detail"] == {
        "trigger": "focus",
        "element": 'input#name "Name"',
        "from": "input",
        "stolen": True,
    }


async def test_verify_and_retype_recovers(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, CONFIG)
    name = h.page.locator("#name")
    for _ in range(3):
        await name.click()
        await h.page.keyboard.type("Ada")
        if await name.input_value() == "Ada":
            break
    assert await name.input_value() == "Ada"
    assert await h.decisions() == [("fired", 1)]
