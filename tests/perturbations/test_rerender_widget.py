from __future__ import annotations

import pytest
from playwright.async_api import Error as PlaywrightError

from perturbations import parse_params
from perturbations.rerender_widget import RerenderWidgetParams

from .conftest import Harness, OpenPage, instance, page_config

# The button's effect counts clicks in window.hits; three ways an app may bind it.
INLINE = """<div id="w"><span>pick:</span>
  <button id="b" onclick="window.hits = (window.hits || 0) + 1">Pick</button></div>"""
DELEGATED = """<div id="w"><span>pick:</span><button id="b">Pick</button></div>
<script>
  document.addEventListener("click", e => {
    if (e.target.closest("#b")) window.hits = (window.hits || 0) + 1;
  });
</script>"""
DIRECT = """<div id="w"><span>pick:</span><button id="b">Pick</button></div>
<script>
  document.getElementById("b").addEventListener("click", () => {
    window.hits = (window.hits || 0) + 1;
  });
</script>"""


def test_params_default_and_bad_mode() -> None:
    assert parse_params("rerender_widget", {}) == RerenderWidgetParams(mode="clone")
    with pytest.raises(ValueError, match=r"^rerender_widget\.params\.mode: 'copy' is not one of"):
        parse_params("rerender_widget", {"mode": "copy"})


async def _hits(h: Harness) -> int:
    return int(await h.page.evaluate("window.hits || 0"))


@pytest.mark.browser
async def test_handle_goes_stale_after_load_trigger(open_page: OpenPage) -> None:
    cfg = page_config(instance("rerender_widget", "#w", {"event": "click", "selector": "#go"}))
    h = await open_page(INLINE + '<button id="go">go</button>', cfg)
    container = await h.page.query_selector("#w")
    button = await h.page.query_selector("#b")
    assert container is not None and button is not None
    await h.page.click("#go")
    assert await container.evaluate("e => e.isConnected") is False
    assert await button.evaluate("e => e.isConnected") is False
    with pytest.raises(PlaywrightError, match="not attached"):
        await button.click(timeout=500)
    # A fresh query finds the new button, and it works.
    await h.page.click("#b")
    assert await _hits(h) == 1
    fired = [e for e in await h.events() if e["event"] == "fired"]
    assert fired[0]["detail"] == {
        "trigger": "click",
        "element": 'div#w "pick: Pick"',  # what it re-rendered
        "trigger_element": 'button#go "go"',  # the click that triggered it
        "selector": "#w",
        "mode": "clone",
        "replaced": 1,
        "nodes": 3,
    }


@pytest.mark.browser
@pytest.mark.parametrize("html", [INLINE, DELEGATED], ids=["inline", "delegated"])
async def test_pointerdown_rerender_loses_the_first_click(open_page: OpenPage, html: str) -> None:
    cfg = page_config(instance("rerender_widget", "#w", {"event": "pointerdown", "selector": "#b"}))
    h = await open_page(html, cfg)
    button = await h.page.query_selector("#b")
    assert button is not None
    box = await button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    await h.page.mouse.click(x, y)
    assert await _hits(h) == 0, "the click in progress should be lost"
    assert await button.evaluate("e => e.isConnected") is False

    await h.page.mouse.click(x, y)  # nth=1, no repeat: the retry is not perturbed
    assert await _hits(h) == 1
    assert await h.decisions() == [("fired", 1)]


@pytest.mark.browser
async def test_move_mode_keeps_children_and_their_listeners(open_page: OpenPage) -> None:
    cfg = page_config(
        instance(
            "rerender_widget",
            "#w",
            {"event": "click", "selector": "#go"},
            {"mode": "move"},
        )
    )
    h = await open_page(DIRECT + '<button id="go">go</button>', cfg)
    container = await h.page.query_selector("#w")
    button = await h.page.query_selector("#b")
    assert container is not None and button is not None
    await h.page.click("#go")
    assert await container.evaluate("e => e.isConnected") is False
    assert await button.evaluate("e => e.isConnected") is True
    assert await h.page.evaluate(
        "document.querySelector('#w').outerHTML.startsWith('<div id=\"w\">')"
    )
    await button.click()
    assert await _hits(h) == 1


@pytest.mark.browser
async def test_clone_mode_drops_direct_listeners(open_page: OpenPage) -> None:
    # Documented limit of "clone": listeners bound to the old nodes do not follow.
    cfg = page_config(instance("rerender_widget", "#w", {"event": "click", "selector": "#go"}))
    h = await open_page(DIRECT + '<button id="go">go</button>', cfg)
    await h.page.click("#go")
    await h.page.click("#b")
    assert await _hits(h) == 0


@pytest.mark.browser
async def test_appear_trigger_does_not_retrigger_on_its_own_nodes(open_page: OpenPage) -> None:
    cfg = page_config(
        instance("rerender_widget", "#w", {"event": "appear", "repeat": True}),
    )
    h = await open_page(INLINE, cfg)
    await h.wait_events(2)
    await h.page.wait_for_timeout(100)
    assert await h.decisions() == [("fired", 1)]
    # A node the app adds later does count.
    await h.page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<div id=\"w\">again</div>')"
    )
    await h.wait_events(3)
    assert await h.decisions() == [("fired", 1), ("fired", 2)]
