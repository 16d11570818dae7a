"""identity_churn in a real Chromium: id selectors stop matching; role locators keep working."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<div id="panel" class="card">
<button id="go" class="btn primary" onclick="window.hits = (window.hits || 0) + 1">Go</button>
</div>"""


def churn(**params: object) -> dict[str, object]:
    trigger = {"event": "click", "selector": "#panel, [id^=panel-]", "repeat": True}
    return instance("identity_churn", "#panel, [id^=panel-]", trigger, params)


async def test_ids_and_classes_change_per_interaction(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(churn(classes=True)))
    await h.page.click("#go")
    assert await h.page.locator("#go").count() == 0
    assert await h.page.locator(".btn").count() == 0
    first = await h.page.get_by_role("button", name="Go").get_attribute("id")
    await h.page.get_by_role("button", name="Go").click()
    second = await h.page.get_by_role("button", name="Go").get_attribute("id")
    assert first and second and first != second
    assert first.startswith("go-") and second.startswith("go-")
    assert second.count("-") == 1, "suffixes replace each other, they do not pile up"
    suffixes = [e["detail"]["suffix"] for e in await h.events() if e["event"] == "fired"]
    assert [f"go{s}" for s in suffixes] == [first, second]


async def test_role_locators_keep_working(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(churn()))
    for _ in range(3):
        await h.page.get_by_role("button", name="Go").click()
    assert await hits(h.page) == 3
    assert await h.page.locator(".btn.primary").count() == 1  # classes kept by default
