"""Path strategies over a workflow graph, each reporting the edge coverage it reached.

A path is a walk from the start state to the goal state, written as its actions. Strategies:

``edge_cover``
    Walks that together take every edge, self-loops and back-edges included (a directed
    Chinese-postman style tour: each walk takes an untaken edge where it can, otherwise the
    shortest way to the nearest untaken edge, and ends by the shortest way to the goal).
``simple``
    Every simple path (no state twice) up to ``max_len`` actions, shortest first. Simple
    paths never take a loop or a back-edge: their coverage says so.
``random``
    ``limit`` seeded random walks (uniform choice of the next action, bounded length).
``shortest``
    The ``limit`` shortest simple paths (Yen's algorithm), ties broken by action names.

    >>> from scenarios.workflow import build_graph
    >>> g = build_graph([("s", "a", "go"), ("a", "a", "again"), ("a", "g", "end")])
    >>> plan_paths(g, "s", "g", "edge_cover").paths
    (('go', 'again', 'end'),)
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from scenarios.seeds import child_rng

if TYPE_CHECKING:
    from scenarios.workflow_spec import WorkflowSpec

Strategy = Literal["edge_cover", "simple", "random", "shortest"]
STRATEGIES: tuple[Strategy, ...] = ("edge_cover", "simple", "random", "shortest")
Edge = tuple[str, str, str]


@dataclass(frozen=True)
class PathPlan:
    """The paths a strategy chose and the edge coverage they reach."""

    strategy: str
    paths: tuple[tuple[str, ...], ...]
    edges_covered: int
    edges_total: int

    def coverage(self) -> dict[str, Any]:
        """The manifest's summary of this plan."""
        return {
            "strategy": self.strategy,
            "paths": len(self.paths),
            "edges_covered": self.edges_covered,
            "edges_total": self.edges_total,
        }


def graph_of(spec: WorkflowSpec) -> nx.MultiDiGraph:
    """The networkx graph of a workflow spec (edges keyed by action, with their data)."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(sorted(spec.nodes))
    for e in spec.edges:
        graph.add_edge(e.source, e.target, key=e.action, **e.model_dump())
    return graph


def unreachable(graph: nx.MultiDiGraph, start: str, goal: str) -> list[str]:
    """States not on any walk from ``start`` to ``goal``, sorted."""
    ok = (nx.descendants(graph, start) | {start}) & (nx.ancestors(graph, goal) | {goal})
    return sorted(set(graph.nodes) - ok)


def _out(graph: nx.MultiDiGraph, node: str) -> list[Edge]:
    return sorted((u, v, k) for u, v, k in graph.out_edges(node, keys=True))


def _walk_to(graph: nx.MultiDiGraph, start: str, wanted: Any) -> list[Edge] | None:
    """Shortest edge list from ``start`` to the first edge (BFS order) with ``wanted(edge)``."""
    queue: deque[tuple[str, list[Edge]]] = deque([(start, [])])
    seen = {start}
    while queue:
        node, trail = queue.popleft()
        for edge in _out(graph, node):
            if wanted(edge):
                return [*trail, edge]
            if edge[1] not in seen:
                seen.add(edge[1])
                queue.append((edge[1], [*trail, edge]))
    return None


def _to_goal(graph: nx.MultiDiGraph, node: str, goal: str) -> list[Edge]:
    if node == goal:
        return []
    trail = _walk_to(graph, node, lambda e: e[1] == goal)
    if trail is None:
        raise ValueError(f"no way from {node!r} to the goal {goal!r}")
    return trail


def edge_cover(graph: nx.MultiDiGraph, start: str, goal: str) -> list[list[Edge]]:
    """Walks from ``start`` to ``goal`` that together take every edge reachable from start."""
    todo = {
        e for e in graph.edges(keys=True) if e[0] == start or e[0] in nx.descendants(graph, start)
    }
    walks: list[list[Edge]] = []
    while todo:
        node, walk = start, []
        while True:
            fresh = [e for e in _out(graph, node) if e in todo]
            trail = fresh[:1] or _walk_to(graph, node, todo.__contains__) or []
            if not trail:
                break
            walk += trail
            todo -= set(trail)
            node = trail[-1][1]
        tail = _to_goal(graph, node, goal)
        todo -= set(tail)
        walks.append(walk + tail)
    return walks


def _simple(graph: nx.MultiDiGraph, start: str, goal: str, max_len: int) -> list[list[Edge]]:
    found = nx.all_simple_edge_paths(graph, start, goal, cutoff=max_len)
    return sorted(([tuple(e) for e in p] for p in found), key=lambda p: (len(p), p))


def _random(
    graph: nx.MultiDiGraph, start: str, goal: str, count: int, seed: int, max_len: int
) -> list[list[Edge]]:
    walks = []
    for i in range(count):
        rng, node = child_rng(seed, "random-walk", i), start
        walk: list[Edge] = []
        while node != goal and len(walk) < max_len:
            edge = rng.choice(_out(graph, node))
            walk.append(edge)
            node = edge[1]
        walks.append(walk + _to_goal(graph, node, goal))
    return walks


def _shortest(graph: nx.MultiDiGraph, start: str, goal: str, k: int) -> list[list[Edge]]:
    simple = nx.DiGraph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    out: list[list[Edge]] = []
    for nodes in nx.shortest_simple_paths(simple, start, goal):
        choices = [sorted(graph[u][v]) for u, v in itertools.pairwise(nodes)]
        for keys in itertools.product(*choices):
            out.append(
                [(u, v, k_) for (u, v), k_ in zip(itertools.pairwise(nodes), keys, strict=True)]
            )
            if len(out) == k:
                return out
    return out


def plan_paths(
    graph: nx.MultiDiGraph,
    start: str,
    goal: str,
    strategy: str,
    *,
    seed: int = 0,
    limit: int = 100,
    max_len: int | None = None,
) -> PathPlan:
    """Run ``strategy`` (see the module docstring) and measure its edge coverage."""
    bound = max_len or 2 * graph.number_of_edges() + 2
    if strategy == "edge_cover":
        walks = edge_cover(graph, start, goal)
    elif strategy == "simple":
        walks = _simple(graph, start, goal, min(bound, graph.number_of_nodes()))[:limit]
    elif strategy == "random":
        walks = _random(graph, start, goal, limit, seed, bound)
    elif strategy == "shortest":
        walks = _shortest(graph, start, goal, limit)
    else:
        raise ValueError(
            f"--strategy: unknown strategy {strategy!r}; known: {', '.join(STRATEGIES)}"
        )
    taken = {e for w in walks for e in w}
    return PathPlan(
        strategy=strategy,
        paths=tuple(tuple(e[2] for e in w) for w in walks),
        edges_covered=len(taken),
        edges_total=graph.number_of_edges(),
    )
