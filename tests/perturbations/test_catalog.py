from __future__ import annotations

import importlib
import importlib.resources
import pkgutil
import re

import pydantic
import pytest

import perturbations
from perturbations import DRILL_NAMES, PERTURBATIONS, PerturbationSpec, parse_params

# Modules of the package that are machinery, not perturbations.
INFRASTRUCTURE = {"catalog", "bundle"}


def _module_names() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules(perturbations.__path__)
        if not m.name.startswith("_") and m.name not in INFRASTRUCTURE
    )


def _js_files() -> list[str]:
    js = importlib.resources.files("perturbations") / "js"
    return sorted(f.name for f in js.iterdir() if f.name.endswith(".js"))


def test_every_perturbation_module_is_in_the_catalog() -> None:
    kinds = []
    for name in _module_names():
        module = importlib.import_module(f"perturbations.{name}")
        assert getattr(module, "KIND", None) == name, f"perturbations/{name}.py: KIND != {name!r}"
        kinds.append(name)
    assert sorted(PERTURBATIONS) == kinds


def test_every_js_file_is_in_the_catalog() -> None:
    scripts = [f for f in _js_files() if f != "runtime.js"]
    assert scripts == sorted(spec.js_file for spec in PERTURBATIONS.values())


@pytest.mark.parametrize("kind", sorted(PERTURBATIONS))
def test_spec_is_complete(kind: str) -> None:
    spec = PERTURBATIONS[kind]
    assert isinstance(spec, PerturbationSpec)
    assert spec.kind == kind
    assert spec.drills and set(spec.drills) <= DRILL_NAMES
    assert "careful agent" in spec.doc and "Params:" in spec.doc
    script = (importlib.resources.files("perturbations") / "js" / spec.js_file).read_text()
    assert re.search(rf"\.register\(\s*\"{kind}\"", script), f"{spec.js_file} must register {kind}"
    # The docstring is the user documentation: it must cover every parameter.
    for field in spec.params_model.model_fields:
        assert field in spec.doc, f"{kind} doc does not mention param {field!r}"


@pytest.mark.parametrize("kind", sorted(PERTURBATIONS))
def test_params_are_frozen(kind: str) -> None:
    model = PERTURBATIONS[kind].params_model
    config = model.model_config
    assert config.get("frozen") is True and config.get("extra") == "forbid"


def test_parsed_params_cannot_change() -> None:
    params = parse_params("modal", {"title": "t", "text": "x"})
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        params.count = 3  # type: ignore[attr-defined]


def test_unknown_kind_lists_known_kinds() -> None:
    with pytest.raises(
        ValueError, match=r"^unknown perturbation kind 'hover'; known kinds: 'modal', "
    ):
        parse_params("hover", {})


def test_params_must_be_an_object() -> None:
    with pytest.raises(
        ValueError, match=r"^rerender_widget\.params: \['clone'\] is not an object$"
    ):
        parse_params("rerender_widget", ["clone"])  # type: ignore[arg-type]


def test_catalog_is_read_only() -> None:
    with pytest.raises(TypeError):
        PERTURBATIONS["x"] = PERTURBATIONS["modal"]  # type: ignore[index]


def test_public_surface() -> None:
    assert sorted(perturbations.__all__) == [
        "BundleConfig",
        "DEFAULT_REPORT_URL",
        "DRILL_NAMES",
        "PERTURBATIONS",
        "PagePerturbation",
        "PerturbationSpec",
        "Target",
        "Trigger",
        "build_bundle",
        "parse_params",
        "validate_config",
    ]
