from __future__ import annotations

import importlib
import importlib.resources
import pkgutil
import re

import pydantic
import pytest

import perturbations
from perturbations import DRILL_NAMES, PERTURBATIONS, PerturbationSpec, parse_params
from perturbations.catalog import FAMILIES, TRANSFORMS

from .conftest import REQUIRED_PARAMS

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
    scripts = [f for f in _js_files() if f not in ("runtime.js", "perturbation_tools.js")]
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
        ValueError, match=r"^unknown perturbation kind 'hover'; known kinds: 'autosuggest', "
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


@pytest.mark.parametrize("kind", sorted(PERTURBATIONS))
def test_defaults_validate(kind: str) -> None:
    params = parse_params(kind, REQUIRED_PARAMS.get(kind, {}))
    assert params.model_dump() == parse_params(kind, params.model_dump()).model_dump()


def test_transforms_are_a_family_of_their_own() -> None:
    assert sorted(TRANSFORMS) == ["content", "layout", "theme"]
    assert {spec.family for spec in PERTURBATIONS.values()} == set(FAMILIES)
    assert all(PERTURBATIONS[k] is spec for k, spec in TRANSFORMS.items())
    for spec in TRANSFORMS.values():  # every transform serves every drill
        assert set(spec.drills) == DRILL_NAMES and "variant" in spec.params_model.model_fields


def test_there_are_at_least_eighteen_kinds() -> None:
    assert len(PERTURBATIONS) >= 18


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("click_overlay", {"clicks_to_dismiss": 0}, r"clicks_to_dismiss: 0 is less than 1$"),
        ("late_banner", {"height_px": 5000}, r"height_px: 5000 is greater than 1000$"),
        ("zoom_shift", {"scale": 9.0}, r"scale: 9\.0 is greater than 4\.0$"),
        ("zoom_shift", {"mode": "css"}, r"mode: 'css' is not one of 'zoom' or 'transform'$"),
        ("autosuggest", {"max_items": 11}, r"max_items: 11 is greater than 10$"),
        ("autosuggest", {"suggestions": "Paris"}, r"suggestions: 'Paris' is not a list$"),
        ("focus_steal", {"label": ""}, r"label: '' is shorter than 1 character\(s\)$"),
        ("form_reset", {"fields": 1}, r"fields: unknown field \(got 1\)$"),
        ("optimistic_ui", {"hide_ms": -1}, r"hide_ms: -1 is less than 0$"),
        ("skeleton", {"duration_ms": "1s"}, r"duration_ms: '1s' is not an integer$"),
        ("delayed_hydration", {"duration_ms": 10**9}, r"duration_ms: 1000000000 is greater"),
        ("option_churn", {"option_selector": ""}, r"option_selector: '' is shorter than 1"),
        ("identity_churn", {"ids": "yes"}, r"ids: 'yes' is not a boolean$"),
        ("decoy", {"position": "inside"}, r"position: 'inside' is not one of 'before' or 'after'"),
        ("native_dialog", {}, r"message: required field is missing$"),
        ("native_dialog", {"message": "m", "dialog": "x"}, r"dialog: 'x' is not one of 'alert'"),
        ("scroll_jump", {"to": "middle"}, r"to: 'middle' is not one of 'random', 'top' or "),
        ("viewport_change", {"width": 100}, r"width: 100 is less than 200$"),
        ("calendar_drift", {"next_selector": ".n"}, r"prev_selector: required field is missing$"),
        ("popup_ad", {"lure_label": ""}, r"lure_label: '' is shorter than 1 character"),
        ("prompt_injection", {"text": ""}, r"text: '' is shorter than 1 character"),
        ("theme", {"variant": "sepia"}, r"variant: 'sepia' is not one of 'dark', "),
        ("theme", {"font_scale": 3.0}, r"font_scale: 3\.0 is greater than 2\.0$"),
        ("theme", {"font_family": "x; color: red"}, r"font_family: 'x; color: red': String "),
        ("layout", {"width_class": "watch"}, r"width_class: 'watch' is not one of 'phone', "),
        ("layout", {"height_px": 5}, r"height_px: 5 is less than 20$"),
        ("content", {"locale": "xx-XX"}, r"locale: 'xx-XX' is not one of 'de-DE', "),
        ("content", {"count": 0}, r"count: 0 is less than 1$"),
        ("identity_churn", {"hooks": ["id"]}, r"hooks: .*'id' is not a data-\* attribute name"),
    ],
)
def test_bad_params_name_kind_field_and_value(
    kind: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=rf"^{kind}\.params\." + ".*" + message):
        parse_params(kind, params)
