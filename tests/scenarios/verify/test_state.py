from __future__ import annotations

import re

import pytest

from scenarios.verify import StateSource, StaticStateSource, parse_state


def test_parse_state_accepts_the_state_shape() -> None:
    data = {"bookings": {"1": {"id": 1, "tags": ["a"]}}, "empty": {}}
    assert parse_state(data, source="x") == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "returned an array, expected an object keyed by table name"),
        (
            {"bookings": []},
            "returned table 'bookings' as an array, expected an object keyed by primary key",
        ),
        (
            {"bookings": {"1": "row"}},
            "returned table 'bookings' row '1' as a string, expected an object of column values",
        ),
        ({"bookings": {1: {}}}, "returned table 'bookings' key 1, expected a string primary key"),
        ({1: {}}, "returned table name 1, expected a string"),
        (
            {"bookings": {"1": {2: "x"}}},
            "returned table 'bookings' row '1' column 2, expected a string column name",
        ),
    ],
)
def test_parse_state_names_what_is_wrong(data: object, message: str) -> None:
    with pytest.raises(ValueError, match="^state endpoint " + re.escape(message) + "$"):
        parse_state(data, source="state endpoint")


async def test_static_source_snapshots_are_independent_copies() -> None:
    source = StaticStateSource({"t": {"1": {"a": 1}}})
    assert isinstance(source, StateSource)
    first = await source.snapshot()
    first["t"]["1"]["a"] = 2
    assert await source.snapshot() == {"t": {"1": {"a": 1}}}
