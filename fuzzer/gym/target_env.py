"""Any app from a target file as a gymnasium env, played under gymfuzz scenarios.

    from fuzzer.gym import wrap

    env = wrap(target="examples/django_calendar/target.yaml", pack="packs/calendar")
    obs, info = env.reset(seed=3)
    obs, reward, terminated, truncated, info = env.step('click("12")')

:class:`TargetEnv` is the env; :func:`fuzzer.gym.wrap` builds it when given ``target=``
and wraps it like any other env (the scenario picked per seed, ``info["gymfuzz"]`` with the
episode, its ledger and the faults fired so far). It stands on the same episode machinery
as ``gymfuzz serve`` (:mod:`fuzzer.serve.host`): each reset resets the app as its target file
says (``reset: restore`` by default), snapshots its state, installs the scenario's plan on
the proxy and opens a fresh browser context through it, as the episode.

* **Observation**: a dict of strings, the fields of BrowserGym's and ``gymfuzz serve``'s
  observation: ``goal``, ``axtree`` (the accessibility tree with a ``[bid]`` per element),
  ``url``, ``last_action_error`` (``""`` when the last action worked), and ``screenshot``
  (base64 PNG) when built with ``screenshots=True``.
* **Action**: one BrowserGym action string (``click("12")``, ``fill("7", "Ada")``,
  ``select_option("9", "High")``, ``goto(url)``, ...; see :mod:`fuzzer.serve.actions`).
* **End**: ``send_msg_to_user(text)`` terminates the episode (an escalation when the text
  says the task cannot be done), and the verifier judges the app's own state: reward 1.0
  when the verdict passes, ``info["verdict"]`` the verdict. Spending the step or wall-clock
  budget truncates it, judged the same way.

The app, the proxy and Chromium run on an event loop in a thread the env owns; the app
(when the target file launches it) stops with :meth:`TargetEnv.close`, and also when the
Python process is killed (its launch watchdog).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import tempfile
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, SupportsFloat, TypeVar

import gymnasium
from gymnasium import spaces

from fuzzer.play.errors import HarnessError
from fuzzer.serve.host import EpisodeHost, start_host
from fuzzer.serve.session import Budgets, EpisodeSession, StepReport
from fuzzer.targets.choose import choose_targets

if TYPE_CHECKING:
    from proxy_addons.embedded import EmbeddedProxy
    from scenarios.model import Scenario

T = TypeVar("T")

#: Actions and observations are text of any length and alphabet.
MAX_TEXT = 1 << 22


class AnyText(spaces.Space[str]):
    """A space of strings of any characters, up to ``max_length``."""

    def __init__(self, max_length: int = MAX_TEXT) -> None:
        super().__init__(dtype=str)
        self.max_length = max_length

    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and len(x) <= self.max_length

    def sample(self, mask: Any = None, probability: Any = None) -> str:
        return "noop()"

    def __repr__(self) -> str:
        return f"AnyText({self.max_length})"


class TargetEnv(gymnasium.Env[dict[str, str], str]):
    """An app from a target file as a gymnasium env (see the module docstring).

    Args:
        target: the target file (or ``"embedded"`` for the embedded site).
        instances: app instances launched (one episode at a time uses one).
        ledger_dir: where the proxy writes ledgers (default: a new temporary folder, kept
            after :meth:`close`).
        budgets: step and wall-clock limits of each episode.
        screenshots: add ``screenshot`` (base64 PNG) to every observation.

    Raises :class:`~fuzzer.targets.spec.TargetFileError` (a ``ValueError``) for a bad target
    file before anything starts.
    """

    metadata: dict[str, Any] = {"render_modes": []}  # noqa: RUF012 (gymnasium's own)

    def __init__(
        self,
        target: str | Path,
        *,
        instances: int = 1,
        ledger_dir: Path | None = None,
        budgets: Budgets | None = None,
        screenshots: bool = False,
    ) -> None:
        targets = choose_targets(target, workers=instances)
        self.ledger_dir = ledger_dir or Path(tempfile.mkdtemp(prefix="gymfuzz-ledgers-"))
        keys = ["goal", "axtree", "url", "last_action_error"]
        keys += ["screenshot"] if screenshots else []
        self._keys = tuple(keys)
        self.observation_space = spaces.Dict({key: AnyText() for key in keys})  # type: ignore[assignment]
        self.action_space = AnyText(64 * 1024)
        self._screenshots = screenshots
        self._next: tuple[str, Scenario] | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="gymfuzz-target-env", daemon=True
        )
        self._thread.start()
        self._stack = contextlib.AsyncExitStack()
        self._closed = False
        try:
            host = self._call(self._stack.enter_async_context(start_host(self.ledger_dir, targets)))
        except BaseException:
            self.close()
            raise
        self.host: EpisodeHost = host
        self.session = EpisodeSession(host, (), budgets=budgets, screenshots=screenshots)

    @property
    def proxy(self) -> EmbeddedProxy:
        """The gymfuzz proxy every episode's browser context goes through."""
        return self.host.harness.proxy

    def play_next(self, episode: str, scenario: Scenario) -> None:
        """Play ``scenario`` as ``episode`` at the next :meth:`reset` (the wrapper calls it)."""
        self._next = (episode, scenario)

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        """Open the episode :meth:`play_next` named: the app reset, the page at its start."""
        super().reset(seed=seed)
        if self._next is None:
            raise RuntimeError(
                "TargetEnv plays the scenarios of a pack: build it with "
                "fuzzer.gym.wrap(target=..., pack=...)"
            )
        episode, scenario = self._next
        self._next = None
        report = self._call(self.session.open(scenario, episode))
        return self._observation(report), dict(report.metadata)

    def step(self, action: str) -> tuple[dict[str, str], SupportsFloat, bool, bool, dict[str, Any]]:
        """Carry out one action string (module docstring)."""
        report = self._call(self.session.step(action))
        info = dict(report.metadata)
        if not report.done:
            return self._observation(report), 0.0, False, False, info
        ended_by = info.get("ended_by")
        reward = float(report.reward or 0.0)
        return self._observation(report), reward, ended_by == "message", ended_by != "message", info

    def page_events(self) -> list[dict[str, Any]]:
        """The page runtime's events so far in the open episode (``[]`` when none is open)."""
        page = None if self.session.current is None else self.session.current.page
        if page is None or page.is_closed():
            return []

        async def read() -> Any:
            from fuzzer.play.episode import page_events_of

            return await page_events_of(page)

        try:
            return list(self._call(read()))
        except Exception:  # the page is closing: nothing to read
            return []

    def close(self) -> None:
        """Abandon any open episode, then stop the browser, the proxy and the app."""
        if self._closed:
            return
        self._closed = True
        try:
            if hasattr(self, "session"):
                self._call(self.session.close())
            self._call(self._stack.aclose())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._loop.close()
        super().close()

    def _observation(self, report: StepReport) -> dict[str, str]:
        view = report.view.to_json()
        return {key: str(view.get(key) or "") for key in self._keys}

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        future: concurrent.futures.Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result()


class TargetRouting:
    """The :class:`~fuzzer.gym.routing.ProxyRouting` of :class:`TargetEnv`: the env owns the
    proxy and the browser, so routing is handing it the episode and scenario to play."""

    #: the env's episode machinery writes the verdict in the ledger itself
    records_verdict = True

    def attach(self, env: gymnasium.Env[Any, Any], proxy: EmbeddedProxy) -> None:
        base = env.unwrapped
        if not isinstance(base, TargetEnv) or base.proxy is not proxy:
            raise ValueError("TargetRouting: the env must be a TargetEnv, wrapped with its proxy")

    def begin(self, env: gymnasium.Env[Any, Any], episode: str, scenario: Scenario) -> None:
        base = env.unwrapped
        assert isinstance(base, TargetEnv)
        base.play_next(episode, scenario)

    def page_events(self, env: gymnasium.Env[Any, Any]) -> list[dict[str, Any]]:
        base = env.unwrapped
        assert isinstance(base, TargetEnv)
        return base.page_events()

    def verdict(
        self, scenario: Scenario, env_reward: SupportsFloat, info: dict[str, Any]
    ) -> dict[str, Any]:
        verdict = info.get("verdict")
        if isinstance(verdict, dict):
            return verdict
        return {"source": "harness", "passed": False, "outcome": "harness_error"}

    def harness_errors(self) -> tuple[type[BaseException], ...]:
        from playwright.async_api import Error

        return (Error, HarnessError)

    def close(self) -> None:
        pass
