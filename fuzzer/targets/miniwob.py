"""One runner episode on a MiniWoB++ task page, judged by the task's own reward.

:func:`fuzzer.play.episode.run_episode` (so :func:`fuzzer.play.runner.run_episodes` and
``gymfuzz run``) hands over every scenario of drill ``miniwob`` that starts on ``/miniwob/...`` (see
:mod:`fuzzer.targets.miniwob_scenarios`). The episode uses the same
harness as the embedded site's episodes: the worker's proxy, its long-lived Chromium and a
fresh browser context authenticated to the proxy as the episode. Then:

1. the proxy gets the episode's plan (network faults, page bundle), as for any scenario;
2. the page ``/miniwob/<task>.html`` is loaded from the harness's MiniWoB++ page server
   through the proxy (so page perturbations are injected and traffic is in the ledger);
3. the task starts as its own START screen starts it (``core.startEpisodeReal()``), with
   ``Math.seedrandom`` seeded from the scenario's ``seed`` (same seed, same problem) and the
   task's timer (``core.EPISODE_MAX_TIME``, 10 s in most tasks) raised by the worst likely
   delay of the scenario's ``latency`` faults (:func:`~fuzzer.gym.miniwob.task_timer_ms`);
4. the agent gets the started page and a :class:`~fuzzer.agents.base.Task` whose ``goal``
   is the task's own instruction (its utterance), ``fields["task"]`` the task name and
   ``start_url`` the page. The agent must not navigate away: the episode lives in that page;
5. after the agent returns, the episode's first ending is read (the task's reward, or its
   timer running out); an agent that stops before the task ended fails. Only the first
   ending counts: the START screen that follows it no longer starts a new problem.

**Verdict.** A MiniWoB++ task has no backend to diff: its reward is the ground truth. The
result's ``verdict`` is :func:`~fuzzer.gym.miniwob.reward_verdict`'s dict
(``source: "env_reward"``, ``passed`` = raw reward > 0, ``outcome`` passed / failed /
timeout, ``env_reward``, ``reason``, ``timer_ms``) plus ``utterance``. When the task's timer
ran out, the episode is a harness limit, not the agent's failure: ``harness_error`` says so,
and tables leave it out, as they do every harness error.
"""

from __future__ import annotations

import contextlib
import functools
import time
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError

from fuzzer.agents.base import Agent, Task
from fuzzer.gym.miniwob import MAX_TIMER_MS, reward_verdict, task_timer_ms
from fuzzer.play.episode import (
    Condition,
    EpisodeResult,
    distracted_by,
    episode_id,
    fired_kinds,
    page_events_of,
    play_agent,
    settled_records,
)
from fuzzer.play.harness import Harness, HarnessError
from fuzzer.play.traces import TraceRecording
from fuzzer.targets.miniwob_scenarios import miniwob_task
from scenarios.model import Scenario
from scenarios.plan import proxy_plan

#: How long the page may take, after the agent returned, to end the episode its last action
#: ended (an ending is normally synchronous with the click that causes it).
SETTLE_MS = 1000

_READ_RESULT = "() => window.__gymfuzzMiniwob || null"
_DONE = "() => !!(window.__gymfuzzMiniwob && window.__gymfuzzMiniwob.done)"


@functools.cache
def start_script() -> str:
    """The JS function that starts a task episode (``miniwob_start.js``)."""
    return (Path(__file__).with_name("miniwob_start.js")).read_text(encoding="utf-8")


async def start_task(page: Any, scenario: Scenario) -> dict[str, Any]:
    """Start the task on its loaded page; returns ``{"utterance", "timer_ms"}``."""
    extra = task_timer_ms(scenario, base_ms=0)
    opts = {"seed": str(scenario.seed), "extra_ms": extra, "max_ms": MAX_TIMER_MS}
    started: dict[str, Any] = await page.evaluate(start_script(), opts)
    if not started.get("ready"):
        await page.wait_for_function("() => WOB_TASK_READY !== false", timeout=30_000)
    return started


async def read_ending(page: Any) -> dict[str, Any]:
    """The episode's first ending: ``{done, reward, raw_reward, reason}``."""
    for settle in (True, False):
        try:
            ending = await page.evaluate(_READ_RESULT)
        except PlaywrightError:
            ending = None
        if not settle or (isinstance(ending, dict) and ending.get("done")):
            break
        with contextlib.suppress(PlaywrightError):  # not ended: the agent stopped early
            await page.wait_for_function(_DONE, timeout=SETTLE_MS)
    return ending if isinstance(ending, dict) else {"done": False}


def verdict_of(ending: dict[str, Any], timer_ms: int | None, utterance: str) -> dict[str, Any]:
    """The verdict dict of an ending (module docstring)."""
    if ending.get("done"):
        verdict = reward_verdict(float(ending.get("raw_reward", 0)), ending.get("reason"), timer_ms)
    else:
        verdict = reward_verdict(0.0, "agent stopped before the task ended", timer_ms)
    return {**verdict, "utterance": utterance}


def _summary(verdict: dict[str, Any]) -> str:
    mark = {"passed": "PASS", "failed": "FAIL", "timeout": "TIMEOUT"}[verdict["outcome"]]
    reason = f" ({verdict['reason']})" if verdict.get("reason") else ""
    return f"{mark} env_reward={verdict['env_reward']}{reason}"


async def run_miniwob_episode(
    harness: Harness,
    scenario: Scenario,
    agent: Agent,
    *,
    condition: Condition = "perturbed",
    trial: int = 0,
    trace_to: Path | None = None,
) -> EpisodeResult:
    """Play MiniWoB++ ``scenario`` with ``agent``; judge it by the task's reward.

    ``trace_to``: where to write the context's Playwright trace, as
    :func:`fuzzer.play.episode.run_episode` does.
    """
    task_name = miniwob_task(scenario)
    if task_name is None:
        raise ValueError(f"scenario {scenario.id}: not a MiniWoB++ scenario")
    if harness.miniwob_url is None:
        raise HarnessError("MiniWoB++ pages: the 'miniwob' package is not installed")
    started = time.monotonic()
    sc = scenario if condition == "perturbed" else scenario.without_faults()
    episode = episode_id(scenario, agent.name, condition, trial)
    url = harness.miniwob_url + sc.goal.start
    harness.proxy.set_plan(proxy_plan(sc, episode))
    context = await harness.new_context(episode)
    trace = await TraceRecording.start(context, trace_to)
    try:
        page = await context.new_page()
        try:
            await page.goto(url)
            begun = await start_task(page, sc)
        except PlaywrightError as exc:
            raise HarnessError(f"{episode}: MiniWoB++ {task_name} did not start: {exc}") from exc
        fields = {**sc.goal.fields, "task": task_name}
        task = Task(sc.drill, str(begun["utterance"]), fields, url)
        outcome, agent_error = await play_agent(agent, page, task)
        ending = await read_ending(page)
        page_events = await page_events_of(page)
    finally:
        await trace.stop()
        await context.close()
    records = await settled_records(harness, episode)
    verdict = verdict_of(ending, int(begun["timer_ms"]), task.goal)
    harness.proxy.record(episode, {"type": "verdict", **verdict})
    harness.proxy.clear_plan(episode)
    timed_out = verdict["outcome"] == "timeout"
    return EpisodeResult(
        scenario_id=scenario.id,
        drill=scenario.drill,
        agent=agent.name,
        condition=condition,
        trial=trial,
        episode=episode,
        passed=bool(verdict["passed"]),
        escalated=outcome.escalated,
        summary=_summary(verdict),
        faults_fired=fired_kinds(records, page_events),
        distracted=distracted_by(records, page_events),
        failed_rules=[] if verdict["passed"] else ["env_reward"],
        agent_error=agent_error,
        harness_error=f"MiniWoB++ task timer ran out ({verdict['timer_ms']} ms)"
        if timed_out
        else None,
        duration_s=round(time.monotonic() - started, 3),
        verdict=verdict,
        solvable=scenario.solvable,
        trace_error=trace.error,
    )
