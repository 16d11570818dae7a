"""The drills: task families with a workflow graph, goal data, perturbation space, verifier.

``DRILLS[name]`` is a :class:`~scenarios.drills.graph.GraphDrill`, described by a workflow
graph file in ``graphs/``; each builds scenario ``index`` of a pack from the pack seed alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from scenarios.drills.calendar import CalendarDrill
from scenarios.drills.dropdown import DropdownDrill
from scenarios.drills.endurance import EnduranceDrill
from scenarios.drills.graph import GraphDrill

DRILLS: Mapping[str, GraphDrill] = {
    d.name: d for d in (CalendarDrill(), DropdownDrill(), EnduranceDrill())
}

__all__ = ["DRILLS", "GraphDrill"]
