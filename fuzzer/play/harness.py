"""The harness: the targets (apps), a real mitmproxy in front of them, and a real Chromium.

One :class:`Harness` serves many episodes at once: each episode has its own plan and ledger
on the proxy and its own browser context authenticated to the proxy with the episode id;
its target keeps its state apart (the embedded site gives each episode its own tenant).
When something it started dies (the proxy's thread, the browser, an app process),
:meth:`Harness.heal` starts it again; the runner calls it before playing again an episode the
harness failed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
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
    #: launches a new browser when this one died (``None``: it cannot be replaced)
    launch: Callable[[], Awaitable[Browser]] | None = None
    #: how many times :meth:`heal` restarted something: an episode that saw it change did
    #: not run on what it started on, and is played again
    generation: int = 0
    _healing: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    async def heal(self) -> list[str]:
        """Start again what died (the proxy, the browser, a target's app); what was
        restarted."""
        notes: list[str] = []
        async with self._healing:
            if not self.proxy.running:
                await asyncio.to_thread(self.proxy.restart)
                notes.append("the proxy had stopped; started it again")
            if not self.browser.is_connected() and self.launch is not None:
                self.browser = await self.launch()
                notes.append("the browser had died; launched a new one")
            for target in self.targets:
                note = await target.heal()
                if note:
                    notes.append(note)
            self.generation += bool(notes)
        return notes

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
    ledger_dir: Path, targets: Sequence[Target] | None = None, *, headless: bool = True
) -> AsyncIterator[Harness]:
    """Start the targets, the proxy (thread) and Chromium; stop them all after.

    ``targets`` default to :func:`default_targets`; the proxy's upstream is the last one's
    URL (the app every scenario not claimed by an earlier target plays on). ``headless``
    false shows the browser's windows (a person recording a demonstration).
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

        async def launch() -> Browser:
            return await launch_chromium(pw, headless=headless)

        harness = Harness(chosen, proxy, await launch(), ledger_dir, launch=launch)
        stack.push_async_callback(_close_browser, harness)
        yield harness


async def _close_browser(harness: Harness) -> None:
    from playwright.async_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):  # it may have died
        await harness.browser.close()
