"""Every transform on an outside page (a plain join form served on 127.0.0.1), in Chromium.

Per transform: it acts (the rendered page differs from the plain one and the runtime reports
``fired``); the page stays usable (a careful agent joins and the server stores the form); the
same seed gives the same page (a digest of every element's attributes, text and computed
look), and for the seeded transforms another seed gives another page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from perturbations import build_bundle

from . import transform_kit as kit
from .conftest import OpenPage, instance, page_config
from .transform_cases import CASE_IDS, CASES, TransformCase

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]


@pytest.fixture(scope="module")
def outside() -> Iterator[kit.OutsideSite]:
    with kit.serve_signup() as site:
        yield site


@pytest_asyncio.fixture(loop_scope="module")
async def open_signup(module_browser: Browser, outside: kit.OutsideSite) -> AsyncIterator[Any]:
    contexts = []

    async def _open(case: TransformCase | None, seed: int = 7) -> Page:
        entries = [case.envelope(kit.SIGNUP_PARTS)] if case else []
        context = await module_browser.new_context(viewport={"width": 1000, "height": 700})
        contexts.append(context)
        await context.add_init_script(script=build_bundle(page_config(*entries, seed=seed)))
        page = await context.new_page()
        await page.goto(outside.url)
        if case:
            await page.wait_for_function(
                "window.__gymfuzz.events.some(e => e.event === 'fired' || e.event === 'error')"
            )
        return page

    yield _open
    for context in contexts:
        await context.close()


async def fired(page: Page) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = await page.evaluate("window.__gymfuzz.events")
    assert [e for e in events if e["event"] == "error"] == []
    return [e for e in events if e["event"] == "fired"]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_transform_acts(open_signup: Any, case: TransformCase) -> None:
    plain = await kit.page_digest(await open_signup(None))
    page = await open_signup(case)
    assert len(await fired(page)) == 1
    assert await kit.page_digest(page) != plain


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_careful_agent_joins_under_transform(
    open_signup: Any, outside: kit.OutsideSite, case: TransformCase
) -> None:
    page = await open_signup(case)
    before = len(outside.received)
    await kit.fill_signup(page)
    assert outside.received[before:] == [kit.SIGNUP_FORM]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_same_seed_same_page(open_signup: Any, case: TransformCase) -> None:
    first = await kit.page_digest(await open_signup(case, seed=11))
    again = await kit.page_digest(await open_signup(case, seed=11))
    assert first == again
    if case.seeded:
        assert await kit.page_digest(await open_signup(case, seed=12)) != first


# ---- what each family does, seen the way an agent sees it ------------------------------------


def case(name: str) -> TransformCase:
    return next(c for c in CASES if c.name == name)


async def test_dark_theme_darkens_surfaces(open_signup: Any) -> None:
    page = await open_signup(case("theme-dark"))
    bg = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(18, 20, 23)"


async def test_reduced_motion_ends_transitions_and_answers_the_query(open_signup: Any) -> None:
    page = await open_signup(case("theme-reduced-motion"))
    assert await page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    duration = await page.locator(".card").first.evaluate(
        "e => getComputedStyle(e).transitionDuration"
    )
    assert float(duration.removesuffix("s")) < 0.001


async def test_font_theme_scales_text(open_signup: Any) -> None:
    page = await open_signup(case("theme-font"))
    size = await page.locator("h1").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size == pytest.approx(32 * 1.3, abs=0.1)  # h1 is 2em of 16px
    family = await page.locator("label").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "Courier New" in family


async def test_one_column_stacks_the_form(open_signup: Any) -> None:
    page = await open_signup(case("layout-one-column"))
    first = await page.get_by_label("First name").bounding_box()
    last = await page.get_by_label("Last name").bounding_box()
    assert first and last and last["y"] > first["y"] + first["height"]


async def test_reorder_moves_groups_and_keeps_them_whole(open_signup: Any) -> None:
    page = await open_signup(case("layout-reorder"))
    links = await page.locator("nav.top a").all_inner_texts()
    assert sorted(links) == ["Catalogue", "Events", "Help", "Visit"]
    order = (await fired(page))[0]["detail"]["order"]
    assert order[0] != [0, 1, 2, 3] and sorted(order[0]) == [0, 1, 2, 3]


async def test_sticky_header_covers_what_scrolls_under_it(open_signup: Any) -> None:
    page = await open_signup(case("layout-sticky-header"))
    header = page.locator("header[data-gymfuzz=layout]")
    assert (await header.bounding_box()) == {"x": 0, "y": 0, "width": 1000, "height": 96}
    await page.mouse.wheel(0, 150)
    await page.wait_for_function("scrollY > 0")
    covering = await page.evaluate("document.elementFromPoint(500, 50).closest('header') !== null")
    assert covering


async def test_locale_rewrites_dates_and_numbers_in_text(open_signup: Any) -> None:
    page = await open_signup(case("content-locale"))
    text = await page.locator("main").inner_text()
    assert "25.12.2026" in text and "1.250,50" in text and "12,5" in text
    assert "7. Dezember 2026" in text and "15.3.2024" in text
    assert "2026-12-25" not in text


async def test_long_text_keeps_names_first(open_signup: Any) -> None:
    page = await open_signup(case("content-long-text"))
    label = await page.locator("label[for=first]").inner_text()
    assert label.startswith("First name ") and len(label.split()) == 2 + 6


async def test_distractors_are_harmless(open_signup: Any, outside: kit.OutsideSite) -> None:
    page = await open_signup(case("content-distractors"))
    blocks = page.locator("aside[data-gymfuzz=content]")
    assert await blocks.count() == 3  # among the children of the body
    before = len(outside.received)
    for button in await page.get_by_role("button", name="Learn more").all():
        await button.click()
    assert page.url.rstrip("/") == outside.url and outside.received[before:] == []


async def test_identity_names_differ_per_seed_and_old_selectors_fail(open_signup: Any) -> None:
    one = await open_signup(case("identity"), seed=1)
    two = await open_signup(case("identity"), seed=2)
    for page in (one, two):
        assert await page.locator("#first").count() == 0
        assert await page.locator("[data-testid=first-name]").count() == 0
        assert await page.get_by_label("First name").count() == 1
    id_one = await one.get_by_label("First name").get_attribute("id")
    id_two = await two.get_by_label("First name").get_attribute("id")
    assert id_one and id_two and id_one != id_two
    assert await two.locator(f"#{id_one}").count() == 0  # learned on seed 1, fails on seed 2
    # The page's own scripts still find their elements by the original names.
    assert await one.evaluate("document.getElementById('first').getAttribute('id')") == id_one
    assert await one.evaluate("document.querySelector('#first').id") == "first"
    assert await one.evaluate("document.querySelectorAll('.field').length") == 6


@pytest.mark.parametrize("words", [1, 2, 20])
async def test_long_text_appends_exactly_the_words_asked_for(open_signup: Any, words: int) -> None:
    long_text = TransformCase("long", "content", {"variant": "long_text", "words": words})
    page = await open_signup(long_text)
    label = await page.locator("label[for=last]").inner_text()
    assert label.startswith("Last name ") and len(label.split()) == 2 + words


LATE_PAGE = """<div id="root">Loading…</div>
<script>
setTimeout(() => {
  document.getElementById("root").innerHTML =
    '<form class="late" style="display: flex"><label>Name <input name="n"></label>' +
    '<label>Date <input name="d"></label></form><ul id="news"></ul>';
}, 300);
setTimeout(() => {
  document.getElementById("news").innerHTML = "<li>Opening on 2026-12-02</li>";
}, 600);
</script>"""


async def test_triggers_wait_for_late_targets_and_later_renders(open_shared: OpenPage) -> None:
    stack = instance(
        "layout", "form.late", {"event": "appear"}, {"variant": "one_column"}, id="stack"
    )
    local = instance("content", "#root", {"event": "load"}, {"variant": "locale"}, id="local")
    h = await open_shared(LATE_PAGE, page_config(stack, local))
    await h.page.get_by_text("Opening on 2.12.2026").wait_for()
    direction = await h.page.locator("form.late").evaluate("e => getComputedStyle(e).flexDirection")
    assert direction == "column"
    fired = {e["perturbation"]: e for e in await h.events() if e["event"] == "fired"}
    assert fired["stack"]["detail"]["stacked"] == 1
    assert "updated" in [e["event"] for e in await h.events() if e["perturbation"] == "local"]
