"""MiniWoB++ task pages as a target: an episode judged by the task's own reward.

Every harness has this target (:class:`MiniWoBPages`) before the embedded site or an app: it
plays every scenario of drill ``miniwob`` that starts on ``/miniwob/...`` (see
:mod:`fuzzer.targets.miniwob_scenarios`). The episode is the one every target gets
(:func:`fuzzer.play.episode.run_episode`): the worker's proxy, its long-lived Chromium and a
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError

from fuzzer.agents.base import Task
from fuzzer.gym.miniwob import MAX_TIMER_MS, reward_verdict, task_timer_ms
from fuzzer.play.errors import HarnessError
from fuzzer.targets.base import Isolation, Judgement, Played
from fuzzer.targets.miniwob_scenarios import miniwob_task, serve_pages
from scenarios.model import Scenario

if TYPE_CHECKING:
    from playwright.async_api import Page


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


class MiniWoBPages:
    """The MiniWoB++ pages of the installed ``miniwob`` package, served on 127.0.0.1.

    Nothing is served when the package is not installed; a MiniWoB++ scenario then ends in
    a harness error that says so.
    """

    name = "miniwob"
    isolation: Isolation = "header"  # a page holds its whole episode: nothing is shared

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._url: str | None = None
        self._begun: dict[str, dict[str, Any]] = {}

    @property
    def url(self) -> str | None:
        return self._url

    async def start(self) -> None:
        self._url = self._stack.enter_context(serve_pages())

    async def stop(self) -> None:
        self._url = None
        self._stack.close()

    async def heal(self) -> str | None:
        return None  # the pages are served from a thread of this process

    def plays(self, scenario: Scenario) -> bool:
        return scenario.drill == "miniwob" and scenario.goal.start.startswith("/miniwob/")

    async def reset(self, episode: str, scenario: Scenario) -> None:
        """Nothing to reset: each episode starts its task on a freshly loaded page."""

    async def snapshot(self, episode: str) -> None:
        """None: a MiniWoB++ task has no backend state, its reward is the ground truth."""
        return None

    async def begin(self, page: Page, episode: str, scenario: Scenario) -> Task:
        """Load the task page and start the task; the agent's goal is its utterance."""
        task_name = miniwob_task(scenario)
        if task_name is None:
            raise ValueError(f"scenario {scenario.id}: not a MiniWoB++ scenario")
        if self._url is None:
            raise HarnessError("MiniWoB++ pages: the 'miniwob' package is not installed")
        url = self._url + scenario.goal.start
        try:
            await page.goto(url)
            begun = await start_task(page, scenario)
        except PlaywrightError as exc:
            raise HarnessError(f"{episode}: MiniWoB++ {task_name} did not start: {exc}") from exc
        self._begun[episode] = begun
        fields = {**scenario.goal.fields, "task": task_name}
        return Task(scenario.drill, str(begun["utterance"]), fields, url)

    async def observe(self, page: Page, episode: str) -> dict[str, Any]:
        """The episode's first ending, with the task's timer and utterance."""
        begun = self._begun.pop(episode, {})
        ending = await read_ending(page)
        return {
            "ending": ending,
            "timer_ms": begun.get("timer_ms"),
            "utterance": begun.get("utterance", ""),
        }

    async def release(self, episode: str) -> None:
        """Nothing to give back: episodes share nothing here."""

    def judge(self, played: Played) -> Judgement:
        """The task's reward (module docstring); a timer that ran out is a harness error."""
        obs = played.observed
        timer = obs.get("timer_ms")
        verdict = verdict_of(
            obs.get("ending", {}),
            int(timer) if timer is not None else None,
            str(obs.get("utterance", "")),
        )
        timed_out = verdict["outcome"] == "timeout"
        return Judgement(
            passed=bool(verdict["passed"]),
            summary=_summary(verdict),
            failed_rules=[] if verdict["passed"] else ["env_reward"],
            verdict=verdict,
            harness_error=f"MiniWoB++ task timer ran out ({verdict['timer_ms']} ms)"
            if timed_out
            else None,
        )
