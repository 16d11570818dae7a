"""The drills: task families with a workflow graph, goal data, perturbation space, verifier.

``DRILLS[name]`` is a :class:`~scenarios.drills.base.Drill`; each builds scenario ``index`` of
a pack from the pack seed alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from scenarios.drills.base import Drill
from scenarios.drills.calendar import CalendarDrill

DRILLS: Mapping[str, Drill] = {d.name: d for d in (CalendarDrill(),)}

__all__ = ["DRILLS", "Drill"]
