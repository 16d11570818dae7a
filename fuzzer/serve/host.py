"""The episode machinery ``gymfuzz serve`` stands on, in one place.

Everything the serving side needs from the harness and the episode run (reset the site
tenant, install the plan on the proxy, open a browser context through the proxy, read the
ledger, judge with the verifier) goes through this module, so a change of the engine below
changes only this file.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuzzer.episode import fired_kinds, page_events_of, settled_records
from fuzzer.harness import Harness, HarnessError, start_harness
from scenarios.model import Scenario
from scenarios.plan import proxy_plan
from scenarios.verify import SiteStateSource, Traffic, judge

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page

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
    """One running episode: its tenant reset, its plan installed, its page open."""

    host: EpisodeHost
    scenario: Scenario
    episode: str
    context: BrowserContext
    page: Page
    before: dict[str, Any]
    closed: bool = False

    @property
    def start_url(self) -> str:
        return self.host.harness.site_url + self.scenario.goal.start

    @property
    def ledger_path(self) -> Path | None:
        return self.host.harness.proxy.ledger_path(self.episode)

    async def finish(self, *, escalated: bool) -> Judgement:
        """Close the page, wait for the traffic to drain, judge; the verdict goes in the
        ledger and the episode's plan is removed from the proxy."""
        harness = self.host.harness
        page_events = await page_events_of(self.page)
        await self._close_context()
        try:
            records = await settled_records(harness, self.episode)
            after = await self._source().snapshot()
        finally:
            harness.proxy.clear_plan(self.episode)
        traffic = Traffic.from_records(records) if records else None
        verdict = judge(
            self.scenario.verifier, self.before, after, escalated=escalated, traffic=traffic
        )
        harness.proxy.record(self.episode, {"type": "verdict", **verdict.to_json()})
        return Judgement(
            passed=verdict.passed,
            summary=verdict.summary(),
            verdict=verdict.to_json(),
            faults_fired=fired_kinds(records, page_events),
            failed_rules=[r.name for r in verdict.failures],
        )

    async def abandon(self) -> None:
        """Close the episode without judging it (its client went away)."""
        await self._close_context()
        self.host.harness.proxy.clear_plan(self.episode)

    async def _close_context(self) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                await self.context.close()

    def _source(self) -> SiteStateSource:
        harness = self.host.harness
        return SiteStateSource(harness.site_url, self.episode, harness.admin_token)


@dataclass
class EpisodeHost:
    """Opens episodes on a running harness (site, proxy, browser)."""

    harness: Harness

    async def open(self, scenario: Scenario, episode: str) -> OpenEpisode:
        """Reset the tenant to the scenario's fixture, snapshot it, install the plan, open a
        context through the proxy as ``episode`` with one blank page (the caller loads
        :attr:`OpenEpisode.start_url`).

        Raises :class:`~fuzzer.harness.HarnessError` when the site or proxy fails.
        """
        if scenario.drill == "miniwob":
            raise ValueError(f"scenario {scenario.id!r}: MiniWoB++ pages are not served")
        harness = self.harness
        await harness.reset_tenant(episode, scenario.fixture)
        source = SiteStateSource(harness.site_url, episode, harness.admin_token)
        before = await source.snapshot()
        harness.proxy.set_plan(proxy_plan(scenario, episode))
        context = await harness.new_context(episode)
        try:
            page = await context.new_page()
        except BaseException:
            await context.close()
            harness.proxy.clear_plan(episode)
            raise
        return OpenEpisode(self, scenario, episode, context, page, before)


@contextlib.asynccontextmanager
async def start_host(ledger_dir: Path) -> AsyncIterator[EpisodeHost]:
    """Start the site, the proxy and Chromium (see :func:`fuzzer.harness.start_harness`)."""
    async with start_harness(ledger_dir) as harness:
        yield EpisodeHost(harness)
