"""The harness: the embedded site, a real mitmproxy in front of it, and a real Chromium.

One :class:`Harness` serves many episodes at once: each episode has its own tenant on the
site (its own SQLite database), its own plan and ledger on the proxy, and its own browser
context authenticated to the proxy with the episode id.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from proxy_addons.embedded import EmbeddedProxy

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext


class HarnessError(RuntimeError):
    """The harness (site, proxy or browser) failed, not the agent."""


@dataclass
class Harness:
    """Running site, proxy and browser; build with :func:`start_harness`."""

    site_url: str
    admin_token: str
    proxy: EmbeddedProxy
    browser: Browser
    ledger_dir: Path
    #: Base URL of the MiniWoB++ task pages (see :mod:`fuzzer.targets.miniwob`),
    #: or ``None`` when the ``miniwob`` package is not installed.
    miniwob_url: str | None = None

    async def reset_tenant(self, episode: str, fixture: dict[str, Any]) -> None:
        """Reset the episode's tenant on the site to ``fixture``."""
        async with httpx.AsyncClient(timeout=30) as client:
            resp = await client.put(
                f"{self.site_url}/_admin/tenants/{episode}",
                json=fixture,
                headers={"X-Admin-Token": self.admin_token},
            )
        if resp.status_code != 204:
            raise HarnessError(
                f"site refused fixture for {episode}: {resp.status_code} {resp.text}"
            )

    async def new_context(self, episode: str) -> BrowserContext:
        """A fresh browser context whose traffic goes through the proxy as ``episode``."""
        return await self.browser.new_context(
            proxy={"server": self.proxy.url, "username": episode, "password": "gymfuzz"},
            viewport={"width": 1100, "height": 900},
        )


@contextlib.asynccontextmanager
async def start_harness(ledger_dir: Path) -> AsyncIterator[Harness]:
    """Start the site (subprocess), the proxy (thread) and Chromium; stop them all after."""
    from playwright.async_api import async_playwright

    from fuzzer.browser import launch_chromium
    from fuzzer.targets.miniwob_scenarios import serve_pages
    from sites.booking.server import SiteProcess

    with contextlib.ExitStack() as stack:
        site = stack.enter_context(SiteProcess())
        proxy = stack.enter_context(EmbeddedProxy(upstream=site.url, ledger_dir=ledger_dir))
        miniwob_url = stack.enter_context(serve_pages())
        async with async_playwright() as pw:
            browser = await launch_chromium(pw)
            try:
                yield Harness(site.url, site.admin_token, proxy, browser, ledger_dir, miniwob_url)
            finally:
                await browser.close()
