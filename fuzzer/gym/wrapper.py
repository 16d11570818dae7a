"""``wrap(env, scenario=...)``: a gymnasium env played under a gymfuzz scenario, in one line.

    import gymnasium as gym, miniwob
    from fuzzer.gym import wrap

    gym.register_envs(miniwob)
    env = wrap(gym.make("miniwob/click-button-v1"), pack="packs/miniwob")
    obs, info = env.reset(seed=7)

    env = wrap(target="examples/django_calendar/target.yaml", pack="packs/calendar")

(the second plays an app from its target file: :mod:`fuzzer.gym.target_env`).

At ``reset`` the wrapper picks the scenario with its own seeded generator
(:mod:`fuzzer.gym.choice`), installs the scenario's proxy plan and page runtime for a fresh
episode id, and has the env's browser reload its page as that episode **before** the env
starts the task. At every ``step`` ``info["gymfuzz"]`` holds::

    {"scenario_id": ..., "episode": ..., "ledger": "<path of the episode's ledger>",
     "faults_fired": [{"id", "kind", "layer"}, ...],     # so far, from the ledger
     "env_reward": <the env's reward, also returned untouched>,
     "verdict": {...}}                                   # at termination only

and the verdict is written to the episode's ledger too. A browser or driver failure inside
``step`` is a harness error, not the agent's: the step returns ``truncated=True`` with
``info["gymfuzz"]["harness_error"]`` (the message) and the last observation.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any, SupportsFloat

import gymnasium

from fuzzer.gym.choice import ScenarioChooser, load_scenarios
from fuzzer.gym.routing import ProxyRouting, routing_for
from fuzzer.play.ledger import faults_fired
from proxy_addons.embedded import EmbeddedProxy
from scenarios.model import Scenario
from scenarios.plan import proxy_plan


class GymfuzzWrapper(gymnasium.Wrapper[Any, Any, Any, Any]):
    """Play a gymnasium web env under gymfuzz scenarios; build it with :func:`wrap`.

    Args:
        env: the env to wrap (e.g. ``gym.make("miniwob/click-button-v1")``).
        scenarios: the scenarios to choose from at each reset.
        seed: the wrapper's seed until ``reset(seed=...)`` gives one.
        proxy: a running gymfuzz proxy to use; ``None`` starts one, owned by the wrapper and
            stopped by :meth:`close`, whose app host is 127.0.0.1.
        routing: how the env's browser reaches the proxy; ``None``: :func:`routing_for`.
        ledger_dir: where the wrapper's own proxy writes ledgers (default: a new temporary
            folder, kept after :meth:`close` so the ledgers can still be read). Ignored when
            ``proxy`` is given.
    """

    def __init__(
        self,
        env: gymnasium.Env[Any, Any],
        *,
        scenarios: tuple[Scenario, ...],
        seed: int = 0,
        proxy: EmbeddedProxy | None = None,
        routing: ProxyRouting | None = None,
        ledger_dir: Path | None = None,
    ) -> None:
        super().__init__(env)
        self._chooser = ScenarioChooser(scenarios, seed)
        self.routing = routing if routing is not None else routing_for(env)
        self._own_proxy = proxy is None
        if proxy is None:
            folder = ledger_dir or Path(tempfile.mkdtemp(prefix="gymfuzz-ledgers-"))
            proxy = EmbeddedProxy(ledger_dir=folder, app_host="127.0.0.1").start()
        self.proxy = proxy
        self._token = secrets.token_hex(3)  # parallel wrappers on one proxy never collide
        self.episode: str | None = None
        self.scenario: Scenario | None = None
        self._last_obs: Any = None
        try:
            self.routing.attach(env, proxy)
        except BaseException:
            self._release()
            raise

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Any, dict[str, Any]]:
        """Pick a scenario, install it for a new episode, then reset the env (module doc)."""
        pick = self._chooser.pick(seed)
        if self.episode is not None:
            self.proxy.clear_plan(self.episode)
        episode = f"{pick.scenario.id}.{self._token}.{pick.number}"
        self.episode, self.scenario = episode, pick.scenario
        self.proxy.set_plan(proxy_plan(pick.scenario, episode))
        self.routing.begin(self.env, episode, pick.scenario)
        obs, info = self.env.reset(seed=pick.env_seed, options=options)
        self._last_obs = obs
        info = dict(info)
        info["gymfuzz"] = {**self._report(), "env_seed": pick.env_seed}
        return obs, info

    def step(self, action: Any) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        """Step the env; add ``info["gymfuzz"]`` (module docstring)."""
        if self.scenario is None:
            raise RuntimeError("step: call reset() first")
        try:
            obs, reward, terminated, truncated, info = self.env.step(action)
        except self.routing.harness_errors() as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            report = {**self._report(), "harness_error": f"{type(exc).__name__}: {first}"}
            report["verdict"] = {"source": "harness", "passed": False, "outcome": "harness_error"}
            self._record(report["verdict"])
            return self._last_obs, 0.0, False, True, {"gymfuzz": report}
        self._last_obs = obs
        info = dict(info)
        report = {**self._report(), "env_reward": float(reward)}
        if terminated:
            report["verdict"] = self.routing.verdict(self.scenario, reward, info)
            if not self.routing.records_verdict:
                self._record(report["verdict"])
        info["gymfuzz"] = report
        return obs, reward, terminated, truncated, info

    def _report(self) -> dict[str, Any]:
        assert self.scenario is not None and self.episode is not None
        ledger = self.proxy.ledger_path(self.episode)
        events = self.routing.page_events(self.env)
        return {
            "scenario_id": self.scenario.id,
            "episode": self.episode,
            "ledger": None if ledger is None else str(ledger),
            "faults_fired": faults_fired(ledger, events),
        }

    def _record(self, verdict: dict[str, Any]) -> None:
        self.proxy.record(self.episode, {"type": "verdict", **verdict})

    def close(self) -> None:
        """Close the env, then what the wrapper started (relay, page server, own proxy)."""
        try:
            super().close()
        finally:
            self._release()

    def _release(self) -> None:
        try:
            self.routing.close()
        finally:
            if self._own_proxy:
                self.proxy.stop()


def wrap(
    env: gymnasium.Env[Any, Any] | None = None,
    *,
    pack: Path | str | None = None,
    scenario: Scenario | None = None,
    proxy: EmbeddedProxy | None = None,
    seed: int = 0,
    routing: ProxyRouting | None = None,
    ledger_dir: Path | None = None,
    target: Path | str | None = None,
    instances: int = 1,
) -> GymfuzzWrapper:
    """Wrap ``env`` to play ``pack``'s scenarios (or the one ``scenario``) through gymfuzz.

    Give exactly one of ``pack`` (a pack directory) and ``scenario``; the other arguments are
    those of :class:`GymfuzzWrapper`. Raises ``ValueError`` naming the argument at fault, and
    :class:`~fuzzer.gym.routing.RoutingError` for an env no routing supports.

    ``target`` (a target file, or ``"embedded"``) plays an app instead of an env of a gym
    family: give no ``env``; the wrapper builds a :class:`~fuzzer.gym.target_env.TargetEnv`
    with ``instances`` app instances, which owns the proxy (``proxy`` must not be given).
    """
    if env is None and target is None:
        raise ValueError("env: give the env to wrap, or target= an app's target file")
    scenarios = load_scenarios(pack, scenario)
    if target is not None:
        if env is not None or proxy is not None or routing is not None:
            raise ValueError("target: give no env, proxy or routing with a target file")
        from fuzzer.gym.target_env import TargetEnv, TargetRouting

        target_env = TargetEnv(target, instances=instances, ledger_dir=ledger_dir)
        env, proxy, routing = target_env, target_env.proxy, TargetRouting()
    assert env is not None
    try:
        return GymfuzzWrapper(
            env, scenarios=scenarios, seed=seed, proxy=proxy, routing=routing, ledger_dir=ledger_dir
        )
    except BaseException:
        if target is not None:
            env.close()
        raise
