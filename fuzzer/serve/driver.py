"""One agent's view of one page: observe it, act on it with action strings.

:class:`PageDriver` is what ``gymfuzz serve``, the ``verifiers`` environment and the
runner's action-string agents (:mod:`fuzzer.agents.policy`) share, so a policy sees the
same observations and its actions have the same effects whichever of them plays it.
After every action the driver waits for the page to settle: no request of the page in
flight (:class:`~fuzzer.serve.quiet.NetworkQuiet`, bounded) and two animation frames
rendered.
"""

from __future__ import annotations

import base64
import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError

from fuzzer.serve.actions import ActionError, BrowserAction, parse_action
from fuzzer.serve.axtree import accessibility_text
from fuzzer.serve.perform import perform
from fuzzer.serve.quiet import NetworkQuiet

if TYPE_CHECKING:
    from playwright.async_api import CDPSession, Page

_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@dataclass(frozen=True)
class PageView:
    """What an agent sees after each step (the fields of the OpenEnv observation)."""

    goal: str
    axtree: str
    url: str
    last_action_error: str | None
    screenshot: str | None = None  #: base64 PNG, when asked for

    def to_json(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "axtree": self.axtree,
            "url": self.url,
            "last_action_error": self.last_action_error,
            "screenshot": self.screenshot,
        }


@dataclass(frozen=True)
class ActResult:
    """The outcome of one action string: parsed action (or None), error, final message."""

    action: BrowserAction | None
    error: str | None
    message: str | None = None  #: the text of ``send_msg_to_user``: the episode ends

    @property
    def finished(self) -> bool:
        return self.message is not None


class PageDriver:
    """Observe and act on ``page`` for an agent pursuing ``goal``.

    Args:
        page: the episode's page (its context goes through the proxy).
        goal: the task in words, repeated in every observation.
        screenshots: put a base64 PNG screenshot in every observation.
    """

    def __init__(
        self,
        page: Page,
        goal: str,
        *,
        screenshots: bool = False,
    ) -> None:
        self.page = page
        self.goal = goal
        self._quiet = NetworkQuiet(page)
        self._screenshots = screenshots
        self._cdp: CDPSession | None = None
        self.last_error: str | None = None

    async def observe(self) -> PageView:
        """The page as an agent sees it now, with the last action's error."""
        axtree = await self._axtree()
        shot = None
        if self._screenshots:
            try:
                shot = base64.b64encode(await self.page.screenshot()).decode("ascii")
            except PlaywrightError:
                shot = None
        return PageView(self.goal, axtree, self.page.url, self.last_error, shot)

    async def act(self, text: str) -> ActResult:
        """Parse and carry out one action string, then let the page settle."""
        try:
            action = parse_action(text)
        except ActionError as exc:
            self.last_error = f"ActionError: {exc}"
            return ActResult(None, self.last_error)
        if action.name == "send_msg_to_user":
            self.last_error = None
            return ActResult(action, None, str(action.args[0]))
        self.last_error = await perform(self.page, action)
        await self.settle()
        return ActResult(action, self.last_error)

    async def open(self, url: str) -> None:
        """Load ``url`` (the episode's start page) and let it settle."""
        await self.page.goto(url, timeout=30_000)
        await self.settle()

    async def settle(self) -> None:
        """Wait until none of the page's requests is in flight, then two rendered frames."""
        await self._quiet.wait()
        # A page mid-navigation fails here; the observation that follows retries.
        with contextlib.suppress(PlaywrightError):
            await self.page.wait_for_load_state("domcontentloaded", timeout=10_000)
            await self.page.evaluate(_FRAMES_JS)

    async def _axtree(self) -> str:
        for attempt in (1, 2):
            try:
                if self._cdp is None:
                    self._cdp = await self.page.context.new_cdp_session(self.page)
                return await accessibility_text(self.page, self._cdp)
            except PlaywrightError as exc:
                if attempt == 2:
                    return f"(page not readable: {str(exc).splitlines()[0]})"
                self._cdp = None
                with contextlib.suppress(PlaywrightError):
                    await self.page.wait_for_load_state("domcontentloaded", timeout=10_000)
        raise AssertionError("unreachable")
