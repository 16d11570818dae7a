"""The episode machinery ``gymfuzz serve`` stands on, in one place.

Everything the serving side needs from the harness and the episode run (reset the site
target, install the plan on the proxy, open a browser context through the proxy, read the
ledger, judge with the verifier) goes through this module, so a change of the engine below
changes only this file.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuzzer.agents.base import AgentOutcome
from fuzzer.play.episode import page_events_of, settled_records
from fuzzer.play.errors import HarnessError
from fuzzer.play.harness import Harness, start_harness
from fuzzer.play.ledger import fired_kinds
from fuzzer.targets.base import Played, Target
from fuzzer.targets.choose import TargetsFactory
from scenarios.model import Scenario
from scenarios.plan import proxy_plan

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page

    from scenarios.verify.state import State

__all__ = ["EpisodeHost", "HarnessError", "Judgement", "OpenEpisode", "start_host"]


@dataclass(frozen=True)
class Judgement:
    """How an episode ended: the verdict (JSON), whether it passed, the faults that fired."""

    passed: bool
    summary: str
    verdict: dict[str, Any]
    faults_fired: list[str]
    failed_rules: list[str]


@dataclass
class OpenEpisode:
    """One running episode: its target reset, its plan installed, its page open."""

    host: EpisodeHost
    target: Target
    scenario: Scenario
    episode: str
    context: BrowserContext
    page: Page
    start_url: str
    before: State | None
    closed: bool = False

    @property
    def ledger_path(self) -> Path | None:
        return self.host.harness.proxy.ledger_path(self.episode)

    async def finish(self, *, escalated: bool) -> Judgement:
        """Close the page, wait for the traffic to drain, judge with the target; the verdict
        goes in the ledger, the episode's plan is removed from the proxy and the target gets
        the episode back."""
        harness = self.host.harness
        page_events = await page_events_of(self.page)
        observed = await self.target.observe(self.page, self.episode)
        await self._close_context()
        try:
            records = await settled_records(harness, self.episode)
            after = await self.target.snapshot(self.episode)
            played = Played(
                self.episode,
                self.scenario,
                AgentOutcome(escalated=escalated),
                self.before,
                after,
                records,
                observed,
            )
            judged = self.target.judge(played)
            # in the episode's ledger run, before its plan goes (as every episode run does)
            harness.proxy.record(self.episode, {"type": "verdict", **judged.verdict})
        finally:
            harness.proxy.clear_plan(self.episode)
            await self.target.release(self.episode)
        return Judgement(
            passed=judged.passed,
            summary=judged.summary,
            verdict=judged.verdict,
            faults_fired=fired_kinds(records, page_events),
            failed_rules=judged.failed_rules,
        )

    async def abandon(self) -> None:
        """Close the episode without judging it (its client went away)."""
        await self._close_context()
        self.host.harness.proxy.clear_plan(self.episode)
        await self.target.release(self.episode)

    async def _close_context(self) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                await self.context.close()


@dataclass
class EpisodeHost:
    """Opens episodes on a running harness (its targets, proxy and browser)."""

    harness: Harness

    async def open(self, scenario: Scenario, episode: str) -> OpenEpisode:
        """Reset the scenario's target for ``episode``, snapshot it, install the plan, open a
        context through the proxy as ``episode`` with one blank page (the caller loads
        :attr:`OpenEpisode.start_url`).

        Raises :class:`~fuzzer.play.errors.HarnessError` when the target or proxy fails.
        """
        if scenario.drill == "miniwob":
            raise ValueError(f"scenario {scenario.id!r}: MiniWoB++ pages are not served")
        harness = self.harness
        target = harness.target_for(scenario)
        await target.reset(episode, scenario)
        try:
            before = await target.snapshot(episode)
            harness.proxy.set_plan(proxy_plan(scenario, episode))
            context = await harness.new_context(episode)
        except BaseException:
            harness.proxy.clear_plan(episode)
            await target.release(episode)
            raise
        try:
            page = await context.new_page()
            task = await target.begin(page, episode, scenario)
        except BaseException:
            await context.close()
            harness.proxy.clear_plan(episode)
            await target.release(episode)
            raise
        return OpenEpisode(self, target, scenario, episode, context, page, task.start_url, before)


@contextlib.asynccontextmanager
async def start_host(
    ledger_dir: Path, targets: TargetsFactory | None = None
) -> AsyncIterator[EpisodeHost]:
    """Start the targets (``targets()``, else the default ones: the embedded site), the proxy
    and Chromium (see :func:`fuzzer.play.harness.start_harness`)."""
    async with start_harness(ledger_dir, None if targets is None else targets()) as harness:
        yield EpisodeHost(harness)
