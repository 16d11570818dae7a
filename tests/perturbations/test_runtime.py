"""The in-page runtime: install once, triggers, seeded decisions, event reporting."""

from __future__ import annotations

from typing import Any

import pytest

from perturbations import build_bundle
from perturbations.bundle import read_js, script_json

from .conftest import OpenPage, instance, page_config

pytestmark = pytest.mark.browser

PAGE = """<div id="w">widget</div><button id="go">go</button>
<form id="f" onsubmit="return false"><input id="name" name="name">
<select id="pick"><option>a</option><option>b</option></select>
<button id="send" type="submit">send</button></form>"""


def rerender_on(
    trigger: dict[str, object], *, id: str = "p1", probability: float = 1.0
) -> dict[str, object]:
    """A harmless perturbation (re-render #w) to watch a trigger's decisions."""
    return instance("rerender_widget", "#w", trigger, id=id, probability=probability)


def _mask_time(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if k != "t_ms"} for e in events]


# ---- a Python mirror of the runtime's PRNG: pins the decision function, not just its output

_M32 = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    return (a * b) & _M32


def _hash_key(key: str) -> int:
    units = key.encode("utf-16-le")
    h = (1779033703 ^ (len(units) // 2)) & _M32
    for i in range(0, len(units), 2):
        h = _imul(h ^ int.from_bytes(units[i : i + 2], "little"), 3432918353)
        h = ((h << 13) | (h >> 19)) & _M32
    h = _imul(h ^ (h >> 16), 2246822507)
    h = _imul(h ^ (h >> 13), 3266489909)
    return h ^ (h >> 16)


def _first_draw(key: str) -> float:
    a = (_hash_key(key) + 0x6D2B79F5) & _M32
    t = _imul(a ^ (a >> 15), 1 | a)
    t = ((t + _imul(t ^ (t >> 7), 61 | t)) & _M32) ^ t
    return ((t ^ (t >> 14)) & _M32) / 2**32


def expected_decisions(seed: int, ident: str, occurrences: int, p: float) -> list[tuple[str, int]]:
    return [
        ("fired" if _first_draw(f"{seed}:{ident}:{k}") < p else "skipped", k)
        for k in range(1, occurrences + 1)
    ]


def test_python_mirror_golden() -> None:
    # Pins what seed 7 yields for instance "p1": change the PRNG and this must change too.
    pattern = "".join("F" if d == "fired" else "s" for d, _ in expected_decisions(7, "p1", 16, 0.5))
    assert pattern == GOLDEN_7_P1


GOLDEN_7_P1 = "ssFFFsFssFssssFF"

# ---- install ------------------------------------------------------------------------------


async def test_installed_twice_installs_once(open_page: OpenPage) -> None:
    cfg = page_config(instance("modal", "body", {"event": "load"}, {"title": "t", "text": ""}))
    h = await open_page("<p>hi</p>", cfg, installs=2)
    await h.wait_events(3)
    # And a third time, evaluated into the loaded page.
    await h.page.evaluate(build_bundle(cfg))
    await h.page.wait_for_timeout(100)
    events = await h.events()
    assert [e["event"] for e in events] == ["started", "fired", "shown"]
    assert await h.page.locator(".gf-modal-backdrop").count() == 1
    assert await h.page.evaluate("Object.keys(window).filter(k => k.includes('gymfuzz'))") == []
    assert await h.page.evaluate("typeof window.__gymfuzz.register") == "function"


async def test_runs_in_the_top_frame_only(open_page: OpenPage) -> None:
    cfg = page_config(instance("modal", "p", {"event": "appear"}, {"title": "t", "text": ""}))
    h = await open_page('<p>top</p><iframe srcdoc="<p>inside</p>"></iframe>', cfg)
    await h.wait_events(3)
    frame = h.page.frames[1]
    await frame.wait_for_selector("p")
    assert await frame.evaluate("typeof window.__gymfuzz") == "undefined"
    await h.page.wait_for_timeout(100)
    assert [e["event"] for e in await h.events()] == ["started", "fired", "shown"]


async def test_inline_and_init_script_together_install_once(open_page: OpenPage) -> None:
    # As when the proxy injects the bundle and the harness also adds it as an init script.
    cfg = page_config(rerender_on({"event": "click", "selector": "#go"}))
    h = await open_page(PAGE, cfg, inline=True, installs=1)
    await h.page.click("#go")
    events = await h.wait_events(2)
    assert [e["event"] for e in events] == ["started", "fired"]


# ---- reporting ----------------------------------------------------------------------------


async def test_events_are_posted_and_recorded(open_page: OpenPage) -> None:
    cfg = page_config(rerender_on({"event": "click", "selector": "#go", "repeat": True}))
    h = await open_page(PAGE, cfg)
    await h.page.click("#go")
    await h.page.click("#go")
    events = await h.wait_events(3)
    posted = await h.wait_posted(3)
    assert posted == events
    assert [e["seq"] for e in events] == [1, 2, 3]
    started, fired, _ = events
    assert started == {
        "seq": 1,
        "episode": "ep-test",
        "perturbation": None,
        "kind": "runtime",
        "event": "started",
        "occurrence": 0,
        "t_ms": started["t_ms"],
        "detail": {"instances": ["p1"]},
    }
    assert fired["perturbation"] == "p1"
    assert fired["kind"] == "rerender_widget"
    assert fired["occurrence"] == 1
    assert isinstance(fired["t_ms"], int) and fired["t_ms"] >= 0


async def test_null_report_url_does_not_post(open_page: OpenPage) -> None:
    cfg = page_config(rerender_on({"event": "load"}), report_url=None)
    h = await open_page(PAGE, cfg)
    await h.wait_events(2)
    await h.page.wait_for_timeout(200)
    assert h.posted == []


async def test_page_without_proxy_keeps_working(open_page: OpenPage) -> None:
    # The report endpoint is unreachable (another origin, refused): nothing surfaces.
    cfg = page_config(rerender_on({"event": "load"}), report_url="http://127.0.0.1:9/x")
    h = await open_page(PAGE, cfg)
    errors: list[str] = []
    h.page.on("pageerror", lambda e: errors.append(str(e)))
    await h.wait_events(2)
    await h.page.wait_for_timeout(200)
    assert errors == []


# ---- determinism --------------------------------------------------------------------------


async def test_same_seed_same_event_sequence(open_page: OpenPage) -> None:
    async def run(seed: int) -> list[dict[str, Any]]:
        cfg = page_config(
            rerender_on({"event": "click", "selector": "#go", "repeat": True}, probability=0.5),
            instance(
                "modal",
                "body",
                {"event": "click", "selector": "#go", "nth": 3},
                {"title": "t", "text": "", "count": 3},
                id="m",
            ),
            seed=seed,
        )
        h = await open_page(PAGE, cfg)
        for _ in range(3):
            await h.page.click("#go")
        for layer in (2, 1, 0):
            await h.page.click(f".gf-modal-backdrop[data-gymfuzz-layer='{layer}'] .gf-modal-close")
        return _mask_time(await h.wait_events(1 + 3 + 1 + 3 + 3))

    first = await run(11)
    assert first == await run(11)
    assert first != await run(12)


@pytest.mark.parametrize("seed", [7, 8])
async def test_probability_decisions_replay_per_seed(open_page: OpenPage, seed: int) -> None:
    async def run() -> list[tuple[str, int]]:
        cfg = page_config(
            rerender_on({"event": "click", "selector": "#go", "repeat": True}, probability=0.5),
            seed=seed,
        )
        h = await open_page(PAGE, cfg)
        for _ in range(16):
            await h.page.click("#go")
        await h.wait_events(17)
        return await h.decisions()

    first = await run()
    assert first == await run()
    assert first == expected_decisions(seed, "p1", 16, 0.5)
    assert {d for d, _ in first} == {"fired", "skipped"}


def test_other_seed_other_decisions() -> None:
    assert expected_decisions(7, "p1", 16, 0.5) != expected_decisions(8, "p1", 16, 0.5)


async def test_probability_zero_never_fires(open_page: OpenPage) -> None:
    cfg = page_config(
        rerender_on({"event": "click", "selector": "#go", "repeat": True}, probability=0.0)
    )
    h = await open_page(PAGE, cfg)
    for _ in range(10):
        await h.page.click("#go")
    await h.wait_events(11)
    assert await h.decisions() == [("skipped", k) for k in range(1, 11)]


# ---- triggers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repeat", "expected"),
    [(False, [("fired", 3)]), (True, [("fired", 3), ("fired", 4), ("fired", 5)])],
)
async def test_nth_and_repeat(
    open_page: OpenPage, repeat: bool, expected: list[tuple[str, int]]
) -> None:
    cfg = page_config(
        rerender_on({"event": "click", "selector": "#go", "nth": 3, "repeat": repeat})
    )
    h = await open_page(PAGE, cfg)
    for _ in range(5):
        await h.page.click("#go")
    await h.wait_events(1 + len(expected))
    assert await h.decisions() == expected


async def test_null_selector_means_the_target(open_page: OpenPage) -> None:
    cfg = page_config(instance("rerender_widget", "#go", {"event": "click"}))
    h = await open_page(PAGE, cfg)
    await h.page.click("#w")
    await h.page.click("#go")
    await h.wait_events(2)
    assert await h.decisions() == [("fired", 1)]


@pytest.mark.parametrize("event", ["pointerdown", "click", "focus", "input", "change", "submit"])
async def test_agent_event_triggers(open_page: OpenPage, event: str) -> None:
    selector = {"pointerdown": "#go", "click": "#go", "submit": "#f"}.get(event, "#f")
    cfg = page_config(rerender_on({"event": event, "selector": selector}))
    h = await open_page(PAGE, cfg)
    if event in ("pointerdown", "click"):
        await h.page.click("#go")
    elif event == "focus":
        await h.page.focus("#name")
    elif event == "input":
        await h.page.fill("#name", "x")
    elif event == "change":
        await h.page.select_option("#pick", "b")
    else:
        await h.page.click("#send")
    await h.wait_events(2)
    assert await h.decisions() == [("fired", 1)]
    fired = (await h.events())[1]
    assert fired["detail"]["trigger"] == event


async def test_delay_ms_fires_after_the_event(open_page: OpenPage) -> None:
    cfg = page_config(
        instance(
            "modal",
            "body",
            {"event": "click", "selector": "#go", "delay_ms": 800},
            {"title": "t", "text": ""},
        )
    )
    h = await open_page(PAGE, cfg)
    await h.page.click("#go")
    assert await h.page.locator(".gf-modal-backdrop").count() == 0
    await h.page.locator(".gf-modal-backdrop").wait_for()
    assert await h.decisions("p1") == [("fired", 1)]


async def test_appear_trigger_fires_when_element_appears(open_page: OpenPage) -> None:
    cfg = page_config(
        instance("modal", "#late", {"event": "appear"}, {"title": "t", "text": ""}),
    )
    h = await open_page(PAGE, cfg)
    await h.page.wait_for_timeout(100)
    assert await h.decisions() == []
    await h.page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p id=\"late\">x</p>')")
    await h.page.locator(".gf-modal-backdrop").wait_for()
    assert await h.decisions() == [("fired", 1)]


async def test_clicks_on_gymfuzz_ui_are_not_agent_events(open_page: OpenPage) -> None:
    cfg = page_config(
        instance("modal", "body", {"event": "load"}, {"title": "t", "text": ""}, id="m"),
        rerender_on({"event": "click", "selector": "body", "repeat": True}),
    )
    h = await open_page(PAGE, cfg)
    await h.page.click(".gf-modal-close")
    await h.page.click("#go")
    await h.wait_events(5)
    assert await h.decisions("p1") == [("fired", 1)]


async def test_spa_navigation_keeps_state(open_page: OpenPage) -> None:
    cfg = page_config(rerender_on({"event": "click", "selector": "#go", "nth": 2}))
    h = await open_page(PAGE, cfg)
    await h.page.click("#go")
    await h.page.evaluate("history.pushState({}, '', '/other'); history.replaceState({}, '', '/x')")
    await h.page.evaluate("history.pushState({}, '', '/y'); history.back()")
    await h.page.wait_for_function("location.pathname === '/x'")
    await h.page.click("#go")
    await h.wait_events(2)
    assert await h.decisions() == [("fired", 2)]


# ---- errors -------------------------------------------------------------------------------


def _hand_built_bundle(config: dict[str, object], *scripts: str) -> str:
    """A bundle without build_bundle's validation, to feed the runtime what it would reject."""
    body = "\n".join((read_js("runtime.js"), *scripts))
    return f"(function () {{\nvar GYMFUZZ_CONFIG = {script_json(config)};\n{body}\n}})();"


async def test_bad_selector_reports_error_and_page_continues(open_page: OpenPage) -> None:
    cfg = page_config(
        rerender_on({"event": "click", "selector": "#go[["}, id="bad"),
        rerender_on({"event": "click", "selector": "#go"}, id="good"),
    )
    h = await open_page(PAGE + "<script>window.ok = 1</script>", cfg)
    await h.page.click("#go")
    events = await h.wait_events(3)
    assert [(e["perturbation"], e["event"]) for e in events[1:]] == [
        ("bad", "error"),
        ("good", "fired"),
    ]
    assert events[1]["detail"]["phase"] == "selector"
    assert await h.page.evaluate("window.ok") == 1


async def test_throwing_perturbation_is_contained(open_page: OpenPage) -> None:
    # Hand-built bundle: the catalog only admits real kinds, so register a broken one here.
    config = page_config(
        instance("boom", "#w", {"event": "click", "selector": "#go"}, id="boom"),
        rerender_on({"event": "click", "selector": "#go"}, id="good"),
    )
    boom = (
        "window.__gymfuzz.register('boom', function () {"
        " return function () { throw new Error('kaboom'); }; });"
    )
    bundle = _hand_built_bundle(config, read_js("rerender_widget.js"), boom)
    h = await open_page(PAGE, bundle)
    errors: list[str] = []
    h.page.on("pageerror", lambda e: errors.append(str(e)))
    await h.page.click("#go")
    events = await h.wait_events(3)
    assert [(e["perturbation"], e["event"]) for e in events[1:]] == [
        ("boom", "error"),
        ("good", "fired"),
    ]
    assert events[1]["detail"] == {"phase": "fire", "message": "kaboom"}
    assert errors == []


async def test_unknown_kind_reports_error(open_page: OpenPage) -> None:
    config = page_config(instance("nope", "#w", {"event": "load"}, id="x"))
    bundle = _hand_built_bundle(config)
    h = await open_page(PAGE, bundle)
    events = await h.wait_events(2)
    assert events[1]["event"] == "error"
    assert events[1]["detail"]["phase"] == "init"
    assert "nope" in events[1]["detail"]["message"]


async def test_a_firing_names_the_element_it_acted_on(open_page: OpenPage) -> None:
    # on a load: the first target; on an agent event: the element pressed, and the one that
    # triggered it when that is not a target
    cfg = page_config(
        instance("rerender_widget", "button", {"event": "load"}, id="on_load"),
        instance(
            "modal",
            "body",
            {"event": "focus", "selector": "select"},
            {"title": "t", "text": ""},
            id="on_focus",
        ),
        instance("rerender_widget", "form button", {"event": "pointerdown"}, id="on_press"),
    )
    h = await open_page(PAGE, cfg)
    await h.page.focus("#pick")
    await h.page.locator(".gf-modal-backdrop").wait_for()
    await h.page.keyboard.press("Escape")
    await h.page.locator("#send").dispatch_event("pointerdown")
    await h.wait_events(4)
    fired = {e["perturbation"]: e["detail"] for e in await h.events() if e["event"] == "fired"}
    assert fired["on_load"]["element"] == 'button#go "go"'
    assert "trigger_element" not in fired["on_load"]
    assert fired["on_focus"]["element"] == "body"
    assert fired["on_focus"]["trigger_element"] == 'select#pick "ab"'  # its options' text
    assert fired["on_press"]["element"] == 'button#send[type=submit] "send"'
