"""The any-app pack: what it names (roles and kinds, methods and resource types, never an
app's own ids or classes), what it covers, and overlaying it on a pack of tasks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scenarios.anyapp import ANY_APP, ANY_APP_GRAPH, overlay
from scenarios.drills import DRILLS
from scenarios.generate import generate_pack
from scenarios.model import Scenario, ScenarioError
from scenarios.pack import open_pack

#: One simple selector of the any-app graph: a tag or ``*``, then attribute tests on the
#: generic attributes only (type, role, list, href, aria-autocomplete); no id, no class.
_SIMPLE = re.compile(
    r"^(?:[a-z]+|\*)?(?:\[(?:type|role|list|href|aria-autocomplete)(?:=[a-z]+)?\])*$"
)
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _generic(selector: str) -> bool:
    return all(_SIMPLE.match(part.strip()) for part in selector.split(","))


@pytest.fixture(scope="module")
def any_pack(tmp_path_factory: pytest.TempPathFactory) -> list[Scenario]:
    out = tmp_path_factory.mktemp("any") / "pack"
    generate_pack(out, drill="", graph=ANY_APP_GRAPH, count=40, seed=5, interfaces=True)
    return list(open_pack(out).scenarios())


def test_every_fault_names_elements_by_role_and_kind_and_requests_by_method(
    any_pack: list[Scenario],
) -> None:
    page = [f for sc in any_pack for f in sc.page_faults()]
    network = [f for sc in any_pack for f in sc.network_faults()]
    assert page and network
    for f in page:
        assert _generic(f["target"]["selector"]), f
        assert _generic(f["trigger"].get("selector", "*")), f
    for f in network:
        match = f["match"]
        assert set(match) <= {"methods", "resource"}, f  # no path, no host
        assert match.get("resource") in ("fetch", "document") or set(match["methods"]) == WRITES
    # every element kind the pack is for is waited for or acted on somewhere
    selectors = " ".join(
        f["target"]["selector"] + " " + f["trigger"].get("selector", "") for f in page
    )
    for kind in ("button", "a[href]", "select", "input[type=date]", "input[list]", "form"):
        assert kind in selectors, kind
    # page perturbations wait for their element; only the looks fire on every page load
    events = {f["trigger"]["event"] for f in page if not f["id"].startswith("interface.")}
    assert events == {"appear", "focus", "pointerdown"}, events


def test_the_pack_covers_every_pair_and_every_look(
    any_pack: list[Scenario], tmp_path: Path
) -> None:
    out = tmp_path / "pack"
    pack = generate_pack(out, drill="", graph=ANY_APP_GRAPH, count=40, seed=5, interfaces=True)
    coverage = pack.manifest["coverage"][ANY_APP]
    pert, looks = coverage["perturbations"], coverage["interfaces"]
    assert pert["covered"] == pert["total"] > 0
    assert looks["pairs"]["covered"] == looks["pairs"]["total"] > 0
    assert {sc.interface for sc in any_pack} == {"default", *looks["variants"]}
    assert all(sc.drill == ANY_APP and not sc.verifier.required for sc in any_pack)
    # same arguments, same bytes
    again = generate_pack(
        tmp_path / "again", drill="", graph=ANY_APP_GRAPH, count=40, seed=5, interfaces=True
    )
    assert (again.path / "scenarios.jsonl").read_bytes() == (out / "scenarios.jsonl").read_bytes()


def test_overlay_plays_each_task_under_a_layer(any_pack: list[Scenario]) -> None:
    drill = DRILLS["dropdown"]
    tasks = [drill.scenario(11, i) for i in range(3)]
    layers = any_pack[:5]
    played = overlay(tasks, layers)
    assert len(played) == 5  # every layer once; the tasks round robin
    for i, sc in enumerate(played):
        task, layer = tasks[i % 3], layers[i]
        assert sc.id == f"{task.id}.{layer.id}"
        assert (sc.drill, sc.goal, sc.verifier, sc.fixture) == (
            task.drill,
            task.goal,
            task.verifier,
            task.fixture,
        )
        assert list(sc.faults) == [
            *(f for f in task.faults if f["id"] in task.essential),
            *layer.faults,
        ]
        assert sc.interface == layer.interface
        # the unperturbed condition keeps the look and nothing of the layer's perturbations
        kept = {f["id"] for f in sc.without_faults().faults}
        assert kept == set(task.essential) | set(layer.essential)
    assert overlay(tasks, layers) == played  # deterministic


def test_overlay_refuses_what_is_not_an_any_app_pack(any_pack: list[Scenario]) -> None:
    task = DRILLS["calendar"].scenario(3, 0)
    with pytest.raises(ScenarioError, match=r"scenario calendar-00000: drill: expected an any-app"):
        overlay([task], [task])
    with pytest.raises(ScenarioError, match="the overlay pack holds no scenario"):
        overlay([task], [])
    with pytest.raises(ScenarioError, match="the task pack holds no scenario"):
        overlay([], any_pack[:1])
