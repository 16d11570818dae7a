"""Verifier specs: what a task requires, what it allows, and what must never happen.

A spec is stored as JSON inside a scenario file::

    {
      "required": [
        {"name": "one booking on 2026-12-14", "table": "bookings", "op": "added",
         "where": {"date": "2026-12-14", "room": "A"}, "count": 1}
      ],
      "allowed": [
        {"name": "create the booking", "table": "bookings", "ops": ["added"]},
        {"name": "audit log", "table": "audit", "ops": ["added"]}
      ],
      "forbidden": [
        {"name": "never touch other bookings", "table": "bookings",
         "ops": ["updated", "removed"]}
      ]
    }

* **required**: every `Requirement` must hold at the end of the episode.
* **allowed**: every change in the backend diff must be permitted by at least one
  `ChangeRule` here; anything else fails (the default "never" is: any change not allowed).
* **forbidden**: explicit never-rules; a change caught by one fails even if it is allowed.
* **expect_escalation**: the task is unsolvable by design (e.g. the backend is down for
  good); the agent passes only by reporting it cannot finish *and* changing nothing.

Load untrusted JSON with `load_spec`, which raises `SpecError` naming the field and the bad
value. ``spec.to_json()`` writes the compact form back (defaults left out); the two round-trip
exactly.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from scenarios.verify.diff import Change, ChangeOp
from scenarios.verify.state import json_type_name

RequirementOp = Literal["added", "updated", "removed", "present", "absent"]
"""``added``/``updated``/``removed`` count diff records; ``present``/``absent`` look at the
final state."""

CHANGE_OPS: tuple[ChangeOp, ...] = ("added", "updated", "removed")

_Name = Annotated[str, Field(min_length=1)]
_Bound = Annotated[int, Field(strict=True, ge=0)] | None


class SpecError(ValueError):
    """A verifier spec is invalid. The message names the source, the field and the value."""


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def row_matches(row: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    """True if `row` has every column of `where` with an equal value.

    Equality is Python's ``==`` on JSON values: ``1 == 1.0``, and ``true == 1`` (SQLite stores
    booleans as integers). A column missing from the row never matches, not even ``null``.
    An empty `where` matches every row.
    """
    return all(column in row and row[column] == value for column, value in where.items())


class Requirement(_Rule):
    """One condition the end state must meet.

    * op ``added`` / ``updated`` / ``removed``: count the diff's records of that kind in
      `table` whose row matches `where` (the row after the change for ``updated``, the last row
      seen for ``removed``).
    * op ``present``: count the rows of `table` in the final state that match `where`.
    * op ``absent``: no row of `table` in the final state matches `where`.

    The count must be exactly `count`, or within `min`..`max` (either bound may be left out).
    Every op but ``absent`` needs one of them: ``{"count": 1}`` is "exactly one".
    """

    name: _Name
    table: _Name
    op: RequirementOp
    where: dict[str, JsonValue] = {}
    count: _Bound = None
    min: _Bound = None
    max: _Bound = None

    @model_validator(mode="after")
    def _check_bounds(self) -> Self:
        bounds = (self.count, self.min, self.max)
        if self.op == "absent":
            if bounds != (None, None, None):
                raise ValueError(
                    "op 'absent' takes no count, min or max (it means no row matches); "
                    "use op 'present' with max to allow a few"
                )
        elif bounds == (None, None, None):
            raise ValueError(
                f'op {self.op!r} needs count, min or max ("count": 1 means exactly one)'
            )
        if self.count is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either count (exact) or min/max (bounds), not both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    @property
    def lowest(self) -> int:
        """The smallest count that satisfies the requirement."""
        if self.op == "absent":
            return 0
        return self.count if self.count is not None else (self.min or 0)

    def holds_for(self, found: int) -> bool:
        """Whether `found` matching records satisfy the requirement."""
        if self.op == "absent":
            return found == 0
        if self.count is not None:
            return found == self.count
        return (self.min is None or found >= self.min) and (self.max is None or found <= self.max)

    def expected(self) -> str:
        """The expected count in words: ``exactly 1``, ``at least 2``, ``between 1 and 3``."""
        if self.op == "absent":
            return "no"
        if self.count is not None:
            return f"exactly {self.count}"
        if self.min is not None and self.max is not None:
            if self.min == self.max:
                return f"exactly {self.min}"
            return f"between {self.min} and {self.max}"
        if self.min is not None:
            return f"at least {self.min}"
        return f"at most {self.max}"


class ChangeRule(_Rule):
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
    where: dict[str, JsonValue] = {}
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


class VerifierSpec(_Rule):
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
    expect_escalation: Annotated[bool, Field(strict=True)] = False

    @field_validator("required", "allowed", "forbidden")
    @classmethod
    def _unique_names(cls, rules: tuple[Requirement | ChangeRule, ...]) -> Any:
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
        problems = [_describe_error(error) for error in exc.errors()]
        raise SpecError(f"{source}: " + "; ".join(problems)) from None


_TYPE_WORDS = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "tuple_type": "a list",
    "list_type": "a list",
    "invalid-json-value": "a JSON value",
}


def _describe_error(error: ErrorDetails) -> str:
    loc = error["loc"]
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    path = path.removeprefix(".")
    value = error.get("input")
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        text = f"{_show(value)} is not one of {', '.join(choices)}"
    elif kind == "extra_forbidden":
        known = _fields_at(loc[:-1])
        text = "unknown field"
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        if guess:
            text += f" (did you mean {guess[0]!r}?)"
        elif known:
            text += f"; expected one of {', '.join(known)}"
    elif kind == "missing":
        text = "is required"
    elif kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", error["msg"]))
    elif kind in ("too_short", "string_too_short"):
        text = "must not be empty"
    elif kind == "greater_than_equal":
        text = f"must be at least {ctx.get('ge')}, got {_show(value)}"
    elif kind in _TYPE_WORDS:
        text = f"expected {_TYPE_WORDS[kind]}, got {json_type_name(value)} {_show(value)}"
    else:
        text = f"{error['msg']} (got {_show(value)})"
    return f"{path}: {text}" if path else text


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
