"""option_churn in a real Chromium: options move under the agent; choosing by value works."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from .conftest import OpenPage, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

VALUES = ["red", "green", "blue", "black", "white"]
PAGE = (
    '<select id="pick" aria-label="Colour">'
    + "".join(f'<option value="{v}">{v.title()}</option>' for v in VALUES)
    + "</select>"
    + '<ul id="menu" role="listbox">'
    + "".join(f'<li role="option" data-v="{v}">{v}</li>' for v in VALUES)
    + "</ul>"
)


def churn(selector: str = "#pick", **params: object) -> dict[str, object]:
    trigger = {"event": "focus", "selector": selector, "repeat": True}
    return instance("option_churn", selector, trigger, params)


async def _values(page: Page, selector: str = "#pick option") -> list[str]:
    found: list[str] = await page.eval_on_selector_all(
        selector, "els => els.map(e => e.value || e.dataset.v)"
    )
    return found


async def test_options_move_when_the_dropdown_is_opened(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(churn(label_suffix=" (new)"), seed=7))
    await h.page.select_option("#pick", "blue")
    assert await _values(h.page) == VALUES
    await h.page.focus("#pick")
    moved = await _values(h.page)
    assert sorted(moved) == sorted(VALUES) and moved != VALUES
    assert await h.page.input_value("#pick") == "blue", "the selection is kept"
    # "The option at index i" is no longer what it was.
    i = next(i for i, value in enumerate(moved) if value != VALUES[i])
    await h.page.select_option("#pick", index=i)
    assert await h.page.input_value("#pick") == moved[i] != VALUES[i]
    labels = await h.page.locator("#pick option").all_text_contents()
    assert all(label.endswith(" (new)") for label in labels)
    fired = next(e for e in await h.events() if e["event"] == "fired")
    assert [VALUES[i] for i in fired["detail"]["orders"][0]] == moved


async def test_custom_listbox_options_move_too(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(churn("#menu"), seed=7))
    await h.page.evaluate("document.getElementById('menu').tabIndex = 0")
    await h.page.focus("#menu")
    moved = await _values(h.page, "#menu [role=option]")
    assert sorted(moved) == sorted(VALUES) and moved != VALUES


async def test_choosing_by_value_and_verifying_works(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(churn(label_suffix="!")))
    for _ in range(2):
        await h.page.focus("#pick")
        await h.page.select_option("#pick", value="green")
        await h.page.locator("body").click()
    assert await h.page.input_value("#pick") == "green"
    assert await h.page.locator("#pick option:checked").text_content() == "Green!"
    assert await h.decisions() == [("fired", 1), ("fired", 2)]


async def test_options_without_a_value_attribute_keep_their_value(open_shared: OpenPage) -> None:
    # An <option> with no value attribute has its text as value; a new label must not
    # change what the app reads (a MiniWoB++ choose-list page is written so).
    page = '<select id="bare">' + "".join(f"<option>{v}</option>" for v in VALUES) + "</select>"
    h = await open_shared(page, page_config(churn("#bare", label_suffix=" (popular)")))
    await h.page.select_option("#bare", "white")
    await h.page.focus("#bare")
    assert await h.page.locator("#bare option:checked").text_content() == "white (popular)"
    assert await h.page.input_value("#bare") == "white"
    await h.page.select_option("#bare", value="red")
    assert await h.page.input_value("#bare") == "red"
