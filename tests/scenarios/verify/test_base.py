from __future__ import annotations

import pytest

from scenarios.verify.base import Bound, Counted, SpecModel, row_matches


class Counter(Counted, SpecModel):
    name: str = "c"
    count: Bound = None
    min: Bound = None
    max: Bound = None


@pytest.mark.parametrize(
    ("bounds", "expected", "holds", "fails"),
    [
        ({"count": 1}, "exactly 1", [1], [0, 2]),
        ({"min": 2}, "at least 2", [2, 9], [1]),
        ({"max": 0}, "at most 0", [0], [1]),
        ({"min": 1, "max": 3}, "between 1 and 3", [1, 3], [0, 4]),
        ({"min": 2, "max": 2}, "exactly 2", [2], [1, 3]),
        ({}, "any number of", [0, 5], []),
    ],
)
def test_bounds(bounds: dict[str, int], expected: str, holds: list[int], fails: list[int]) -> None:
    counter = Counter(**bounds)  # type: ignore[arg-type]
    assert counter.expected() == expected
    assert all(counter.holds_for(n) for n in holds)
    assert not any(counter.holds_for(n) for n in fails)


def test_bounds_are_checked_and_fields_come_last() -> None:
    with pytest.raises(ValueError, match="give either count"):
        Counter(count=1, min=0).check_bounds()
    with pytest.raises(ValueError, match="min 3 is greater than max 1"):
        Counter(min=3, max=1).check_bounds()
    assert list(Counter.model_fields) == ["name", "count", "min", "max"]
    assert Counter(min=2).lowest == 2 and Counter().lowest == 0


def test_spec_models_are_frozen_and_strict_about_fields() -> None:
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        Counter.model_validate({"cuont": 1})
    with pytest.raises(ValueError, match="frozen"):
        Counter().name = "x"


def test_row_matches() -> None:
    assert row_matches({"a": 1, "b": True}, {"a": 1.0, "b": 1})
    assert not row_matches({"a": 1}, {"b": None})
    assert row_matches({}, {})
