"""The three gymfuzz drills as BrowserGym tasks, on the embedded site.

    import gymnasium as gym
    from fuzzer.gym.drill_tasks import register_drill_tasks

    register_drill_tasks()        # browsergym/gymfuzz.calendar, .dropdown, .endurance
    env = gym.make("browsergym/gymfuzz.calendar")

Each task plays one drill scenario: the one given as ``task_kwargs={"scenario": ...}``, else
scenario ``seed`` of the drill generated with master seed 0 (unperturbed when the env is not
wrapped: nothing injects faults without the proxy). Wrapped with :func:`fuzzer.gym.wrap`, the
wrapper's scenario and episode id are handed to the task at every reset, and the proxy
perturbs the page. ``setup`` resets the episode's tenant on the site to the scenario's
fixture and opens its start page; the tenant is named in the ``X-Gymfuzz-Episode`` header
of every request of the context. ``validate`` judges the backend state with the scenario's
verifier (``info["verdict"]``): the episode ends when the agent answers in the chat
(``send_msg_to_user``) or reports the task infeasible (``report_infeasible``, which counts
as escalating); the reward is 1.0 when the verdict passes.

The site runs as one subprocess per Python process, started at the first task and stopped
at exit. Importing this module needs BrowserGym (``scripts/browsergym-venv``).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import threading
from typing import Any

import gymnasium
import playwright.sync_api
from browsergym.core.registration import register_task  # type: ignore[import-not-found]
from browsergym.core.task import AbstractBrowserTask  # type: ignore[import-not-found]

from fuzzer.gym.browsergym import use_system_chromium
from scenarios.generate import get_drill
from scenarios.model import Scenario
from scenarios.verify import SiteStateSource, State, judge

DRILLS = ("calendar", "dropdown", "endurance")
EPISODE_HEADER = "X-Gymfuzz-Episode"

_site_lock = threading.Lock()
_site: Any = None


def shared_site() -> tuple[str, str]:
    """(URL, admin token) of this process's embedded site, started on first use."""
    global _site
    with _site_lock:
        if _site is None:
            from sites.booking.server import SiteProcess

            _site = SiteProcess().__enter__()
            atexit.register(_site.__exit__, None, None, None)
        return str(_site.url), str(_site.admin_token)


def _snapshot(source: SiteStateSource) -> State:
    # Playwright's sync API owns this thread's event loop: read state from another thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, source.snapshot()).result()


def register_drill_tasks(*, system_chromium: bool = True) -> list[str]:
    """Register ``browsergym/gymfuzz.<drill>`` for the three drills; returns their ids.

    With ``system_chromium`` it also calls
    :func:`~fuzzer.gym.browsergym.use_system_chromium`, so bare envs (not wrapped) launch
    the system Chromium when Playwright's own build is missing.
    """
    if system_chromium:
        use_system_chromium()
    ids = []
    for drill in DRILLS:
        env_id = f"browsergym/gymfuzz.{drill}"
        if env_id not in gymnasium.registry:
            register_task(f"gymfuzz.{drill}", DrillTask, task_kwargs={"drill": drill})
        ids.append(env_id)
    return ids


class DrillTask(AbstractBrowserTask):  # type: ignore[misc]
    """One drill scenario on the embedded site (module docstring).

    Args:
        seed: BrowserGym's task seed; picks the scenario when none is given.
        drill: ``calendar``, ``dropdown`` or ``endurance``.
        scenario: the scenario to play (must be of ``drill``).
        episode: the tenant and proxy episode id (default ``bg-<scenario id>-<seed>``).
    """

    def __init__(
        self,
        seed: int,
        drill: str,
        scenario: Scenario | None = None,
        episode: str | None = None,
    ) -> None:
        super().__init__(seed)
        if drill not in DRILLS:
            raise ValueError(f"drill: expected one of {DRILLS}, got {drill!r}")
        if scenario is None:
            scenario = get_drill(drill).scenario(0, seed, perturbed=False)
        if scenario.drill != drill:
            raise ValueError(
                f"scenario: {scenario.id!r} is of drill {scenario.drill!r}, not {drill!r}"
            )
        self.drill, self.scenario = drill, scenario
        self.episode = episode or f"bg-{scenario.id}-{seed}"
        self.viewport = {"width": 1100, "height": 900}
        self.slow_mo = 0
        self.timeout = 10_000
        self._before: State | None = None
        self._source: SiteStateSource | None = None

    @classmethod
    def get_task_id(cls) -> str:
        return "gymfuzz.drill"

    def setup(self, page: playwright.sync_api.Page) -> tuple[str, dict[str, Any]]:
        import httpx

        url, token = shared_site()
        reply = httpx.put(
            f"{url}/_admin/tenants/{self.episode}",
            json=self.scenario.fixture,
            headers={"X-Admin-Token": token},
            timeout=30,
        )
        if reply.status_code != 204:
            raise RuntimeError(f"site refused the fixture of {self.episode}: {reply.status_code}")
        self._source = SiteStateSource(url, self.episode, token)
        self._before = _snapshot(self._source)
        page.context.set_extra_http_headers({EPISODE_HEADER: self.episode})
        page.goto(url + self.scenario.goal.start)
        return self.scenario.goal.text, {"scenario_id": self.scenario.id, "episode": self.episode}

    def validate(
        self, page: playwright.sync_api.Page, chat_messages: list[dict[str, Any]]
    ) -> tuple[float, bool, str, dict[str, Any]]:
        roles = [m.get("role") for m in chat_messages]
        escalated = "infeasible" in roles
        if not escalated and "assistant" not in roles:
            return 0.0, False, "", {}
        assert self._source is not None and self._before is not None
        verdict = judge(
            self.scenario.verifier, self._before, _snapshot(self._source), escalated=escalated
        )
        return float(verdict.passed), True, "", {"verdict": verdict.to_json()}

    def teardown(self) -> None:
        pass
