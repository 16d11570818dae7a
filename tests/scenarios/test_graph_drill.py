"""A user's own workflow graph, unknown to the built-in drills, generates a valid pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios.drills.graph import GraphDrill
from scenarios.generate import generate_pack
from scenarios.pack import SCENARIOS, open_pack
from scenarios.validate import validate_pack
from scenarios.workflow import follow
from scenarios.workflow_spec import load_workflow

SHOP = Path(__file__).with_name("graphs") / "shop_checkout.yaml"


@pytest.fixture(scope="module")
def shop_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shop") / "pack"
    generate_pack(out, drill="", graph=SHOP, count=120, seed=11)
    return out


def test_user_graph_pack_is_valid_and_loads(shop_pack: Path) -> None:
    assert validate_pack(shop_pack) == []
    scenarios = list(open_pack(shop_pack).scenarios())
    assert len(scenarios) == 120
    graph = GraphDrill(load_workflow(SHOP)).graph
    for sc in scenarios:
        assert sc.drill == "shop-checkout"
        assert follow(graph, sc.path, start="home")[-1] == "confirmed"
        item = sc.goal.fields["item"]
        assert item in {"kettle", "toaster", "lamp"}
        assert sc.goal.text.startswith(f"Buy one {item} for {sc.goal.fields['buyer']}")
        assert sc.verifier.required[0].where == {"item": item}
        assert sc.fixture["customers"][0]["name"] == sc.goal.fields["buyer"]
        assert "2027-02-01" <= sc.goal.fields["deliver_by"] < "2027-03-01"
        assert 1 <= len(sc.faults) <= 4
        popup = [f for f in sc.faults if f["id"] == "popup"]
        payment = [f for f in sc.faults if f["id"] == "payment_error"]
        if popup and payment:  # the constraint: no popup on pay while the write lands
            assert not (
                popup[0]["trigger"]["selector"] == "#pay"
                and payment[0]["params"]["when"] == "after"
            )


def test_user_graph_manifest_states_its_coverage(shop_pack: Path) -> None:
    manifest = json.loads((shop_pack / "manifest.json").read_text())
    cov = manifest["coverage"]["shop-checkout"]
    assert cov["paths"]["strategy"] == "edge_cover"
    assert cov["paths"]["edges_covered"] == cov["paths"]["edges_total"] == 9
    pert = cov["perturbations"]
    assert pert["t"] == 2 and pert["covered"] == pert["total"] > 0
    assert manifest["counts"] == {"shop-checkout": 120}
    assert manifest["arguments"]["graph"] == "shop-checkout"


def test_few_scenarios_report_partial_coverage(tmp_path: Path) -> None:
    pack = generate_pack(tmp_path / "p", drill="", graph=SHOP, count=3, seed=1, strategy="simple")
    cov = pack.manifest["coverage"]["shop-checkout"]
    assert cov["paths"]["edges_covered"] < cov["paths"]["edges_total"]
    assert cov["perturbations"]["covered"] < cov["perturbations"]["total"]


def test_workers_do_not_change_the_bytes(tmp_path: Path) -> None:
    count = 4 * 4096 + 7  # enough chunks to start workers
    a = generate_pack(tmp_path / "a", drill="", graph=SHOP, count=count, seed=5, workers=1)
    b = generate_pack(tmp_path / "b", drill="", graph=SHOP, count=count, seed=5, workers=2)
    assert (a.path / SCENARIOS).read_bytes() == (b.path / SCENARIOS).read_bytes()
    assert a.manifest == b.manifest


def test_strength_3_covers_every_triple(tmp_path: Path) -> None:
    drill = GraphDrill(load_workflow(SHOP), strength=3)
    pack = generate_pack(
        tmp_path / "p", drill="", graph=SHOP, count=len(drill.rows), seed=1, strength=3
    )
    pert = pack.manifest["coverage"]["shop-checkout"]["perturbations"]
    assert pert["t"] == 3 and pert["covered"] == pert["total"]


def test_locale_changes_the_data(tmp_path: Path) -> None:
    us = generate_pack(tmp_path / "us", drill="", graph=SHOP, count=5, seed=1)
    de = generate_pack(tmp_path / "de", drill="", graph=SHOP, count=5, seed=1, locale="de_DE")
    assert us.manifest["scenarios_sha256"] != de.manifest["scenarios_sha256"]
    assert validate_pack(de.path) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"locale": "xx_XX"}, "locale: unknown faker locale 'xx_XX'"),
        ({"strength": 4}, r"--strength: must be 2 or 3 \(got 4\)"),
        ({"strategy": "dfs"}, "--strategy: unknown strategy 'dfs'"),
    ],
)
def test_bad_options_write_nothing(tmp_path: Path, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        generate_pack(tmp_path / "p", drill="", graph=SHOP, count=5, seed=1, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_random_walks_follow_the_pack_seed(tmp_path: Path) -> None:
    def paths(seed: int) -> set[tuple[str, ...]]:
        pack = generate_pack(
            tmp_path / f"r{seed}",
            drill="",
            graph=SHOP,
            count=40,
            seed=seed,
            strategy="random",
            paths=8,
        )
        assert pack.manifest["arguments"]["paths"] == 8
        return {s.path for s in open_pack(pack.path).scenarios()}

    first = paths(1)
    assert len(first) <= 8
    assert first != paths(2)
