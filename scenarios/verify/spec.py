"""Verifier specs: what a task requires, what it allows, and what must never happen.

A spec is stored as JSON inside a scenario file. Every section is optional::

    {
      "required": [
        {"name": "one booking on 2026-12-14", "table": "bookings", "op": "added",
         "where": {"date": "2026-12-14", "room": "A"}, "count": 1},
        {"name": "the trip costs the flight's standard fare", "table": "trips",
         "op": "added", "count": 1,
         "join": {"table": "flights", "on": {"flight": "number", "date": "date"},
                  "where": {"status": "scheduled"}, "equal": {"price": "standard"}}},
        {"name": "every email goes to a new traveller", "table": "emails", "op": "added",
         "join": {"table": "trips", "op": "added", "on": {"recipient": "email"},
                  "every": true}},
        {"name": "the gold rooms table", "table": "rooms", "op": "equals",
         "rows": [{"id": 1, "name": "A", "open": true}], "ignore": ["updated_at"]},
        {"name": "no booking left unpaid", "table": "bookings", "op": "absent",
         "where": {"paid": false}}
      ],
      "allowed": [
        {"name": "create the booking", "table": "bookings", "ops": ["added"]},
        {"name": "book the trip", "table": "trips", "ops": ["added"]},
        {"name": "mail the traveller", "table": "emails", "ops": ["added"]},
        {"name": "rename only", "table": "rooms", "ops": ["updated"], "fields": ["name"]},
        {"name": "audit log", "table": "audit", "ops": ["added"]}
      ],
      "forbidden": [
        {"name": "never touch other bookings", "table": "bookings",
         "ops": ["updated", "removed"]}
      ],
      "network": [
        {"name": "one successful booking POST", "method": "POST",
         "path": "/api/bookings", "status": "2xx", "count": 1},
        {"name": "no DELETE ever", "method": "DELETE", "count": 0},
        {"name": "at most one failed write reached the backend",
         "method": ["POST", "PUT"], "status": ["5xx", 429], "reached_backend": true,
         "max": 1}
      ],
      "expect_escalation": false
    }

* **required**: every `Requirement` must hold at the end of the episode: counts of added,
  updated or removed records, rows ``present``/``absent`` at the end, a table that
  ``equals`` exact rows, each optionally tied to rows of another table by a ``join``
  (`scenarios.verify.relations`).
* **allowed**: every change in the backend diff must be permitted by at least one
  `ChangeRule` here; anything else fails (the default "never" is: any change not allowed).
* **forbidden**: explicit never-rules; a change caught by one fails even if it is allowed.
* **network**: facts about the episode's HTTP traffic, judged from the proxy's ledger
  (`scenarios.verify.network`); judging them needs the episode's `Traffic`.
* **ignore**: ``"table"`` or ``"table.column"``: what the app writes on its own (sessions,
  logs, last-login clocks), left out of both snapshots before anything is judged.
* **expect_escalation**: the task is unsolvable by design (e.g. the backend is down for
  good); the agent passes only by reporting it cannot finish *and* changing nothing.

One spec covers the usual kinds of checks: the changed tables and per-table counts of
added/updated/removed records (required counts plus the allowed list, which fails any other
change), a whole gold end state (``equals``), network events that must or must not happen
(``network`` with ``count``/``min``/``max``, ``"count": 0`` for never), and the diff of
initial and final state itself (every change is judged). Checking a spec against a
do-nothing agent is a matter of judging it with ``before == after``.

Load untrusted JSON with `load_spec`, which raises `SpecError` naming the field and the bad
value. ``spec.to_json()`` writes the compact form back (defaults left out); the two round-trip
exactly.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    Field,
    JsonValue,
    ValidationError,
    field_validator,
    model_validator,
)

from fielderrors import describe
from scenarios.verify.base import Bound, Counted, Name, SpecModel, row_matches
from scenarios.verify.diff import Change, ChangeOp
from scenarios.verify.network import NetworkRule
from scenarios.verify.relations import Join
from scenarios.verify.state import State, json_type_name, without

RequirementOp = Literal["added", "updated", "removed", "present", "absent", "equals"]
"""``added``/``updated``/``removed`` count diff records; ``present``/``absent``/``equals``
look at the final state."""

CHANGE_OPS: tuple[ChangeOp, ...] = ("added", "updated", "removed")

_Name = Name


class SpecError(ValueError):
    """A verifier spec is invalid. The message names the source, the field and the value."""


class Requirement(Counted, SpecModel):
    """One condition the end state must meet.

    * op ``added`` / ``updated`` / ``removed``: count the diff's records of that kind in
      `table` whose row matches `where` (the row after the change for ``updated``, the last row
      seen for ``removed``).
    * op ``present``: count the rows of `table` in the final state that match `where`.
    * op ``absent``: no row of `table` in the final state matches `where`.
    * op ``equals``: the rows of `table` in the final state (those matching `where`) are
      exactly `rows`, compared as a multiset with the `ignore` columns dropped from both sides.

    The count must be exactly `count`, or within `min`..`max` (either bound may be left out).
    Every op but ``absent`` and ``equals`` needs one of them: ``{"count": 1}`` is "exactly one".

    With `join`, a record counts only if it has a partner row in another table (see
    `scenarios.verify.relations`); with ``"every": true`` in the join, every selected record
    must have one, and the count bounds become optional.
    """

    name: _Name
    table: _Name
    op: RequirementOp
    where: dict[str, JsonValue] = Field(default_factory=dict)
    join: Join | None = None
    rows: tuple[dict[str, JsonValue], ...] | None = None
    ignore: tuple[_Name, ...] = ()
    count: Bound = None
    min: Bound = None
    max: Bound = None

    @model_validator(mode="after")
    def _check_bounds(self) -> Self:
        if self.op == "absent" and self.has_bounds:
            raise ValueError(
                "op 'absent' takes no count, min or max (it means no row matches); "
                "use op 'present' with max to allow a few"
            )
        if self.op == "equals":
            self._check_equals()
        elif self.rows is not None or self.ignore:
            raise ValueError(f"rows and ignore belong to op 'equals', not op {self.op!r}")
        elif self.op != "absent" and not self.has_bounds and not (self.join and self.join.every):
            raise ValueError(
                f'op {self.op!r} needs count, min or max ("count": 1 means exactly one)'
            )
        if self.op == "absent" and self.join is not None and self.join.every:
            raise ValueError("op 'absent' with a join cannot require every record to have one")
        self.check_bounds()
        return self

    def _check_equals(self) -> None:
        if self.has_bounds or self.join is not None:
            raise ValueError("op 'equals' takes rows (and ignore), not count, min, max or join")
        if self.rows is None:
            raise ValueError("op 'equals' needs rows: the exact rows, e.g. \"rows\": []")
        for i, row in enumerate(self.rows):
            named = sorted(set(row) & set(self.ignore))
            if named:
                raise ValueError(
                    f"rows[{i}] gives ignored column(s) {', '.join(named)}; drop them from "
                    "the row or from ignore"
                )

    @property
    def lowest(self) -> int:
        """The smallest count that satisfies the requirement."""
        if self.op in ("absent", "equals"):
            return 0
        return super().lowest

    def holds_for(self, found: int) -> bool:
        """Whether `found` matching records satisfy the requirement."""
        if self.op == "absent":
            return found == 0
        return super().holds_for(found)

    def expected(self) -> str:
        """The expected count in words: ``exactly 1``, ``at least 2``, ``between 1 and 3``."""
        return "no" if self.op == "absent" else super().expected()


class ChangeRule(SpecModel):
    """A kind of backend change: in `table`, one of `ops`, on rows matching `where`.

    In ``allowed`` a rule *permits* a change when the table is equal, the op is listed, the
    row matches `where` (the row after an update), and — if `fields` is given — every column
    the update changed is in `fields`.

    In ``forbidden`` a rule *catches* a change when the table is equal, the op is listed, the
    row before *or* after the change matches `where`, and — if `fields` is given — the update
    changed at least one of `fields`. (A never-rule must not be dodged by also changing another
    column, or by changing the very column `where` looks at.)

    `fields` applies to updates only, so it requires ``"updated"`` in `ops`.
    """

    name: _Name
    table: _Name
    ops: Annotated[tuple[ChangeOp, ...], Field(min_length=1)]
    where: dict[str, JsonValue] = Field(default_factory=dict)
    fields: tuple[_Name, ...] | None = None

    @model_validator(mode="after")
    def _check_fields(self) -> Self:
        if self.fields is not None:
            if "updated" not in self.ops:
                raise ValueError(
                    "fields only applies to updates; add 'updated' to ops or drop fields"
                )
            if not self.fields:
                raise ValueError(
                    "fields is empty, which matches no update; list the columns or drop fields"
                )
        return self

    def permits(self, change: Change) -> bool:
        """Whether this rule, as an allowed rule, permits `change`."""
        return (
            self._kind_matches(change)
            and row_matches(change.row, self.where)
            and self.permits_fields(change)
        )

    def permits_fields(self, change: Change) -> bool:
        """Whether every column `change` updated is listed in `fields` (True if no limit)."""
        return change.op != "updated" or self.fields is None or set(change.fields) <= {*self.fields}

    def catches(self, change: Change) -> bool:
        """Whether this rule, as a forbidden rule, catches `change`."""
        if not self._kind_matches(change):
            return False
        if not (
            row_matches(change.row, self.where)
            or (change.before is not None and row_matches(change.before, self.where))
        ):
            return False
        return (
            change.op != "updated" or self.fields is None or bool({*change.fields} & {*self.fields})
        )

    def _kind_matches(self, change: Change) -> bool:
        return change.table == self.table and change.op in self.ops


class VerifierSpec(SpecModel):
    """The whole verifier of one task: required end state, allowed and forbidden changes.

    >>> spec = load_spec({
    ...     "required": [{"name": "booked", "table": "bookings", "op": "added", "count": 1}],
    ...     "allowed": [{"name": "book", "table": "bookings", "ops": ["added"]}],
    ... })
    >>> spec.to_json()["required"]
    [{'name': 'booked', 'table': 'bookings', 'op': 'added', 'count': 1}]
    """

    required: tuple[Requirement, ...] = ()
    allowed: tuple[ChangeRule, ...] = ()
    forbidden: tuple[ChangeRule, ...] = ()
    network: tuple[NetworkRule, ...] = ()
    ignore: tuple[Annotated[str, Field(pattern=r"^[^.]+(\.[^.]+)?$")], ...] = Field(
        default=(), exclude_if=lambda v: not v
    )
    """``"table"`` or ``"table.column"`` left out before judging; absent when empty (packs
    made before it keep their bytes)."""
    expect_escalation: Annotated[bool, Field(strict=True)] = False

    def without_ignored(self, state: State) -> State:
        """``state`` with the :attr:`ignore`\\ d tables and columns left out."""
        if not self.ignore:
            return state
        tables = {i for i in self.ignore if "." not in i}
        columns: dict[str, set[str]] = {}
        for item in self.ignore:
            if "." in item:
                table, column = item.split(".", 1)
                columns.setdefault(table, set()).add(column)
        return without(state, tables, columns)

    @field_validator("required", "allowed", "forbidden", "network")
    @classmethod
    def _unique_names(cls, rules: tuple[Requirement | ChangeRule | NetworkRule, ...]) -> Any:
        seen: set[str] = set()
        for rule in rules:
            if rule.name in seen:
                raise ValueError(f"duplicate rule name {rule.name!r} (names identify rules)")
            seen.add(rule.name)
        return rules

    @model_validator(mode="after")
    def _check_satisfiable(self) -> Self:
        problems = []
        for i, req in enumerate(self.required):
            if req.op not in CHANGE_OPS or req.lowest == 0:
                continue
            label = f"required[{i}] {req.name!r} needs {req.op} {req.table} records"
            if self.expect_escalation:
                problems.append(f"{label}, but expect_escalation means nothing may change")
            elif not any(r.table == req.table and req.op in r.ops for r in self.allowed):
                problems.append(
                    f"{label}, but no allowed rule permits {req.op} on {req.table}; "
                    "add one to allowed"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def to_json(self) -> dict[str, Any]:
        """The spec as compact JSON data (fields at their default value are left out)."""
        return self.model_dump(mode="json", exclude_defaults=True)


def load_spec(data: Mapping[str, Any], *, source: str = "<spec>") -> VerifierSpec:
    """Validate spec JSON data and return the `VerifierSpec`.

    Raises `SpecError` whose message starts with `source` and names every bad field, e.g.
    ``scenario.json: required[0].op: 'added_twice' is not one of added, updated, removed,
    present, absent``.
    """
    if not isinstance(data, Mapping):
        raise SpecError(f"{source}: a verifier spec is a JSON object, got {json_type_name(data)}")
    try:
        return VerifierSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(f"{source}: {describe(exc, known=_known_fields)}") from None


def _known_fields(loc: tuple[int | str, ...]) -> list[str] | None:
    return _fields_at(loc) or None


def _fields_at(loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the model that sits at `loc` inside a `VerifierSpec`."""
    model: type[BaseModel] | None = VerifierSpec
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return []
        model = _model_in(model.model_fields[part].annotation)
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (tuple, list, types.UnionType, typing.Union):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
