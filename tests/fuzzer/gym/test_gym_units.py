"""The gym adapters' parts that need no browser: scenario choice, action strings, the task
timer, faults read from a ledger, the MiniWoB++ verdict, and routing selection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gymnasium
import pytest

from fuzzer.gym import (
    ActionError,
    RoutingError,
    ScenarioChooser,
    faults_fired,
    load_scenarios,
    parse_action,
    routing_for,
)
from fuzzer.gym.browsergym_agent import dom_text
from fuzzer.gym.miniwob import MiniWoBRouting, task_timer_ms
from scenarios.pack import write_pack

from .scenarios_kit import latency, scenario

THREE = (scenario("a"), scenario("b"), scenario("c"))


def test_same_seed_same_picks() -> None:
    one, two = ScenarioChooser(THREE), ScenarioChooser(THREE)
    first = [one.pick(5 if i == 0 else None) for i in range(6)]
    second = [two.pick(5 if i == 0 else None) for i in range(6)]
    assert [(p.scenario.id, p.env_seed) for p in first] == [
        (p.scenario.id, p.env_seed) for p in second
    ]
    assert [p.number for p in first] == [1, 2, 3, 4, 5, 6]


def test_seeded_reset_restarts_the_stream() -> None:
    chooser = ScenarioChooser(THREE)
    a = [chooser.pick(9 if i == 0 else None) for i in range(4)]
    b = [chooser.pick(9 if i == 0 else None) for i in range(4)]
    assert [p.scenario.id for p in a] == [p.scenario.id for p in b]
    assert a[0].env_seed == 9  # a given seed is also the env's seed
    assert a[1].env_seed is not None and a[1].env_seed != 9


def test_golden_picks_of_seed_0() -> None:
    # Pinned: a change here changes which scenario every recorded run played.
    picks = [ScenarioChooser(THREE).pick(0)] + [ScenarioChooser(THREE).pick(s) for s in (1, 2)]
    assert [p.scenario.id for p in picks] == ["b", "a", "a"]


def test_picks_cover_every_scenario() -> None:
    chooser = ScenarioChooser(THREE, seed=1)
    assert {chooser.pick(None).scenario.id for _ in range(60)} == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("seed", "message"),
    [(-1, r"seed: expected an integer >= 0, got -1"), (True, r"got True")],
)
def test_bad_seed_is_named(seed: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ScenarioChooser(THREE, seed=seed)
    with pytest.raises(ValueError, match=r"seed: expected an integer >= 0 or None, got 'x'"):
        ScenarioChooser(THREE).pick("x")  # type: ignore[arg-type]


def test_load_scenarios_needs_exactly_one_source(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"exactly one of pack=\.\.\. or scenario=\.\.\."):
        load_scenarios(None, None)
    with pytest.raises(ValueError, match=r"exactly one of pack"):
        load_scenarios(tmp_path, THREE[0])
    with pytest.raises(
        ValueError, match=r"scenario: expected a scenarios.model.Scenario, got dict"
    ):
        load_scenarios(None, {"id": "x"})  # type: ignore[arg-type]


def test_load_scenarios_reads_a_pack(tmp_path: Path) -> None:
    write_pack(tmp_path / "pack", THREE, arguments={})
    assert [s.id for s in load_scenarios(tmp_path / "pack", None)] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ('click("12")', ("click", ["12"])),
        ("fill('7', 'hello world')", ("fill", ["7", "hello world"])),
        ("noop()", ("noop", [])),
        ("mouse_click(10, 20.5)", ("mouse_click", [10, 20.5])),
    ],
)
def test_parse_action(text: str, parsed: tuple[str, list[Any]]) -> None:
    assert parse_action(text) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("click(", r"not a function call: 'click\('"),
        ("scroll(0, 10)", r"unsupported 'scroll'"),
        ("click(x)", r"arguments must be literals"),
        ('click("1", "2")', r"click takes 1 argument\(s\)"),
        ('os.system("ls")', r"expected name\(arg, \.\.\.\)"),
    ],
)
def test_bad_action_strings_are_quoted(text: str, message: str) -> None:
    with pytest.raises(ActionError, match=message):
        parse_action(text)


def test_dom_text_lists_bids() -> None:
    obs = {
        "dom_elements": [
            {"ref": 6, "tag": "button", "text": "Ok"},
            {"ref": 2, "tag": "div", "text": ""},
        ]
    }
    assert dom_text(obs) == '[6] button "Ok"'


def test_task_timer_grows_with_latency() -> None:
    assert task_timer_ms(scenario("plain")) == 10_000
    assert task_timer_ms(scenario("slow", latency(300, jitter_ms=100))) == 10_000 + 400 * 5
    assert task_timer_ms(scenario("slow", latency(300)), base_ms=2_000, requests=2) == 2_600
    assert task_timer_ms(scenario("huge", latency(600_000))) == 600_000


def test_faults_fired_reads_ledger_and_page(tmp_path: Path) -> None:
    ledger = tmp_path / "ep.jsonl"
    records = [
        {"type": "plan", "episode": "ep"},
        {
            "type": "request",
            "method": "POST",
            "path": "/api/save",
            "decisions": [{"id": "n1", "kind": "latency", "fired": True}],
        },
        {"type": "request", "decisions": [{"id": "n2", "kind": "http_error", "fired": False}]},
        {
            "type": "page",
            "perturbation": "p1",
            "kind": "decoy",
            "event": "fired",
            "detail": {"element": 'button "Ok"'},
        },
        {"type": "page", "perturbation": "p1", "kind": "decoy", "event": "decoy_used"},
    ]
    ledger.write_text("".join(json.dumps(r) + "\n" for r in records))
    page_events = [{"event": "fired", "perturbation": "p2", "kind": "click_overlay"}]
    assert faults_fired(ledger, page_events) == [
        {"id": "n1", "kind": "latency", "layer": "network", "on": "POST /api/save"},
        {"id": "p1", "kind": "decoy", "layer": "page", "on": 'button "Ok"'},
        {"id": "p2", "kind": "click_overlay", "layer": "page", "on": ""},
    ]
    assert faults_fired(tmp_path / "missing.jsonl") == []


@pytest.mark.parametrize(
    ("info", "passed", "outcome"),
    [
        ({"raw_reward": 1.0, "reason": None}, True, "passed"),
        ({"raw_reward": -1.0, "reason": "wrong button"}, False, "failed"),
        ({"raw_reward": -1.0, "reason": "timed out"}, False, "timeout"),
    ],
)
def test_miniwob_verdict_comes_from_the_task_reward(
    info: dict[str, Any], passed: bool, outcome: str
) -> None:
    verdict = MiniWoBRouting().verdict(scenario("a"), 0.5, info)
    assert (verdict["passed"], verdict["outcome"], verdict["source"]) == (
        passed,
        outcome,
        "env_reward",
    )
    assert verdict["env_reward"] == info["raw_reward"]


def test_routing_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match=r"base_ms: expected 1 to 600000, got 0"):
        MiniWoBRouting(base_ms=0)
    with pytest.raises(ValueError, match=r"requests: expected >= 0, got -1"):
        MiniWoBRouting(requests=-1)


def test_no_routing_for_other_envs() -> None:
    env = gymnasium.make("CartPole-v1")
    try:
        with pytest.raises(RoutingError, match=r"no gymfuzz routing for .*CartPoleEnv"):
            routing_for(env)
    finally:
        env.close()


def test_public_names() -> None:
    import fuzzer.gym

    assert all(hasattr(fuzzer.gym, name) for name in fuzzer.gym.__all__)
    assert {"wrap", "GymfuzzWrapper", "ProxyRouting", "play", "check_determinism"} <= set(
        fuzzer.gym.__all__
    )
