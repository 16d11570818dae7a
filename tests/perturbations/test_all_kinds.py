"""Every kind together on one page: nothing breaks, and the whole run replays from its seed."""

from __future__ import annotations

from typing import Any

import pytest

from perturbations import PERTURBATIONS

from .conftest import REQUIRED_PARAMS, OpenPage, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<form id="f" onsubmit="return false">
<p><input id="city" name="city" aria-label="City"> <input id="zip" name="zip"></p>
<p><select id="pick" name="pick"><option value="a">A</option><option value="b">B</option>
<option value="c">C</option><option value="d">D</option></select></p>
<div id="cal"><button type="button" class="prev">&lt;</button>
<button type="button" class="next">&gt;</button></div>
<p><button id="go" type="button" onclick="window.hits = (window.hits || 0) + 1">Go</button></p>
<button id="send" type="submit">Send</button></form>
<div style="height: 2000px"></div>"""

TARGETS = {"autosuggest": "#city", "option_churn": "#pick", "form_reset": "#f", "decoy": "#go"}


async def test_every_kind_at_once_leaves_the_page_running(open_shared: OpenPage) -> None:
    # A native dialog opened while the document is still loading can block the load event
    # before Playwright sees it; open that one a second after the runtime starts instead.
    triggers = {"native_dialog": {"event": "load", "delay_ms": 1000}}
    entries = [
        instance(
            kind,
            TARGETS.get(kind, "#go"),
            triggers.get(kind, {"event": "load"}),
            REQUIRED_PARAMS.get(kind),
            id=kind,
        )
        for kind in PERTURBATIONS
    ]
    h = await open_shared(PAGE, page_config(*entries, report_url=None), dismiss_dialogs=True)
    errors: list[str] = []
    h.page.on("pageerror", lambda e: errors.append(str(e)))
    await h.page.wait_for_function(
        "n => window.__gymfuzz.events.filter(e => e.event === 'fired').length >= n",
        arg=len(PERTURBATIONS),
    )
    events = await h.events()
    assert [e for e in events if e["event"] == "error"] == []
    assert {e["perturbation"] for e in events if e["event"] == "fired"} == set(PERTURBATIONS)
    assert await h.page.evaluate("1 + 1") == 2  # the page still runs scripts
    assert errors == []


def _replay_config(seed: int) -> dict[str, object]:
    def rep(kind: str, target: str, trigger: dict[str, object], **params: object) -> dict[str, Any]:
        return instance(kind, target, trigger, params, id=kind, probability=0.5)

    return page_config(
        rep("option_churn", "#pick", {"event": "focus", "repeat": True}),
        rep("identity_churn", "#cal", {"event": "click", "selector": "#go", "repeat": True}),
        rep("scroll_jump", "html", {"event": "step", "repeat": True}),
        rep("autosuggest", "#city", {"event": "input"}),
        rep("rerender_widget", "#cal", {"event": "click", "selector": "#go", "repeat": True}),
        rep("modal", "body", {"event": "step", "nth": 9}, title="Late", text="", count=3),
        seed=seed,
        report_url=None,
    )


async def _play(open_shared: OpenPage, seed: int) -> list[dict[str, Any]]:
    h = await open_shared(PAGE, _replay_config(seed))
    page = h.page
    for _ in range(4):
        await page.focus("#pick")
        await page.focus("#zip")
    for _ in range(4):
        await page.get_by_role("button", name="Go").dispatch_event("click")
        await page.keyboard.press("Shift")
    await page.locator("#city").focus()
    await page.keyboard.type("Ly")
    await page.keyboard.press("Escape")
    await page.keyboard.press("Shift")
    return [{k: v for k, v in e.items() if k != "t_ms"} for e in await h.events()]


async def test_same_seed_same_events_other_seed_other_events(open_shared: OpenPage) -> None:
    first = await _play(open_shared, 21)
    assert len([e for e in first if e["event"] in ("fired", "skipped")]) >= 10
    assert first == await _play(open_shared, 21)
    assert first != await _play(open_shared, 22)
