"""Relations between records: a requirement's records checked against rows of another table,
and whole tables compared with the exact rows they must hold.

A **join** ties each record a requirement selects to a *partner* row of another table::

    {"name": "the trip costs the flight's standard fare", "table": "trips", "op": "added",
     "join": {"table": "flights", "on": {"flight": "number", "date": "date"},
              "equal": {"price": "standard"}},
     "count": 1}

* `on` pairs a column of the record with a column of the partner (``record.flight ==
  flight.number``): it says *which* row is the partner.
* `equal` pairs columns that must then hold equal values (``record.price ==
  flight.standard``). Keeping the two apart lets a failure say "flights #7 has standard 99,
  but price is 120" instead of only "no partner".
* `op` picks the partner rows: ``present`` (default) is every row of the final state;
  ``added`` / ``updated`` / ``removed`` are the diff's records of that kind.
* `where` narrows the partner rows.
* `every`: every selected record must have a partner (those without one are named and fail
  the rule); the count bounds then become optional.

A record counts toward the requirement only if it has a partner.

An **equals** requirement pins the whole end state of a table (tau-bench's gold database)::

    {"name": "the gold users table", "table": "users", "op": "equals",
     "rows": [{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bo"}], "ignore": ["updated_at"]}

The final rows (those matching `where`, if given) must equal `rows` exactly, as a multiset,
after dropping the `ignore` columns from both sides.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal, Self

from pydantic import Field, JsonValue, model_validator

from scenarios.verify.base import Name, SpecModel, row_matches
from scenarios.verify.diff import Change, pk_sort_key
from scenarios.verify.state import Row, State

JoinOp = Literal["present", "added", "updated", "removed"]
"""Which rows of the joined table can be partners: final rows, or diff records of a kind."""


class Join(SpecModel):
    """How each record of a requirement must relate to a row of another table.

    >>> join = Join.model_validate({"table": "flights", "on": {"flight": "number"}})
    >>> join.describe_partner({"flight": "LH1"})
    "flights row with number = 'LH1'"
    """

    table: Name
    op: JoinOp = "present"
    on: Annotated[dict[Name, Name], Field(min_length=1)]
    where: dict[str, JsonValue] = Field(default_factory=dict)
    equal: dict[Name, Name] = Field(default_factory=dict)
    every: Annotated[bool, Field(strict=True)] = False

    @model_validator(mode="after")
    def _check_equal(self) -> Self:
        both = sorted(set(self.on) & set(self.equal))
        if both:
            raise ValueError(
                f"column(s) {', '.join(both)} appear in both on and equal; "
                "on already requires them to be equal"
            )
        return self

    def describe_partner(self, row: Row) -> str:
        """The partner a record needs, in words: ``added trips row with email = 'a@b.c'``."""
        op = "" if self.op == "present" else f"{self.op} "
        pairs = " and ".join(
            f"{theirs} = {_show(row.get(ours))}" for ours, theirs in self.on.items()
        )
        where = f" matching {json.dumps(self.where)}" if self.where else ""
        return f"{op}{self.table} row with {pairs}{where}"


@dataclass(frozen=True, slots=True)
class PartnerCheck:
    """The outcome of looking for one record's partner: its key, or why there is none."""

    partner: str | None
    problem: str = ""


def partner_rows(join: Join, changes: Sequence[Change], after: State) -> list[tuple[str, Row]]:
    """The rows of the joined table that may be partners, as ``(pk, row)`` in key order."""
    if join.op == "present":
        rows = after.get(join.table, {})
        found = [(pk, rows[pk]) for pk in sorted(rows, key=pk_sort_key)]
    else:
        found = [(c.pk, c.row) for c in changes if c.table == join.table and c.op == join.op]
    return [(pk, row) for pk, row in found if row_matches(row, join.where)]


def find_partner(join: Join, row: Row, partners: Sequence[tuple[str, Row]]) -> PartnerCheck:
    """Look for `row`'s partner; when there is none, say why in one phrase."""
    linked = [(pk, p) for pk, p in partners if _pairs_equal(row, p, join.on)]
    if not linked:
        return PartnerCheck(None, f"no {join.describe_partner(row)}")
    for pk, partner in linked:
        if _pairs_equal(row, partner, join.equal):
            return PartnerCheck(pk)
    pk, partner = linked[0]
    unequal = [
        (ours, theirs)
        for ours, theirs in join.equal.items()
        if not _equal(row, partner, ours, theirs)
    ]
    details = ", ".join(
        f"{theirs} {_show(partner.get(theirs))} but {ours} is {_show(row.get(ours))}"
        for ours, theirs in unequal
    )
    return PartnerCheck(None, f"{join.table} #{pk} has {details}")


def _pairs_equal(row: Row, partner: Row, pairs: Mapping[str, str]) -> bool:
    return all(_equal(row, partner, ours, theirs) for ours, theirs in pairs.items())


def _equal(row: Row, partner: Row, ours: str, theirs: str) -> bool:
    return ours in row and theirs in partner and row[ours] == partner[theirs]


def compare_rows(
    expected: Sequence[Row], actual: Sequence[tuple[str, Row]], ignore: Sequence[str]
) -> tuple[list[Row], list[tuple[str, Row]]]:
    """Match expected rows to actual ``(pk, row)`` pairs as multisets, ignoring columns.

    Returns the expected rows no actual row equals, and the actual rows left unmatched.

    >>> compare_rows([{"id": 1}, {"id": 2}], [("1", {"id": 1, "t": 5}), ("3", {"id": 3})], ["t"])
    ([{'id': 2}], [('3', {'id': 3})])
    """
    dropped = set(ignore)
    unmatched = [
        (pk, {c: v for c, v in row.items() if c not in dropped}, row) for pk, row in actual
    ]
    missing: list[Row] = []
    for want in expected:
        trimmed = {c: v for c, v in want.items() if c not in dropped}
        index = next((i for i, (_, got, _) in enumerate(unmatched) if got == trimmed), None)
        if index is None:
            missing.append(want)
        else:
            del unmatched[index]
    return missing, [(pk, row) for pk, _, row in unmatched]


def _show(value: object) -> str:
    return (
        json.dumps(value, ensure_ascii=False, default=str)
        if not isinstance(value, str)
        else repr(value)
    )
