"""Path strategies and the coverage they report."""

from __future__ import annotations

import pytest

from scenarios.drills import DRILLS
from scenarios.paths import STRATEGIES, plan_paths
from scenarios.workflow import build_graph, follow

LOOPY = build_graph(
    [
        ("s", "a", "go"),
        ("a", "a", "again"),
        ("a", "b", "next"),
        ("b", "a", "back"),
        ("b", "g", "end"),
        ("a", "g", "skip"),
    ]
)


@pytest.mark.parametrize("name", sorted(DRILLS))
def test_edge_cover_takes_every_edge_of_every_builtin_graph(name: str) -> None:
    drill = DRILLS[name]
    graph, spec = drill.solvable_graph, drill.spec
    plan = plan_paths(graph, spec.start, spec.goal, "edge_cover")
    taken = set()
    for path in plan.paths:
        states = follow(graph, path, start=spec.start)
        assert states[-1] == spec.goal
        taken |= {(u, a) for u, a in zip(states, path, strict=False)}
    every = {(u, k) for u, _, k in graph.edges(keys=True)}
    assert taken == every
    back_edges = {
        (u, k) for u, v, k in graph.edges(keys=True) if u == v or v in _ancestors(graph, u)
    }
    assert back_edges and back_edges <= taken  # loops and retries included
    assert plan.edges_covered == plan.edges_total == graph.number_of_edges()


def _ancestors(graph, node):  # type: ignore[no-untyped-def]
    import networkx as nx

    return nx.ancestors(graph, node)


def test_simple_paths_cannot_take_loops_and_say_so() -> None:
    plan = plan_paths(LOOPY, "s", "g", "simple")
    assert plan.paths == (("go", "skip"), ("go", "next", "end"))
    assert (plan.edges_covered, plan.edges_total) == (4, 6)


def test_edge_cover_reaches_loops_and_back_edges() -> None:
    plan = plan_paths(LOOPY, "s", "g", "edge_cover")
    assert {a for p in plan.paths for a in p} == {"go", "again", "next", "back", "end", "skip"}
    assert plan.coverage() == {
        "strategy": "edge_cover",
        "paths": len(plan.paths),
        "edges_covered": 6,
        "edges_total": 6,
    }


def test_random_walks_are_seeded_and_end_at_the_goal() -> None:
    a = plan_paths(LOOPY, "s", "g", "random", seed=3, limit=20)
    b = plan_paths(LOOPY, "s", "g", "random", seed=3, limit=20)
    c = plan_paths(LOOPY, "s", "g", "random", seed=4, limit=20)
    assert a == b and a.paths != c.paths
    assert all(follow(LOOPY, p, start="s")[-1] == "g" for p in a.paths)


def test_shortest_paths_come_in_length_order() -> None:
    plan = plan_paths(LOOPY, "s", "g", "shortest", limit=2)
    assert plan.paths == (("go", "skip"), ("go", "next", "end"))


def test_every_strategy_reports_coverage() -> None:
    for strategy in STRATEGIES:
        plan = plan_paths(LOOPY, "s", "g", strategy, limit=5)
        assert plan.paths and 0 < plan.edges_covered <= plan.edges_total == 6


def test_unknown_strategy_is_named() -> None:
    with pytest.raises(ValueError, match="--strategy: unknown strategy 'bfs'"):
        plan_paths(LOOPY, "s", "g", "bfs")
