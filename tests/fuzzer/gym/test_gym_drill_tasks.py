"""The drills as BrowserGym tasks: registered, playable bare and wrapped, judged by the verifier.

Runs in the BrowserGym virtualenv (``scripts/browsergym-venv``); skips elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fuzzer.gym import wrap
from scenarios.generate import get_drill

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

gym = pytest.importorskip("gymnasium")
pytest.importorskip("browsergym.core", reason="BrowserGym lives in .gymfuzz/browsergym-venv")


@pytest.fixture
def envs() -> Iterator[list[Any]]:
    made: list[Any] = []
    yield made
    for env in made:
        env.close()


def test_three_drills_are_registered() -> None:
    from fuzzer.gym.drill_tasks import register_drill_tasks

    ids = register_drill_tasks()
    assert ids == [f"browsergym/gymfuzz.{d}" for d in ("calendar", "dropdown", "endurance")]
    assert all(i in gym.registry for i in ids)


def test_doing_nothing_fails_the_verifier(envs: list[Any]) -> None:
    from fuzzer.gym.drill_tasks import register_drill_tasks

    register_drill_tasks()
    env = gym.make("browsergym/gymfuzz.calendar")
    envs.append(env)
    obs, info = env.reset(seed=2)
    assert obs["goal"] == get_drill("calendar").scenario(0, 2, perturbed=False).goal.text
    _, reward, terminated, _, info = env.step('send_msg_to_user("Done.")')
    assert terminated and reward == 0.0
    verdict = info["task_info"]["verdict"]
    assert verdict["passed"] is False
    assert any(not r["passed"] and r["kind"] == "required" for r in verdict["results"])


def test_wrapped_drill_is_perturbed_and_judged(envs: list[Any], tmp_path: Path) -> None:
    from fuzzer.gym.drill_tasks import register_drill_tasks

    register_drill_tasks()
    scenario = get_drill("calendar").scenario(0, 1, perturbed=True)
    assert scenario.page_faults() or scenario.network_faults()
    env = wrap(gym.make("browsergym/gymfuzz.calendar"), scenario=scenario, ledger_dir=tmp_path)
    envs.append(env)
    obs, info = env.reset(seed=5)
    assert obs["goal"] == scenario.goal.text
    episode = info["gymfuzz"]["episode"]
    unwrapped: Any = env.unwrapped
    page = unwrapped.page
    # The proxy injected the scenario's page runtime, for this episode.
    assert page.evaluate("window.__gymfuzz && window.__gymfuzz.events[0].episode") == episode
    _, reward, terminated, _, info = env.step('report_infeasible("I cannot do this.")')
    assert terminated and reward == 0.0
    verdict = info["gymfuzz"]["verdict"]
    assert verdict["source"] == "verifier" and verdict["outcome"] == "failed"
    assert any(r["kind"] == "escalation" and not r["passed"] for r in verdict["results"])


def test_bad_task_arguments_are_named() -> None:
    from fuzzer.gym.drill_tasks import DrillTask

    with pytest.raises(ValueError, match=r"drill: expected one of .*, got 'golf'"):
        DrillTask(seed=0, drill="golf")
    other = get_drill("dropdown").scenario(0, 0, perturbed=False)
    with pytest.raises(ValueError, match=r"is of drill 'dropdown', not 'calendar'"):
        DrillTask(seed=0, drill="calendar", scenario=other)
