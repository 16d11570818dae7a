"""One serving session: a pack to draw from, and at most one episode open at a time.

``reset(seed=..., scenario=...)`` ends any open episode (unjudged), picks a scenario (the
given id, else a seeded draw over the pack: the same seed always picks the same scenario),
opens a fresh episode for it (see :mod:`fuzzer.serve.host`) and returns the first view.
``step(action)`` carries out one action string. The episode ends when the agent sends
``send_msg_to_user(...)`` (an escalation if the message says it cannot finish, see
:func:`fuzzer.serve.actions.is_escalation`), when the step budget is spent, or when the
wall-clock budget has run out; then the verifier judges it: reward 1.0 or 0.0, with the
verdict and the faults fired in the metadata.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from fuzzer.serve.actions import is_escalation
from fuzzer.serve.driver import PageDriver, PageView
from fuzzer.serve.host import EpisodeHost, Judgement, OpenEpisode
from scenarios.model import Scenario

Condition = Literal["perturbed", "unperturbed"]


class SessionError(ValueError):
    """A request the session cannot serve (unknown scenario, step before reset...)."""


@dataclass(frozen=True)
class Budgets:
    """Limits of one episode: actions taken and seconds since its reset."""

    max_steps: int = 30
    max_seconds: float = 300.0

    def __post_init__(self) -> None:
        if self.max_steps < 1:
            raise ValueError(f"max_steps: must be at least 1, got {self.max_steps}")
        if self.max_seconds <= 0:
            raise ValueError(f"max_seconds: must be positive, got {self.max_seconds}")


@dataclass(frozen=True)
class StepReport:
    """A view of the page plus the episode's progress, as a step or reset returns it."""

    view: PageView
    done: bool = False
    reward: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def pick_scenario(
    scenarios: Sequence[Scenario], seed: int | None, scenario_id: str | None, draw: random.Random
) -> Scenario:
    """The scenario a reset plays: ``scenario_id`` if given, else a draw seeded by ``seed``
    (or, with no seed, the next draw of the session's own generator ``draw``)."""
    if scenario_id is not None:
        for sc in scenarios:
            if sc.id == scenario_id:
                return sc
        raise SessionError(f"scenario: no scenario {scenario_id!r} in the pack")
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise SessionError(f"seed: expected an integer >= 0, got {seed!r}")
        return scenarios[random.Random(seed).randrange(len(scenarios))]
    return scenarios[draw.randrange(len(scenarios))]


class EpisodeSession:
    """See the module docstring.

    Args:
        host: opens episodes on the running site, proxy and browser.
        scenarios: the pack's scenarios, drawn from by :meth:`reset` (:meth:`open` plays
            the scenario it is given).
        budgets: step and wall-clock limits of each episode.
        screenshots: add a base64 PNG to every observation.
        seed: seeds the session's own generator, used by resets that give no seed.
    """

    def __init__(
        self,
        host: EpisodeHost,
        scenarios: Sequence[Scenario],
        *,
        budgets: Budgets | None = None,
        screenshots: bool = False,
        seed: int = 0,
    ) -> None:
        self.host = host
        self.scenarios = tuple(scenarios)
        self.budgets = budgets or Budgets()
        self.screenshots = screenshots
        self._draw = random.Random(seed)
        self._token = secrets.token_hex(4)  # episodes of concurrent sessions never collide
        self._resets = 0
        self.current: OpenEpisode | None = None
        self.driver: PageDriver | None = None
        self.step_count = 0
        self.max_steps = self.budgets.max_steps
        self.started = 0.0
        self.done = False
        self.judgement: Judgement | None = None
        self.last_seed: int | None = None
        self.last_active = time.monotonic()

    async def reset(
        self,
        seed: int | None = None,
        scenario: str | None = None,
        condition: Condition = "perturbed",
        max_steps: int | None = None,
    ) -> StepReport:
        """End any open episode, open a new one (module docstring), return its first view.

        ``max_steps`` lowers the step budget of this episode (never above the session's).
        """
        if condition not in ("perturbed", "unperturbed"):
            raise SessionError(f"condition: expected perturbed or unperturbed, got {condition!r}")
        if max_steps is not None and (
            isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1
        ):
            raise SessionError(f"max_steps: expected an integer >= 1, got {max_steps!r}")
        if not self.scenarios:
            raise SessionError("pack: holds no scenario")
        chosen = pick_scenario(self.scenarios, seed, scenario, self._draw)
        played = chosen if condition == "perturbed" else chosen.without_faults()
        self._resets += 1
        episode = f"{chosen.id}.serve-{self._token}-{self._resets}"
        report = await self.open(played, episode, max_steps=max_steps)
        self.last_seed = seed
        return report

    async def open(
        self, scenario: Scenario, episode: str, *, max_steps: int | None = None
    ) -> StepReport:
        """End any open episode and play ``scenario`` as ``episode`` (faults as given);
        returns the first view. :meth:`reset` is this after picking the scenario."""
        await self.close()
        self.current = await self.host.open(scenario, episode)
        self.driver = PageDriver(
            self.current.page, scenario.goal.text, screenshots=self.screenshots
        )
        await self.driver.open(self.current.start_url)
        self.step_count, self.done, self.judgement = 0, False, None
        self.max_steps = min(max_steps or self.budgets.max_steps, self.budgets.max_steps)
        self.started = self.last_active = time.monotonic()
        self.last_seed = None
        return StepReport(await self.driver.observe(), metadata=self._progress())

    async def step(self, action: str) -> StepReport:
        """Carry out one action string; judge the episode when it ends (module docstring)."""
        if self.current is None or self.driver is None:
            raise SessionError("step: call reset() first")
        if self.done:
            raise SessionError("step: the episode is over; call reset() for a new one")
        self.last_active = time.monotonic()
        self.step_count += 1
        result = await self.driver.act(action)
        ended_by = None
        if result.finished:
            ended_by = "message"
        elif self.step_count >= self.max_steps:
            ended_by = "step_budget"
        elif time.monotonic() - self.started >= self.budgets.max_seconds:
            ended_by = "time_budget"
        view = await self.driver.observe()
        if ended_by is None:
            return StepReport(view, metadata=self._progress())
        escalated = result.message is not None and is_escalation(result.message)
        judgement = await self.current.finish(escalated=escalated)
        self.done, self.judgement = True, judgement
        meta = {
            **self._progress(),
            "ended_by": ended_by,
            "message": result.message,
            "escalated": escalated,
            "passed": judgement.passed,
            "summary": judgement.summary,
            "verdict": judgement.verdict,
            "faults_fired": judgement.faults_fired,
            "failed_rules": judgement.failed_rules,
        }
        return StepReport(view, done=True, reward=1.0 if judgement.passed else 0.0, metadata=meta)

    def state(self) -> dict[str, Any]:
        """The session's episode: scenario id, step count, ledger path and progress."""
        cur = self.current
        return {
            "episode_id": None if cur is None else cur.episode,
            "step_count": self.step_count,
            "scenario_id": None if cur is None else cur.scenario.id,
            "drill": None if cur is None else cur.scenario.drill,
            "ledger": None if cur is None or cur.ledger_path is None else str(cur.ledger_path),
            "seed": self.last_seed,
            "done": self.done,
            "passed": None if self.judgement is None else self.judgement.passed,
        }

    def idle_for(self) -> float:
        """Seconds since the last reset or step."""
        return time.monotonic() - self.last_active

    async def close(self) -> None:
        """Abandon the open episode, if any (no verdict), and free its browser context."""
        if self.current is not None and not self.current.closed:
            await self.current.abandon()
        self.driver = None

    def _progress(self) -> dict[str, Any]:
        state = self.state()
        return {k: state[k] for k in ("scenario_id", "episode_id", "step_count", "ledger")}
