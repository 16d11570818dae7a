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
    fired = [(f["id"], f["kind"], f["layer"]) for f in info["gymfuzz"]["faults_fired"]]
    assert ("p1", "decoy", "page") in fired
    obs, reward, terminated, _, info = env.step(f'click("{bids[0]}")')  # the decoy
    assert not terminated and reward == 0.0
    obs, reward, terminated, _, info = env.step(f'click("{bids[1]}")')
    assert terminated and reward == 1.0
    verdict = info["gymfuzz"]["verdict"]
    assert verdict["passed"] is True and verdict["source"] == "env_reward"
    assert info["gymfuzz"]["env_reward"] == reward


def _variant(variant_id: str) -> Scenario:
    from fuzzer.targets.miniwob_pack import perturbed_variants

    return next(sc for sc in perturbed_variants() if sc.id == variant_id)


def _bid(obs: dict[str, Any], pattern: str) -> str:
    """The first bid whose flattened accessibility-tree line matches ``pattern``."""
    tree = flatten(obs["axtree_object"])
    found = re.search(rf"\[(\w+)\] {pattern}", tree)
    assert found is not None, (pattern, tree)
    return found.group(1)


def _fired(info: dict[str, Any]) -> set[str]:
    return {f["kind"] for f in info["gymfuzz"]["faults_fired"]}


@pytest.fixture
def make_task_env(tmp_path: Path) -> Iterator[Any]:
    import browsergym.miniwob

    gym.register_envs(browsergym.miniwob)
    envs: list[GymfuzzWrapper] = []

    def _make(task: str, sc: Scenario) -> GymfuzzWrapper:
        env = wrap(gym.make(f"browsergym/miniwob.{task}"), scenario=sc, ledger_dir=tmp_path)
        envs.append(env)
        return env

    yield _make
    for env in envs:
        env.close()


def test_click_dialog_gets_stacked_modals_over_its_own_dialog(make_task_env: Any) -> None:
    env = make_task_env("click-dialog", _variant("click-dialog-modals"))
    obs, info = env.reset(seed=5)
    assert "modal" in _fired(info)
    assert "Cookies" in flatten(obs["axtree_object"])  # the injected dialogs are observed
    assert info["gymfuzz"]["scenario_id"] == "click-dialog-modals"


def test_choose_list_gets_an_overlay_over_submit(make_task_env: Any) -> None:
    env = make_task_env("choose-list", _variant("choose-list-overlay"))
    obs, info = env.reset(seed=5)
    assert "click_overlay" in _fired(info)
    obs, reward, terminated, _, info = env.step(f'click("{_bid(obs, "button")}")')
    assert not terminated and reward == 0.0  # the layer took the first click: no answer yet


def test_choose_date_picker_rerenders_inside_the_press_on_a_day(make_task_env: Any) -> None:
    env = make_task_env("choose-date", _variant("choose-date-rerender"))
    obs, info = env.reset(seed=5)
    assert "rerender_widget" not in _fired(info)  # armed, waiting for a press on a day
    obs, *_ = env.step(f'click("{_bid(obs, "textbox")}")')  # opens the date picker
    obs, _, _, _, info = env.step(f'click("{_bid(obs, "link '15'")}")')
    assert "rerender_widget" in _fired(info)


def test_use_autocomplete_form_resets_when_submit_takes_the_focus(make_task_env: Any) -> None:
    env = make_task_env("use-autocomplete", _variant("use-autocomplete-reset"))
    obs, info = env.reset(seed=5)
    field = _bid(obs, "textbox")
    obs, *_ = env.step(f'fill("{field}", "xyz")')
    obs, _, _, _, info = env.step(f'focus("{_bid(obs, "button")}")')
    assert "form_reset" in _fired(info)
    assert "xyz" not in flatten(obs["axtree_object"])  # the typed text is gone


# ---- the any-app pack, unchanged, on BrowserGym's own MiniWoB++ tasks ----------------------


class CarefulPolicy:
    """A BrowserGym-style policy (one action string per observation) that gets through the
    any-app pack's conditions: it closes dialogs in its way (topmost first), and when an
    action did not take (a layer over the button, inert controls) it waits and tries again."""

    def __init__(self, task: str) -> None:
        self.task = task
        self.waits = 0
        self.chosen = False
        self.last = ""

    def get_action(self, obs: dict[str, Any]) -> str:
        if obs["last_action_error"]:
            if self.last.startswith("select_option"):
                self.chosen = False
            if self.waits < 10:
                self.waits += 1
                self.last = "noop(500)"  # the page did not take it yet: wait, look again
                return self.last
        self.last = self._next(obs)
        return self.last

    def _next(self, obs: dict[str, Any]) -> str:
        closes = re.findall(r"\[(\w+)\] button 'Close'", flatten(obs["axtree_object"]))
        if closes:
            return f'click("{closes[-1]}")'  # the topmost dialog's: only it can be hit
        if self.task == "click-button":
            wanted = re.search(r'"(.+?)"', obs["goal"])
            assert wanted is not None, obs["goal"]
            return f'click("{_bid(obs, f"button {wanted.group(1)!r}")}")'
        if not self.chosen:
            wanted = re.search(r"Select (.+?) from", obs["goal"])
            assert wanted is not None, obs["goal"]
            self.chosen = True
            return f'select_option("{_bid(obs, "combobox")}", "{wanted.group(1)}")'
        return f'click("{_bid(obs, "button 'Submit'")}")'


@pytest.fixture(scope="module")
def any_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scenarios.anyapp import ANY_APP_GRAPH
    from scenarios.generate import generate_pack

    out = tmp_path_factory.mktemp("any") / "pack"
    generate_pack(out, drill="", graph=ANY_APP_GRAPH, count=12, seed=4, interfaces=True)
    return out


@pytest.mark.parametrize("task", ["click-button", "choose-list"])
def test_the_any_app_pack_wraps_a_task_in_one_line_and_careful_still_solves_it(
    task: str, any_pack: Path, tmp_path: Path
) -> None:
    import browsergym.miniwob

    gym.register_envs(browsergym.miniwob)
    env = wrap(gym.make(f"browsergym/miniwob.{task}"), pack=any_pack, ledger_dir=tmp_path)
    kinds: set[str] = set()
    try:
        for episode in range(5):
            obs, info = env.reset(seed=40 + episode)
            policy = CarefulPolicy(task)
            for _ in range(25):
                obs, reward, terminated, truncated, info = env.step(policy.get_action(obs))
                if terminated or truncated:
                    break
            report = info["gymfuzz"]
            assert terminated and reward == 1.0, (report["scenario_id"], report["faults_fired"])
            assert report["verdict"]["passed"] is True
            for fired in report["faults_fired"]:
                assert fired["on"], fired  # every firing names its element or request
                kinds.add(fired["kind"])
    finally:
        env.close()
    assert "modal" in kinds or "click_overlay" in kinds, kinds  # it found the task's buttons
