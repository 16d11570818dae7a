"""MiniWoB++ scenarios for the runner: recognition, validation and the verdict, no browser."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from fuzzer.agents.base import AgentError
from fuzzer.play.runner import run_episodes
from fuzzer.targets.miniwob import verdict_of
from fuzzer.targets.miniwob_agents import quoted
from fuzzer.targets.miniwob_pack import perturbed_variants, write_variants_pack
from fuzzer.targets.miniwob_scenarios import (
    check_tasks,
    known_tasks,
    miniwob_scenario,
    miniwob_task,
    task_page,
)
from scenarios.model import Scenario, ScenarioError, load_scenario

pytest.importorskip("miniwob", reason="MiniWoB++ comes with the extra 'gym'")

WIDGET_TASKS = {"click-button", "click-dialog", "choose-list", "choose-date", "use-autocomplete"}


def site_scenario(start: str = "/", drill: str = "miniwob") -> Scenario:
    return load_scenario(
        {
            "id": "s",
            "drill": drill,
            "seed": 1,
            "goal": {"text": "x", "start": start},
            "verifier": {},
        }
    )


def test_a_miniwob_scenario_names_its_task_page() -> None:
    sc = miniwob_scenario("choose-date", id="cd", seed=4)
    assert sc.drill == "miniwob" and sc.goal.start == task_page("choose-date")
    assert miniwob_task(sc) == "choose-date"
    assert sc.goal.fields == {"task": "choose-date"}
    assert load_scenario(sc.model_dump(mode="json")) == sc  # plain JSON, as in a pack


def test_other_scenarios_are_not_miniwob() -> None:
    assert miniwob_task(site_scenario()) is None  # a gym-wrapper scenario (start "/")
    assert miniwob_task(site_scenario("/miniwob/click-button.html", drill="calendar")) is None


def test_the_installed_package_has_the_widget_tasks() -> None:
    assert set(known_tasks()) >= WIDGET_TASKS


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (
            "/miniwob/no-such-task.html",
            "scenario s: goal.start: no MiniWoB++ task page 'no-such-task'",
        ),
        (
            "/miniwob/Click_Button",
            "scenario s: goal.start: expected /miniwob/<task>.html for drill",
        ),
    ],
)
def test_a_bad_task_page_fails_before_any_episode(start: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        check_tasks([site_scenario(start)])
    with pytest.raises(
        ValueError, match=re.escape(message)
    ):  # the runner checks before starting anything
        asyncio.run(
            run_episodes([site_scenario(start)], ["noop"], ["perturbed"], ledger_dir=Path("."))
        )


def test_miniwob_scenario_names_a_bad_field() -> None:
    with pytest.raises(ScenarioError, match=r"miniwob_scenario\('click-button'\): id: "):
        miniwob_scenario("click-button", id="bad id!", seed=1)
    bad = {
        "id": "f",
        "layer": "page",
        "kind": "modal",
        "target": {"selector": "#area"},
        "params": {},
    }
    with pytest.raises(ScenarioError, match=r"faults\[0\]\.params.*title"):
        miniwob_scenario("click-button", id="ok", seed=1, faults=[bad])


def test_verdict_from_the_task_ending() -> None:
    passed = verdict_of({"done": True, "raw_reward": 1, "reason": None}, 10_000, "Click on ok")
    assert passed["source"] == "env_reward" and passed["passed"] and passed["outcome"] == "passed"
    wrong = verdict_of({"done": True, "raw_reward": -1, "reason": None}, 10_000, "u")
    assert (wrong["passed"], wrong["outcome"], wrong["env_reward"]) == (False, "failed", -1.0)
    late = verdict_of({"done": True, "raw_reward": -1, "reason": "timed out"}, 12_000, "u")
    assert (late["outcome"], late["timer_ms"]) == ("timeout", 12_000)
    unfinished = verdict_of({"done": False}, 10_000, "u")
    assert unfinished["outcome"] == "failed"
    assert unfinished["reason"] == "agent stopped before the task ended"


def test_quoted_names_what_it_missed() -> None:
    assert quoted('Click on the "Ok" button.') == "Ok"
    with pytest.raises(AgentError, match="goal: no quoted text in 'Click on it'"):
        quoted("Click on it")


def test_the_variants_pack_aims_at_each_widget(tmp_path: Path) -> None:
    pack = write_variants_pack(tmp_path / "pack")
    scenarios = list(pack.scenarios())
    assert scenarios == perturbed_variants()
    assert {miniwob_task(sc) for sc in scenarios} == WIDGET_TASKS
    assert pack.manifest["fault_kinds"] == {
        "click_overlay": 1,
        "form_reset": 1,
        "latency": 1,
        "modal": 2,
        "rerender_widget": 1,
    }
    check_tasks(scenarios)
