"""``gymfuzz catalog``: every network fault and page perturbation, as text and as JSON."""

from __future__ import annotations

import json

import pytest

from fuzzer.cli import main
from fuzzer.commands.catalog import catalog, param_lines, render_text
from perturbations import PERTURBATIONS
from perturbations.catalog import TRANSFORMS
from proxy_addons.faults import FAULTS
from tests.cli import assert_usage_error, gymfuzz


def test_json_lists_every_kind_of_both_layers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(doc) == ["network", "page"]
    assert [e["kind"] for e in doc["network"]] == sorted(FAULTS)
    assert [e["kind"] for e in doc["page"]] == sorted(PERTURBATIONS)
    for layer, entries in doc.items():
        for entry in entries:
            assert entry["layer"] == layer
            assert entry["doc"].strip(), f"{entry['kind']} has no documentation"
            assert entry["drills"], f"{entry['kind']} serves no drill"
            assert entry["params"]["type"] == "object"
    modal = next(e for e in doc["page"] if e["kind"] == "modal")
    assert modal["params"] == PERTURBATIONS["modal"].params_model.model_json_schema()
    assert modal["doc"] == PERTURBATIONS["modal"].doc
    assert modal["params"]["required"] == ["title", "text"]


def test_text_shows_every_kind_its_params_and_doc(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    for kind, spec in PERTURBATIONS.items():
        assert f"\n{kind}  [page; drills: {', '.join(spec.drills)}]" in out
        first_doc_line = spec.doc.splitlines()[0]
        assert first_doc_line in out
    for kind, cls in FAULTS.items():
        assert f"\n{kind}  [network; drills: " in out
        for name in cls.Params.model_fields:
            assert f"    {name}: " in out
    assert out.startswith(f"Network faults (proxy_addons): {len(FAULTS)} kinds\n")
    assert f"Page perturbations and transforms: {len(PERTURBATIONS)} kinds\n" in out


def test_transforms_and_wording_variants_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    for kind in TRANSFORMS:
        assert (
            f"\n{kind}  [page; drills: calendar, dropdown, endurance]\n  family: transform" in out
        )
    assert out.count("family: transform") == len(TRANSFORMS) >= 3
    wording = out[out.index("Goal wording variants") :]
    assert "dropdown: 3 phrasings\n  0. You are {user}. On the preferences page" in wording
    assert "calendar: 4 phrasings" in wording and "endurance: 3 phrasings" in wording
    assert "Goal wording" not in render_text(catalog("page"))
    looks = out[out.index("Interface variants") :]
    assert "dropdown: default and 11 looks\n  dark: theme(variant=dark)\n" in looks
    assert "  tom_select: fixture select_widget=tom-select\n" in looks
    assert "  flatpickr: fixture date_widget=flatpickr\n" in looks
    assert "  phone: layout(variant=viewport, width_class=phone)\n" in looks
    assert "Interface variants" not in render_text(catalog("page"))
    doc = catalog("page")
    families = {e["kind"]: e["family"] for e in doc["page"]}
    assert {k for k, f in families.items() if f == "transform"} == set(TRANSFORMS)
    assert families["modal"] == "perturbation"


def test_layer_filter() -> None:
    assert list(catalog("page")) == ["page"]
    assert list(catalog("network")) == ["network"]
    assert "Network faults" not in render_text(catalog("page"))


def test_param_lines_show_type_default_and_required() -> None:
    schema = PERTURBATIONS["modal"].params_model.model_json_schema()
    assert param_lines(schema) == [
        "title: string (required)",
        "text: string (required)",
        'close_label: string (default "Close")',
        "count: integer (default 1)",
        "stagger_ms: integer (default 0)",
        'order: "shuffled" | "in_order" (default "shuffled")',
    ]
    schema = PERTURBATIONS["optimistic_ui"].params_model.model_json_schema()
    assert "hide_selector: string | null (default null)" in param_lines(schema)
    assert param_lines(PERTURBATIONS["form_reset"].params_model.model_json_schema()) == []


def test_bad_layer_is_a_usage_error() -> None:
    proc = gymfuzz("catalog", "--layer", "dom", timeout=120)
    assert_usage_error(proc, "argument --layer: invalid choice: 'dom'")
    assert proc.stdout == ""
