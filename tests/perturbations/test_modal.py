from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Locator
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from perturbations import parse_params
from perturbations.modal import ModalParams

from .conftest import Harness, OpenPage, instance, page_config

PAGE = """<button id="go" style="position:absolute; left:380px; top:300px"
  onclick="window.hits = (window.hits || 0) + 1">Go</button>"""


def modal(trigger: dict[str, object] | None = None, **params: object) -> dict[str, object]:
    p: dict[str, object] = {"title": "Heads up", "text": "Something happened."}
    p.update(params)
    return instance("modal", "body", trigger or {"event": "load"}, p)


async def _hits(h: Harness) -> int:
    return int(await h.page.evaluate("window.hits || 0"))


async def _backdrops(h: Harness) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await h.page.eval_on_selector_all(
        ".gf-modal-backdrop",
        """els => els.map(e => ({
            layer: Number(e.dataset.gymfuzzLayer),
            z: Number(getComputedStyle(e).zIndex),
            title: e.querySelector('[role=dialog] h2').textContent,
        }))""",
    )
    return found


def test_params_defaults() -> None:
    assert parse_params("modal", {"title": "t", "text": ""}) == ModalParams(
        title="t", text="", close_label="Close", count=1, stagger_ms=0, order="shuffled"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"title": "t", "text": "", "count": 9}, r"^modal\.params\.count: 9 is greater than 5$"),
        ({"title": "t", "text": "", "count": 0}, r"^modal\.params\.count: 0 is less than 1$"),
        (
            {"title": "t", "text": "", "stagger_ms": -5},
            r"^modal\.params\.stagger_ms: -5 is less than 0$",
        ),
        (
            {"title": "t", "text": "", "order": "random"},
            r"^modal\.params\.order: 'random' is not one of 'shuffled' or 'in_order'$",
        ),
        ({"text": ""}, r"^modal\.params\.title: required field is missing$"),
        (
            {"title": "", "text": ""},
            r"^modal\.params\.title: '' is shorter than 1 character\(s\)$",
        ),
        (
            {"title": "t", "text": "", "count": "2"},
            r"^modal\.params\.count: '2' is not an integer$",
        ),
        ({"title": "t", "text": "", "colour": "red"}, r"^modal\.params\.colour: unknown field"),
    ],
)
def test_bad_params(params: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_params("modal", params)


@pytest.mark.browser
async def test_modal_intercepts_clicks_until_closed(open_page: OpenPage) -> None:
    h = await open_page(PAGE, page_config(modal()))
    dialog = h.page.get_by_role("dialog", name="Heads up")
    await dialog.wait_for()
    assert await dialog.get_attribute("aria-modal") == "true"

    box = await h.page.locator("#go").bounding_box()
    assert box is not None
    await h.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert await _hits(h) == 0, "the backdrop should take the click"
    with pytest.raises(PlaywrightTimeoutError):
        await h.page.locator("#go").click(timeout=500)
    assert await _hits(h) == 0

    await dialog.get_by_role("button", name="Close").click()
    assert await h.page.locator(".gf-modal-backdrop").count() == 0
    await h.page.locator("#go").click(timeout=2000)
    assert await _hits(h) == 1

    events = await h.wait_events(4)
    assert [(e["event"], e["detail"]) for e in events[1:]] == [
        (
            "fired",
            {
                "trigger": "load",
                "element": "body",
                "count": 1,
                "order": "shuffled",
                "layers": [0],
                "stagger_ms": 0,
            },
        ),
        ("shown", {"index": 0, "layer": 0, "open": 1}),
        ("dismissed", {"index": 0, "layer": 0, "open": 0}),
    ]


@pytest.mark.browser
async def test_three_shuffled_modals_can_all_be_dismissed_topmost_first(
    open_page: OpenPage,
) -> None:
    cfg = page_config(
        modal({"event": "click", "selector": "#go"}, count=3, close_label="Dismiss"), seed=3
    )
    h = await open_page(PAGE, cfg)
    await h.page.click("#go")  # the trigger click itself reaches the page
    assert await _hits(h) == 1
    backdrops = await _backdrops(h)
    assert len(backdrops) == 3
    fired = next(e for e in await h.events() if e["event"] == "fired")
    layers = fired["detail"]["layers"]
    assert sorted(layers) == [0, 1, 2]
    # Arrival order (DOM order) carries the seeded stacking layers, and z-index follows them.
    assert [b["layer"] for b in backdrops] == layers
    assert [b["z"] for b in backdrops] == [2147483000 + layer for layer in layers]

    def close_button(layer: int) -> Locator:
        return h.page.locator(f".gf-modal-backdrop[data-gymfuzz-layer='{layer}'] .gf-modal-close")

    # Only the topmost close button can be hit; the one under it is covered.
    with pytest.raises(PlaywrightTimeoutError):
        await close_button(1).click(timeout=300)
    for remaining, layer in enumerate((2, 1, 0)):
        await close_button(layer).click(timeout=2000)
        assert await h.page.locator(".gf-modal-backdrop").count() == 2 - remaining
    assert await h.page.locator(".gf-modal-backdrop").count() == 0
    await h.page.locator("#go").click(timeout=2000)
    assert await _hits(h) == 2

    events = await h.wait_events(1 + 1 + 3 + 3)
    dismissed = [e["detail"] for e in events if e["event"] == "dismissed"]
    assert [d["layer"] for d in dismissed] == [2, 1, 0]
    assert [d["open"] for d in dismissed] == [2, 1, 0]


@pytest.mark.browser
async def test_shuffled_order_is_seeded_and_in_order_is_not_shuffled(open_page: OpenPage) -> None:
    async def layers(seed: int, order: str) -> list[int]:
        h = await open_page(PAGE, page_config(modal(count=5, order=order), seed=seed))
        events = await h.wait_events(2)
        result: list[int] = events[1]["detail"]["layers"]
        return result

    shuffled = [await layers(seed, "shuffled") for seed in (1, 2, 3)]
    assert shuffled[0] == await layers(1, "shuffled")
    assert any(s != [0, 1, 2, 3, 4] for s in shuffled)
    assert await layers(1, "in_order") == [0, 1, 2, 3, 4]


@pytest.mark.browser
async def test_staggered_modals_arrive_one_by_one(open_page: OpenPage) -> None:
    cfg = page_config(modal({"event": "click", "selector": "#go"}, count=3, stagger_ms=800))
    h = await open_page(PAGE, cfg)
    await h.page.click("#go")
    assert await h.page.locator(".gf-modal-backdrop").count() == 1
    await h.page.wait_for_function("document.querySelectorAll('.gf-modal-backdrop').length === 3")
    shown = [e["detail"]["index"] for e in await h.events() if e["event"] == "shown"]
    assert shown == [0, 1, 2]


@pytest.mark.browser
async def test_modal_text_is_inert(open_page: OpenPage) -> None:
    evil = '<img src=x onerror="window.pwned=1">'
    h = await open_page(PAGE, page_config(modal(title=evil, text=evil)))
    await h.page.get_by_role("dialog").wait_for()
    assert await h.page.locator("[role=dialog] h2").text_content() == evil
    assert await h.page.locator("[role=dialog] img").count() == 0
    assert await h.page.evaluate("window.pwned") is None
