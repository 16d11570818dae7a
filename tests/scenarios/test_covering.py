"""Covering arrays, checked by enumerating tuples independently of the construction."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from scenarios.covering import covering_array, tuple_coverage
from scenarios.drills import DRILLS
from scenarios.workflow_spec import levels, matches


def _allowed(row: Sequence[int], forbidden: list[dict[int, int]]) -> bool:
    return not any(all(row[f] == lv for f, lv in bad.items()) for bad in forbidden)


def _coverable(sizes: Sequence[int], t: int, forbidden: list[dict[int, int]]) -> set[tuple]:
    """Every t-tuple of some allowed row, by brute force over the full product."""
    out = set()
    for row in itertools.product(*(range(n) for n in sizes)):
        if _allowed(row, forbidden):
            for fs in itertools.combinations(range(len(sizes)), t):
                out.add(tuple((f, row[f]) for f in fs))
    return out


def _contained(rows: list[tuple[int, ...]], t: int) -> set[tuple]:
    return {
        tuple((f, row[f]) for f in fs)
        for row in rows
        for fs in itertools.combinations(range(len(row)), t)
    }


CASES = [
    ([2, 2, 2], 2, []),
    ([3, 4, 2, 5], 2, [{0: 1, 1: 3}, {2: 1, 3: 0}]),
    ([5, 9, 4, 7], 2, [{0: 3, 1: 2}, {0: 0, 1: 0, 2: 0, 3: 0}]),
    ([3, 3, 3, 3, 3], 3, [{0: 2, 1: 2, 2: 2}, {3: 1}]),
    ([4, 2, 3], 3, [{0: 0, 1: 0, 2: 0}]),
    # a constraint that makes level 1 of factor 2 impossible with everything of factor 0
    ([2, 3, 3], 2, [{0: 0, 2: 1}, {0: 1, 2: 1}]),
]


@pytest.mark.parametrize(("sizes", "t", "forbidden"), CASES)
def test_every_coverable_tuple_is_covered_and_no_row_is_forbidden(sizes, t, forbidden) -> None:  # type: ignore[no-untyped-def]
    rows = covering_array(sizes, t=t, forbidden=forbidden)
    assert all(_allowed(r, forbidden) for r in rows)
    assert all(
        len(r) == len(sizes) and all(0 <= v < n for v, n in zip(r, sizes, strict=True))
        for r in rows
    )
    expected = _coverable(sizes, t, forbidden)
    assert expected <= _contained(rows, t)
    assert tuple_coverage(rows, sizes, t=t, forbidden=forbidden) == (len(expected), len(expected))
    product = 1
    for n in sizes:
        product *= n
    assert len(rows) < product  # smaller than the exhaustive product


def test_coverage_counts_missing_tuples() -> None:
    sizes = [3, 3, 3]
    rows = covering_array(sizes, t=2)
    covered, total = tuple_coverage(rows[:-1], sizes, t=2)
    assert total == 27 and covered < 27


def test_the_mildest_row_comes_first() -> None:
    assert covering_array([3, 3, 3], t=2)[0] == (0, 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": [2, 0]}, r"factor 1: needs at least one level \(got 0\)"),
        ({"sizes": [2, 2], "forbidden": [{0: 5}]}, "constraint 0: no level 5 of factor 0"),
        ({"sizes": [2], "forbidden": [{0: 0}, {0: 1}]}, "the constraints forbid every row"),
        ({"sizes": [2, 2], "t": 0}, "strength t must be at least 1"),
    ],
)
def test_bad_input_is_named(kwargs, message) -> None:  # type: ignore[no-untyped-def]
    sizes = kwargs.pop("sizes")
    with pytest.raises(ValueError, match=message):
        covering_array(sizes, **kwargs)


@pytest.mark.parametrize("name", sorted(DRILLS))
@pytest.mark.parametrize("t", [2, 3])
def test_builtin_drill_rows_cover_every_pair_its_spec_allows(name: str, t: int) -> None:
    """Re-derive the levels and constraints from the workflow file, then enumerate."""
    drill = DRILLS[name].configured(strength=t, locale="en_US")
    spec = drill.spec
    lvls = [levels(spec, p) for p in spec.perturbations]
    ids = [p.id for p in spec.perturbations]

    def ok(row: Sequence[int]) -> bool:
        if spec.min_perturbations and not any(row):
            return False
        return not any(
            all(
                matches(lvls[ids.index(pid)][row[ids.index(pid)]], sel)
                for pid, sel in c.never.items()
            )
            for c in spec.constraints
        )

    coverable = set()
    for row in itertools.product(*(range(len(lv)) for lv in lvls)):
        if ok(row):
            for fs in itertools.combinations(range(len(row)), t):
                coverable.add(tuple((f, row[f]) for f in fs))
    assert all(ok(r) for r in drill.rows)
    assert coverable <= _contained(drill.rows, t)
    assert drill.tuple_coverage(drill.rows) == {
        "t": t,
        "covered": len(coverable),
        "total": len(coverable),
    }
