"""Backend state: the `State` shape, the `StateSource` protocol, and shape checking.

A verifier never looks at the screen. It takes a snapshot of the backend before the episode
and another after it, and judges the difference. Every snapshot has the same plain shape::

    {"bookings": {"5": {"id": 5, "date": "2026-12-14", "room": "A"}}}

table name -> primary key (always a string) -> row (column -> JSON value). A composite
primary key is its column values joined with ``/`` in key-column order (``"3/2026-12-14"``).
A table with no rows is the same as a missing table.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from typing import Any, Protocol, runtime_checkable

Row = dict[str, Any]
"""One record: column name -> JSON value."""

State = dict[str, dict[str, Row]]
"""A backend snapshot: table name -> primary key (as a string) -> row."""


class StateSourceError(RuntimeError):
    """A snapshot could not be taken: the source was unreachable, refused, or sent bad data."""


@runtime_checkable
class StateSource(Protocol):
    """Anything that can take a snapshot of a backend.

    Implementations: `SiteStateSource` (the embedded site's admin state endpoint),
    `SqlStateSource` (a database read directly), `StaticStateSource` (a fixed state, for tests).
    """

    async def snapshot(self) -> State:
        """Read the backend's current state. Raises `StateSourceError` when it cannot."""
        ...


class StaticStateSource:
    """A source that returns a fixed state; the test seam for code that takes a `StateSource`.

    Each snapshot is a deep copy, so a caller mutating one snapshot never changes the next.
    Replace `state` between snapshots to simulate the backend changing.

    >>> import asyncio
    >>> source = StaticStateSource({"bookings": {}})
    >>> asyncio.run(source.snapshot())
    {'bookings': {}}
    """

    def __init__(self, state: State) -> None:
        self.state = parse_state(state, source="StaticStateSource")

    async def snapshot(self) -> State:
        return copy.deepcopy(self.state)


def json_type_name(value: object) -> str:
    """The JSON name of a value's type, for error messages (``'array'`` for a list)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def parse_state(data: object, *, source: str) -> State:
    """Check that `data` has the `State` shape and return it as plain dicts.

    Raises `ValueError` naming the first table, key or row that is wrong, prefixed by `source`,
    e.g. ``state endpoint returned table 'bookings' as an array, expected an object keyed by
    primary key``.
    """
    if not isinstance(data, Mapping):
        raise ValueError(
            f"{source} returned {_a(json_type_name(data))}, expected an object keyed by table name"
        )
    state: State = {}
    for table, rows in data.items():
        if not isinstance(table, str):
            raise ValueError(f"{source} returned table name {table!r}, expected a string")
        if not isinstance(rows, Mapping):
            raise ValueError(
                f"{source} returned table {table!r} as {_a(json_type_name(rows))}, "
                "expected an object keyed by primary key"
            )
        parsed: dict[str, Row] = {}
        for pk, row in rows.items():
            if not isinstance(pk, str):
                raise ValueError(
                    f"{source} returned table {table!r} key {pk!r}, expected a string primary key"
                )
            if not isinstance(row, Mapping):
                raise ValueError(
                    f"{source} returned table {table!r} row {pk!r} as "
                    f"{_a(json_type_name(row))}, expected an object of column values"
                )
            for column in row:
                if not isinstance(column, str):
                    raise ValueError(
                        f"{source} returned table {table!r} row {pk!r} column {column!r}, "
                        "expected a string column name"
                    )
            parsed[pk] = dict(row)
        state[table] = parsed
    return state


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def without(state: State, tables: Collection[str], columns: Mapping[str, Collection[str]]) -> State:
    """``state`` with ``tables`` and, per table, ``columns`` left out (what a target file or
    a verifier ``ignore``\\ s)."""
    return {
        table: {
            key: {c: v for c, v in row.items() if c not in columns.get(table, ())}
            for key, row in rows.items()
        }
        for table, rows in state.items()
        if table not in tables
    }
