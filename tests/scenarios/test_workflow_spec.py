"""The workflow graph format: loading, and errors naming the file, field and value."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scenarios.drills.graph import GRAPHS_DIR
from scenarios.workflow_spec import WorkflowError, levels, load_workflow, read_workflow_file

SHOP = Path(__file__).with_name("graphs") / "shop_checkout.yaml"


def _shop() -> dict[str, Any]:
    return read_workflow_file(SHOP)


def test_yaml_and_json_give_the_same_spec(tmp_path: Path) -> None:
    as_json = tmp_path / "shop.json"
    as_json.write_text(json.dumps(_shop()))
    assert load_workflow(SHOP) == load_workflow(as_json)


def test_builtin_graphs_use_the_same_format() -> None:
    files = sorted(GRAPHS_DIR.glob("*.json"))
    assert files
    for f in files:
        assert load_workflow(f).name == f.stem


def test_levels_are_off_then_mildest_first() -> None:
    spec = load_workflow(SHOP)
    payment = next(p for p in spec.perturbations if p.id == "payment_error")
    lv = levels(spec, payment)
    assert lv[0] is None
    assert lv[1] == {"step": None, "params": {"status": 503, "when": "before"}}
    assert lv[-1] == {"step": None, "params": {"status": 500, "when": "after"}}
    popup = next(p for p in spec.perturbations if p.id == "popup")
    assert [x["step"] for x in levels(spec, popup)[1:4]] == ["search", "search", "add_to_cart"]


def _edit(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(_shop())
    *head, last = path.split(".")
    node: Any = data
    for key in head:
        node = node[int(key)] if key.isdigit() else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("goal", "nowhere", "goal: unknown node 'nowhere'"),
        ("edges.0.target", "moon", r"edges\[0\]\.target: unknown node 'moon'"),
        ("perturbations.0.kind", "earthquake", "unknown network fault kind 'earthquake'"),
        ("perturbations.2.kind", "earthquake", r"perturbations\[2\]\.kind: 'earthquake'"),
        ("perturbations.0.params", {"ms": [-1]}, r"perturbations\[0\]\.params\.ms"),
        ("perturbations.2.steps", ["checkout"], r"steps\[0\]: action 'checkout' has no trigger"),
        ("perturbations.2.steps", ["fly"], r"perturbations\[2\]\.steps\[0\]: unknown action 'fly'"),
        ("goal_template.text", "Buy {colour}", "uses unknown data field 'colour'"),
        ("constraints.0.never", {"ghost": "off"}, r"constraints\[0\]\.never: unknown perturbation"),
        ("data.buyer", {"faker": "name", "choice": ["a"]}, "give exactly one of"),
        ("data.deliver_text", {"strftime": {"field": "item", "format": "%d"}}, "not a date field"),
        ("verifier_template", {"required": [{"op": "twice"}]}, "verifier_template"),
        ("name", "has spaces", "name: 'has spaces': String should match pattern"),
    ],
)
def test_bad_graphs_are_named(path: str, value: Any, message: str) -> None:
    data = _edit(path, value)
    with pytest.raises(WorkflowError, match=r"^shop\.yaml: .*" + message):
        load_workflow(data, where="shop.yaml")


def test_unreachable_states_are_named() -> None:
    data = _shop()
    data["nodes"]["attic"] = {"description": "never visited"}
    with pytest.raises(WorkflowError, match="not on any path from start to goal: attic"):
        load_workflow(data, where="shop.yaml")


def test_unreadable_files_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "g.json"
    bad.write_text("{nope")
    with pytest.raises(WorkflowError, match=r"g\.json: invalid JSON at line 1"):
        load_workflow(bad)
    with pytest.raises(WorkflowError, match="cannot read"):
        load_workflow(tmp_path / "missing.json")
    bad.write_text("[1]")
    with pytest.raises(WorkflowError, match="expected an object at the top level"):
        load_workflow(bad)


def _with_unsolvable(**changes: Any) -> dict[str, Any]:
    data = read_workflow_file(GRAPHS_DIR / "calendar.json")
    data["unsolvable"] = {**data["unsolvable"], **changes}
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "moon"}, "unsolvable.end: unknown node 'moon'"),
        ({"at": "done"}, "unsolvable.at: no path from 'done' to 'escalated'"),
        ({"every": 1}, r"unsolvable\.every: 1 is less than 2"),
        ({"faults": [{"id": "x", "layer": "page", "kind": "modal"}]}, "an outage is a network"),
        ({"faults": [{"id": "modal", "layer": "network", "kind": "latency"}]}, "also a pertur"),
        (
            {
                "faults": [
                    {"id": "o", "layer": "network", "kind": "http_error", "params": {"status": 99}}
                ]
            },
            r"unsolvable\.faults\[0\]\.params\.status",
        ),
        ({"verifier_template": {"expect_escalation": "yes"}}, "expect_escalation"),
    ],
)
def test_bad_unsolvable_sections_are_named(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(WorkflowError, match=r"^cal\.json: .*" + message):
        load_workflow(_with_unsolvable(**changes), where="cal.json")


def test_the_escalation_node_may_be_a_dead_end_only_when_declared() -> None:
    data = read_workflow_file(GRAPHS_DIR / "calendar.json")
    load_workflow(data)
    del data["unsolvable"]
    with pytest.raises(WorkflowError, match="not on any path from start to goal: escalated"):
        load_workflow(data)
