"""One episode, on any target: set up the scenario, let the agent act, judge."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from playwright.async_api import Error as PlaywrightError

from fuzzer.agents.base import Agent, AgentOutcome, Task
from fuzzer.play.harness import Harness, HarnessError
from fuzzer.play.ledger import distracted_by, fired_kinds, last_run, read_records
from fuzzer.play.traces import TraceRecording
from fuzzer.targets.base import Judgement, Played, Target
from scenarios.model import Scenario
from scenarios.plan import proxy_plan

if TYPE_CHECKING:
    from scenarios.verify.state import State

Condition = Literal["perturbed", "unperturbed"]
AGENT_TIMEOUT_S = 120.0


@dataclass
class EpisodeResult:
    """The record of one episode, as written to a results journal."""

    scenario_id: str
    drill: str
    agent: str
    condition: str
    trial: int
    episode: str
    passed: bool
    escalated: bool
    summary: str
    faults_fired: list[str] = field(default_factory=list)
    failed_rules: list[str] = field(default_factory=list)
    agent_error: str | None = None
    harness_error: str | None = None
    duration_s: float = 0.0
    verdict: dict[str, Any] | None = None
    solvable: bool = True
    distracted: list[str] = field(default_factory=list)
    #: The episode's Playwright trace zip, relative to the journal's folder (see
    #: :mod:`fuzzer.play.traces`); ``None`` when none was kept.
    trace: str | None = None
    #: Why tracing failed (the episode itself is judged as usual), else ``None``.
    trace_error: str | None = None
    #: A model-backed agent's exchanges with its model (see :mod:`fuzzer.agents.chat`).
    transcript: list[dict[str, Any]] = field(default_factory=list)
    #: Why earlier attempts of this episode failed for the harness's reasons (a browser or
    #: app that died, and what was restarted); the episode was played again after each.
    harness_retries: list[str] = field(default_factory=list)
    #: The interface variant the scenario was played on (``None``: a pack made without
    #: interface variants; see ``gymfuzz generate --interfaces``).
    interface: str | None = None

    @property
    def column(self) -> str:
        """Where the episode counts in tables: its condition, or ``unsolvable`` for a
        scenario unsolvable by design (passing there means escalating, not finishing)."""
        return self.condition if self.solvable else "unsolvable"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> EpisodeResult:
        """The result a journal record holds; fields this version does not know (a newer
        journal) are left out. Raises ``ValueError`` when a field it needs is missing."""
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in record.items() if k in known})
        except TypeError as exc:
            raise ValueError(f"not an episode record: {exc}") from None

    @staticmethod
    def unknown_fields(record: dict[str, Any]) -> set[str]:
        """The fields of ``record`` this version does not know."""
        return set(record) - {f.name for f in fields(EpisodeResult)}


def episode_id(scenario: Scenario, agent: str, condition: str, trial: int) -> str:
    """A readable id, unique per (scenario, agent, condition, trial)."""
    return f"{scenario.id}.{agent}.{condition[0]}{trial}"


async def page_events_of(page: Any) -> list[dict[str, Any]]:
    """The page runtime's own event list (``window.__gymfuzz.events``); ``[]`` if unreadable."""
    try:
        events = await page.evaluate("() => (window.__gymfuzz && window.__gymfuzz.events) || []")
    except PlaywrightError:
        return []
    return [e for e in events if isinstance(e, dict)]


async def play_agent(agent: Agent, page: Any, task: Task) -> tuple[AgentOutcome, str | None]:
    """Run ``agent`` on ``page`` for at most :data:`AGENT_TIMEOUT_S`.

    Returns its outcome and ``None``, or, when the agent failed (its own error or any exception
    its code raised, a Playwright error, the time limit), an outcome carrying the error and
    that error's one-line text. A dead browser is told apart after (see :func:`run_episode`).
    """
    try:
        return await asyncio.wait_for(agent.run(page, task), AGENT_TIMEOUT_S), None
    except Exception as exc:  # whatever the agent's code raised is the agent's failure
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return AgentOutcome(message=error), error


async def settled_records(harness: Harness, episode: str) -> list[dict[str, Any]]:
    """Wait until none of the episode's requests is in flight, then its ledger records.

    Raises :class:`~fuzzer.play.errors.HarnessError` when requests are still in flight 30 s
    on.
    """
    if not await harness.proxy.wait_idle(episode, timeout=30):
        raise HarnessError(f"{episode}: requests still in flight 30 s after the agent stopped")
    return last_run(read_records(harness.proxy.ledger_path(episode)))


@dataclass(frozen=True)
class _Run:
    """What one played episode produced, before it becomes an :class:`EpisodeResult`."""

    judged: Judgement
    records: list[dict[str, Any]]
    page_events: list[dict[str, Any]]
    outcome: AgentOutcome
    agent_error: str | None
    trace_error: str | None


async def _play(
    harness: Harness,
    target: Target,
    sc: Scenario,
    agent: Agent,
    episode: str,
    trace_to: Path | None,
) -> _Run:
    """The steps of :func:`run_episode` between the target's reset and its release; the
    episode's plan is on the proxy from its first snapshot to its verdict, and removed also
    when a step fails."""
    generation = harness.generation
    before = await target.snapshot(episode)
    harness.proxy.set_plan(proxy_plan(sc, episode))
    try:
        return await _act_and_judge(
            harness, target, sc, agent, episode, trace_to, before, generation
        )
    finally:
        harness.proxy.clear_plan(episode)


async def _act_and_judge(
    harness: Harness,
    target: Target,
    sc: Scenario,
    agent: Agent,
    episode: str,
    trace_to: Path | None,
    before: State | None,
    generation: int,
) -> _Run:
    """The agent's turn in a fresh context, then the verdict; a harness failure (a browser
    that died, a proxy that stopped, a restart since ``generation``) raises
    :class:`HarnessError`."""
    browser = harness.browser
    context = await harness.new_context(episode)
    trace = await TraceRecording.start(context, trace_to)
    try:
        page = await context.new_page()
        task = await target.begin(page, episode, sc)
        outcome, agent_error = await play_agent(agent, page, task)
        observed = await target.observe(page, episode)
        page_events = await page_events_of(page)
    finally:
        try:
            await trace.stop()
            await context.close()
        except PlaywrightError:
            if browser.is_connected():
                raise  # a dead browser cannot close its context: nothing to do
    if not browser.is_connected():  # what the agent met says nothing about the agent
        raise HarnessError(f"{episode}: the browser died during the episode ({agent_error})")
    if not harness.proxy.running:  # its requests met a closed port, not the app
        raise HarnessError(f"{episode}: the proxy stopped during the episode ({agent_error})")

    def unchanged() -> None:  # the app, browser or proxy it began on was not replaced
        if harness.generation != generation:
            raise HarnessError(f"{episode}: the harness restarted what the episode ran on")

    unchanged()  # before waiting for requests: a restarted proxy's flows never finish
    records = await settled_records(harness, episode)
    after = await target.snapshot(episode)
    unchanged()  # a restart during the snapshot
    judged = target.judge(Played(episode, sc, outcome, before, after, records, observed))
    harness.proxy.record(episode, {"type": "verdict", **judged.verdict})
    return _Run(judged, records, page_events, outcome, agent_error, trace.error)


async def run_episode(
    harness: Harness,
    scenario: Scenario,
    agent: Agent,
    *,
    condition: Condition = "perturbed",
    trial: int = 0,
    trace_to: Path | None = None,
) -> EpisodeResult:
    """Play ``scenario`` with ``agent`` on the target that plays it, and judge it.

    The steps are the same on every target (see :mod:`fuzzer.targets.base`). With
    ``trace_to``, the browser context's Playwright trace is written there (see
    :mod:`fuzzer.play.traces`); a tracing failure lands in ``trace_error``, never fails the
    episode.
    """
    started = time.monotonic()
    target = harness.target_for(scenario)
    sc = scenario if condition == "perturbed" else scenario.without_faults()
    episode = episode_id(scenario, agent.name, condition, trial)
    try:
        await target.reset(episode, sc)
        run = await _play(harness, target, sc, agent, episode, trace_to)
    finally:
        await target.release(episode)
    return EpisodeResult(
        scenario_id=scenario.id,
        drill=scenario.drill,
        agent=agent.name,
        condition=condition,
        trial=trial,
        episode=episode,
        passed=run.judged.passed,
        escalated=run.outcome.escalated,
        summary=run.judged.summary,
        faults_fired=fired_kinds(run.records, run.page_events),
        distracted=distracted_by(run.records, run.page_events),
        failed_rules=run.judged.failed_rules,
        agent_error=run.agent_error,
        harness_error=run.judged.harness_error,
        duration_s=round(time.monotonic() - started, 3),
        verdict=run.judged.verdict,
        solvable=scenario.solvable,
        trace_error=run.trace_error,
        transcript=run.outcome.transcript,
        interface=scenario.interface,
    )


def harness_failure(
    scenario: Scenario, agent: str, condition: str, trial: int, error: BaseException
) -> EpisodeResult:
    """The record of an episode the harness could not play (never the agent's failure)."""
    return EpisodeResult(
        scenario_id=scenario.id,
        drill=scenario.drill,
        agent=agent,
        condition=condition,
        trial=trial,
        episode="",
        passed=False,
        escalated=False,
        summary=f"HARNESS ERROR: {error}",
        harness_error=str(error),
        solvable=scenario.solvable,
        interface=scenario.interface,
    )
