"""Building blocks shared by every kind of verifier rule: the frozen model, counts, matching."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

Name = Annotated[str, Field(min_length=1)]
"""A non-empty name (of a rule, table or column)."""

Bound = Annotated[int, Field(strict=True, ge=0)] | None
"""A count bound: a whole number from 0, or not given."""


class SpecModel(BaseModel):
    """A frozen model that rejects unknown fields (so a typo is an error, not a no-op)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def row_matches(row: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    """True if `row` has every column of `where` with an equal value.

    Equality is Python's ``==`` on JSON values: ``1 == 1.0``, and ``true == 1`` (SQLite stores
    booleans as integers). A column missing from the row never matches, not even ``null``.
    An empty `where` matches every row.

    >>> row_matches({"id": 1, "room": "A"}, {"room": "A"})
    True
    >>> row_matches({"id": 1}, {"room": None})
    False
    """
    return all(column in row and row[column] == value for column, value in where.items())


class Counted:
    """Mixin for a rule that counts what it matched: exactly `count`, or within `min`..`max`.

    Either bound may be left out; `count` and `min`/`max` exclude each other. The model
    declares the three fields itself (``count: Bound = None``...), after its own fields, so
    they come last in its JSON.
    """

    if TYPE_CHECKING:
        count: int | None
        min: int | None
        max: int | None

    @property
    def has_bounds(self) -> bool:
        """Whether any of count, min or max is given."""
        return (self.count, self.min, self.max) != (None, None, None)

    def check_bounds(self) -> None:
        """Raise `ValueError` if the bounds contradict each other."""
        if self.count is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either count (exact) or min/max (bounds), not both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")

    @property
    def lowest(self) -> int:
        """The smallest count that satisfies the bounds."""
        return self.count if self.count is not None else (self.min or 0)

    def holds_for(self, found: int) -> bool:
        """Whether `found` matching items satisfy the bounds (any number, if none given)."""
        if self.count is not None:
            return found == self.count
        return (self.min is None or found >= self.min) and (self.max is None or found <= self.max)

    def expected(self) -> str:
        """The expected count in words: ``exactly 1``, ``at least 2``, ``between 1 and 3``."""
        if self.count is not None:
            return f"exactly {self.count}"
        if self.min is not None and self.max is not None:
            if self.min == self.max:
                return f"exactly {self.min}"
            return f"between {self.min} and {self.max}"
        if self.min is not None:
            return f"at least {self.min}"
        if self.max is not None:
            return f"at most {self.max}"
        return "any number of"
