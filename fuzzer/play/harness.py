"""The harness: the targets (apps), a real mitmproxy in front of them, and a real Chromium.

One :class:`Harness` serves many episodes at once: each episode has its own plan and ledger
on the proxy and its own browser context authenticated to the proxy with the episode id;
its target keeps its state apart (the embedded site gives each episode its own tenant).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fuzzer.play.errors import HarnessError
from proxy_addons.embedded import EmbeddedProxy

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext

    from fuzzer.targets.base import Target
    from scenarios.model import Scenario

__all__ = ["Harness", "HarnessError", "start_harness"]


@dataclass
class Harness:
    """Running targets, proxy and browser; build with :func:`start_harness`."""

    targets: tuple[Target, ...]
    proxy: EmbeddedProxy
    browser: Browser
    ledger_dir: Path

    def target_for(self, scenario: Scenario) -> Target:
        """The first target that plays ``scenario``."""
        for target in self.targets:
            if target.plays(scenario):
                return target
        names = ", ".join(t.name for t in self.targets)
        raise HarnessError(f"scenario {scenario.id}: no target plays it (targets: {names})")

    async def new_context(self, episode: str) -> BrowserContext:
        """A fresh browser context whose traffic goes through the proxy as ``episode``."""
        return await self.browser.new_context(
            proxy={"server": self.proxy.url, "username": episode, "password": "gymfuzz"},
            viewport={"width": 1100, "height": 900},
        )


def default_targets() -> list[Target]:
    """MiniWoB++ pages (for the scenarios that name one), then the embedded site."""
    from fuzzer.targets.embedded import EmbeddedSite
    from fuzzer.targets.miniwob import MiniWoBPages

    return [MiniWoBPages(), EmbeddedSite()]


@contextlib.asynccontextmanager
async def start_harness(
    ledger_dir: Path, targets: Sequence[Target] | None = None
) -> AsyncIterator[Harness]:
    """Start the targets, the proxy (thread) and Chromium; stop them all after.

    ``targets`` default to :func:`default_targets`; the proxy's upstream is the last one's
    URL (the app every scenario not claimed by an earlier target plays on).
    """
    from playwright.async_api import async_playwright

    from fuzzer.browser import launch_chromium

    chosen = tuple(targets) if targets is not None else tuple(default_targets())
    async with contextlib.AsyncExitStack() as stack:
        for target in chosen:
            stack.push_async_callback(target.stop)
            await target.start()
        proxy = stack.enter_context(EmbeddedProxy(upstream=chosen[-1].url, ledger_dir=ledger_dir))
        pw = await stack.enter_async_context(async_playwright())
        browser = await launch_chromium(pw)
        stack.push_async_callback(browser.close)
        yield Harness(chosen, proxy, browser, ledger_dir)
