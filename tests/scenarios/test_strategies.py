"""Hypothesis strategies over the scenario space, and how they shrink."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, find, given, settings

from scenarios.drills import DRILLS
from scenarios.drills.graph import GraphDrill
from scenarios.model import Scenario
from scenarios.strategies import scenarios
from scenarios.workflow import follow
from scenarios.workflow_spec import load_workflow

SHOP = GraphDrill(load_workflow(Path(__file__).with_name("graphs") / "shop_checkout.yaml"))
QUIET = settings(database=None, max_examples=40, suppress_health_check=list(HealthCheck))


@QUIET
@given(scenarios("calendar"))
def test_calendar_strategy_yields_valid_scenarios(sc: Scenario) -> None:
    assert len(sc.faults) >= 1
    assert follow(DRILLS["calendar"].graph, sc.path)[-1] == "done"
    assert sc.goal.fields["date"] in sc.goal.text


@QUIET
@given(scenarios(SHOP))
def test_user_graph_strategy_yields_valid_scenarios(sc: Scenario) -> None:
    assert follow(SHOP.graph, sc.path, start="home")[-1] == "confirmed"
    assert sc.drill == "shop-checkout"


def test_shrinks_to_fewer_and_milder_perturbations() -> None:
    found = find(
        scenarios("calendar"),
        lambda s: any(f["kind"] == "modal" for f in s.faults),
        settings=settings(database=None, derandomize=True),
    )
    assert [f["id"] for f in found.faults] == ["modal"]  # nothing else
    modal = found.faults[0]
    assert modal["params"]["count"] == 1  # the mildest count
    assert modal["trigger"]["selector"] == "#attendee"  # the first (mildest) step


def test_shrinks_to_the_shortest_path() -> None:
    walks = GraphDrill(SHOP.spec, strategy="random", path_limit=60)
    found = find(
        scenarios(walks),
        lambda s: "pay_failed" in s.path,
        settings=settings(database=None, derandomize=True),
    )
    lengths = sorted(len(p) for p in walks.path_plan.paths if "pay_failed" in p)
    assert lengths[-1] > lengths[0] + 3  # there are much longer ones to shrink from
    assert len(found.path) <= lengths[0] + 1  # shrunk to (about) the shortest


def test_unperturbed_strategy_has_no_faults() -> None:
    found = find(
        scenarios(SHOP, perturbed=False),
        lambda s: True,
        settings=settings(database=None, derandomize=True),
    )
    assert found.faults == ()


def test_an_interfaced_drill_shrinks_to_its_plain_look() -> None:
    from scenarios.generate import get_drill

    drill = get_drill("dropdown", interfaces=True)
    found = find(
        scenarios(drill),
        lambda s: s.interface == "phone" and len(s.faults) > 1,
        settings=settings(database=None, derandomize=True),
    )
    assert found.interface == "phone"
    assert found.faults[0]["id"] == "interface.phone.0"
    assert len(found.faults) == 2  # the look and one perturbation, nothing else
    plain = find(
        scenarios(drill), lambda s: True, settings=settings(database=None, derandomize=True)
    )
    assert plain.interface == "default"
