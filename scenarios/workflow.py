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
