"""The search space of a drill: genomes, and the scenarios they stand for.

A :class:`Genome` is one scenario of a drill written as choices: the scenario ``index``
(which picks the goal data, the fixture and, for graph drills, the path) and one level index
per perturbation (``0`` off, then mildest first, as
:attr:`~scenarios.drills.graph.GraphDrill.levels` lists them). :class:`SearchSpace` checks
genomes against the drill's constraints and builds their scenarios; a scenario's id spells
its genome, so ``calendar-00012-L1.0.0.2`` is index 12 with the first perturbation at level
1 and the fourth at level 2, and :meth:`SearchSpace.parse_id` reads it back.

    >>> from scenarios.drills import DRILLS
    >>> space = SearchSpace(DRILLS["calendar"], seed=0)
    >>> g = Genome(12, (1, 0, 0, 2))
    >>> space.scenario_id(g)
    'calendar-00012-L1.0.0.2'
    >>> space.parse_id("calendar-00012-L1.0.0.2") == g
    True
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from scenarios.drills.graph import GraphDrill
from scenarios.model import Scenario, load_scenario

#: Scenario indices a genome may take: enough distinct data and paths for any drill.
INDEX_DOMAIN = 1000


@dataclass(frozen=True, order=True)
class Genome:
    """One scenario as choices: data/path ``index`` and a level per perturbation."""

    index: int
    levels: tuple[int, ...]

    @property
    def active(self) -> int:
        """How many perturbations are on."""
        return sum(1 for lv in self.levels if lv)

    def with_level(self, i: int, level: int) -> Genome:
        """The same genome with perturbation ``i`` at ``level``."""
        levels = list(self.levels)
        levels[i] = level
        return Genome(self.index, tuple(levels))

    def with_index(self, index: int) -> Genome:
        """The same perturbations on scenario ``index``'s data and path."""
        return Genome(index, self.levels)

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "levels": list(self.levels)}


class SearchSpace:
    """Genomes of ``drill`` under master ``seed`` (see the module docstring).

    Args:
        drill: the drill (built-in or from a workflow graph file).
        seed: the master seed every scenario's data derives from.
        domain: scenario indices ``0..domain-1`` a genome may take.
    """

    def __init__(self, drill: GraphDrill, seed: int, *, domain: int = INDEX_DOMAIN) -> None:
        if seed < 0:
            raise ValueError(f"--seed: must be >= 0 (got {seed})")
        self.drill, self.seed, self.domain = drill, seed, domain
        self.name = drill.name
        self.sizes = tuple(drill.sizes)
        self.ids = [p.id for p in drill.spec.perturbations]
        self.kinds = [p.kind for p in drill.spec.perturbations]
        self.indices = [i for i in range(domain) if not drill.is_unsolvable(i)]
        self._id = re.compile(rf"^{re.escape(self.name)}-(\d+)-L([\d.]*)$")
        self._path_length = cache(self._length)

    # -- validity ----------------------------------------------------------------------

    def problem(self, g: Genome) -> str | None:
        """Why ``g`` is not a scenario of this space, or ``None`` when it is."""
        if len(g.levels) != len(self.sizes):
            return f"levels: expected {len(self.sizes)} entries, got {len(g.levels)}"
        for i, (lv, size) in enumerate(zip(g.levels, self.sizes, strict=True)):
            if not 0 <= lv < size:
                return f"levels[{i}] ({self.ids[i]}): must be 0..{size - 1}, got {lv}"
        if not 0 <= g.index < self.domain:
            return f"index: must be 0..{self.domain - 1}, got {g.index}"
        if self.drill.is_unsolvable(g.index):
            return f"index: scenario {g.index} is unsolvable by design"
        for combo in self.drill.forbidden:
            if all(g.levels[i] == lv for i, lv in combo.items()):
                return f"levels: {list(g.levels)} is excluded by the drill's constraints"
        return None

    def valid(self, g: Genome) -> bool:
        """Whether ``g`` is a solvable scenario the drill's constraints allow."""
        return self.problem(g) is None

    # -- scenarios ---------------------------------------------------------------------

    def scenario_id(self, g: Genome) -> str:
        """The id of ``g``'s scenario, which spells the genome."""
        return f"{self.name}-{g.index:05d}-L{'.'.join(map(str, g.levels))}"

    def parse_id(self, scenario_id: str) -> Genome:
        """The genome a scenario id of this space spells; ``ValueError`` if it spells none."""
        m = self._id.match(scenario_id)
        if m is None:
            raise ValueError(f"scenario id: {scenario_id!r} is not a {self.name} genome id")
        levels = tuple(int(x) for x in m.group(2).split(".")) if m.group(2) else ()
        return Genome(int(m.group(1)), levels)

    def scenario_dict(self, g: Genome) -> dict[str, Any]:
        """``g``'s scenario as plain JSON data (an independent copy)."""
        problem = self.problem(g)
        if problem is not None:
            raise ValueError(f"genome {g.to_json()}: {problem}")
        data = copy.deepcopy(self.drill.scenario_dict(self.seed, g.index, row=g.levels))
        data["id"] = self.scenario_id(g)
        return data

    def scenario(self, g: Genome) -> Scenario:
        """``g``'s scenario, validated."""
        data = self.scenario_dict(g)
        return load_scenario(data, source=data["id"])

    def generator_genome(self, index: int) -> Genome:
        """The genome of scenario ``index`` as ``gymfuzz generate`` builds it."""
        return Genome(index, tuple(self.drill.rows[self.drill.row_index(index)]))

    def path_length(self, g: Genome) -> int:
        """How many actions ``g``'s expected path takes."""
        return self._path_length(g)

    def _length(self, g: Genome) -> int:
        return len(self.drill.scenario_dict(self.seed, g.index, row=g.levels)["path"])

    def edges(self, g: Genome) -> dict[str, str]:
        """Where each active perturbation acts, by perturbation id.

        A page perturbation acts on the workflow edge (action) its level attaches it to; a
        network fault on the requests it matches (``POST /api/bookings``), since the
        ledger does not say which action sent a request.
        """
        out: dict[str, str] = {}
        for i, p in enumerate(self.drill.spec.perturbations):
            level = self.drill.levels[i][g.levels[i]]
            if level is None:
                continue
            if level.get("step"):
                out[p.id] = str(level["step"])
            else:
                match = p.match or {}
                methods = ",".join(match.get("methods", [])) or "*"
                out[p.id] = f"{methods} {match.get('path', '*')}"
        return out

    def kinds_of(self, g: Genome) -> list[str]:
        """The sorted kinds of ``g``'s active perturbations."""
        return sorted({self.kinds[i] for i, lv in enumerate(g.levels) if lv})
