"""The built-in drills: every scenario well formed, solvable and unsolvable ones alike."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from scenarios.drills import DRILLS
from scenarios.drills.dropdown import CHOICES
from scenarios.drills.endurance import REQUESTS, luhn_complete
from scenarios.generate import iter_scenarios
from scenarios.model import Scenario
from scenarios.workflow import follow


@pytest.mark.parametrize("name", sorted(DRILLS))
def test_every_path_is_a_walk_to_done_or_to_the_escalation(name: str) -> None:
    drill = DRILLS[name]
    for sc in iter_scenarios(name, 40, 11):
        end = follow(drill.graph, list(sc.path), start=drill.spec.start)[-1]
        assert end == ("done" if sc.solvable else "escalated"), sc.id


@pytest.mark.parametrize("name", sorted(DRILLS))
def test_one_scenario_in_ten_is_unsolvable_and_expects_escalation(name: str) -> None:
    scenarios = list(iter_scenarios(name, 100, 5))
    unsolvable = [sc for sc in scenarios if not sc.solvable]
    assert [sc.id for sc in unsolvable] == [f"{name}-{i:05d}" for i in range(9, 100, 10)]
    for sc in unsolvable:
        assert sc.verifier.expect_escalation and not sc.verifier.required
        outage = [f for f in sc.faults if f["id"] in sc.essential]
        assert [f["kind"] for f in outage] == ["http_error"]
        assert outage[0]["params"] == {"status": 503, "when": "before"}
        assert "count" not in outage[0]["trigger"]  # down for good, not once
        # The unperturbed condition keeps the outage: the task stays unsolvable.
        assert sc.without_faults().faults == tuple(outage)
    for sc in scenarios:
        if sc.solvable:
            assert not sc.verifier.expect_escalation and sc.verifier.required
            assert sc.without_faults().faults == ()


def _dropdown() -> list[Scenario]:
    return list(iter_scenarios("dropdown", 60, 2))


def test_dropdown_goal_values_all_differ_from_the_fixture() -> None:
    for sc in _dropdown():
        start = sc.fixture["preferences"]
        assert sc.goal.start == "/preferences"
        for key, values in CHOICES.items():
            assert sc.goal.fields[key] in values
            assert start[key] in values and start[key] != sc.goal.fields[key]


def test_dropdown_perturbations_cover_every_kind_and_the_save_branches() -> None:
    kinds = Counter(f["kind"] for sc in _dropdown() for f in sc.faults)
    assert set(kinds) >= {
        "latency", "http_error", "phantom_write", "optimistic_ui", "option_churn", "autosuggest",
    }  # fmt: skip


def test_endurance_fixture_holds_every_requested_flight_and_request_mail() -> None:
    for sc in iter_scenarios("endurance", 30, 8):
        f, fixture = sc.goal.fields, sc.fixture
        assert sc.goal.start == "/inbox"
        flights = {(x["number"], x["date"]): x for x in fixture["flights"]}
        senders = [m["sender"] for m in fixture["emails"] if m["folder"] == "inbox"]
        routes = set()
        for i in range(1, REQUESTS + 1):
            p = f"r{i}_"
            flight = flights[(f[p + "flight"], f[p + "date"])]
            assert (flight["origin"], flight["destination"]) == (
                f[p + "origin"],
                f[p + "destination"],
            )
            same_day = [x for x in fixture["flights"] if x["date"] == f[p + "date"]]
            decoys = [
                x
                for x in same_day
                if x["origin"] == f[p + "origin"] and x["number"] != f[p + "flight"]
            ]
            assert len(decoys) >= 2
            assert f[p + "email"] in senders
            assert f[p + "subject"] == f"Booked: {f[p + 'flight']} on {f[p + 'date']}"
            routes.add((f[p + "origin"], f[p + "destination"]))
            assert dt.date.fromisoformat(f[p + "date"]) > dt.date.fromisoformat(fixture["today"])
        assert len(routes) == REQUESTS
        assert luhn_complete(f["card_number"][:-1]) == f["card_number"]


def test_endurance_paths_are_long_and_the_verifier_names_each_request() -> None:
    for sc in iter_scenarios("endurance", 9, 8):
        assert len(sc.path) >= 45
        names = [r.name for r in sc.verifier.required]
        assert len(names) == 2 * REQUESTS
        assert all(r.count == 1 for r in sc.verifier.required)
        assert {r.table for r in sc.verifier.allowed} == {"trips", "emails"}


@pytest.mark.parametrize("name", sorted(DRILLS))
def test_drill_packs_are_deterministic(name: str) -> None:
    a = [sc.to_json() for sc in iter_scenarios(name, 12, 77)]
    b = [sc.to_json() for sc in iter_scenarios(name, 12, 77)]
    assert a == b
