"""Play a pack: every (scenario, agent, condition) episode, a few at a time, journaled.

Episodes run concurrently in one process (one site, one proxy, one browser, a context per
episode). Each finished episode is appended to the results journal (see
:mod:`fuzzer.play.journal`) as soon as it ends; with ``resume`` a killed run continues where it
stopped, with no episode lost or played twice.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fuzzer import DEFAULT_WORKERS
from fuzzer.agents import resolve_agent
from fuzzer.play.episode import (
    Condition,
    EpisodeResult,
    episode_id,
    harness_failure,
    run_episode,
)
from fuzzer.play.harness import Harness, start_harness
from fuzzer.play.journal import Journal
from fuzzer.play.traces import TracePolicy, keep_trace
from fuzzer.targets.choose import TargetsFactory
from fuzzer.targets.miniwob_scenarios import check_tasks
from scenarios.model import Scenario

Backend = Literal["local", "ray"]


@dataclass(frozen=True)
class Job:
    """One episode to play: a scenario, an agent (name or ``module:attr``), a condition, a trial."""

    scenario: Scenario
    agent: str
    condition: Condition
    trial: int
    traces: TracePolicy | None = None  #: which Playwright traces to keep (None: record none)
    agent_options: tuple[tuple[str, str], ...] = ()  #: ``--agent-option`` values


#: How many times an episode is played when the harness keeps failing it.
ATTEMPTS = 3


async def play(harness: Harness, job: Job) -> EpisodeResult:
    """Play one job; a harness failure is never counted as the agent's.

    When an attempt fails for the harness's reasons (a browser or app that died, a target
    that refused its reset, Playwright failing outside the agent: any exception out of the
    episode run, since the agent's own are caught there), the harness restarts what
    died (:meth:`~fuzzer.play.harness.Harness.heal`) and the episode is played again, up to
    :data:`ATTEMPTS` times; the result lists the causes in ``harness_retries``. The
    episode's trace is kept or dropped by ``job.traces`` (a harness failure keeps it, as a
    failed episode).
    """
    agent = resolve_agent(job.agent, dict(job.agent_options))()
    episode = episode_id(job.scenario, agent.name, job.condition, job.trial)
    policy = job.traces
    trace_to = policy.partial_path(episode) if policy and policy.records else None
    causes: list[str] = []
    for attempt in range(1, ATTEMPTS + 1):
        try:
            result = await run_episode(
                harness,
                job.scenario,
                agent,
                condition=job.condition,
                trial=job.trial,
                trace_to=trace_to,
            )
            result.harness_retries = causes
            return keep_trace(policy, result, episode)
        except Exception as exc:  # the agent's own errors never get here (play_agent)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            cause = f"{type(exc).__name__}: {first}"
            if attempt == ATTEMPTS:
                failed = harness_failure(job.scenario, agent.name, job.condition, job.trial, exc)
                failed.harness_retries = causes
                return keep_trace(policy, failed, episode)
            healed = await harness.heal()
            causes.append(cause + "".join(f"; {note}" for note in healed))
    raise AssertionError("unreachable")


async def _run_local(
    jobs: Sequence[Job],
    *,
    workers: int,
    ledger_dir: Path,
    on_result: Callable[[EpisodeResult], None],
    targets: TargetsFactory | None = None,
) -> list[EpisodeResult]:
    sem = asyncio.Semaphore(max(1, workers))
    async with start_harness(ledger_dir, targets() if targets else None) as harness:

        async def guarded(job: Job) -> EpisodeResult:
            async with sem:
                result = await play(harness, job)
            on_result(result)
            return result

        return list(await asyncio.gather(*(guarded(j) for j in jobs)))


async def run_episodes(
    scenarios: Sequence[Scenario],
    agents: Sequence[str],
    conditions: Sequence[Condition],
    *,
    ledger_dir: Path,
    journal: Path | None = None,
    resume: bool = False,
    workers: int = DEFAULT_WORKERS,
    trials: int = 1,
    backend: Backend = "local",
    progress: Callable[[int, int, EpisodeResult], None] | None = None,
    traces: TracePolicy | None = None,
    targets: TargetsFactory | None = None,
    agent_options: Mapping[str, str] | None = None,
) -> list[EpisodeResult]:
    """Run every (agent, condition, scenario, trial) not yet in the journal.

    ``backend="local"`` plays up to ``workers`` episodes at once in this process (one site,
    one proxy, one browser); ``backend="ray"`` spreads them over ``workers`` Ray actors, each
    with its own site, proxy and browser (``pip install 'gymfuzz[ray]'``; an existing
    ``ray.init`` connection is used, else a local one is started). Returns the results of the
    episodes played now, in job order (not completion order); with ``resume``, episodes the
    journal already records are skipped. ``traces`` says which episodes keep a Playwright
    trace (see :mod:`fuzzer.play.traces`); half-written ones of a killed run are removed first.
    ``targets`` builds the apps to play (:func:`fuzzer.targets.choose.choose_targets`; default
    the embedded site); with Ray, each actor builds its own (choose one app instance each).
    ``agent_options`` configure the agents that take options (``chat``).
    """
    options = tuple(sorted((agent_options or {}).items()))
    names = {spec: resolve_agent(spec, dict(options))().name for spec in agents}  # fails early
    check_tasks(scenarios)  # a MiniWoB++ scenario naming no task page fails before any episode
    sink = Journal.open(journal, resume=resume)
    if traces is not None:
        traces.remove_partials()
    jobs = [
        Job(sc, spec, c, t, traces, options)
        for spec in agents
        for c in conditions
        for sc in scenarios
        for t in range(trials)
        if (sc.id, names[spec], c, t) not in sink.done
    ]
    done = 0

    def record(result: EpisodeResult) -> None:
        nonlocal done
        sink.write(result)
        done += 1
        if progress:
            progress(done, len(jobs), result)

    try:
        if not jobs:
            return []
        if backend == "ray":
            from fuzzer.play.ray_backend import run_on_ray

            return await run_on_ray(
                jobs, workers=workers, ledger_dir=ledger_dir, on_result=record, targets=targets
            )
        return await _run_local(
            jobs, workers=workers, ledger_dir=ledger_dir, on_result=record, targets=targets
        )
    finally:
        sink.close()


def print_progress(done: int, total: int, result: EpisodeResult) -> None:
    """A one-line progress report on stderr."""
    mark = "pass" if result.passed else "FAIL"
    sys.stderr.write(f"\r[{done}/{total}] {result.episode or result.scenario_id}: {mark}    ")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
