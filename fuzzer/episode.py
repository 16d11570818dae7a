"""One episode: set up the scenario, let the agent act, judge the backend state."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError

from fuzzer.agents.base import Agent, AgentError, AgentOutcome, Task
from fuzzer.harness import Harness, HarnessError
from fuzzer.traces import TraceRecording
from proxy_addons.ledger import read_ledger
from scenarios.model import Scenario
from scenarios.plan import proxy_plan
from scenarios.verify import SiteStateSource, Traffic, judge

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
    #: :mod:`fuzzer.traces`); ``None`` when none was kept.
    trace: str | None = None
    #: Why tracing failed (the episode itself is judged as usual), else ``None``.
    trace_error: str | None = None
    #: A model-backed agent's exchanges with its model (see :mod:`fuzzer.agents.chat`).
    transcript: list[dict[str, Any]] = field(default_factory=list)

    @property
    def column(self) -> str:
        """Where the episode counts in tables: its condition, or ``unsolvable`` for a
        scenario unsolvable by design (passing there means escalating, not finishing)."""
        return self.condition if self.solvable else "unsolvable"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def episode_id(scenario: Scenario, agent: str, condition: str, trial: int) -> str:
    """A readable id, unique per (scenario, agent, condition, trial)."""
    return f"{scenario.id}.{agent}.{condition[0]}{trial}"


#: Page events that mean the agent acted on a distractor (a pop-up, a decoy, an injected
#: instruction), by perturbation kind: the "attack success" of that distractor.
TOOK_THE_BAIT: dict[str, str] = {
    "popup_ad": "lured",
    "decoy": "decoy_used",
    "prompt_injection": "followed",
}


def episode_records(harness: Harness, episode: str) -> list[dict[str, Any]]:
    """The ledger records of the episode's last run (a replayed episode id appends a run)."""
    path = harness.proxy.ledger_path(episode)
    records = list(read_ledger(path)) if path and path.exists() else []
    starts = [i for i, r in enumerate(records) if r.get("type") == "plan"]
    return records[starts[-1] :] if starts else records


def fired_kinds(records: list[dict[str, Any]], page_events: list[dict[str, Any]]) -> list[str]:
    """Fault and perturbation kinds that actually fired in the episode (from the ledger)."""
    kinds: set[str] = set()
    for rec in records:
        if rec.get("type") == "request":
            kinds.update(d["kind"] for d in rec.get("decisions", []) if d.get("fired"))
        elif rec.get("type") == "page" and rec.get("event") == "fired":
            kinds.add(str(rec.get("kind")))
    kinds.update(str(e.get("kind")) for e in page_events if e.get("event") == "fired")
    return sorted(kinds)


def distracted_by(records: list[dict[str, Any]], page_events: list[dict[str, Any]]) -> list[str]:
    """Distractor kinds the agent acted on (see :data:`TOOK_THE_BAIT`), from both sources."""
    events = [r for r in records if r.get("type") == "page"] + page_events
    return sorted(
        {
            str(e.get("kind"))
            for e in events
            if TOOK_THE_BAIT.get(str(e.get("kind"))) == e.get("event")
        }
    )


async def page_events_of(page: Any) -> list[dict[str, Any]]:
    """The page runtime's own event list (``window.__gymfuzz.events``); ``[]`` if unreadable."""
    try:
        events = await page.evaluate("() => (window.__gymfuzz && window.__gymfuzz.events) || []")
    except PlaywrightError:
        return []
    return [e for e in events if isinstance(e, dict)]


async def play_agent(agent: Agent, page: Any, task: Task) -> tuple[AgentOutcome, str | None]:
    """Run ``agent`` on ``page`` for at most :data:`AGENT_TIMEOUT_S`.

    Returns its outcome and ``None``, or, when the agent failed (its own error, a Playwright
    error, the time limit), an outcome carrying the error and that error's one-line text.
    """
    try:
        return await asyncio.wait_for(agent.run(page, task), AGENT_TIMEOUT_S), None
    except (AgentError, PlaywrightError, TimeoutError) as exc:
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return AgentOutcome(message=error), error


async def settled_records(harness: Harness, episode: str) -> list[dict[str, Any]]:
    """Wait until none of the episode's requests is in flight, then its ledger records.

    Raises :class:`~fuzzer.harness.HarnessError` when requests are still in flight 30 s on.
    """
    if not await harness.proxy.wait_idle(episode, timeout=30):
        raise HarnessError(f"{episode}: requests still in flight 30 s after the agent stopped")
    return episode_records(harness, episode)


async def run_episode(
    harness: Harness,
    scenario: Scenario,
    agent: Agent,
    *,
    condition: Condition = "perturbed",
    trial: int = 0,
    trace_to: Path | None = None,
) -> EpisodeResult:
    """Play ``scenario`` with ``agent`` and judge it by the backend state.

    With ``trace_to``, the browser context's Playwright trace is written there (see
    :mod:`fuzzer.traces`); a tracing failure lands in ``trace_error``, never fails the episode.
    """
    if scenario.drill == "miniwob" and scenario.goal.start.startswith("/miniwob/"):
        # A MiniWoB++ task page, judged by the task's reward (no backend to diff).
        from fuzzer.targets.miniwob_episode import run_miniwob_episode

        return await run_miniwob_episode(
            harness, scenario, agent, condition=condition, trial=trial, trace_to=trace_to
        )
    started = time.monotonic()
    sc = scenario if condition == "perturbed" else scenario.without_faults()
    episode = episode_id(scenario, agent.name, condition, trial)
    await harness.reset_tenant(episode, sc.fixture)
    source = SiteStateSource(harness.site_url, episode, harness.admin_token)
    before = await source.snapshot()
    harness.proxy.set_plan(proxy_plan(sc, episode))
    task = Task(sc.drill, sc.goal.text, dict(sc.goal.fields), harness.site_url + sc.goal.start)
    context = await harness.new_context(episode)
    trace = await TraceRecording.start(context, trace_to)
    try:
        page = await context.new_page()
        outcome, agent_error = await play_agent(agent, page, task)
        page_events = await page_events_of(page)
    finally:
        await trace.stop()
        await context.close()
    records = await settled_records(harness, episode)
    after = await source.snapshot()
    traffic = Traffic.from_records(records) if records else None
    verdict = judge(sc.verifier, before, after, escalated=outcome.escalated, traffic=traffic)
    harness.proxy.record(episode, {"type": "verdict", **verdict.to_json()})
    harness.proxy.clear_plan(episode)
    return EpisodeResult(
        scenario_id=scenario.id,
        drill=scenario.drill,
        agent=agent.name,
        condition=condition,
        trial=trial,
        episode=episode,
        passed=verdict.passed,
        escalated=outcome.escalated,
        summary=verdict.summary(),
        faults_fired=fired_kinds(records, page_events),
        distracted=distracted_by(records, page_events),
        failed_rules=[r.name for r in verdict.failures],
        agent_error=agent_error,
        duration_s=round(time.monotonic() - started, 3),
        verdict=verdict.to_json(),
        solvable=scenario.solvable,
        trace_error=trace.error,
        transcript=outcome.transcript,
    )
