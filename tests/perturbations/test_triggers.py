"""Runtime triggers added for the catalog: step index, navigation, key presses."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<div id="w">widget</div><button id="a">a</button><button id="b">b</button>
<input id="name">"""


def watch(trigger: dict[str, object], id: str = "p1") -> dict[str, object]:
    """A harmless perturbation (re-render #w) to watch a trigger's decisions."""
    return instance("rerender_widget", "#w", trigger, id=id)


async def test_step_counts_every_agent_action(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(watch({"event": "step", "nth": 3})))
    await h.page.click("#a")
    await h.page.locator("#name").click()  # step 2
    assert await h.decisions() == []
    await h.page.keyboard.press("x")  # step 3: a key press counts as well
    assert await h.decisions() == [("fired", 3)]
    fired = next(e for e in await h.events() if e["event"] == "fired")
    assert fired["detail"]["trigger"] == "step"


async def test_step_repeat_fires_on_each_later_step(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(watch({"event": "step", "nth": 2, "repeat": True})))
    for selector in ("#a", "#b", "#a", "#w"):
        await h.page.click(selector)
    assert await h.decisions() == [("fired", 2), ("fired", 3), ("fired", 4)]


async def test_navigate_counts_same_document_navigations(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(watch({"event": "navigate", "nth": 2, "repeat": True})))
    result = await h.page.evaluate("history.pushState({n: 1}, '', '/one') === undefined")
    assert result is True
    await h.page.evaluate("history.replaceState({n: 2}, '', '/two')")
    await h.page.evaluate("location.hash = 'x'")
    await h.page.wait_for_function("window.__gymfuzz.events.length >= 3")
    await h.page.go_back()
    await h.page.wait_for_function("window.__gymfuzz.events.length >= 4")
    triggers = [e["detail"]["trigger"] for e in await h.events() if e["event"] == "fired"]
    # pushState is the 1st; the hash change and the back navigation each fire popstate once.
    assert triggers == ["navigate:replaceState", "navigate:popstate", "navigate:popstate"]
    assert h.page.url.endswith("/two")


async def test_keydown_trigger_on_a_field(open_shared: OpenPage) -> None:
    trigger = {"event": "keydown", "selector": "#name", "nth": 2}
    h = await open_shared(PAGE, page_config(watch(trigger)))
    await h.page.locator("#name").click()
    await h.page.keyboard.type("ab")
    assert await h.decisions() == [("fired", 2)]
    assert await h.page.locator("#name").input_value() == "ab"


async def test_delay_after_an_event_and_appear_still_work(open_shared: OpenPage) -> None:
    h = await open_shared(
        PAGE,
        page_config(
            watch({"event": "focus", "selector": "#name", "delay_ms": 200}),
            watch({"event": "appear", "selector": ".late"}, id="p2"),
        ),
    )
    await h.page.locator("#name").focus()
    await h.page.wait_for_function("window.__gymfuzz.events.length >= 2")
    await h.page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p class=late>x</p>')")
    await h.page.wait_for_function("window.__gymfuzz.events.length >= 3")
    assert await h.decisions() == [("fired", 1)]
    assert await h.decisions("p2") == [("fired", 1)]


async def test_gymfuzz_dispatched_events_are_not_agent_events(open_shared: OpenPage) -> None:
    # calendar_drift clicks the page's "previous" control itself; a trigger on that control
    # must not count those clicks.
    page = """<button class="prev" onclick="window.m = (window.m || 0) - 1">prev</button>
    <button class="next" onclick="window.m = (window.m || 0) + 1">next</button><div id="w"></div>"""
    drift = instance(
        "calendar_drift",
        "body",
        {"event": "click", "selector": ".next", "nth": 2},
        {"next_selector": ".next", "prev_selector": ".prev"},
        id="drift",
    )
    h = await open_shared(page, page_config(drift, watch({"event": "click", "selector": ".prev"})))
    await h.page.click(".next")
    await h.page.click(".next")
    await h.page.wait_for_function("window.__gymfuzz.events.some(e => e.event === 'drifted')")
    assert await h.page.evaluate("window.m") == 0
    assert await h.decisions() == []


async def test_a_page_load_in_the_episode_resumes_its_counts(open_shared: OpenPage) -> None:
    # Counts are per episode: a new document of the same episode (here a reload in the same
    # tab, as a multi-page app's next page) goes on from the last one's counts.
    config = page_config(watch({"event": "step", "nth": 3}), watch({"event": "load"}, id="once"))
    h = await open_shared(PAGE, config)
    await h.page.click("#a")
    await h.page.click("#b")  # step 2 of the episode
    assert await h.decisions("once") == [("fired", 1)]
    await h.page.reload()
    started = (await h.wait_events(1))[0]
    assert started["event"] == "started"
    assert started["detail"]["resumed"] == {"p1": 2, "once": 1}
    await h.page.click("#a")  # step 3 of the episode, the first of this document
    assert await h.decisions() == [("fired", 3)]
    assert await h.decisions("once") == []  # fired on the first page: once in the episode
    assert await h.page.evaluate("window.__gymfuzz.config.plan_id") is None  # no proxy here
