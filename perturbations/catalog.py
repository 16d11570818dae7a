"""The catalog of the page layer: one :class:`PerturbationSpec` per kind.

Each kind lives in its own module (``perturbations/<kind>.py``) holding ``KIND``, a frozen
pydantic ``PARAMS_MODEL``, the ``DRILLS`` it serves, a docstring that is its user
documentation, and ``JS_FILE`` (its script under ``perturbations/js/``). Adding a kind means
adding its module and JS file and listing its name in ``_KINDS`` below; a test fails
when one is missing.

Two families share the catalog, the envelope, the seeding and the events: **perturbations**
change the conditions while the agent acts (``FAMILY`` left out), **transforms** make the
interface itself differ from one scenario to the next (``FAMILY = "transform"``: theme,
layout, content; ``identity_churn`` fired once on load is the identity transform).
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType, ModuleType

from pydantic import BaseModel, ValidationError

import fielderrors

#: The drills a perturbation can serve (see DESIGN.md, "the three drills").
DRILL_NAMES: frozenset[str] = frozenset({"calendar", "dropdown", "endurance"})

#: The families of the page layer (see the module docstring).
FAMILIES: tuple[str, ...] = ("perturbation", "transform")

_KINDS: tuple[str, ...] = (
    "autosuggest",
    "calendar_drift",
    "click_overlay",
    "content",
    "decoy",
    "delayed_hydration",
    "focus_steal",
    "form_reset",
    "identity_churn",
    "late_banner",
    "layout",
    "modal",
    "native_dialog",
    "optimistic_ui",
    "option_churn",
    "popup_ad",
    "prompt_injection",
    "rerender_widget",
    "scroll_jump",
    "skeleton",
    "theme",
    "viewport_change",
    "zoom_shift",
)
_MODULES: tuple[ModuleType, ...] = tuple(
    importlib.import_module(f"perturbations.{kind}") for kind in _KINDS
)

_KIND_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


@dataclass(frozen=True)
class PerturbationSpec:
    """One page perturbation kind.

    Args:
        kind: stable snake_case name used in scenarios (``envelope.kind``).
        params_model: frozen pydantic model validating ``envelope.params``.
        drills: the drills it serves, a subset of :data:`DRILL_NAMES`.
        doc: user documentation (the module docstring).
        js_file: its script's file name under ``perturbations/js/``.
        family: ``"perturbation"`` or ``"transform"`` (see :data:`FAMILIES`).
    """

    kind: str
    params_model: type[BaseModel]
    drills: tuple[str, ...]
    doc: str
    js_file: str
    family: str = "perturbation"


def _spec_of(module: ModuleType) -> PerturbationSpec:
    """Read a perturbation module's declarations, failing at import time when one is wrong."""
    name = module.__name__
    kind = getattr(module, "KIND", None)
    model = getattr(module, "PARAMS_MODEL", None)
    drills = getattr(module, "DRILLS", None)
    js_file = getattr(module, "JS_FILE", None)
    family = getattr(module, "FAMILY", "perturbation")
    if not isinstance(kind, str) or not _KIND_RE.fullmatch(kind):
        raise TypeError(f"{name}.KIND must be a snake_case str, got {kind!r}")
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{name}.PARAMS_MODEL must be a pydantic model class, got {model!r}")
    cfg = model.model_config
    if not (cfg.get("frozen") and cfg.get("extra") == "forbid"):
        raise TypeError(f"{name}.PARAMS_MODEL needs ConfigDict(frozen=True, extra='forbid')")
    if not (isinstance(drills, tuple) and drills and set(drills) <= DRILL_NAMES):
        raise TypeError(
            f"{name}.DRILLS must be a non-empty tuple of {sorted(DRILL_NAMES)}, got {drills!r}"
        )
    if js_file != f"{kind}.js":
        raise TypeError(f"{name}.JS_FILE must be {kind + '.js'!r}, got {js_file!r}")
    if family not in FAMILIES:
        raise TypeError(f"{name}.FAMILY must be one of {FAMILIES}, got {family!r}")
    if not module.__doc__ or not module.__doc__.strip():
        raise TypeError(f"{name} needs a docstring: it is the perturbation's user documentation")
    return PerturbationSpec(
        kind=kind,
        params_model=model,
        drills=tuple(str(d) for d in drills),
        doc=inspect.cleandoc(module.__doc__),
        js_file=js_file,
        family=family,
    )


def _build() -> Mapping[str, PerturbationSpec]:
    specs = [_spec_of(m) for m in _MODULES]
    by_kind = {s.kind: s for s in sorted(specs, key=lambda s: s.kind)}
    if len(by_kind) != len(specs):
        raise TypeError("two perturbation modules declare the same KIND")
    return MappingProxyType(by_kind)


#: Every page kind (both families), by kind, in sorted order.
PERTURBATIONS: Mapping[str, PerturbationSpec] = _build()

#: The transform family alone, by kind.
TRANSFORMS: Mapping[str, PerturbationSpec] = MappingProxyType(
    {k: s for k, s in PERTURBATIONS.items() if s.family == "transform"}
)

#: The kinds an interface variant may apply (``interfaces`` in a workflow graph): the
#: transforms, and ``identity_churn`` (fired once on load, it is the identity transform).
INTERFACE_KINDS: tuple[str, ...] = tuple(sorted({*TRANSFORMS, "identity_churn"}))


def known_kinds() -> str:
    """The known kinds as ``'a', 'b'`` for error messages."""
    return ", ".join(repr(k) for k in PERTURBATIONS)


def parse_params(kind: str, params: Mapping[str, object]) -> BaseModel:
    """Validate ``params`` for ``kind`` and return its frozen params model.

    Raises:
        ValueError: unknown kind (the message lists the known ones), or bad params (the
            message names the kind, the field and the value, e.g.
            ``modal.params.count: 9 is greater than 5``).
    """
    return _parse_params(kind, params, (kind, "params"))


def _parse_params(
    kind: str, params: Mapping[str, object], where: tuple[int | str, ...]
) -> BaseModel:
    spec = PERTURBATIONS.get(kind)
    if spec is None:
        raise ValueError(f"unknown perturbation kind {kind!r}; known kinds: {known_kinds()}")
    if not isinstance(params, Mapping):
        raise ValueError(f"{fielderrors.field_path(where)}: {params!r} is not an object")
    try:
        return spec.params_model.model_validate(dict(params))
    except ValidationError as exc:
        raise ValueError(fielderrors.describe(exc, where)) from None
