"""The embedded booking site as a target: one site process, a tenant per episode.

Each episode gets its own tenant (its own SQLite database) chosen by the
``X-Gymfuzz-Episode`` header the proxy adds, so one site serves many episodes at once
(``isolation = "header"``). A reset loads the scenario's fixture into the tenant; a snapshot
reads the tenant's state through the site's admin API; the verdict is the scenario's
verifier on the state diff and the ledger's traffic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from fuzzer.agents.base import Task
from fuzzer.play.errors import HarnessError
from fuzzer.targets.base import Isolation, Judgement, Played

if TYPE_CHECKING:
    from playwright.async_api import Page

    from scenarios.model import Scenario
    from scenarios.verify.state import State
    from sites.booking.server import SiteProcess


class EmbeddedSite:
    """The embedded site (:mod:`sites.booking`), started in a subprocess of its own."""

    name = "embedded"
    isolation: Isolation = "header"

    def __init__(self) -> None:
        self._site: SiteProcess | None = None

    @property
    def url(self) -> str | None:
        return self._site.url if self._site else None

    @property
    def admin_token(self) -> str:
        if self._site is None:
            raise HarnessError("the embedded site is not started")
        return self._site.admin_token

    async def start(self) -> None:
        from sites.booking.server import SiteProcess

        self._site = SiteProcess()

    async def stop(self) -> None:
        site, self._site = self._site, None
        if site is not None:
            site.stop()

    async def heal(self) -> str | None:
        """Start a new site when this one exited (tenants are reset per episode anyway)."""
        site = self._site
        if site is None or site.returncode is None:
            return None
        code = site.returncode
        site.stop()
        await self.start()
        return f"the embedded site had exited (code {code}); restarted at {self.url}"

    def plays(self, scenario: Scenario) -> bool:
        return True

    async def reset(self, episode: str, scenario: Scenario) -> None:
        """Load the scenario's fixture into the episode's tenant."""
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                resp = await client.put(
                    f"{self.url}/_admin/tenants/{episode}",
                    json=scenario.fixture,
                    headers={"X-Admin-Token": self.admin_token},
                )
        except httpx.HTTPError as exc:
            raise HarnessError(f"{episode}: reset: the site did not answer ({exc!r})") from exc
        if resp.status_code != 204:
            raise HarnessError(
                f"site refused fixture for {episode}: {resp.status_code} {resp.text}"
            )

    async def snapshot(self, episode: str) -> State:
        from scenarios.verify import SiteStateSource, StateSourceError

        try:
            return await SiteStateSource(str(self.url), episode, self.admin_token).snapshot()
        except StateSourceError as exc:
            raise HarnessError(f"{episode}: site state: {exc}") from exc

    async def begin(self, page: Page, episode: str, scenario: Scenario) -> Task:
        goal = scenario.goal
        return Task(scenario.drill, goal.text, dict(goal.fields), f"{self.url}{goal.start}")

    async def observe(self, page: Page, episode: str) -> dict[str, Any]:
        return {}

    async def release(self, episode: str) -> None:
        """Nothing to give back: episodes share nothing here."""

    def judge(self, played: Played) -> Judgement:
        return judge_state(played)


def judge_state(played: Played) -> Judgement:
    """The scenario's verifier on the snapshots and the ledger's traffic: the verdict of
    every target whose state is a snapshot (the embedded site, an app's SQL database)."""
    from scenarios.verify import Traffic, judge

    if played.before is None or played.after is None:
        raise HarnessError(f"{played.episode}: no state snapshot to judge")
    traffic = Traffic.from_records(played.records) if played.records else None
    verdict = judge(
        played.scenario.verifier,
        played.before,
        played.after,
        escalated=played.outcome.escalated,
        traffic=traffic,
    )
    return Judgement(
        passed=verdict.passed,
        summary=verdict.summary(),
        failed_rules=[r.name for r in verdict.failures],
        verdict=verdict.to_json(),
    )
