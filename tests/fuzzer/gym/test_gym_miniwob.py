"""MiniWoB++ click-button wrapped in one line, played through a real proxy by real Chromium.

The env is the Farama ``miniwob`` package's own (Selenium, chromedriver); the wrapper routes
its Chrome through a real gymfuzz proxy. The policy is BrowserGym-style: it reads the goal and
the element list and answers ``click("<bid>")``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fuzzer.gym import (
    GymfuzzWrapper,
    browsergym_obs,
    check_determinism,
    play,
    to_miniwob_action,
    wrap,
)
from fuzzer.gym.miniwob import MiniWoBRouting, chrome_paths
from fuzzer.gym.routing import RoutingError
from scenarios.model import Scenario

from .scenarios_kit import latency, page, scenario

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

gym = pytest.importorskip("gymnasium")
miniwob = pytest.importorskip("miniwob", reason="MiniWoB++ comes with the dev extra 'miniwob'")

TASK = "miniwob/click-button-v1"


@pytest.fixture(autouse=True)
def chrome_for_miniwob(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        binary, driver = chrome_paths()
    except RoutingError as exc:
        pytest.skip(str(exc))
    monkeypatch.setenv("MINIWOB_CHROME_BINARY", binary)
    monkeypatch.setenv("MINIWOB_CHROMEDRIVER", driver)
    gym.register_envs(miniwob)


@pytest.fixture
def make_env(tmp_path: Path) -> Iterator[Any]:
    envs: list[GymfuzzWrapper] = []

    def _make(sc: Scenario | tuple[Scenario, ...], **kwargs: Any) -> GymfuzzWrapper:
        kwargs.setdefault("ledger_dir", tmp_path)
        if isinstance(sc, tuple):
            env = GymfuzzWrapper(gym.make(TASK), scenarios=sc, **kwargs)
        else:
            env = wrap(gym.make(TASK), scenario=sc, **kwargs)
        envs.append(env)
        return env

    yield _make
    for env in envs:
        env.close()


class OneClick:
    """Clicks the first button whose text the goal names, once per observation."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def get_action(self, obs: dict[str, Any]) -> str:
        self.seen.append(obs)
        wanted = re.search(r'"(.+?)"', obs["goal"])
        assert wanted is not None, obs["goal"]
        bids = re.findall(
            rf'^\[(\d+)\] button "{re.escape(wanted.group(1))}"$', obs["dom_txt"], re.M
        )
        return f'click("{bids[0]}")' if bids else "noop()"


def _buttons(obs: dict[str, Any], text: str) -> list[int]:
    return [e["ref"] for e in obs["dom_elements"] if e["tag"] == "button" and e["text"] == text]


def test_unperturbed_one_click_passes(make_env: Any) -> None:
    env = make_env(scenario("plain"))
    result = play(env, OneClick(), seed=11, max_steps=3)
    assert result.terminated and result.steps == 1
    report = result.info["gymfuzz"]
    assert report["scenario_id"] == "plain" and report["faults_fired"] == []
    assert report["verdict"]["passed"] is True and report["verdict"]["outcome"] == "passed"
    assert report["env_reward"] == result.info["env_reward"] > 0  # the env's own, untouched
    records = [json.loads(line) for line in Path(report["ledger"]).read_text().splitlines()]
    assert records[-1]["type"] == "verdict" and records[-1]["passed"] is True


def test_decoy_is_in_the_observation_and_the_info(make_env: Any) -> None:
    env = make_env(scenario("decoy", page("decoy", "#area button")))
    obs, info = env.reset(seed=11)
    wanted = re.search(r'"(.+?)"', obs["utterance"])
    assert wanted is not None
    twins = _buttons(obs, wanted.group(1))
    assert len(twins) == 2  # the lookalike is in the env's own DOM observation
    (decoy,) = info["gymfuzz"]["faults_fired"]
    assert (decoy["id"], decoy["kind"], decoy["layer"]) == ("p1", "decoy", "page")
    assert decoy["on"].startswith('button "')  # named by the first element it copied
    # The one-click policy clicks the first match: the decoy. Nothing happens.
    agent = OneClick()
    obs, reward, terminated, _, info = env.step(
        to_miniwob_action(env, agent.get_action(browsergym_obs(obs)))
    )
    assert not terminated and reward == 0
    assert "verdict" not in info["gymfuzz"]
    # The live button ends the task; the verdict and the faults fired come with it.
    obs, reward, terminated, _, info = env.step(
        env.unwrapped.create_action("CLICK_ELEMENT", ref=twins[1])
    )
    assert terminated and reward > 0
    assert info["gymfuzz"]["verdict"]["passed"] is True
    assert [f["kind"] for f in info["gymfuzz"]["faults_fired"]] == ["decoy"]
    events = env.routing.page_events(env)
    assert "decoy_used" in [e["event"] for e in events]


def test_latency_extends_the_task_timer(make_env: Any) -> None:
    env = make_env(scenario("slow", latency(400)))
    obs, info = env.reset(seed=11)
    driver = env.unwrapped.instance.driver
    assert driver.execute_script("return core.EPISODE_MAX_TIME;") == 10_000 + 400 * 5
    fired = info["gymfuzz"]["faults_fired"]
    assert [(f["id"], f["kind"], f["layer"]) for f in fired] == [("n1", "latency", "network")]
    assert fired[0]["on"].startswith("GET /")  # the task page's request
    result_obs = browsergym_obs(obs)
    obs, _, terminated, _, info = env.step(
        to_miniwob_action(env, OneClick().get_action(result_obs))
    )
    assert terminated and info["gymfuzz"]["verdict"]["timer_ms"] == 12_000
    assert info["gymfuzz"]["verdict"]["passed"] is True


def test_timer_running_out_is_a_timeout_not_a_failure(make_env: Any) -> None:
    env = make_env(scenario("idle"), routing=MiniWoBRouting(base_ms=1_000))
    env.reset(seed=11)
    noop = env.unwrapped.create_action("NONE")
    for _ in range(100):  # bounded; each step reads the task's state
        _, _, terminated, _, info = env.step(noop)
        if terminated:
            break
        time.sleep(0.1)
    assert terminated
    verdict = info["gymfuzz"]["verdict"]
    assert verdict["outcome"] == "timeout" and verdict["passed"] is False
    assert verdict["reason"] == "timed out" and verdict["timer_ms"] == 1_000


def _fired(env: GymfuzzWrapper, seed: int) -> tuple[str, list[str], str]:
    obs, info = env.reset(seed=seed)
    report = info["gymfuzz"]
    # The page runs this episode's runtime: not a copy the browser kept from an earlier one.
    config = env.unwrapped.instance.driver.execute_script("return window.__gymfuzz.config;")
    assert (config["episode"], config["seed"]) == (report["episode"], env.scenario.seed)
    return report["scenario_id"], sorted(f["id"] for f in report["faults_fired"]), obs["utterance"]


def test_same_seed_same_scenario_and_same_fault_decisions(make_env: Any) -> None:
    coin = [page("decoy", "#area button", id=f"d{i}", probability=0.5) for i in range(6)]
    pack = (scenario("coin-a", *coin, seed=1), scenario("coin-b", *coin, seed=2))
    env = make_env(pack)
    first = [_fired(env, seed) for seed in (4, 5, 4, 5)]
    assert first[0] == first[2] and first[1] == first[3]
    assert all(0 < len(fired) < 6 for _, fired, _ in first)  # the coin really was tossed
    assert first[0][1] != first[1][1]  # each scenario's own seed decides (seeds 1 and 2 differ)
    check_determinism(env, seeds=(4,))  # the same check, as users call it


def test_a_fault_on_the_task_scripts_fires_in_every_episode(make_env: Any) -> None:
    # The env's Chrome lives across resets: what it kept of an earlier episode (the task's
    # scripts) would not pass the proxy again, and the fault would fire in the first only.
    slow_core = {
        "id": "n2",
        "layer": "network",
        "kind": "latency",
        "match": {"path": "/core/*", "resource": "asset"},
        "probability": 1.0,
        "params": {"ms": 20},
    }
    env = make_env(scenario("slow-core", slow_core))
    for seed in (4, 4, 5):
        _, info = env.reset(seed=seed)
        fired = info["gymfuzz"]["faults_fired"]
        assert ("n2", "latency", "network") in [(f["id"], f["kind"], f["layer"]) for f in fired]
