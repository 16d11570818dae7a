"""``gymfuzz record`` on the booking site's trip flow, through the real thing: the site
launched from a target file as any app (one database per instance), real mitmproxy, real
Chromium; the demonstrations are Playwright functions
(examples/booking_trips/demonstrations.py). The flow picks its values by clicks (an airport
suggestion, a fare button) and its flights exist on some days only, between two airports."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from fuzzer.loader import load_object
from fuzzer.record.capture import Demonstration, record
from fuzzer.record.infer import infer, write_drill
from scenarios.generate import generate_pack
from scenarios.model import Scenario
from tests.cli import gymfuzz

from .recorded import gate_recorded, replay_and_wrong_agents

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "booking_trips"
TARGET = EXAMPLE / "target.yaml"


@pytest.fixture(scope="module")
def demos() -> list[Demonstration]:
    scripts = [
        load_object(f"{EXAMPLE / 'demonstrations.py'}:{name}", "--script")
        for name in ("book_trip", "book_trip_again")
    ]

    async def both() -> list[Demonstration]:
        return [await record(TARGET, script) for script in scripts]

    return asyncio.run(both())


@pytest.fixture(scope="module")
def drill(demos: list[Demonstration], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("drills") / "book_trip"
    write_drill(demos[0], infer(demos[0], "book_trip"), out)
    return out


@pytest.fixture(scope="module")
def pack(drill: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Scenario]:
    out = tmp_path_factory.mktemp("pack") / "pack"
    return list(
        generate_pack(out, drill="", count=4, seed=3, graph=drill / "graph.yaml").scenarios()
    )


def test_clicked_choices_and_the_flight_row_become_goal_fields(drill: Path) -> None:
    graph = json.loads(json.dumps(load_yaml(drill / "graph.yaml")))
    data = graph["data"]
    rows = data["origin"]["row"]["rows"]
    # the flights of the site's timetable, as the columns the task uses
    assert {(r["origin"], r["destination"]) for r in rows} >= {("LIS", "AMS"), ("LHR", "BCN")}
    assert all(set(r) == {"origin", "destination", "date", "number"} for r in rows)
    assert data["flight"] == {"column": {"field": "origin", "name": "number"}}
    assert data["depart_date"] == {"column": {"field": "origin", "name": "date"}}
    assert data["fare"] == {"choice": ["basic", "flex", "standard"]}
    assert data["pax_name"] == {"faker": "name"} and data["pax_email"] == {"faker": "email"}
    verifier = json.loads((drill / "verifier.json").read_text())
    assert verifier["required"][0]["where"] == {
        "date": "{depart_date}",
        "flight": "{flight}",
        "fare": "{fare}",
        "passenger": "{pax_name}",
        "email": "{pax_email}",
    }
    assert {f["name"] for f in verifier["forbidden"]} >= {
        "no changes in flights",
        "no updated or removed rows in trips",
    }
    steps = {s["what"]: s for s in json.loads((drill / "replay.json").read_text())["steps"]}
    assert steps["choose_flight_fare"]["locators"] == [
        {"by": "keyed", "css": '#results li[data-flight="{flight}"] button[data-fare="{fare}"]'}
    ]
    assert steps["choose_origin"]["locators"][0]["css"] == '#origin-list li[data-value="{origin}"]'


def load_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text())


def test_a_second_demonstration_with_other_values_infers_the_same_drill(
    demos: list[Demonstration],
) -> None:
    first, second = (infer(d, "book_trip") for d in demos)
    assert demos[0].changes[0]["row"]["flight"] != demos[1].changes[0]["row"]["flight"]
    assert first.graph == second.graph
    assert first.verifier == second.verifier
    assert first.replay == second.replay


WRONG = """
import dataclasses
from pathlib import Path

from fuzzer.record.replay import ReplayAgent

Replay = ReplayAgent.from_file(Path({replay!r}))
OTHER = {{"basic": "flex", "standard": "basic", "flex": "standard"}}


class WrongFare:
    \"\"\"The replay with another fare than the goal's.\"\"\"

    name = "wrong_fare"

    async def run(self, page, task):
        fields = {{**task.fields, "fare": OTHER[task.fields["fare"]]}}
        return await Replay().run(page, dataclasses.replace(task, fields=fields))


class Twice:
    \"\"\"The replay, then the replay again: the trip booked twice.\"\"\"

    name = "twice"

    async def run(self, page, task):
        await Replay().run(page, task)
        return await Replay().run(page, task)
"""


@pytest.fixture(scope="module")
def wrong(drill: Path) -> Path:
    """A module of wrong agents built on the drill's replay agent."""
    path = drill.parent / "wrong_agents.py"
    path.write_text(WRONG.format(replay=str(drill / "replay.json")))
    return path


@pytest.mark.timeout(900)
async def test_the_replay_passes_and_wrong_agents_fail_naming_the_rule(
    drill: Path, pack: list[Scenario], wrong: Path, tmp_path: Path
) -> None:
    agents = [f"{drill / 'agent.py'}:Agent", f"{wrong}:WrongFare", f"{wrong}:Twice", "noop"]
    played = await replay_and_wrong_agents(
        pack[:2], agents, TARGET, tmp_path / "ledgers", goal="one trips row added with date",
        missing_goal=("wrong_fare", "twice", "noop"),
    )  # fmt: skip
    assert set(played) == {"wrong_fare", "twice", "noop"}
    for r in played["twice"]:
        assert "found 2" in r.summary


@pytest.mark.timeout(1200)
def test_the_recorded_trip_drill_passes_the_gate_through_the_cli(
    drill: Path, tmp_path: Path
) -> None:
    out = gate_recorded(drill, TARGET, tmp_path / "pack", count=4, seed=9)
    assert "gate: 4 scenarios, 0 vacuous, 0 unfair, 0 harness errors: PASS" in out


@pytest.mark.timeout(1200)
def test_fuzz_on_the_recorded_drill_finds_shrinks_and_certifies_the_wrong_fare(
    drill: Path, wrong: Path, tmp_path: Path
) -> None:
    out = tmp_path / "fuzz"
    proc = gymfuzz(
        "fuzz", "--graph", str(drill / "graph.yaml"), "--target", str(TARGET),
        "--agent", f"{wrong}:WrongFare", "--careful", f"{drill / 'agent.py'}:Agent",
        "--strategy", "pack", "--budget", "2", "--seed", "1", "--workers", "2",
        "--max-failures", "2", "--shrink-budget", "6", "--k", "1", "--out", str(out),
        timeout=1200,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["search"]["failures"] == 2  # the wrong fare fails every scenario
    certified = [c for c in report["certificates"] if c["status"] == "certified"]
    assert len(certified) == 2, proc.stdout

    def active(levels: list[int]) -> int:
        return sum(1 for level in levels if level)

    # the failure is the agent's own: a failure found with several perturbations on is
    # shrunk to fewer and still fails, and the replay agent passes every one
    assert any(
        active(c["shrunk"]["levels"]) < active(c["original"]["levels"]) for c in certified
    ), report["certificates"]
    for cert in certified:
        assert 1 <= active(cert["shrunk"]["levels"]) <= active(cert["original"]["levels"])
        assert cert["careful_passed"] == 1 and cert["fail_rate"] == 1.0
