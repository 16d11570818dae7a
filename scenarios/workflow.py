"""Workflow graphs: the UI states of a task as nodes, the agent's actions as edges.

A drill describes its task as a directed graph (networkx). Each edge is an action with an
optional ``step`` name that perturbations can be attached to. A scenario's ``path`` is one
walk through the graph from ``start`` to ``goal``; loops (e.g. "next month" repeated, or
"retry after an error") appear as repeated steps.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx


def build_graph(edges: Iterable[tuple[str, str, str]]) -> nx.MultiDiGraph:
    """A graph from ``(source, target, action)`` triples."""
    graph = nx.MultiDiGraph()
    for src, dst, action in edges:
        graph.add_edge(src, dst, key=action, action=action)
    return graph


def follow(graph: nx.MultiDiGraph, actions: Iterable[str], start: str = "start") -> list[str]:
    """The states visited by taking ``actions`` from ``start``.

    Raises ``ValueError`` naming the first action that is not an edge out of the current
    state, so a scenario's ``path`` can be checked against its drill's graph.
    """
    state, visited = start, [start]
    for i, action in enumerate(actions):
        targets = [dst for _, dst, key in graph.out_edges(state, keys=True) if key == action]
        if not targets:
            raise ValueError(f"path[{i}]: no action {action!r} from state {state!r}")
        state = targets[0]
        visited.append(state)
    return visited
