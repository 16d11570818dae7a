"""The workflow graph format: describe your own app so gymfuzz can generate scenarios for it.

A workflow file (JSON, or YAML when ``ruamel.yaml`` is installed) holds:

``name``, ``description``
    The drill name written into each scenario, and what the task is.
``start``, ``goal``
    The state an episode starts in and the state it must end in.
``nodes``
    UI states: ``{"form": {"description": "the booking form"}}``.
``edges``
    Actions: ``{"action": "pick_day", "source": "calendar", "target": "day_selected",
    "description": "click the day", "selector": ".cal-day", "precondition": "...",
    "trigger": {"event": "pointerdown", "selector": ".cal-day"}}``. ``trigger`` is the agent
    event that performs the action; page perturbations attached to the step fire on it.
``data``
    Goal data, one entry per field: ``{"faker": "name"}`` (any faker provider method),
    ``{"choice": ["a", "b"]}``, ``{"date": {"start": "2027-01-01", "end": "2027-03-01",
    "weekdays_only": true}}`` (absolute bounds, end excluded) or ``{"strftime": {"field":
    "date", "format": "%A %d %B %Y"}}`` (another date field as text). Values that must fit
    together are drawn as one row: ``{"row": {"column": "number", "rows": [{"number":
    "GF101", "date": "2027-01-08"}, ...]}}`` draws a row and takes its ``number``, and
    ``{"column": {"field": "flight", "name": "date"}}`` takes the ``date`` of the row that
    field ``flight`` drew.
``goal_template``, ``verifier_template``, ``fixture_template``
    The goal (``{"text": "Book {title!r} on {date}", "fields": {"date": "{date}"}}``), the
    verifier spec (see :mod:`scenarios.verify`) and the initial data, with ``{field}``
    placeholders filled from ``data`` in every string. ``verifier_template`` may instead name
    a JSON file beside the graph file (``"verifier.json"``, as ``gymfuzz record`` writes).
``goal_variants``
    Optional further phrasings of ``goal_template.text``: ``["[[Schedule|Set up]] {title!r}
    for {date_relative} at {time}"]``, with synonym sets and relative dates (see
    :mod:`scenarios.wording`); used when the generator's ``wording`` option is on.
``perturbations``
    The perturbation space: ``{"id": "slow_search", "layer": "network", "kind": "latency",
    "match": {...}, "trigger": {"start": 1}, "params": {"ms": [200, 800, 3000]}}`` or a page
    kind with ``"target"`` and ``"steps": ["pick_day", ...]`` (actions with a ``trigger``;
    without steps, a page perturbation fires on its own ``trigger`` or on page load).
    Every list is ordered mildest first. ``kind`` is any kind of the network or page catalog.
``constraints``
    Incompatible combinations: ``{"never": {"modal": {"step": "pick_day"},
    "rerender": {"step": "pick_day"}}}`` (``"off"`` names the perturbation being off; an
    object matches every level with those step and parameter values).
``min_perturbations``
    ``1`` (default) to forbid the all-off row, ``0`` to allow it.
``interfaces``
    Optional interface variants: ``[{"name": "dark", "transforms": [{"kind": "theme",
    "params": {"mode": "dark"}}]}, ...]``, each a named set of page transforms (the
    ``transform`` family of the page catalog: theme, layout, content, identity) applied on
    every page of the episode. Used when the generator's ``interfaces`` option is on: the
    variant is then one more dimension of the covering array (level 0: the app as it is,
    named ``default``), recorded in each scenario's ``interface``, and its transforms stay in
    the unperturbed condition (see :class:`InterfaceSpec`). A variant may instead (or as
    well) set the app's own switch for it through the fixture: ``{"name": "flatpickr",
    "fixture": {"date_widget": "flatpickr"}}`` is merged into each of its scenarios' fixture,
    for apps that come in several implementations (another widget library, another theme
    they draw themselves).
``unsolvable``
    Optional share of scenarios where the backend stays down for good: ``{"every": 10,
    "at": "saving", "end": "escalated", "faults": [outage envelopes], "verifier_template":
    {...}}`` (see :class:`Unsolvable`). ``goal_template.start`` names the page an episode
    opens (``/``).

:func:`load_workflow` validates all of it (kinds and every level's parameters against the
catalogs) and raises :class:`WorkflowError` naming the file, the field and the value.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fielderrors import describe


class WorkflowError(ValueError):
    """A workflow graph file is unreadable or invalid; the message says where."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NodeSpec(_Frozen):
    """A UI state."""

    description: str = ""


class EdgeSpec(_Frozen):
    """An action from one state to another."""

    action: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    source: str
    target: str
    description: str = ""
    selector: str | None = None
    precondition: str | None = None
    trigger: dict[str, Any] | None = None


class DateRange(_Frozen):
    """Days ``start <= d < end``."""

    start: dt.date
    end: dt.date
    weekdays_only: bool = False


class DateText(_Frozen):
    """Another date field written with a ``strftime`` format."""

    field: str
    format: str = Field(min_length=1)


class RowChoice(_Frozen):
    """One of ``rows`` (values that fit together); the field is its ``column``."""

    column: str
    rows: list[dict[str, str]] = Field(min_length=1)

    @model_validator(mode="after")
    def _column_in_rows(self) -> RowChoice:
        for i, row in enumerate(self.rows):
            if self.column not in row:
                raise ValueError(f"rows[{i}] has no column {self.column!r}")
        return self


class ColumnOf(_Frozen):
    """Column ``name`` of the row that the ``row`` field ``field`` drew."""

    field: str
    name: str


class DataField(_Frozen):
    """How one goal field is drawn (exactly one of faker, choice, date, strftime, row,
    column)."""

    faker: str | None = None
    choice: list[str] | None = Field(default=None, min_length=1)
    date: DateRange | None = None
    strftime: DateText | None = None
    row: RowChoice | None = None
    column: ColumnOf | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> DataField:
        given = (self.faker, self.choice, self.date, self.strftime, self.row, self.column)
        if sum(x is not None for x in given) != 1:
            raise ValueError("give exactly one of faker, choice, date, strftime, row, column")
        if self.date is not None and self.date.end <= self.date.start:
            raise ValueError("date.end must be after date.start")
        return self


class PerturbationSpace(_Frozen):
    """One perturbation and its levels (steps x parameter values, mildest first)."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    layer: Literal["network", "page"]
    kind: str
    match: dict[str, Any] | None = None
    target: dict[str, Any] | None = None
    trigger: dict[str, Any] | None = None
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    steps: list[str] = Field(default_factory=list)
    params: dict[str, list[Any]] = Field(default_factory=dict)


class TransformSpec(_Frozen):
    """One page transform of an interface variant (a kind of the ``transform`` family, or
    ``identity_churn``: see :data:`perturbations.catalog.INTERFACE_KINDS`)."""

    kind: str
    target: dict[str, Any] | None = None
    params: dict[str, Any] = Field(default_factory=dict)


class InterfaceSpec(_Frozen):
    """An interface variant: a name, and the transforms or app settings that make the app
    look that way.

    Its transforms fire on every page load of the episode, in both conditions: they are what
    the app looks like, not a perturbation of it. Its ``fixture`` keys are merged into the
    scenario's fixture (the app's own switch for the variant, e.g. which date-picker library
    it draws), also in both conditions. ``default`` names the app as it is.
    """

    name: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    description: str = ""
    transforms: list[TransformSpec] = Field(default_factory=list)
    fixture: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _changes_something(self) -> InterfaceSpec:
        if not self.transforms and not self.fixture:
            raise ValueError(f"{self.name!r} names neither transforms nor fixture keys")
        return self

    def envelopes(self) -> list[dict[str, Any]]:
        """The transforms as page fault envelopes, with ids ``interface.<name>.<i>``."""
        return [
            {
                "id": f"interface.{self.name}.{i}",
                "layer": "page",
                "kind": t.kind,
                "target": t.target or {"selector": "body"},
                "trigger": {"event": "load"},
                "probability": 1.0,
                "params": t.params,
            }
            for i, t in enumerate(self.transforms)
        ]


#: The name of the interface level that applies no transform.
DEFAULT_INTERFACE = "default"


class Constraint(_Frozen):
    """A combination no scenario may contain."""

    never: dict[str, Literal["off"] | dict[str, Any]] = Field(min_length=1)


class GoalTemplate(_Frozen):
    """The goal, with ``{field}`` placeholders."""

    text: str = Field(min_length=1)
    fields: dict[str, str] = Field(default_factory=dict)
    start: str = Field(default="/", pattern=r"^/")


class Unsolvable(_Frozen):
    """Scenarios that cannot be finished by design: the backend stays down for good.

    Scenario ``index`` is unsolvable when ``index % every == every - 1``. It gets ``faults``
    (network envelopes: the outage) on top of its perturbations, lists them as essential
    (kept in the unperturbed condition), follows its usual path up to the first visit of
    node ``at`` (where the outage shows), then the shortest walk to the ``end`` node (where
    the agent escalates), and is judged by ``verifier_template`` (default: the agent must
    escalate and change nothing).
    """

    every: int = Field(ge=2)
    at: str
    end: str
    faults: list[dict[str, Any]] = Field(min_length=1)
    verifier_template: dict[str, Any] = Field(default_factory=lambda: {"expect_escalation": True})


class WorkflowSpec(_Frozen):
    """A validated workflow graph file (see the module docstring)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    start: str
    goal: str
    nodes: dict[str, NodeSpec]
    edges: list[EdgeSpec] = Field(min_length=1)
    data: dict[str, DataField] = Field(default_factory=dict)
    goal_template: GoalTemplate
    goal_variants: list[str] = Field(default_factory=list)
    verifier_template: dict[str, Any]
    fixture_template: dict[str, Any] = Field(default_factory=dict)
    perturbations: list[PerturbationSpace] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    min_perturbations: Literal[0, 1] = 1
    interfaces: list[InterfaceSpec] = Field(default_factory=list)
    unsolvable: Unsolvable | None = None


def read_workflow_file(path: Path) -> dict[str, Any]:
    """Parse a JSON or YAML workflow file into a dict; :class:`WorkflowError` if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkflowError(f"{path}: cannot read ({exc.strerror})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            from ruamel.yaml import YAML
            from ruamel.yaml.error import YAMLError
        except ImportError:
            raise WorkflowError(f"{path}: YAML needs ruamel.yaml installed") from None
        try:
            data = json.loads(json.dumps(YAML(typ="safe").load(text), default=str))
        except YAMLError as exc:
            raise WorkflowError(f"{path}: invalid YAML ({exc})") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise WorkflowError(f"{path}: invalid JSON at line {exc.lineno} ({exc.msg})") from None
    if not isinstance(data, dict):
        raise WorkflowError(f"{path}: expected an object at the top level")
    return data


def _with_verifier_file(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """``data`` with a ``verifier_template`` that names a file replaced by that file's JSON."""
    name = data.get("verifier_template")
    if not isinstance(name, str):
        return data
    file = path.parent / name
    try:
        spec = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WorkflowError(
            f"{path}: verifier_template: cannot read {file} ({exc.strerror})"
        ) from None
    except json.JSONDecodeError as exc:
        raise WorkflowError(f"{file}: invalid JSON at line {exc.lineno} ({exc.msg})") from None
    return {**data, "verifier_template": spec}


def load_workflow(source: Path | Mapping[str, Any], *, where: str | None = None) -> WorkflowSpec:
    """Validate a workflow file or parsed dict; :class:`WorkflowError` names what is wrong."""
    if isinstance(source, Path):
        where = where or str(source)
        data: Mapping[str, Any] = _with_verifier_file(read_workflow_file(source), source)
    else:
        where, data = where or "workflow", source
    try:
        spec = WorkflowSpec.model_validate(dict(data))
    except ValidationError as exc:
        raise WorkflowError(f"{where}: {describe(exc)}") from None
    try:
        _check_graph(spec)
        _check_templates(spec)
        for i, p in enumerate(spec.perturbations):
            for level in levels(spec, p):
                if level is not None:
                    _check_level(p, level, f"perturbations[{i}]")
        for i, c in enumerate(spec.constraints):
            _check_constraint(spec, c, f"constraints[{i}]")
        _check_interfaces(spec)
        if spec.unsolvable is not None:
            _check_unsolvable(spec, spec.unsolvable)
    except ValueError as exc:
        raise WorkflowError(f"{where}: {exc}") from None
    return spec


def _check_graph(spec: WorkflowSpec) -> None:
    for name in ("start", "goal"):
        if getattr(spec, name) not in spec.nodes:
            raise ValueError(f"{name}: unknown node {getattr(spec, name)!r}")
    seen: set[tuple[str, str]] = set()
    for i, e in enumerate(spec.edges):
        for end in ("source", "target"):
            if getattr(e, end) not in spec.nodes:
                raise ValueError(f"edges[{i}].{end}: unknown node {getattr(e, end)!r}")
        if (e.source, e.action) in seen:
            raise ValueError(f"edges[{i}].action: {e.action!r} already leaves {e.source!r}")
        seen.add((e.source, e.action))
    from scenarios.paths import graph_of, unreachable

    lost = unreachable(graph_of(spec), spec.start, spec.goal)
    if spec.unsolvable is not None:  # the escalation node is a dead end by design
        if spec.unsolvable.end not in spec.nodes:
            raise ValueError(f"unsolvable.end: unknown node {spec.unsolvable.end!r}")
        lost = [n for n in lost if n != spec.unsolvable.end]
    if lost:
        raise ValueError(f"nodes: not on any path from start to goal: {', '.join(lost)}")
    triggers = {e.action: e.trigger for e in spec.edges}
    for i, p in enumerate(spec.perturbations):
        for j, step in enumerate(p.steps):
            where = f"perturbations[{i}].steps[{j}]"
            if step not in triggers:
                raise ValueError(f"{where}: unknown action {step!r}")
            if triggers[step] is None:
                raise ValueError(f"{where}: action {step!r} has no trigger to fire on")
            if p.layer == "network":
                raise ValueError(f"{where}: network faults match requests, not steps")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _check_data(spec: WorkflowSpec) -> None:
    for name, f in spec.data.items():
        if f.strftime is not None:
            src = spec.data.get(f.strftime.field)
            if src is None or src.date is None:
                raise ValueError(
                    f"data.{name}.strftime.field: {f.strftime.field!r} is not a date field"
                )
        if f.column is not None:
            lead = spec.data.get(f.column.field)
            if lead is None or lead.row is None:
                raise ValueError(f"data.{name}.column.field: {f.column.field!r} is not a row field")
            for i, row in enumerate(lead.row.rows):
                if f.column.name not in row:
                    raise ValueError(
                        f"data.{name}.column.name: {f.column.name!r} is not a column of "
                        f"data.{f.column.field}.row.rows[{i}]"
                    )


def _check_templates(spec: WorkflowSpec) -> None:
    from scenarios.verify import SpecError, load_spec

    _check_data(spec)
    known = set(spec.data)
    for name in ("goal_template", "verifier_template", "fixture_template"):
        template = getattr(spec, name)
        raw = template.model_dump() if isinstance(template, BaseModel) else template
        for text in _strings(raw):
            try:
                missing = _fields(text) - known
            except ValueError as exc:
                raise ValueError(f"{name}: {text!r}: {exc}") from None
            if missing:
                raise ValueError(f"{name}: {text!r} uses unknown data field {sorted(missing)[0]!r}")
    from scenarios.wording import check_variant

    dates = {name for name, f in spec.data.items() if f.date is not None}
    for i, text in enumerate(spec.goal_variants):
        try:
            relative = check_variant(text, known, dates)
        except ValueError as exc:
            raise ValueError(f"goal_variants[{i}]: {exc}") from None
        # Relative dates are said against the fixture's "today"; a graph file's fixture is
        # its fixture_template (built-in drills make theirs in code).
        if relative and spec.fixture_template and "today" not in spec.fixture_template:
            raise ValueError(
                f"goal_variants[{i}]: {{{relative[0]}}} needs a 'today' date in "
                "fixture_template (relative dates are said against it)"
            )
    sample = {k: "x" for k in known}
    try:
        load_spec(fill(spec.verifier_template, sample), source="verifier_template")
    except SpecError as exc:
        raise ValueError(str(exc)) from None


def fill(template: Any, data: Mapping[str, str]) -> Any:
    """``template`` with ``{field}`` placeholders in every string filled from ``data``."""
    if isinstance(template, str):
        return template.format_map(data) if "{" in template else template
    if isinstance(template, dict):
        return {k: fill(v, data) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, data) for v in template]
    return template


def compile_template(template: Any) -> Callable[[Mapping[str, str]], Any]:
    """:func:`fill` as a function, compiled once: parts without placeholders are shared.

    The result's constant parts are the template's own objects: treat it as read-only.
    """
    if isinstance(template, str) and "{" in template:
        return template.format_map
    if isinstance(template, dict):
        parts = {k: compile_template(v) for k, v in template.items()}
        if any(not isinstance(f, _Const) for f in parts.values()):
            return lambda data: {k: f(data) for k, f in parts.items()}
    elif isinstance(template, list):
        items = [compile_template(v) for v in template]
        if any(not isinstance(f, _Const) for f in items):
            return lambda data: [f(data) for f in items]
    return _Const(template)


class _Const:
    """A compiled template part without placeholders."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, data: Mapping[str, str]) -> Any:
        return self.value


def levels(spec: WorkflowSpec, p: PerturbationSpace) -> list[dict[str, Any] | None]:
    """The levels of one perturbation: ``None`` (off), then step x params, mildest first.

    A level is ``{"step": action or None, "params": {...}}``; the order sorts by the sum of
    the positions of its values in their (mildest first) lists, then by step.
    """
    steps: list[str | None] = list(p.steps) or [None]
    names = sorted(p.params)
    combos = []
    for si, step in enumerate(steps):
        for idx in itertools.product(*(range(len(p.params[n])) for n in names)):
            params = {n: p.params[n][i] for n, i in zip(names, idx, strict=True)}
            combos.append((sum(idx) + si, si, idx, {"step": step, "params": params}))
    combos.sort(key=lambda c: c[:3])
    return [None, *(c[3] for c in combos)]


def _check_level(p: PerturbationSpace, level: dict[str, Any], where: str) -> None:
    from scenarios.model import ScenarioError, check_fault

    try:
        check_fault(envelope(p, level, {}), where, 0)
    except (ScenarioError, ValueError) as exc:
        raise ValueError(str(exc)) from None


def envelope(p: PerturbationSpace, level: dict[str, Any], triggers: Mapping[str, Any]) -> Any:
    """The fault envelope of perturbation ``p`` at ``level``; page steps use ``triggers``."""
    out: dict[str, Any] = {"id": p.id, "layer": p.layer, "kind": p.kind}
    if p.layer == "network":
        out["match"] = p.match or {}
        out["trigger"] = p.trigger or {"start": 1}
    else:
        out["target"] = p.target or {"selector": "body"}
        step = level["step"]
        trig = {**(p.trigger or {}), **(triggers.get(step) or {} if step else {})}
        out["trigger"] = {"nth": 1, **trig} if trig else {"event": "load"}
    out["probability"] = p.probability
    out["params"] = level["params"]
    return out


def _check_interfaces(spec: WorkflowSpec) -> None:
    from perturbations.catalog import INTERFACE_KINDS
    from scenarios.model import check_fault

    seen: set[str] = {DEFAULT_INTERFACE}
    for i, variant in enumerate(spec.interfaces):
        if variant.name in seen:
            taken = "is the app as it is" if variant.name == DEFAULT_INTERFACE else "is taken"
            raise ValueError(f"interfaces[{i}].name: {variant.name!r} {taken}")
        seen.add(variant.name)
        for j, fault in enumerate(variant.envelopes()):
            where = f"interfaces[{i}].transforms[{j}]"
            if fault["kind"] not in INTERFACE_KINDS:
                known = ", ".join(INTERFACE_KINDS)
                raise ValueError(f"{where}.kind: {fault['kind']!r} is not a transform ({known})")
            check_fault(fault, where, 0)


def _check_unsolvable(spec: WorkflowSpec, u: Unsolvable) -> None:
    import networkx as nx

    from scenarios.model import ScenarioError, check_fault
    from scenarios.paths import graph_of
    from scenarios.verify import SpecError, load_spec

    for name in ("at", "end"):
        if getattr(u, name) not in spec.nodes:
            raise ValueError(f"unsolvable.{name}: unknown node {getattr(u, name)!r}")
    if not nx.has_path(graph_of(spec), u.at, u.end):
        raise ValueError(f"unsolvable.at: no path from {u.at!r} to {u.end!r}")
    if not nx.has_path(graph_of(spec), spec.start, u.end):
        raise ValueError(f"unsolvable.end: no path from {spec.start!r} to {u.end!r}")
    ids = {p.id for p in spec.perturbations}
    for i, fault in enumerate(u.faults):
        where = f"unsolvable.faults[{i}]"
        if fault.get("layer") != "network":
            raise ValueError(
                f"{where}.layer: an outage is a network fault, got {fault.get('layer')!r}"
            )
        if fault.get("id") in ids:
            raise ValueError(f"{where}.id: {fault.get('id')!r} is also a perturbation id")
        try:
            check_fault(fault, where, 0)
        except (ScenarioError, ValueError) as exc:
            raise ValueError(str(exc)) from None
    known = {k: "x" for k in spec.data}
    try:
        load_spec(fill(u.verifier_template, known), source="unsolvable.verifier_template")
    except SpecError as exc:
        raise ValueError(str(exc)) from None


def _check_constraint(spec: WorkflowSpec, c: Constraint, where: str) -> None:
    by_id = {p.id: p for p in spec.perturbations}
    for pid, sel in c.never.items():
        if pid not in by_id:
            raise ValueError(f"{where}.never: unknown perturbation {pid!r}")
        if sel != "off" and not any(
            lv is not None and matches(lv, sel) for lv in levels(spec, by_id[pid])
        ):
            raise ValueError(f"{where}.never.{pid}: no level matches {sel!r}")


def matches(level: dict[str, Any] | None, sel: Literal["off"] | Mapping[str, Any]) -> bool:
    """Whether a level is selected by a constraint entry (``"off"`` or step/param values)."""
    if sel == "off" or level is None:
        return sel == "off" and level is None
    for key, want in sel.items():
        have = level["step"] if key == "step" else level["params"].get(key, object())
        if have != want:
            return False
    return True
