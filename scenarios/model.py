"""The scenario: one task, its initial data, its perturbations and its verifier.

A scenario is plain JSON (one line of a pack's ``scenarios.jsonl``)::

    {"schema_version": 1, "id": "calendar-0007", "drill": "calendar", "seed": 123,
     "goal": {"text": "Book ...", "fields": {"date": "2026-12-14", ...}},
     "path": ["open", "fill_title", ..., "confirm", "check"],
     "fixture": { initial data the target app is reset to },
     "faults": [ envelopes, network and page alike ],
     "verifier": { required / allowed / forbidden rules },
     "solvable": true}

Every fault or perturbation shares one envelope:
``{id, layer: network|page, kind, match|target, trigger, probability, params}``. A scenario
stores its resolved choices (path, parameters, data), not only its seed, so a pack replays
even when a library's random streams change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from perturbations.catalog import parse_params as parse_page_params
from proxy_addons.errors import describe
from proxy_addons.plan import PlanError, parse_plan
from scenarios.verify import SpecError, VerifierSpec, load_spec

SCHEMA_VERSION = 1


class ScenarioError(ValueError):
    """A scenario failed validation; the message names where, the field and the value."""


class Goal(BaseModel):
    """What the agent is asked to do: the instruction and its structured fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1)
    fields: dict[str, str] = Field(default_factory=dict)


class Scenario(BaseModel):
    """A validated scenario (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_.-]+$")
    drill: str
    seed: int = Field(ge=0)
    goal: Goal
    path: tuple[str, ...] = ()
    fixture: dict[str, Any] = Field(default_factory=dict)
    faults: tuple[dict[str, Any], ...] = ()
    verifier: VerifierSpec
    solvable: bool = True

    def network_faults(self) -> list[dict[str, Any]]:
        """The faults the proxy performs."""
        return [f for f in self.faults if f.get("layer") == "network"]

    def page_faults(self) -> list[dict[str, Any]]:
        """The perturbations the page runtime performs."""
        return [f for f in self.faults if f.get("layer") == "page"]

    def without_faults(self) -> Scenario:
        """The same task with no perturbation at all (the unperturbed condition)."""
        return self.model_copy(update={"faults": ()})

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no spaces, UTF-8 kept; same scenario, same bytes."""
        return canonical_json(self.model_dump(mode="json"))


def canonical_json(data: Any) -> str:
    """The one JSON encoding gymfuzz writes (stable bytes for equal data)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load_scenario(data: Mapping[str, Any], *, source: str = "scenario") -> Scenario:
    """Validate parsed JSON as a scenario; raise :class:`ScenarioError` naming the problem.

    Checks the envelope of every fault and the parameters of its kind against the network
    and page catalogs, so a bad scenario fails at load time, never inside an episode.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{source}: expected a JSON object, got {type(data).__name__}")
    raw = dict(data)
    spec = raw.get("verifier")
    try:
        raw["verifier"] = load_spec(spec if isinstance(spec, Mapping) else {}, source=f"{source}.verifier")
    except SpecError as exc:
        raise ScenarioError(str(exc)) from None
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(describe(exc, source)) from None
    _check_faults(scenario, source)
    return scenario


def _check_faults(scenario: Scenario, source: str) -> None:
    ids: set[str] = set()
    for i, fault in enumerate(scenario.faults):
        where = f"{source}.faults[{i}]"
        fid, layer = fault.get("id"), fault.get("layer")
        if fid in ids:
            raise ScenarioError(f"{where}.id: duplicate id {fid!r}")
        ids.add(str(fid))
        if layer == "page":
            try:
                parse_page_params(str(fault.get("kind")), fault.get("params") or {})
            except ValueError as exc:
                raise ScenarioError(f"{where}: {exc}") from None
        elif layer != "network":
            raise ScenarioError(f"{where}.layer: expected 'network' or 'page' (got {layer!r})")
    try:
        parse_plan({"seed": scenario.seed, "faults": scenario.network_faults()}, source=source)
    except PlanError as exc:
        raise ScenarioError(str(exc)) from None
