"""The wrapper's own logic with a scripted routing and a toy env (no browser, real proxy):
plan before reset, info at each step, verdict at termination, harness errors, determinism."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, SupportsFloat

import gymnasium
import pytest

from fuzzer.gym import DeterminismError, GymfuzzWrapper, check_determinism, wrap
from proxy_addons.embedded import EmbeddedProxy
from scenarios.model import Scenario

from .scenarios_kit import page, scenario

pytestmark = [pytest.mark.proxy]


class Crash(RuntimeError):
    pass


class ToyEnv(gymnasium.Env[dict[str, Any], str]):
    """Ends on action "win" (reward 1) or "lose" (reward 0); "crash" is a harness failure."""

    observation_space = gymnasium.spaces.Dict({})
    action_space = gymnasium.spaces.Text(8)

    def __init__(self) -> None:
        self.seeds: list[int | None] = []

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        self.seeds.append(seed)
        return {"goal": f"task {seed}"}, {"toy": True}

    def step(self, action: str) -> tuple[dict[str, Any], SupportsFloat, bool, bool, dict[str, Any]]:
        if action == "crash":
            raise Crash("browser went away\nstack...")
        return {"goal": "x"}, float(action == "win"), action in ("win", "lose"), False, {"n": 1}


class ScriptedRouting:
    """Records the order of calls; reports the page events it is told to."""

    records_verdict = False

    def __init__(self, proxy: EmbeddedProxy, events: Iterator[list[dict[str, Any]]]) -> None:
        self.proxy, self.events = proxy, events
        self.calls: list[str] = []
        self.current: list[dict[str, Any]] = []

    def attach(self, env: Any, proxy: EmbeddedProxy) -> None:
        self.calls.append("attach")

    def begin(self, env: Any, episode: str, scenario: Scenario) -> None:
        # The plan must already be installed when the env's page would load.
        assert self.proxy.registry.peek(episode) is not None
        self.calls.append(f"begin {episode}")
        self.current = next(self.events)

    def page_events(self, env: Any) -> list[dict[str, Any]]:
        return self.current

    def verdict(
        self, scenario: Scenario, env_reward: SupportsFloat, info: dict[str, Any]
    ) -> dict[str, Any]:
        return {"source": "env_reward", "passed": float(env_reward) > 0}

    def harness_errors(self) -> tuple[type[BaseException], ...]:
        return (Crash,)

    def close(self) -> None:
        self.calls.append("close")


FIRED = [{"event": "fired", "perturbation": "p1", "kind": "decoy"}]


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(ledger_dir=tmp_path) as p:
        yield p


def _wrap(
    proxy: EmbeddedProxy, events: Iterator[list[dict[str, Any]]], **kw: Any
) -> GymfuzzWrapper:
    routing = ScriptedRouting(proxy, events)
    sc = kw.pop("scenarios", (scenario("a", page("decoy", "#x")),))
    return GymfuzzWrapper(ToyEnv(), scenarios=sc, proxy=proxy, routing=routing, **kw)


def test_reset_installs_the_plan_then_resets_the_env(proxy: EmbeddedProxy) -> None:
    env = _wrap(proxy, itertools.repeat(FIRED))
    obs, info = env.reset(seed=7)
    assert obs == {"goal": "task 7"} and info["toy"] is True
    report = info["gymfuzz"]
    assert report["scenario_id"] == "a" and report["env_seed"] == 7
    assert report["faults_fired"] == [{"id": "p1", "kind": "decoy", "layer": "page", "on": ""}]
    routing = env.routing
    assert isinstance(routing, ScriptedRouting)
    assert routing.calls == ["attach", f"begin {report['episode']}"]
    env.close()
    assert routing.calls[-1] == "close"


def test_steps_carry_reward_and_the_verdict_at_the_end(proxy: EmbeddedProxy) -> None:
    env = _wrap(proxy, itertools.repeat([]))
    env.reset(seed=1)
    _, reward, terminated, _, info = env.step("look")
    assert (reward, terminated, info["n"]) == (0.0, False, 1)
    assert info["gymfuzz"]["env_reward"] == 0.0 and "verdict" not in info["gymfuzz"]
    _, reward, terminated, _, info = env.step("win")
    assert terminated and reward == 1.0
    assert info["gymfuzz"]["verdict"] == {"source": "env_reward", "passed": True}
    ledger = Path(info["gymfuzz"]["ledger"]).read_text().splitlines()
    assert json.loads(ledger[-1]) | {"seq": 0, "t_ms": 0} == {
        "type": "verdict", "source": "env_reward", "passed": True, "seq": 0, "t_ms": 0,
    }  # fmt: skip


def test_harness_error_truncates_and_is_not_an_agent_failure(proxy: EmbeddedProxy) -> None:
    env = _wrap(proxy, itertools.repeat([]))
    first, _ = env.reset(seed=1)
    obs, reward, terminated, truncated, info = env.step("crash")
    assert obs == first and (reward, terminated, truncated) == (0.0, False, True)
    assert info["gymfuzz"]["harness_error"] == "Crash: browser went away"
    assert info["gymfuzz"]["verdict"]["outcome"] == "harness_error"


def test_unseeded_resets_continue_the_stream(proxy: EmbeddedProxy) -> None:
    sc = (scenario("a"), scenario("b"), scenario("c"))
    one, two = (_wrap(proxy, itertools.repeat([]), scenarios=sc, seed=3) for _ in range(2))
    runs = [[e.reset()[1]["gymfuzz"] for _ in range(5)] for e in (one, two)]
    picks = [[(r["scenario_id"], r["env_seed"]) for r in run] for run in runs]
    assert picks[0] == picks[1]
    assert len({p[1] for p in picks[0]}) == 5  # every episode gets its own env seed
    assert len({r["episode"] for r in runs[0] + runs[1]}) == 10  # episode ids never collide
    assert isinstance(one.unwrapped, ToyEnv) and one.unwrapped.seeds == [p[1] for p in picks[0]]


def test_determinism_checker_passes_and_names_what_differed(proxy: EmbeddedProxy) -> None:
    check_determinism(_wrap(proxy, itertools.repeat(FIRED)), seeds=(0, 1))
    flaky = _wrap(proxy, itertools.cycle([FIRED, []]))
    with pytest.raises(DeterminismError, match=r"seed 0: faults_fired differed .* global RNG"):
        check_determinism(flaky)


def test_wrap_arguments_are_checked(proxy: EmbeddedProxy) -> None:
    with pytest.raises(ValueError, match=r"exactly one of pack=\.\.\. or scenario=\.\.\."):
        wrap(ToyEnv(), proxy=proxy)
    with pytest.raises(Exception, match=r"no gymfuzz routing for .*ToyEnv"):
        wrap(ToyEnv(), scenario=scenario("a"), proxy=proxy)
    env = _wrap(proxy, itertools.repeat([]))
    with pytest.raises(RuntimeError, match=r"step: call reset\(\) first"):
        env.step("win")
