"""Hypothesis strategies over the scenario space of a drill.

:func:`scenarios` draws a valid scenario of a drill: a data seed, one level per perturbation
(``0`` is off, higher is harsher: the lists of the workflow file are mildest first), the
interface variant for a drill with them on (``0``: ``default``) and, for
drills whose path is free, one of the strategy's paths (shortest first). Hypothesis shrinks
toward lower levels and earlier choices, so a failing scenario shrinks to fewer and milder
perturbations and a shorter path. Use it in your own property tests::

    from hypothesis import given
    from scenarios.strategies import scenarios

    @given(scenarios("calendar"))
    def test_my_agent_survives(scenario): ...

``hypothesis`` is imported when a strategy is built, so the package does not need it at
runtime otherwise: ``pip install 'gymfuzz[hypothesis]'`` brings it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from scenarios.model import Scenario, load_scenario

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from scenarios.drills.graph import GraphDrill


def scenarios(drill: str | GraphDrill, *, perturbed: bool = True) -> SearchStrategy[Scenario]:
    """A strategy of validated scenarios of ``drill`` (a built-in name or a drill object)."""
    from hypothesis import strategies as st

    from scenarios.covering import Constraints
    from scenarios.generate import get_drill

    d = get_drill(drill) if isinstance(drill, str) else drill
    sizes = d.factor_sizes  # with the interface variant last, for a drill that has them on
    cons = Constraints.of(sizes, d.forbidden)
    rows = st.tuples(*(st.integers(0, n - 1) for n in sizes)) if perturbed else st.just(())
    if perturbed:
        rows = rows.filter(lambda r: cons.allows(dict(enumerate(r))))
    ordered = sorted(d.path_plan.paths, key=lambda p: (len(p), p))
    free_path = d.path_source == d.strategy
    paths: SearchStrategy[Any] = st.sampled_from(ordered) if free_path else st.none()

    def build(seed: int, row: tuple[int, ...], path: tuple[str, ...] | None) -> Scenario:
        data = d.scenario_dict(
            seed,
            0,
            perturbed=perturbed,
            row=row or tuple(0 for _ in sizes),
            path=None if path is None else list(path),
        )
        return load_scenario(copy.deepcopy(data), source=data["id"])

    return st.builds(build, st.integers(0, 2**53 - 1), rows, paths)
