"""Play a pack: every (scenario, agent, condition) episode, a few at a time, journaled.

Episodes run concurrently in one process (one site, one proxy, one browser, a context per
episode). Each finished episode is appended to the results journal (see
:mod:`fuzzer.journal`) as soon as it ends; with ``resume`` a killed run continues where it
stopped, with no episode lost or played twice.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from fuzzer.agents import Agent, resolve_agent
from fuzzer.episode import Condition, EpisodeResult, run_episode
from fuzzer.harness import Harness, HarnessError, start_harness
from fuzzer.journal import Journal
from scenarios.model import Scenario

DEFAULT_WORKERS = max(1, min(4, (os.cpu_count() or 2)))


async def _one(
    harness: Harness,
    scenario: Scenario,
    factory: Callable[[], Agent],
    condition: Condition,
    trial: int,
) -> EpisodeResult:
    agent = factory()
    agent_name = agent.name
    for attempt in (1, 2):  # a harness failure is retried once, never counted as the agent's
        try:
            return await run_episode(harness, scenario, agent, condition=condition, trial=trial)
        except (HarnessError, OSError) as exc:
            if attempt == 2:
                return EpisodeResult(
                    scenario_id=scenario.id,
                    drill=scenario.drill,
                    agent=agent_name,
                    condition=condition,
                    trial=trial,
                    episode="",
                    passed=False,
                    escalated=False,
                    summary=f"HARNESS ERROR: {exc}",
                    harness_error=str(exc),
                )
    raise AssertionError("unreachable")


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
    progress: Callable[[int, int, EpisodeResult], None] | None = None,
) -> list[EpisodeResult]:
    """Run every (agent, condition, scenario, trial) not yet in the journal.

    Returns the results of the episodes played now, in a stable order (not completion
    order). With ``resume``, episodes the journal already records are skipped.
    """
    factories = [resolve_agent(spec) for spec in agents]  # fails early on a bad --agent
    named = [(f, f().name) for f in factories]
    sink = Journal.open(journal, resume=resume)
    jobs = [
        (sc, f, c, t)
        for f, name in named
        for c in conditions
        for sc in scenarios
        for t in range(trials)
        if (sc.id, name, c, t) not in sink.done
    ]
    if not jobs:
        sink.close()
        return []
    sem = asyncio.Semaphore(max(1, workers))
    done = 0
    try:
        async with start_harness(ledger_dir) as harness:

            async def guarded(
                job: tuple[Scenario, Callable[[], Agent], Condition, int],
            ) -> EpisodeResult:
                nonlocal done
                async with sem:
                    result = await _one(harness, *job)
                sink.write(result)
                done += 1
                if progress:
                    progress(done, len(jobs), result)
                return result

            return list(await asyncio.gather(*(guarded(j) for j in jobs)))
    finally:
        sink.close()


def print_progress(done: int, total: int, result: EpisodeResult) -> None:
    """A one-line progress report on stderr."""
    mark = "pass" if result.passed else "FAIL"
    sys.stderr.write(f"\r[{done}/{total}] {result.episode or result.scenario_id}: {mark}    ")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
