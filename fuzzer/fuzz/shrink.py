"""Shrinking: reduce a failing scenario to the smallest one that still fails the same way.

Starting from a failing genome, the shrinker tries simpler candidates in passes, replaying
each one as an episode, and keeps the first that still fails **the same rule** (so distinct
failures shrink to distinct minimal cases, as in Hypothesis):

1. fewer perturbations: turn each active perturbation off;
2. milder parameters: lower each active perturbation's level (mildest first: level 1, then
   half-way, then one level down);
3. a shorter path: the same perturbations on other goal data whose expected path is
   shorter (for the calendar drill, a date fewer months ahead).

After any success it starts over from pass 1; it stops when a whole round finds nothing
simpler or when ``budget`` candidates have been tried. Candidates are tried ``batch`` at a
time and the first failing one in the order above wins, so the result does not depend on
which episode finishes first. Simpler means, in this order: fewer active perturbations,
lower level indices, shorter path, lower index.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fuzzer.fuzz.coverage import failed_rule
from fuzzer.fuzz.play import EpisodeRunner
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.runner import Job

#: Candidate data indices scanned for a shorter path.
PATH_SCAN = 60
#: Shorter-path candidates tried per round.
PATH_TRIES = 3


@dataclass
class Shrunk:
    """A shrink's outcome: the original and minimal genomes, and every step tried."""

    original: Genome
    shrunk: Genome
    rule: str
    tried: list[tuple[Genome, bool]] = field(default_factory=list)

    @property
    def steps(self) -> int:
        """Candidates replayed."""
        return len(self.tried)


def simpler(space: SearchSpace, g: Genome) -> tuple[int, int, int, int]:
    """The order shrinking reduces along (smaller is simpler)."""
    return (g.active, sum(g.levels), space.path_length(g), g.index)


def _drops(space: SearchSpace, g: Genome) -> Iterator[Genome]:
    for i, lv in enumerate(g.levels):
        if lv:
            yield g.with_level(i, 0)


def _milder(space: SearchSpace, g: Genome) -> Iterator[Genome]:
    for i, lv in enumerate(g.levels):
        for lower in dict.fromkeys((1, lv // 2, lv - 1)):
            if 0 < lower < lv:
                yield g.with_level(i, lower)


def _shorter(space: SearchSpace, g: Genome) -> Iterator[Genome]:
    length = space.path_length(g)
    options = []
    for index in space.indices[:PATH_SCAN]:
        c = g.with_index(index)
        if space.valid(c) and space.path_length(c) < length:
            options.append((space.path_length(c), index, c))
    for _, _, c in sorted(options)[:PATH_TRIES]:
        yield c


PASSES = (_drops, _milder, _shorter)


def candidates(space: SearchSpace, g: Genome) -> list[list[Genome]]:
    """The candidates of each pass for ``g``: valid, and simpler than ``g``."""
    key = simpler(space, g)
    return [
        [c for c in dict.fromkeys(p(space, g)) if space.valid(c) and simpler(space, c) < key]
        for p in PASSES
    ]


async def shrink(
    space: SearchSpace,
    runner: EpisodeRunner,
    genome: Genome,
    rule: str,
    *,
    agent: str,
    budget: int,
    batch: int = 1,
) -> Shrunk:
    """Shrink failing ``genome`` (which failed ``rule``) within ``budget`` replays."""
    out = Shrunk(genome, genome, rule)
    improved = True
    while improved and out.steps < budget:
        improved = False
        for group in candidates(space, out.shrunk):
            winner = await _first_failing(space, runner, group, out, agent, budget, batch)
            if winner is not None:
                out.shrunk, improved = winner, True
                break
    return out


async def _first_failing(
    space: SearchSpace,
    runner: EpisodeRunner,
    group: list[Genome],
    out: Shrunk,
    agent: str,
    budget: int,
    batch: int,
) -> Genome | None:
    for start in range(0, len(group), max(batch, 1)):
        chunk = group[start : start + max(batch, 1)][: budget - out.steps]
        if not chunk:
            return None
        scenarios = [space.scenario(c) for c in chunk]
        observations = await runner.episodes([Job(s, agent, "perturbed", 0) for s in scenarios])
        hits = []
        for c, sc, obs in zip(chunk, scenarios, observations, strict=True):
            same = obs.failed and failed_rule(sc, obs.result) == out.rule
            out.tried.append((c, same))
            hits.append(same)
        if any(hits):
            return chunk[hits.index(True)]
    return None
