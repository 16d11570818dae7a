"""An unmodified BrowserGym MiniWoB++ task, wrapped in one line, under gymfuzz scenarios.

BrowserGym pins an older Playwright than gymfuzz, so these tests run in the BrowserGym
virtualenv (``scripts/browsergym-venv``, then ``.gymfuzz/browsergym-venv/bin/python -m pytest
tests/fuzzer/gym/test_gym_browsergym.py``) and skip elsewhere. The browser is the system
Chromium; the proxy is a real gymfuzz proxy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fuzzer.gym import GymfuzzWrapper, wrap
from scenarios.model import Scenario

from .scenarios_kit import page, scenario

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

gym = pytest.importorskip("gymnasium")
pytest.importorskip("browsergym.miniwob", reason="BrowserGym lives in .gymfuzz/browsergym-venv")
flatten = pytest.importorskip("browsergym.utils.obs").flatten_axtree_to_str


@pytest.fixture
def make_env(tmp_path: Path) -> Iterator[Any]:
    import browsergym.miniwob  # type: ignore[import-not-found]

    gym.register_envs(browsergym.miniwob)
    envs: list[GymfuzzWrapper] = []

    def _make(sc: Scenario) -> GymfuzzWrapper:
        env = wrap(gym.make("browsergym/miniwob.click-button"), scenario=sc, ledger_dir=tmp_path)
        envs.append(env)
        return env

    yield _make
    for env in envs:
        env.close()


def _wanted_bids(obs: dict[str, Any]) -> list[str]:
    wanted = re.search(r'"(.+?)"', obs["goal"])
    assert wanted is not None, obs["goal"]
    tree = flatten(obs["axtree_object"])
    return re.findall(rf"\[(\w+)\] button '{re.escape(wanted.group(1))}'", tree)


def test_unperturbed_one_click_passes(make_env: Any) -> None:
    env = make_env(scenario("plain"))
    obs, info = env.reset(seed=3)
    bids = _wanted_bids(obs)
    assert len(bids) == 1
    obs, reward, terminated, _, info = env.step(f'click("{bids[0]}")')
    assert terminated and reward == 1.0
    assert info["gymfuzz"]["verdict"]["passed"] is True
    assert info["gymfuzz"]["faults_fired"] == []


def test_decoy_visible_in_the_observation_and_verdict_in_info(make_env: Any) -> None:
    env = make_env(scenario("decoy", page("decoy", "#area button")))
    obs, info = env.reset(seed=3)
    bids = _wanted_bids(obs)
    assert len(bids) == 2  # the lookalike is in BrowserGym's own accessibility tree
    assert {"id": "p1", "kind": "decoy", "layer": "page"} in info["gymfuzz"]["faults_fired"]
    obs, reward, terminated, _, info = env.step(f'click("{bids[0]}")')  # the decoy
    assert not terminated and reward == 0.0
    obs, reward, terminated, _, info = env.step(f'click("{bids[1]}")')
    assert terminated and reward == 1.0
    verdict = info["gymfuzz"]["verdict"]
    assert verdict["passed"] is True and verdict["source"] == "env_reward"
    assert info["gymfuzz"]["env_reward"] == reward
