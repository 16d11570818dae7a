"""Planted weaknesses: what one is, the rule that picks each drill's four, and how one is
planted at the judge.

A :class:`Weakness` is a set of perturbations that must all *fire* in an episode (read from
its ledger), each at any level (kind-level) or at one particular level (parameter-level).
:func:`weaknesses` picks a drill's four by a rule from the generator's scenarios, not by
hand. :class:`PlantedRunner` plants them, as bug benchmarks plant bugs at a program point:
the real careful agent plays the real episode, and when the verifier passed it but the
ledger shows a weakness's perturbations fired at its levels, the episode is failed with the
rule ``planted: <name>``. :func:`verdict` is the one comparison of a weakness's medians,
shared by ``fuzz_planted.py`` (real episodes) and ``weakness_sweep.py`` (every weakness,
planned episodes).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cache
from typing import Any

from fuzzer.fuzz.play import EpisodeRunner, Observation
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.runner import Job
from scenarios.generate import get_drill

#: The agent name the search plays: the careful agent with the weaknesses planted.
PLANTED = "careful+planted"


@dataclass(frozen=True)
class Weakness:
    """Perturbations that must all fire: ``{perturbation id: level, or None for any}``."""

    name: str
    levels: dict[str, int | None]

    @property
    def way(self) -> int:
        return len(self.levels)

    @property
    def kind(self) -> str:
        return "kind" if all(v is None for v in self.levels.values()) else "parameter"

    def holds(self, space: SearchSpace, genome: Genome, fired: set[str]) -> bool:
        """Whether the weakness's perturbations all fired, each at its level."""
        return all(
            pid in fired and (level is None or genome.levels[space.ids.index(pid)] == level)
            for pid, level in self.levels.items()
        )


#: Levels the careful agent's episodes never fire, where no weakness is planted (it could not
#: be detected): the dropdown's ``false_toast`` levels 3 and 4 act on the seat step, which its
#: ledgers never show firing (0 of 69 planned).
UNREACHED: dict[str, frozenset[tuple[str, int]]] = {
    "dropdown": frozenset({("false_toast", 3), ("false_toast", 4)}),
}
#: How rare the planted interactions are: the share of the generator's scenarios that plan
#: them (a three-way interaction in about 3% of them is the rarity the fuzzer must beat the
#: plain pack at).
RARE = Fraction(3, 100)


@cache
def _generated(drill: str) -> tuple[SearchSpace, tuple[tuple[int, ...], ...]]:
    """The drill's search space and the levels of the generator's scenario at every index."""
    space = SearchSpace(get_drill(drill), 0)
    return space, tuple(space.generator_genome(i).levels for i in space.indices)


def share_in_pack(drill: str, w: Weakness) -> float:
    """How rare ``w`` is: the share of the generator's scenarios (its covering-array rows
    over every scenario index) that plan all of its perturbations at its levels."""
    space, rows = _generated(drill)
    at = [(space.ids.index(pid), level) for pid, level in w.levels.items()]
    hits = sum(all(g[i] and (lv is None or g[i] == lv) for i, lv in at) for g in rows)
    return hits / len(rows)


def _name(levels: dict[str, int | None]) -> str:
    return "+".join(pid if lv is None else f"{pid}@{lv}" for pid, lv in levels.items())


@cache
def weaknesses(drill: str) -> list[Weakness]:
    """The drill's four planted weaknesses, chosen by rule from the generator's scenarios,
    not by hand (ties go to the first in the order of the drill's perturbations and levels):

    * **kind-level, 2-way:** the two perturbations the scenarios plan together least often,
      at any levels (a single kind is in a quarter or more of every drill's scenarios, so
      every strategy meets it in its first episodes);
    * **parameter-level, 1-way:** the level the scenarios plan least often;
    * **parameter-level, 2- and 3-way:** the combination of levels planned in the share of
      scenarios nearest :data:`RARE`, the 3-way one not containing the 2-way one.

    Levels in :data:`UNREACHED` are left out. Named after their perturbations and levels
    (``modal@8``: the modal at level 8; ``slow_slots``: at any level).
    """
    space, rows = _generated(drill)
    unreached = UNREACHED.get(drill, frozenset())
    kinds, combos = Counter[tuple[int, ...]](), Counter[tuple[tuple[int, int], ...]]()
    for g in rows:
        on = [(i, lv) for i, lv in enumerate(g) if lv and (space.ids[i], lv) not in unreached]
        kinds.update(itertools.combinations([i for i, lv in enumerate(g) if lv], 2))
        for t in (1, 2, 3):
            combos.update(itertools.combinations(on, t))

    def weakness(levels: dict[int, int | None]) -> Weakness:
        named = {space.ids[i]: lv for i, lv in levels.items()}
        return Weakness(_name(named), named)

    def first_least(counts: dict[Any, int], key: Any = None) -> Any:
        return min(counts, key=lambda c: (key(counts[c]) if key else counts[c], c))

    kind = first_least(kinds)
    level = first_least({c: n for c, n in combos.items() if len(c) == 1})
    out = [weakness(dict.fromkeys(kind)), weakness(dict(level))]
    target = RARE * len(rows)
    pair = first_least({c: n for c, n in combos.items() if len(c) == 2}, lambda n: abs(n - target))
    triples = {c: n for c, n in combos.items() if len(c) == 3 and not set(pair) <= set(c)}
    triple = first_least(triples, lambda n: abs(n - target))
    return [*out, weakness(dict(pair)), weakness(dict(triple))]


def seed_list(seeds: list[int]) -> str:
    """``0 to 20`` for a run of consecutive seeds, else the list: ``0, 2, 5``."""
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]} to {seeds[-1]}"
    return ", ".join(map(str, seeds))


def planted_rule(w: Weakness) -> str:
    return f"planted: {w.name}"


class PlantedRunner:
    """Plays :data:`PLANTED` jobs as ``careful`` jobs on ``inner`` and fails those where a
    weakness holds (see the module docstring); other agents' jobs pass through."""

    def __init__(
        self, inner: EpisodeRunner, space: SearchSpace, weaknesses: Sequence[Weakness]
    ) -> None:
        self.inner, self.space = inner, space
        self.weaknesses = sorted(weaknesses, key=lambda w: -w.way)  # rarest first

    async def episodes(self, jobs: Sequence[Job]) -> list[Observation]:
        real = [replace(j, agent="careful") if j.agent == PLANTED else j for j in jobs]
        observed = await self.inner.episodes(real)
        return [
            self.plant(o) if j.agent == PLANTED else o for j, o in zip(jobs, observed, strict=True)
        ]

    def hits(self, genome: Genome, obs: Observation) -> list[Weakness]:
        fired = {f.fault for f in obs.fires}
        return [w for w in self.weaknesses if w.holds(self.space, genome, fired)]

    def plant(self, obs: Observation) -> Observation:
        result = obs.result
        if not result.passed or obs.error:
            return obs  # a real failure (or a harness error) stays what it is
        hits = self.hits(self.space.parse_id(result.scenario_id), obs)
        if not hits:
            return obs
        rule = planted_rule(hits[0])
        verdict = {
            "passed": False,
            "results": [
                {"name": rule, "kind": "required", "passed": False, "message": "", "records": []}
            ],
        }
        failed = replace(
            result,
            agent=PLANTED,
            passed=False,
            summary=f"FAIL {rule} (also: {', '.join(w.name for w in hits[1:]) or 'none'})",
            failed_rules=[rule],
            verdict=verdict,
        )
        return Observation(failed, obs.fires, obs.signals)


def verdict(medians: dict[str, float], met: bool) -> str:
    """Whether the fuzzer's median is the lowest: ``yes`` (below both baselines'), ``tie``,
    ``no``, or ``none`` when no strategy ``met`` the weakness in any seed."""
    cov, best = medians["coverage"], min(medians["random"], medians["pack"])
    if not met:
        return "none"
    return "yes" if cov < best else "tie" if cov == best else "no"
