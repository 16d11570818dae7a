from __future__ import annotations

import pytest
from playwright.async_api import Browser

from fuzzer import browser as browser_mod


def test_explicit_binary_must_be_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GYMFUZZ_CHROMIUM", "/nonexistent/chrome")
    with pytest.raises(browser_mod.BrowserNotFound, match="/nonexistent/chrome"):
        browser_mod.find_chromium()


def test_missing_browser_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GYMFUZZ_CHROMIUM", raising=False)
    monkeypatch.setattr(browser_mod, "_playwright_bundled", lambda: None)
    monkeypatch.setattr(browser_mod.shutil, "which", lambda name: None)
    with pytest.raises(browser_mod.BrowserNotFound, match="apt-get install chromium"):
        browser_mod.find_chromium()


@pytest.mark.browser
async def test_launch_renders_a_page(browser: Browser) -> None:
    page = await browser.new_page()
    await page.set_content("<button id=b onclick=\"this.textContent='ok'\">go</button>")
    await page.click("#b")
    assert await page.text_content("#b") == "ok"
