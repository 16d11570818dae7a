"""native_dialog in a real Chromium: a dialog blocks the page; handling it and going on works."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Dialog

from .conftest import OpenPage, hits, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

PAGE = '<button id="go" onclick="window.hits = (window.hits || 0) + 1">Go</button>'


def dialog(kind: str, **params: object) -> dict[str, object]:
    trigger = {"event": "click", "selector": "#go"}
    return instance("native_dialog", "#go", trigger, {"dialog": kind, "message": "Sure?", **params})


async def test_dialog_opens_and_blocks_the_page(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(dialog("confirm")))
    seen: asyncio.Queue[Dialog] = asyncio.Queue()
    h.page.on("dialog", seen.put_nowait)
    click = asyncio.ensure_future(h.page.click("#go"))
    shown = await asyncio.wait_for(seen.get(), timeout=10)
    assert (shown.type, shown.message) == ("confirm", "Sure?")
    # While it is open the page runs no script: this evaluation waits for the answer.
    pending = asyncio.ensure_future(h.page.evaluate("window.hits"))
    await asyncio.sleep(0.2)
    assert not pending.done()
    await shown.dismiss()
    await click
    assert await pending == 1
    answered = next(e for e in await h.events() if e["event"] == "answered")
    assert answered["detail"] == {"dialog": "confirm", "answer": False}


async def test_handling_the_dialog_and_carrying_on_works(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(dialog("prompt", default_text="ok")))
    h.page.on("dialog", lambda d: asyncio.ensure_future(d.accept("yes")))
    await h.page.click("#go")
    await h.page.wait_for_function("window.__gymfuzz.events.some(e => e.event === 'answered')")
    await h.page.click("#go")
    assert await hits(h.page) == 2
    answered = next(e for e in await h.events() if e["event"] == "answered")
    assert answered["detail"] == {"dialog": "prompt", "answer": "yes"}
