"""Shared fixtures: a real Chromium (Playwright) for tests marked ``browser``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright

from fuzzer.browser import launch_chromium


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """A headless Chromium, launched fresh for the test and closed after it."""
    async with async_playwright() as pw:
        b = await launch_chromium(pw)
        try:
            yield b
        finally:
            await b.close()
