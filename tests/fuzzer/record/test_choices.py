"""Choices made by clicks, and values drawn together as one row of another table, on a small
trip-booking demonstration written here (the whole pipeline runs on the booking site in
tests/examples/test_record_trips.py)."""

from __future__ import annotations

import copy
import datetime as dt
import time
from typing import Any

import pytest

from fuzzer.record.capture import Demonstration
from fuzzer.record.fields import GoalField, goal_fields, keyed_css
from fuzzer.record.infer import infer
from fuzzer.record.replay import _css_string
from scenarios.drills.graph import GraphDrill
from scenarios.workflow_spec import WorkflowError, load_workflow

TODAY = dt.date(2026, 12, 3)
DAY = "2026-12-10"


def _flight(number: str, day: str, origin: str, destination: str, basic: int) -> dict[str, Any]:
    return {
        "number": number,
        "date": day,
        "origin": origin,
        "destination": destination,
        "basic": basic,
        "standard": basic + 40,
    }


FLIGHTS = {
    f"{n}|{d}": _flight(n, d, o, t, b)
    for n, o, t, b in (
        ("GF101", "LIS", "AMS", 79),
        ("GF123", "LIS", "AMS", 89),
        ("GF302", "LHR", "BCN", 72),
    )
    for d in ("2026-12-01", DAY, "2026-12-17")
}


def _field(name: str, label: str) -> dict[str, Any]:
    css = f"#{name}"
    return {
        "tag": "input",
        "name": name,
        "id": name,
        "label": label,
        "css": css,
        "type": "",
        "locators": [{"by": "label", "label": label}],
    }


def _option(field: str, code: str) -> dict[str, Any]:
    return {
        "tag": "li",
        "role": "option",
        "label": f"City ({code})",
        "css": f"#{field}-opt-{code}",
        "locators": [{"by": "role", "role": "option", "name": f"City ({code})"}],
        "keyed": [{"depth": 0, "tag": "li", "attr": "data-value", "value": code, "peers": [code]}],
        "scope": f"#{field}-list",
    }


def _fare_button() -> dict[str, Any]:
    return {
        "tag": "button",
        "role": "button",
        "label": "Standard €129",
        "css": "#results > li:nth-of-type(2) > div > button:nth-of-type(2)",
        "locators": [{"by": "role", "role": "button", "name": "Standard €129"}],
        "keyed": [
            {
                "depth": 0,
                "tag": "button",
                "attr": "data-fare",
                "value": "standard",
                "peers": ["basic", "standard", "flex"],
            },
            {
                "depth": 0,
                "tag": "button",
                "attr": "data-price",
                "value": "129",
                "peers": ["79", "119", "189", "89", "129", "199"],
            },
            {
                "depth": 2,
                "tag": "li",
                "attr": "data-flight",
                "value": "GF123",
                "peers": ["GF101", "GF123"],
            },
            {"depth": 2, "tag": "li", "attr": "data-stops", "value": "0", "peers": ["0"]},
        ],
        "scope": "#results",
    }


def _demo() -> Demonstration:
    page = {"url": "/trips", "heading": "Book a trip"}
    actions: list[dict[str, Any]] = [
        {"kind": "goto", "url": "/trips"},
        {"kind": "fill", "value": "LIS", "element": _field("origin", "From")},
        {"kind": "click", "element": _option("origin", "LIS")},
        {"kind": "fill", "value": "AMS", "element": _field("destination", "To")},
        {"kind": "click", "element": _option("destination", "AMS")},
        {
            "kind": "fill",
            "value": DAY,
            "element": {**_field("depart-date", "Date"), "type": "date"},
        },
        {"kind": "click", "element": _fare_button()},
        {"kind": "fill", "value": "Ada Lovelace", "element": _field("pax-name", "Full name")},
        {"kind": "fill", "value": "4242 4242 4242 4242", "element": _field("card", "Card")},
        {
            "kind": "click",
            "element": {
                "tag": "button",
                "role": "button",
                "label": "Confirm",
                "css": "#confirm",
                "locators": [],
            },
        },
    ]
    for action in actions[1:]:
        action["page"] = page
    trip = {
        "id": 1,
        "reference": "GF-000001",
        "flight": "GF123",
        "date": DAY,
        "fare": "standard",
        "price": 129,
        "passenger": "Ada Lovelace",
        "card_last4": "4242",
    }
    request = {
        "method": "POST",
        "path": "/api/trips",
        "resource": "fetch",
        "status": 201,
        "t": 2.0,
        "action": 9,
        "body": {"flight": "GF123", "date": DAY, "fare": "standard", "passenger": "Ada Lovelace"},
        "effects": [
            {"table": "trips", "op": "added", "pk": "1", "fields": [], "row": trip, "before": None}
        ],
    }
    return Demonstration.from_json(
        {
            "target": "trips",
            "start": "/trips",
            "actions": actions,
            "requests": [request],
            "pages": [{"t": 3.0, "url": "/trips"}],
            "changes": [],
            "tables": ["flights", "trips"],
            "state": {"flights": FLIGHTS, "trips": {"1": trip}},
            "recorded_at": time.time(),
            "baseline": [],
        }
    )


def _fields(demo: Demonstration) -> dict[str, GoalField]:
    effects = [c for r in demo.requests for c in r.get("effects") or []]
    return {f.name: f for f in goal_fields(demo.actions, effects, demo.state, TODAY)}


def test_a_clicked_elements_data_attributes_stored_in_like_named_columns_are_choices() -> None:
    fields = _fields(_demo())
    fare, flight = fields["fare"], fields["flight"]
    assert (fare.attr, fare.table, fare.column) == ("data-fare", "trips", "fare")
    assert fare.data == {"choice": ["basic", "flex", "standard"]}  # the page's other fares
    assert (flight.attr, flight.table, flight.column) == ("data-flight", "trips", "flight")
    # one element is one choice: the fare, not the price beside it on the same button
    assert "price" not in fields
    assert "stops" not in fields  # "0" is stored nowhere


def test_values_that_are_one_row_of_another_table_are_drawn_together() -> None:
    fields = _fields(_demo())
    origin = fields["origin"]  # the first of them in the demonstration leads
    assert origin.data["row"]["column"] == "origin"
    rows = origin.data["row"]["rows"]
    # every flight of the table, as the columns the task uses, the past day left out
    assert {r["number"] for r in rows} == {"GF101", "GF123", "GF302"}
    assert {r["date"] for r in rows} == {DAY, "2026-12-17"}
    assert len(rows) == 6 and rows == sorted(rows, key=lambda r: sorted(r.items()))
    for name, column in (
        ("destination", "destination"),
        ("depart_date", "date"),
        ("flight", "number"),
    ):
        assert fields[name].data == {"column": {"field": "origin", "name": column}}
        assert fields[name].row == {"table": "flights", "column": column}
    # the airports were searched for but never stored: fields that only choose the row
    assert not origin.stored and not fields["destination"].stored
    assert fields["depart_date"].stored and fields["flight"].stored
    assert "card" not in fields  # its value is stored nowhere


def test_no_row_is_drawn_when_two_rows_fit_the_goal_values_as_well() -> None:
    demo = _demo()
    state = copy.deepcopy(demo.state)
    twin = {**state["flights"][f"GF123|{DAY}"], "origin": "OPO"}
    state["flights"]["twin"] = twin
    demo = Demonstration.from_json({**demo.to_json(), "state": state})
    fields = _fields(demo)
    assert "row" not in fields["flight"].data and "column" not in fields["flight"].data
    assert "origin" not in fields  # nothing ties the airport typed to the task any more


def test_a_choice_is_found_again_by_its_attributes_filled_with_the_goal_values() -> None:
    demo = _demo()
    fields = list(_fields(demo).values())
    fare = demo.actions[6]["element"]
    assert keyed_css(fare, fields, 6) == (
        '#results li[data-flight="{flight}"] button[data-fare="{fare}"]'
    )
    assert keyed_css(demo.actions[2]["element"], fields, 2) == (
        '#origin-list li[data-value="{origin}"]'
    )
    assert keyed_css(demo.actions[9]["element"], fields, 9) is None
    assert _css_string('a"b\\c') == 'a\\"b\\\\c'


def test_the_inferred_plan_and_graph_name_choices_by_their_fields() -> None:
    drill = infer(_demo(), "book_trip")
    steps = drill.replay["steps"]
    assert steps[6]["what"] == "choose_flight_fare"
    assert steps[6]["locators"] == [
        {"by": "keyed", "css": '#results li[data-flight="{flight}"] button[data-fare="{fare}"]'}
    ]
    assert steps[2]["what"] == "choose_origin"
    # a typed airport a suggestion replaced is not read back before the write
    assert steps[1].get("picked") and steps[3].get("picked")
    assert not steps[5].get("picked") and not steps[7].get("picked")
    edges = {e["action"]: e for e in drill.graph["edges"]}
    trigger = edges["choose_flight_fare"]["trigger"]
    assert trigger["selector"] == "#results li[data-flight] button[data-fare]"
    required = drill.verifier["required"][0]["where"]
    assert required == {
        "flight": "{flight}",
        "date": "{depart_date}",
        "fare": "{fare}",
        "passenger": "{pax_name}",
    }


def test_the_generator_draws_the_fields_of_one_row_together() -> None:
    graph = infer(_demo(), "book_trip").graph
    graph["verifier_template"] = {"required": [], "forbidden": []}
    drill = GraphDrill(load_workflow(graph))
    rows = {tuple(sorted(r.items())) for r in graph["data"]["origin"]["row"]["rows"]}
    seen = set()
    for seed in range(40):
        data = drill.data(seed)
        row = (
            ("date", data["depart_date"]),
            ("destination", data["destination"]),
            ("number", data["flight"]),
            ("origin", data["origin"]),
        )
        assert row in rows
        seen.add(row)
    assert len(seen) > 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"a": {"faker": "name"}, "b": {"column": {"field": "a", "name": "x"}}},
            "data.b.column.field: 'a' is not a row field",
        ),
        (
            {
                "a": {"row": {"column": "x", "rows": [{"x": "1"}]}},
                "b": {"column": {"field": "a", "name": "y"}},
            },
            "data.b.column.name: 'y' is not a column of data.a.row.rows[0]",
        ),
        ({"a": {"row": {"column": "x", "rows": [{"y": "1"}]}}}, "rows[0] has no column 'x'"),
    ],
)
def test_a_bad_row_field_is_refused_naming_it(data: dict[str, Any], message: str) -> None:
    graph = {
        "name": "g",
        "start": "a",
        "goal": "b",
        "nodes": {"a": {}, "b": {}},
        "edges": [{"action": "go", "source": "a", "target": "b"}],
        "data": data,
        "goal_template": {"text": "go"},
        "verifier_template": {"required": [], "forbidden": []},
    }
    with pytest.raises(WorkflowError) as err:
        load_workflow(graph)
    assert message in str(err.value)
