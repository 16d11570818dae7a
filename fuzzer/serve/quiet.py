"""Wait until a page has no request in flight: the "settled" state agents observe.

:class:`NetworkQuiet` counts the page's requests from Playwright's own events (sent,
finished, failed), so it works the same wherever the page runs: under ``gymfuzz serve``
and inside a runner agent. A request held open by a fault (latency, a hang) keeps the page
unsettled until it ends or the bounded wait gives up.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Page

#: The longest wait for quiet; past it the agent observes the page as it is.
QUIET_TIMEOUT_S = 10.0


class NetworkQuiet:
    """Tracks ``page``'s requests in flight; :meth:`wait` until there are none."""

    def __init__(self, page: Page) -> None:
        self._inflight: set[Any] = set()
        self._quiet = asyncio.Event()
        self._quiet.set()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Any) -> None:
        self._inflight.add(request)
        self._quiet.clear()

    def _ended(self, request: Any) -> None:
        self._inflight.discard(request)
        if not self._inflight:
            self._quiet.set()

    @property
    def inflight(self) -> int:
        return len(self._inflight)

    async def wait(self, timeout_s: float = QUIET_TIMEOUT_S) -> bool:
        """Wait until no request is in flight; ``False`` if ``timeout_s`` passed first."""
        try:
            await asyncio.wait_for(self._quiet.wait(), timeout_s)
        except TimeoutError:
            return False
        return True
