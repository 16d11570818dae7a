"""decoy in a real Chromium: the first lookalike does nothing; checking and retrying works."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = """<form id="f" onsubmit="window.sent = (window.sent || 0) + 1; return false">
<input id="q" name="q" value="x">
<button id="go" type="button" onclick="window.hits = (window.hits || 0) + 1">Go</button>
<button id="send" type="submit">Send</button></form>"""


def decoy(selector: str, id: str = "p1", **params: object) -> dict[str, object]:
    return instance("decoy", selector, {"event": "load"}, params, id=id)


async def test_first_lookalike_does_nothing(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(decoy("#go"), decoy("#send", id="p2")))
    await h.wait_events(3)
    go = h.page.get_by_role("button", name="Go")
    assert await go.count() == 2
    assert [await b.get_attribute("id") for b in await go.all()] == [None, "go"]
    await go.first.click()
    await h.page.get_by_role("button", name="Send").first.click()
    assert await hits(h.page) == 0
    assert await hits(h.page, "sent") == 0
    used = [e["perturbation"] for e in await h.events() if e["event"] == "decoy_used"]
    assert used == ["p1", "p2"]


async def test_checking_each_match_finds_the_live_one(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(decoy("#go", position="after")))
    await h.wait_events(2)
    tried = 0
    for candidate in await h.page.get_by_role("button", name="Go").all():
        tried += 1
        await candidate.click()
        if await hits(h.page) > 0:
            break
    assert tried == 1  # "after": the live button comes first
    assert await hits(h.page) == 1

    h = await open_shared(PAGE, page_config(decoy("#go")))
    await h.wait_events(2)
    tried = 0
    for candidate in await h.page.get_by_role("button", name="Go").all():
        tried += 1
        await candidate.click()
        if await hits(h.page) > 0:
            break
    assert (tried, await hits(h.page)) == (2, 1)
