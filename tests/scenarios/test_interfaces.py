"""Interface variants: the graph format, a covering-array dimension, the pack and its manifest."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from scenarios.drills import DRILLS
from scenarios.drills.graph import GraphDrill
from scenarios.generate import generate_pack, get_drill, iter_scenarios
from scenarios.model import canonical_json
from scenarios.pack import SCENARIOS
from scenarios.workflow_spec import WorkflowError, load_workflow, read_workflow_file
from tests.cli import gymfuzz

SHOP = Path(__file__).with_name("graphs") / "shop_checkout.yaml"
DARK = {"name": "dark", "transforms": [{"kind": "theme", "params": {"variant": "dark"}}]}


def _shop(interfaces: list[Any]) -> dict[str, Any]:
    return {**copy.deepcopy(read_workflow_file(SHOP)), "interfaces": interfaces}


@pytest.mark.parametrize(
    ("interfaces", "message"),
    [
        ([{**DARK, "transforms": [{"kind": "modal"}]}], r"interfaces\[0\]\.transforms\[0\]\.kind: "
         r"'modal' is not a transform \(content, identity_churn, layout, theme\)"),
        ([DARK, DARK], r"interfaces\[1\]\.name: 'dark' is taken"),
        ([{**DARK, "name": "default"}], r"interfaces\[0\]\.name: 'default' is the app as it is"),
        ([{**DARK, "transforms": [{"kind": "theme", "params": {"variant": "sepia"}}]}],
         r"interfaces\[0\]\.transforms\[0\]\.params\.variant: 'sepia' is not one of"),
        ([{**DARK, "transforms": []}],
         r"interfaces\[0\]: 'dark' names neither transforms nor fixture keys"),
        ([{**DARK, "name": "no spaces"}],
         r"interfaces\[0\]\.name: 'no spaces': String should match"),
    ],
)  # fmt: skip
def test_bad_interfaces_are_named(interfaces: list[Any], message: str) -> None:
    with pytest.raises(WorkflowError, match=r"^shop\.yaml: " + message):
        load_workflow(_shop(interfaces), where="shop.yaml")


def test_a_graph_without_interfaces_says_so() -> None:
    with pytest.raises(ValueError, match=r"--interfaces: the shop-checkout graph names no"):
        GraphDrill(load_workflow(SHOP)).with_interfaces()


@pytest.mark.parametrize("name", sorted(DRILLS))
def test_every_drill_has_at_least_five_variants_and_covers_each_with_each_level(
    name: str,
) -> None:
    drill = get_drill(name, interfaces=True)
    assert len(drill.spec.interfaces) >= 5
    plain = get_drill(name)
    assert len(drill.rows[0]) == len(plain.rows[0]) + 1  # one more dimension
    assert plain.rows is not drill.rows
    cov = drill.tuple_coverage(drill.rows)
    assert cov["covered"] == cov["total"]
    pairs = drill.interface_coverage(drill.rows)
    assert pairs["covered"] == pairs["total"] == (1 + len(drill.spec.interfaces)) * sum(drill.sizes)
    assert plain.interface_coverage(plain.rows) == {}


def test_a_scenario_keeps_its_interface_in_both_conditions() -> None:
    scenarios = list(iter_scenarios("calendar", 40, 4, interfaces=True))
    names = Counter(s.interface for s in scenarios)
    spec = DRILLS["calendar"].spec
    assert set(names) == {"default", *(v.name for v in spec.interfaces)}
    for sc in scenarios:
        shown = [f for f in sc.faults if f["id"].startswith("interface.")]
        assert [f["id"] for f in shown] == list(
            i for i in sc.essential if i.startswith("interface.")
        )
        variant = next((v for v in spec.interfaces if v.name == sc.interface), None)
        if variant is None or not variant.transforms:
            assert shown == []
            # a widget variant is the app's own setting: it rides in the fixture
            expect = variant.fixture.get("date_widget") if variant else None
            assert sc.fixture.get("date_widget") == expect, sc.interface
        else:
            assert shown and all(f["id"].startswith(f"interface.{sc.interface}.") for f in shown)
            assert {f["kind"] for f in shown} <= {"theme", "layout", "content", "identity_churn"}
        calm = sc.without_faults()
        # the look stays, with an unsolvable scenario's outage; every perturbation goes
        assert [f for f in calm.faults if f["id"].startswith("interface.")] == shown
        assert all(f["id"] in sc.essential for f in calm.faults)
        assert calm.interface == sc.interface
    # unperturbed generation gives the same look, no perturbation
    for a, b in zip(scenarios, iter_scenarios("calendar", 40, 4, perturbed=False, interfaces=True),
                    strict=True):  # fmt: skip
        assert b.interface == a.interface
        assert b.faults == a.without_faults().faults
        assert b.fixture == a.fixture


def test_without_the_option_scenarios_name_no_interface() -> None:
    for sc in iter_scenarios("dropdown", 10, 2):
        assert sc.interface is None
        assert "interface" not in json.loads(sc.to_json())
        assert not any(f["id"].startswith("interface.") for f in sc.faults)


def _pairs_from_lines(drill: GraphDrill, lines: list[dict[str, Any]]) -> set[tuple[str, ...]]:
    """(variant, perturbation, level) pairs read back from the scenarios written, the level
    being the fault's canonical JSON or ``off``."""
    ids = [p.id for p in drill.spec.perturbations]
    out = set()
    for sc in lines:
        faults = {f["id"]: canonical_json(f) for f in sc["faults"]}
        for pid in ids:
            out.add((sc["interface"], pid, faults.get(pid, "off")))
    return out


def test_the_manifest_states_the_pairs_the_rows_cover(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    drill = get_drill("dropdown", interfaces=True)
    rows, looks = len(drill.rows), 1 + len(drill.spec.interfaces)
    total = looks * sum(drill.sizes)
    done = gymfuzz(
        "generate", "--drill", "dropdown", "--count", str(rows), "--seed", "5", "--interfaces",
        "--out", str(out), "--quiet",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{looks} interface variants, (variant, perturbation level) pairs {total}/{total}" in (
        done.stdout
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["arguments"]["interfaces"] is True
    cov = manifest["coverage"]["dropdown"]["interfaces"]
    assert cov["variants"] == ["default", *(v.name for v in drill.spec.interfaces)]
    lines = [json.loads(x) for x in (out / SCENARIOS).read_text().splitlines()]
    recomputed = _pairs_from_lines(drill, lines)
    assert len(recomputed) == cov["pairs"]["covered"] == cov["pairs"]["total"]
    # fewer rows than the array: fewer pairs, the same count both ways
    few = generate_pack(tmp_path / "few", drill="dropdown", count=9, seed=5, interfaces=True)
    few_lines = [json.loads(x) for x in (few.path / SCENARIOS).read_text().splitlines()]
    pairs = few.manifest["coverage"]["dropdown"]["interfaces"]["pairs"]
    assert len(_pairs_from_lines(drill, few_lines)) == pairs["covered"] < pairs["total"]


def test_interfaces_on_a_graph_without_them_fail_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    done = gymfuzz(
        "generate", "--graph", str(SHOP), "--count", "3", "--interfaces", "--out", str(out),
        "--quiet",
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        "--interfaces: the shop-checkout graph names no interface variant"
    )
    assert "Traceback" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
