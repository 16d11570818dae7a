"""Perturbations on pages nobody wrote for gymfuzz: MiniWoB++ tasks, through a real proxy.

The ``miniwob`` package's task pages are served over HTTP on 127.0.0.1 and reached through a
real gymfuzz forward proxy, which injects the page bundle of each episode's plan. For every
task one test shows the perturbation's effect and one that a careful agent still solves it
(the task's own reward is 1.0). The same bundle also works as a Playwright init script.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from perturbations import build_bundle
from proxy_addons.embedded import EmbeddedProxy

from . import miniwob_kit as kit
from .conftest import instance

pytestmark = [pytest.mark.browser, pytest.mark.proxy, pytest.mark.asyncio(loop_scope="module")]

pytest.importorskip("miniwob", reason="the MiniWoB++ pages come from the dev extra 'miniwob'")

_episodes = itertools.count(1)


@pytest.fixture(scope="module")
def miniwob_url() -> Iterator[str]:
    with kit.serve_miniwob() as url:
        yield url


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(ledger_dir=tmp_path_factory.mktemp("ledgers")) as p:
        yield p


class Episode:
    """One task page opened through the proxy with a page plan."""

    def __init__(self, proxy: EmbeddedProxy, episode: str, page: Page) -> None:
        self.proxy, self.episode, self.page = proxy, episode, page

    async def events(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self.page.evaluate("window.__gymfuzz.events")
        return found

    def ledger_page_events(self) -> list[dict[str, Any]]:
        path = self.proxy.ledger_path(self.episode)
        assert path is not None
        lines = [json.loads(line) for line in path.read_text().splitlines() if line]
        return [rec for rec in lines if rec.get("type") == "page"]


@pytest_asyncio.fixture(loop_scope="module")
async def open_task(
    module_browser: Browser, proxy: EmbeddedProxy, miniwob_url: str
) -> AsyncIterator[Any]:
    contexts = []

    async def _open(task: str, *perturbations: dict[str, object], seed: int = 5) -> Episode:
        episode = f"miniwob-{next(_episodes)}"
        config = {"episode": episode, "seed": seed, "perturbations": list(perturbations)}
        plan = {"episode": episode, "seed": seed, "faults": [], "page_script": build_bundle(config)}
        proxy.set_plan(plan)
        context = await module_browser.new_context(
            proxy={"server": proxy.url, "username": episode, "password": "x"},
            viewport={"width": 800, "height": 600},
        )
        contexts.append(context)
        page = await context.new_page()
        await page.goto(f"{miniwob_url}/miniwob/{task}.html")
        return Episode(proxy, episode, page)

    yield _open
    for context in contexts:
        await context.close()


# ---- choose-date: calendar_drift -------------------------------------------------------------

DRIFT = instance(
    "calendar_drift",
    "#ui-datepicker-div",
    {"event": "click", "selector": ".ui-datepicker-prev", "nth": 2},
    {"next_selector": ".ui-datepicker-next", "prev_selector": ".ui-datepicker-prev"},
)


async def test_choose_date_picker_drifts_back(open_task: Any) -> None:
    ep = await open_task("choose-date", DRIFT)
    await kit.start_task(ep.page, "cd-1")
    await ep.page.locator("#datepicker").click()
    first = await ep.page.locator(".ui-datepicker-title").inner_text()
    await ep.page.locator(".ui-datepicker-prev").click()
    await ep.page.locator(".ui-datepicker-prev").click()
    await ep.page.wait_for_function("window.__gymfuzz.events.some(e => e.event === 'drifted')")
    assert await ep.page.locator(".ui-datepicker-title").inner_text() == first
    drifted = next(e for e in await ep.events() if e["event"] == "drifted")
    assert drifted["detail"] == {"months": 2}


async def test_choose_date_careful_agent_solves_it(open_task: Any) -> None:
    ep = await open_task("choose-date", DRIFT)
    query = await kit.start_task(ep.page, "cd-4")  # April: eight months back from December
    await kit.pick_date(ep.page, "#datepicker", kit.query_date(query))
    await ep.page.locator("#subbtn").click()
    assert await kit.reward(ep.page) == 1.0
    assert "drifted" in [e["event"] for e in await ep.events()]


# ---- choose-list: option_churn ---------------------------------------------------------------

CHURN = instance("option_churn", "#options", {"event": "focus", "repeat": True}, {})


async def test_choose_list_options_move(open_task: Any) -> None:
    ep = await open_task("choose-list", CHURN, seed=3)
    await kit.start_task(ep.page, "cl-1")
    before = await ep.page.locator("#options option").all_text_contents()
    await ep.page.locator("#options").focus()
    after = await ep.page.locator("#options option").all_text_contents()
    assert sorted(after) == sorted(before) and after != before


async def test_choose_list_careful_agent_solves_it(open_task: Any) -> None:
    ep = await open_task("choose-list", CHURN, seed=3)
    query = await kit.start_task(ep.page, "cl-2")
    wanted = re.fullmatch(r"Select (.+) from the list and click Submit\.", query)
    assert wanted is not None
    await ep.page.locator("#options").focus()
    await ep.page.select_option("#options", label=wanted.group(1))
    assert await ep.page.locator("#options option:checked").inner_text() == wanted.group(1)
    await ep.page.get_by_role("button", name="Submit").click()
    assert await kit.reward(ep.page) == 1.0


# ---- use-autocomplete: a competing autosuggest -----------------------------------------------

SUGGEST = instance("autosuggest", "#tags", {"event": "input"}, {})


def _autocomplete_query(query: str) -> tuple[str, str]:
    found = re.match(r'Enter an item that starts with "(.+?)"(?: and ends with "(.+?)")?', query)
    assert found is not None, query
    return found.group(1), found.group(2) or ""


async def test_use_autocomplete_enter_is_stolen(open_task: Any) -> None:
    ep = await open_task("use-autocomplete", SUGGEST)
    query = await kit.start_task(ep.page, "ua-1")
    start, _ = _autocomplete_query(query)
    await ep.page.locator("#tags").press_sequentially(start)
    await ep.page.locator("ul.ui-autocomplete li").first.wait_for()
    await ep.page.keyboard.press("ArrowDown")
    await ep.page.keyboard.press("Enter")
    picked = next(e for e in await ep.events() if e["event"] == "picked")
    assert await ep.page.locator("#tags").input_value() == picked["detail"]["value"]
    await ep.page.locator("#subbtn").click()
    assert await kit.reward(ep.page) == -1.0


async def test_use_autocomplete_careful_agent_solves_it(open_task: Any) -> None:
    ep = await open_task("use-autocomplete", SUGGEST)
    query = await kit.start_task(ep.page, "ua-2")
    start, end = _autocomplete_query(query)
    await ep.page.locator("#tags").press_sequentially(start)
    if await ep.page.get_by_role("listbox").count():
        await ep.page.keyboard.press("Escape")
    items = ep.page.locator("ul.ui-autocomplete li")
    await items.first.wait_for()
    texts = await items.all_inner_texts()
    choice = next(t for t in texts if t.startswith(start) and t.endswith(end))
    await items.filter(has_text=re.compile(f"^{re.escape(choice)}$")).first.click()
    assert await ep.page.locator("#tags").input_value() == choice
    await ep.page.locator("#subbtn").click()
    assert await kit.reward(ep.page) == 1.0


# ---- click-dialog: a pop-up over the dialog --------------------------------------------------

POPUP = instance("popup_ad", ".ui-dialog", {"event": "appear"}, {"lure_label": "Close all"})


async def test_click_dialog_popup_covers_the_x(open_task: Any) -> None:
    ep = await open_task("click-dialog", POPUP)
    await kit.start_task(ep.page, "cdl-1")
    await ep.page.get_by_role("dialog", name="Special offer").wait_for()
    with pytest.raises(PlaywrightTimeoutError, match="intercepts pointer events"):
        await ep.page.locator(".ui-dialog-titlebar-close").click(timeout=500)
    await ep.page.get_by_role("button", name="Close all").click()
    assert await ep.page.evaluate("WOB_DONE_GLOBAL") is False


async def test_click_dialog_careful_agent_solves_it(open_task: Any) -> None:
    ep = await open_task("click-dialog", POPUP)
    await kit.start_task(ep.page, "cdl-2")
    await ep.page.get_by_role("dialog", name="Special offer").wait_for()
    assert await kit.close_interruptions(ep.page) == 1
    await ep.page.locator(".ui-dialog-titlebar-close").click()
    assert await kit.reward(ep.page) == 1.0
    # The events went through the proxy into the episode's ledger as well.
    assert [e["event"] for e in ep.ledger_page_events()] == [e["event"] for e in await ep.events()]


# ---- book-flight: stacked out-of-order modals after the search -------------------------------

MODALS = instance(
    "modal",
    "body",
    {"event": "click", "selector": "#search"},
    {"title": "Price alert", "text": "Prices may change.", "count": 3, "stagger_ms": 100},
)


async def _fill_search(page: Page, query: str) -> None:
    found = re.search(r"flight from: (.+?) to: (.+?) on (\d\d/\d\d/\d{4})", query)
    assert found is not None, query
    origin, destination, _ = found.groups()
    await kit.pick_autocomplete(page, "#flight-from", origin, origin)
    await kit.pick_autocomplete(page, "#flight-to", destination, destination)
    await kit.pick_date(page, "#datepicker", kit.query_date(query))


async def test_book_flight_modals_take_the_booking_click(open_task: Any) -> None:
    ep = await open_task("book-flight", MODALS)
    query = await kit.start_task(ep.page, "bf-1")
    await _fill_search(ep.page, query)
    await ep.page.locator("#search").click()
    await ep.page.wait_for_function("document.querySelectorAll('.gf-modal-backdrop').length === 3")
    with pytest.raises(PlaywrightTimeoutError, match="intercepts pointer events"):
        await ep.page.locator(".flight-price").first.click(timeout=500)
    assert await ep.page.evaluate("WOB_DONE_GLOBAL") is False


async def test_book_flight_careful_agent_solves_it(open_task: Any) -> None:
    ep = await open_task("book-flight", MODALS)
    query = await kit.start_task(ep.page, "bf-2")
    await _fill_search(ep.page, query)
    await ep.page.locator("#search").click()
    await ep.page.wait_for_function(
        "window.__gymfuzz.events.filter(e => e.event === 'shown').length === 3"
    )
    assert await kit.close_interruptions(ep.page) == 3
    flights = ep.page.locator(".flight")
    await flights.first.wait_for()
    prices = [
        int(p)
        for p in await flights.locator(".flight-price").evaluate_all(
            "els => els.map(e => e.dataset.price)"
        )
    ]
    durations = [
        int(d)
        for d in await flights.locator(".time-duration").evaluate_all(
            "els => els.map(e => e.dataset.duration)"
        )
    ]
    key = durations if "shortest" in query else prices
    best = key.index(min(key))
    await flights.nth(best).locator(".flight-price").click()
    assert await kit.reward(ep.page) == 1.0


# ---- the same bundle as a Playwright init script (no proxy) ----------------------------------


async def test_init_script_delivery_on_click_dialog(
    module_browser: Browser, miniwob_url: str, tmp_path: Path
) -> None:
    config = {"episode": "init", "seed": 5, "report_url": None, "perturbations": [POPUP]}
    context = await module_browser.new_context()
    try:
        await context.add_init_script(script=build_bundle(config))
        page = await context.new_page()
        await page.goto(f"{miniwob_url}/miniwob/click-dialog.html")
        await kit.start_task(page, "init-1")
        await page.get_by_role("dialog", name="Special offer").wait_for()
        await kit.close_interruptions(page)
        await page.locator(".ui-dialog-titlebar-close").click()
        assert await kit.reward(page) == 1.0
        events = await page.evaluate("window.__gymfuzz.events.map(e => e.event)")
        assert events == ["started", "fired", "dismissed"]
    finally:
        await context.close()
