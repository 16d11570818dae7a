"""``fuzzer.gym.wrap(target=...)`` on the example Django admin calendar: a gymnasium env over
an outside app launched from its target file, played with BrowserGym action strings, judged
by the app's own SQLite database; its processes stop with the env."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from fuzzer.gym import wrap
from fuzzer.gym.target_env import TargetEnv
from fuzzer.gym.wrapper import GymfuzzWrapper
from fuzzer.serve.axtree import read_tree
from fuzzer.targets.app import AppTarget
from scenarios.generate import generate_pack
from scenarios.pack import write_pack

pytest.importorskip("django", reason="the example needs Django (the 'dev' extra)")

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "django_calendar"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GymfuzzWrapper]:
    """The app's scenarios without their faults, so that a scripted policy can finish them."""
    work = tmp_path_factory.mktemp("gym")
    perturbed = generate_pack(work / "p", drill="", count=4, seed=11, graph=EXAMPLE / "graph.json")
    calm = [sc.without_faults() for sc in perturbed.scenarios()]
    write_pack(work / "calm", calm, arguments={"from": "test"})
    wrapped = wrap(target=EXAMPLE / "target.yaml", pack=work / "calm", seed=5)
    try:
        yield wrapped
    finally:
        wrapped.close()


def _bid(axtree: str, role: str, name: str) -> str:
    for line in read_tree(axtree):
        if line.role == role and line.name.rstrip(":") == name and line.bid:
            return line.bid
    raise AssertionError(f"no {role} {name!r} in:\n{axtree}")


def _play(env: GymfuzzWrapper, obs: dict[str, str], fields: dict[str, Any]) -> Any:
    """Log in, add the event from the goal's fields, say done: BrowserGym action strings."""
    tree = obs["axtree"]
    steps = [
        f'fill("{_bid(tree, "textbox", "Username")}", "{fields["username"]}")',
        f'fill("{_bid(tree, "textbox", "Password")}", "{fields["password"]}")',
        f'click("{_bid(tree, "button", "Log in")}")',
    ]
    for action in steps:
        obs, *_ = env.step(action)
        assert obs["last_action_error"] == "", (action, obs["last_action_error"])
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(obs["url"]))
    obs, *_ = env.step(f'goto("{origin}/admin/events/event/add/")')
    tree = obs["axtree"]
    for action in (
        f'fill("{_bid(tree, "textbox", "Title")}", "{fields["title"]}")',
        f'fill("{_bid(tree, "textbox", "Day")}", "{fields["day"]}")',
        f'select_option("{_bid(tree, "combobox", "Slot")}", "{fields["slot"]}")',
        f'select_option("{_bid(tree, "combobox", "Calendar")}", "{fields["calendar"]}")',
        f'click("{_bid(tree, "button", "Save")}")',
    ):
        obs, *_ = env.step(action)
        assert obs["last_action_error"] == "", (action, obs["last_action_error"])
    return env.step('send_msg_to_user("The event is stored.")')


def _verdicts(ledger: str) -> list[dict[str, Any]]:
    lines = Path(ledger).read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if r.get("type") == "verdict"]


@pytest.mark.timeout(600)
def test_wrap_target_plays_the_app_judged_by_its_database(env: GymfuzzWrapper) -> None:
    obs, info = env.reset(seed=1)
    assert "/admin/login/" in obs["url"]
    assert obs["goal"] == env.scenario.goal.text  # type: ignore[union-attr]
    assert env.observation_space.contains(obs)
    first = info["gymfuzz"]
    assert first["scenario_id"] == env.scenario.id  # type: ignore[union-attr]

    # doing nothing: the verifier fails the episode and names the rule
    obs, reward, terminated, truncated, info = env.step('send_msg_to_user("done")')
    assert (reward, terminated, truncated) == (0.0, True, False)
    verdict = info["gymfuzz"]["verdict"]
    assert verdict["passed"] is False
    assert any(r.startswith("one event") for r in info["failed_rules"]), info["failed_rules"]
    assert len(_verdicts(first["ledger"])) == 1  # the env's own record, not one more

    # the same seed picks the same scenario
    obs, info = env.reset(seed=1)
    assert info["gymfuzz"]["scenario_id"] == first["scenario_id"]
    assert info["gymfuzz"]["episode"] != first["episode"]
    fields = env.scenario.goal.fields  # type: ignore[union-attr]
    obs, reward, terminated, truncated, info = _play(env, obs, fields)
    assert (reward, terminated) == (1.0, True), info["verdict"]
    assert info["gymfuzz"]["verdict"]["passed"] is True
    # the app was reset between the two episodes: the event is stored exactly once
    assert len(_verdicts(info["gymfuzz"]["ledger"])) == 1


@pytest.mark.timeout(300)
def test_a_bad_action_is_an_observation_not_a_crash(env: GymfuzzWrapper) -> None:
    env.reset(seed=2)
    obs, reward, terminated, truncated, _ = env.step("rm -rf /")
    assert "unknown action" in obs["last_action_error"] or obs["last_action_error"]
    assert (reward, terminated, truncated) == (0.0, False, False)
    obs, *_ = env.step('click("no-such-bid")')
    assert obs["last_action_error"]


def test_wrap_refuses_an_env_with_a_target(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scenario"):
        wrap(target=EXAMPLE / "target.yaml")
    with pytest.raises(ValueError, match="env: give the env"):
        wrap(pack=tmp_path)


def test_a_bad_target_file_fails_before_anything_starts(tmp_path: Path) -> None:
    bad = tmp_path / "app.yaml"
    bad.write_text(
        "name: x\nurl: http://127.0.0.1:1\nstate: sqlite:///db\nreset: sometimes\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"app\.yaml:4: reset"):
        TargetEnv(bad)


@pytest.mark.timeout(300)
def test_closing_the_env_stops_the_app(tmp_path: Path) -> None:
    plain = TargetEnv(EXAMPLE / "target.yaml", ledger_dir=tmp_path)
    target = plain.host.harness.targets[0]
    assert isinstance(target, AppTarget)
    process = target.instances[0].process
    assert process is not None and process.pid is not None
    pid, workdir = process.pid, process.workdir
    os.kill(pid, 0)  # alive
    plain.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not workdir.exists()
