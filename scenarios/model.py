"""The scenario: one task, its initial data, its perturbations and its verifier.

A scenario is plain JSON (one line of a pack's ``scenarios.jsonl``)::

    {"schema_version": 1, "id": "calendar-0007", "drill": "calendar", "seed": 123,
     "goal": {"text": "Book ...", "fields": {"date": "2026-12-14", ...}},
     "path": ["open", "fill_title", ..., "confirm", "check"],
     "fixture": { initial data the target app is reset to },
     "faults": [ envelopes, network and page alike ],
     "verifier": { required / allowed / forbidden rules },
     "solvable": true, "essential": []}

``goal.start`` is the page the episode opens (default ``/``). An unsolvable scenario
(``solvable: false``) keeps the backend down for good (its outage faults are listed in
``essential``) and its verifier expects the agent to escalate and change nothing.

Every fault or perturbation shares one envelope:
``{id, layer: network|page, kind, match|target, trigger, probability, params}``. A scenario
stores its resolved choices (path, parameters, data), not only its seed, so a pack replays
even when a library's random streams change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fielderrors import describe
from perturbations.bundle import validate_config as validate_page_config
from proxy_addons.plan import parse_fault
from scenarios.verify import SpecError, VerifierSpec, load_spec

SCHEMA_VERSION: Final = 1


class ScenarioError(ValueError):
    """A scenario failed validation; the message names where, the field and the value."""


class Goal(BaseModel):
    """What the agent is asked to do: the instruction and its structured fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1)
    fields: dict[str, str] = Field(default_factory=dict)
    start: str = Field(default="/", pattern=r"^/")
    """The page the episode starts on: a path on the target app (``/trips``)."""
    wording: int | None = Field(default=None, ge=0, exclude_if=lambda v: v is None)
    """Which phrasing ``text`` is (``0``: the goal template's, ``k``: its ``k``-th variant;
    see :mod:`scenarios.wording`); absent when the pack was generated without wording."""


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
    essential: tuple[str, ...] = ()
    """Ids of faults that are part of the task itself (the outage of an unsolvable
    scenario, the transforms of its interface variant): the unperturbed condition keeps
    them."""
    interface: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_-]+$", exclude_if=lambda v: v is None
    )
    """The interface variant the scenario is played on (``default``: the app as it is; see
    ``interfaces`` in :mod:`scenarios.workflow_spec`); absent when the pack was generated
    without interface variants."""

    def network_faults(self) -> list[dict[str, Any]]:
        """The faults the proxy performs."""
        return [f for f in self.faults if f.get("layer") == "network"]

    def page_faults(self) -> list[dict[str, Any]]:
        """The perturbations the page runtime performs."""
        return [f for f in self.faults if f.get("layer") == "page"]

    def without_faults(self) -> Scenario:
        """The same task with no perturbation (the unperturbed condition).

        Faults listed in :attr:`essential` stay: they define the task (an unsolvable
        scenario's outage, the interface variant's transforms), they do not perturb it.
        """
        kept = tuple(f for f in self.faults if f.get("id") in self.essential)
        return self.model_copy(update={"faults": kept})

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no spaces, UTF-8 kept; same scenario, same bytes."""
        return canonical_json(self.model_dump(mode="json"))


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(data: Any) -> str:
    """The one JSON encoding gymfuzz writes (stable bytes for equal data)."""
    return _CANONICAL.encode(data)


def load_scenario(data: Mapping[str, Any], *, source: str = "scenario") -> Scenario:
    """Validate parsed JSON as a scenario; raise :class:`ScenarioError` naming the problem.

    Checks the envelope of every fault and the parameters of its kind against the network
    and page catalogs, so a bad scenario fails at load time, never inside an episode.
    Messages read ``<source>: <field path>: <problem>``.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{source}: expected a JSON object, got {type(data).__name__}")
    raw = dict(data)
    spec = raw.get("verifier")
    if not isinstance(spec, Mapping):
        raise ScenarioError(f"{source}: verifier: expected an object (got {spec!r})")
    try:
        raw["verifier"] = load_spec(spec, source=f"{source}: verifier")
    except SpecError as exc:
        raise ScenarioError(str(exc)) from None
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(f"{source}: {describe(exc)}") from None
    ids: set[str] = set()
    for i, fault in enumerate(scenario.faults):
        where = f"faults[{i}]"
        if fault.get("id") in ids:
            raise ScenarioError(f"{source}: {where}.id: duplicate id {fault.get('id')!r}")
        ids.add(str(fault.get("id")))
        try:
            check_fault(fault, where, scenario.seed)
        except ValueError as exc:
            raise ScenarioError(f"{source}: {exc}") from None
    for i, name in enumerate(scenario.essential):
        if name not in ids:
            raise ScenarioError(f"{source}: essential[{i}]: no fault has id {name!r}")
    return scenario


def check_fault(fault: dict[str, Any], where: str, seed: int) -> None:
    """Validate one fault envelope and its kind's parameters; ``ValueError`` names the field."""
    layer = fault.get("layer")
    if layer == "network":
        parse_fault(fault, where=where)
    elif layer == "page":
        config = {"episode": "check", "seed": seed, "report_url": None, "perturbations": [fault]}
        try:
            validate_page_config(config)
        except ValueError as exc:
            raise ValueError(str(exc).replace("perturbations[0]", where)) from None
    else:
        raise ValueError(f"{where}.layer: expected 'network' or 'page' (got {layer!r})")
