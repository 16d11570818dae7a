"""Diff two `State` snapshots by primary key into added, removed and updated records."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from scenarios.verify.state import Row, State

ChangeOp = Literal["added", "updated", "removed"]
"""What happened to one record between two snapshots."""


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One updated record: its row before and after, and the columns whose values differ."""

    before: Row
    after: Row
    fields: tuple[str, ...]
    """Changed column names, sorted; a column present on one side only counts as changed."""


@dataclass(frozen=True, slots=True)
class TableDiff:
    """The changes to one table, each mapping keyed by primary key in sorted key order."""

    added: Mapping[str, Row] = field(default_factory=dict)
    removed: Mapping[str, Row] = field(default_factory=dict)
    updated: Mapping[str, RecordChange] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.updated)


@dataclass(frozen=True, slots=True)
class Change:
    """One changed record, flattened out of a `StateDiff` (see `StateDiff.changes`).

    `row` is the record as it ended (added, updated) or as it was last seen (removed);
    `before` is the row before an update (None otherwise); `fields` lists the changed columns
    of an update (empty otherwise).
    """

    table: str
    op: ChangeOp
    pk: str
    row: Row
    fields: tuple[str, ...] = ()
    before: Row | None = None

    def describe(self) -> str:
        """A short label such as ``bookings updated #2 (title)``."""
        label = f"{self.table} {self.op} #{self.pk}"
        return f"{label} ({', '.join(self.fields)})" if self.fields else label


@dataclass(frozen=True, slots=True)
class StateDiff:
    """The difference between two snapshots: changed tables only, sorted by table name.

    >>> before = {"bookings": {"1": {"id": 1, "date": "2026-12-13"}}}
    >>> after = {"bookings": {"1": {"id": 1, "date": "2026-12-14"}, "2": {"id": 2}}}
    >>> [c.describe() for c in diff_states(before, after).changes()]
    ['bookings updated #1 (date)', 'bookings added #2']
    """

    tables: Mapping[str, TableDiff] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True when nothing changed."""
        return not self.tables

    def table(self, name: str) -> TableDiff:
        """The diff of one table; empty if it did not change."""
        return self.tables.get(name) or TableDiff()

    def changes(self) -> Iterator[Change]:
        """Every changed record, ordered by table, then primary key (numbers numerically)."""
        for name, t in self.tables.items():
            keys = sorted({*t.added, *t.removed, *t.updated}, key=pk_sort_key)
            for pk in keys:
                if pk in t.added:
                    yield Change(name, "added", pk, t.added[pk])
                elif pk in t.removed:
                    yield Change(name, "removed", pk, t.removed[pk])
                else:
                    u = t.updated[pk]
                    yield Change(name, "updated", pk, u.after, u.fields, u.before)

    def __len__(self) -> int:
        """The number of changed records."""
        return sum(len(t.added) + len(t.removed) + len(t.updated) for t in self.tables.values())

    def to_json(self) -> dict[str, Any]:
        """The diff as JSON data: ``{table: {"added": {pk: row}, "removed": {...},
        "updated": {pk: {"before": row, "after": row, "fields": [...]}}}}``."""
        return {
            name: {
                "added": dict(t.added),
                "removed": dict(t.removed),
                "updated": {
                    pk: {"before": u.before, "after": u.after, "fields": list(u.fields)}
                    for pk, u in t.updated.items()
                },
            }
            for name, t in self.tables.items()
        }


def pk_sort_key(pk: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for primary keys: integer parts compare as numbers, so ``#2`` sorts before
    ``#10``; composite keys compare part by part (split on ``/``)."""
    parts = []
    for part in pk.split("/"):
        digits = part[1:] if part[:1] == "-" else part
        if digits.isascii() and digits.isdigit():
            parts.append((0, int(part), part))
        else:
            parts.append((1, 0, part))
    return tuple(parts)


def diff_states(before: State, after: State) -> StateDiff:
    """Compare two snapshots record by record, matching records by table and primary key.

    A table present on one side only has all its rows added (or removed). Rows are compared
    column by column with ``==``; the diff's rows are the snapshots' own row dicts (not copies).
    """
    tables: dict[str, TableDiff] = {}
    for name in sorted({*before, *after}):
        old = before.get(name, {})
        new = after.get(name, {})
        added = {pk: new[pk] for pk in sorted(new.keys() - old.keys(), key=pk_sort_key)}
        removed = {pk: old[pk] for pk in sorted(old.keys() - new.keys(), key=pk_sort_key)}
        updated: dict[str, RecordChange] = {}
        for pk in sorted(old.keys() & new.keys(), key=pk_sort_key):
            fields = changed_fields(old[pk], new[pk])
            if fields:
                updated[pk] = RecordChange(old[pk], new[pk], fields)
        diff = TableDiff(added, removed, updated)
        if not diff.is_empty:
            tables[name] = diff
    return StateDiff(tables)


def changed_fields(before: Row, after: Row) -> tuple[str, ...]:
    """The sorted columns whose values differ (or that exist on one side only)."""
    missing = object()
    return tuple(
        sorted(c for c in {*before, *after} if before.get(c, missing) != after.get(c, missing))
    )


def apply_diff(state: State, diff: StateDiff) -> State:
    """Replay a diff onto a snapshot and return the result (a new state; inputs untouched).

    ``apply_diff(a, diff_states(a, b))`` equals `b` up to empty tables, which are dropped.
    """
    result = copy.deepcopy(state)
    for name, t in diff.tables.items():
        rows = result.setdefault(name, {})
        for pk in t.removed:
            del rows[pk]
        for pk, row in t.added.items():
            rows[pk] = copy.deepcopy(row)
        for pk, u in t.updated.items():
            rows[pk] = copy.deepcopy(u.after)
    return {name: rows for name, rows in result.items() if rows}
