"""t-way covering arrays with constraints, built greedily and checked after the fact.

A *factor* has a number of levels, level ``0`` being the mildest (for perturbations: "off").
A covering array of strength ``t`` is a list of rows (one level per factor) such that every
combination of levels of any ``t`` factors that some allowed row could contain appears in at
least one row. *Constraints* are forbidden partial assignments ``{factor: level, ...}`` of any
size: no row ever matches one.

Construction is deterministic and greedy (in the spirit of AETG/IPOG): each row starts from
the mildest uncovered tuple, then every other factor takes the level that covers the most
still-uncovered tuples (ties go to the milder level), among the levels that still leave the
row completable under the constraints. Tuples no allowed row can contain are not required
and not counted. Unlike filter-based pair generators, a constraint never silently drops a
coverable tuple: :func:`tuple_coverage` recomputes coverage from the rows themselves.

Example::

    >>> rows = covering_array([2, 2, 2], t=2)
    >>> tuple_coverage(rows, [2, 2, 2], t=2)
    (12, 12)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Row = tuple[int, ...]
Forbidden = Mapping[int, int]


@dataclass(frozen=True)
class Constraints:
    """Forbidden partial assignments over factors with ``sizes`` levels each."""

    sizes: tuple[int, ...]
    forbidden: tuple[tuple[tuple[int, int], ...], ...] = ()

    @classmethod
    def of(cls, sizes: Sequence[int], forbidden: Iterable[Forbidden] = ()) -> Constraints:
        """Check and normalize; ``ValueError`` names the bad factor or level."""
        sizes = tuple(sizes)
        for i, n in enumerate(sizes):
            if n < 1:
                raise ValueError(f"factor {i}: needs at least one level (got {n})")
        norm = []
        for j, f in enumerate(forbidden):
            for factor, level in f.items():
                if not 0 <= factor < len(sizes) or not 0 <= level < sizes[factor]:
                    raise ValueError(f"constraint {j}: no level {level} of factor {factor}")
            norm.append(tuple(sorted(f.items())))
        return cls(sizes, tuple(norm))

    def allows(self, partial: Mapping[int, int]) -> bool:
        """False when ``partial`` contains a forbidden assignment in full."""
        return not any(all(partial.get(k) == v for k, v in f) for f in self.forbidden)

    def completable(self, partial: dict[int, int]) -> bool:
        """True when some allowed full row extends ``partial`` (backtracking search)."""
        if not self.allows(partial):
            return False
        # Only factors named by a constraint can make a level fail; the others are free.
        named = sorted({k for f in self.forbidden for k, _ in f})
        return self._extend(dict(partial), [i for i in named if i not in partial])

    def _extend(self, partial: dict[int, int], free: list[int]) -> bool:
        if not free:
            return True
        factor, rest = free[0], free[1:]
        for level in range(self.sizes[factor]):
            partial[factor] = level
            if self.allows(partial) and self._extend(partial, rest):
                del partial[factor]
                return True
        del partial[factor]
        return False


def _tuples(sizes: Sequence[int], t: int) -> Iterable[tuple[tuple[int, int], ...]]:
    for factors in itertools.combinations(range(len(sizes)), t):
        for levels in itertools.product(*(range(sizes[f]) for f in factors)):
            yield tuple(zip(factors, levels, strict=True))


def required_tuples(
    sizes: Sequence[int], t: int, constraints: Constraints | None = None
) -> set[tuple[tuple[int, int], ...]]:
    """Every t-tuple ``((factor, level), ...)`` that some allowed row contains."""
    cons = constraints or Constraints.of(sizes)
    t = min(t, len(sizes))
    return {tup for tup in _tuples(sizes, t) if cons.completable(dict(tup))}


def covering_array(
    sizes: Sequence[int], *, t: int = 2, forbidden: Iterable[Forbidden] = ()
) -> list[Row]:
    """A strength-``t`` covering array over factors with ``sizes`` levels (see module doc)."""
    if t < 1:
        raise ValueError(f"strength t must be at least 1 (got {t})")
    cons = Constraints.of(sizes, forbidden)
    if not sizes:
        return [()]
    if not cons.completable({}):
        raise ValueError("the constraints forbid every row")
    t = min(t, len(sizes))
    uncovered = required_tuples(cons.sizes, t, cons)
    order = sorted(uncovered, key=lambda tup: (sum(lv for _, lv in tup), tup))
    rows: list[Row] = []
    while uncovered:
        seed = next(tup for tup in order if tup in uncovered)
        row = dict(seed)
        for factor in range(len(cons.sizes)):
            if factor not in row:
                row[factor] = _best_level(factor, row, uncovered, cons, t)
        full = tuple(row[f] for f in range(len(cons.sizes)))
        rows.append(full)
        uncovered -= set(_row_tuples(full, t))
    return rows


def _best_level(
    factor: int,
    row: dict[int, int],
    uncovered: set[tuple[tuple[int, int], ...]],
    cons: Constraints,
    t: int,
) -> int:
    best, best_gain = -1, -1
    others = sorted(row)
    for level in range(cons.sizes[factor]):
        trial = {**row, factor: level}
        if not cons.completable(trial):
            continue
        gain = 0
        for combo in itertools.combinations(others, t - 1):
            tup = tuple(sorted([(f, row[f]) for f in combo] + [(factor, level)]))
            gain += tup in uncovered
        if gain > best_gain:
            best, best_gain = level, gain
    return best


def _row_tuples(row: Row, t: int) -> Iterable[tuple[tuple[int, int], ...]]:
    for factors in itertools.combinations(range(len(row)), t):
        yield tuple((f, row[f]) for f in factors)


def tuple_coverage(
    rows: Iterable[Row], sizes: Sequence[int], *, t: int = 2, forbidden: Iterable[Forbidden] = ()
) -> tuple[int, int]:
    """``(covered, total)`` required t-tuples that ``rows`` contain."""
    cons = Constraints.of(sizes, forbidden)
    t = min(t, len(cons.sizes))
    required = required_tuples(cons.sizes, t, cons)
    seen: set[tuple[tuple[int, int], ...]] = set()
    for row in rows:
        seen.update(_row_tuples(row, t))
    return len(required & seen), len(required)


def pair_coverage(
    rows: Iterable[Row], sizes: Sequence[int], factor: int, *, forbidden: Iterable[Forbidden] = ()
) -> tuple[int, int]:
    """``(covered, total)`` required pairs of ``factor``'s levels with every other factor's
    levels (the pairs the constraints allow) that ``rows`` contain."""
    cons = Constraints.of(sizes, forbidden)
    if len(cons.sizes) < 2:
        return 0, 0
    required = {
        pair for pair in required_tuples(cons.sizes, 2, cons) if factor in (f for f, _ in pair)
    }
    seen: set[tuple[tuple[int, int], ...]] = set()
    for row in rows:
        seen.update(_row_tuples(row, 2))
    return len(required & seen), len(required)
