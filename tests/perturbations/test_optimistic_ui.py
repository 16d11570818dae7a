"""optimistic_ui in a real Chromium: a failed save looks saved; re-checking finds the truth."""

from __future__ import annotations

import pytest

from .conftest import OpenPage, instance, page_config

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

# The app's first save fails, later ones succeed; window.stored is its "backend".
PAGE = """<button id="save">Save</button> <span id="status"></span>
<script>
document.getElementById("save").addEventListener("click", () => {
  window.tries = (window.tries || 0) + 1;
  const ok = window.tries > 1;
  setTimeout(() => {
    if (ok) { window.stored = (window.stored || 0) + 1; }
    document.getElementById("status").textContent = ok ? "Stored" : "Save failed";
  }, 50);
});
</script>"""


def optimistic(hide_ms: int) -> dict[str, object]:
    trigger = {"event": "click", "selector": "#save"}
    params = {"hide_selector": "#status", "hide_ms": hide_ms, "message": "All saved"}
    return instance("optimistic_ui", "#save", trigger, params)


async def test_failed_save_looks_saved(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(optimistic(60_000)))
    await h.page.click("#save")
    await h.page.wait_for_function("document.getElementById('status').textContent !== ''")
    assert await h.page.get_by_role("status").text_content() == "All saved"
    assert await h.page.locator("#status").text_content() == "Save failed"
    assert await h.page.locator("#status").is_hidden()
    assert await h.page.evaluate("window.stored") is None


async def test_rechecking_the_state_and_retrying_succeeds(open_shared: OpenPage) -> None:
    h = await open_shared(PAGE, page_config(optimistic(400)))
    for _ in range(3):
        await h.page.click("#save")
        status = h.page.locator("#status")
        await status.wait_for(state="visible")  # the app's own answer, not the notice
        await h.page.wait_for_function("document.getElementById('status').textContent !== ''")
        if await status.text_content() == "Stored":
            break
        await h.page.evaluate("document.getElementById('status').textContent = ''")
    assert await h.page.evaluate("window.stored") == 1
    assert [e["event"] for e in await h.events()] == ["started", "fired", "revealed"]
