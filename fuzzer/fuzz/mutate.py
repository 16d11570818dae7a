"""Mutations of genomes: the small random changes the search makes to its corpus entries.

A mutation of a :class:`~fuzzer.fuzz.space.Genome` sets a perturbation to another level,
turns one off or on, makes one a level milder or harsher, moves to other goal data, or
splices in the levels of another genome; :meth:`Mutator.mutate` applies one or two of them.
A mutant can be invalid (a combination the drill forbids) or already played: the search
(:mod:`fuzzer.fuzz.search`) checks, and tries again up to :data:`ATTEMPTS` times.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from fuzzer.fuzz.space import Genome, SearchSpace

#: Attempts at a new valid mutant before falling back to a random genome.
ATTEMPTS = 64


class Mutator:
    """Mutations of genomes within a space, drawing from ``rng``."""

    def __init__(self, space: SearchSpace, rng: random.Random) -> None:
        self.space, self.rng = space, rng
        self.operators: list[Callable[[Genome, Genome], Genome]] = [
            self.set_level,
            self.turn_off,
            self.turn_on,
            self.step_level,
            self.move_index,
            self.splice,
        ]

    def set_level(self, g: Genome, other: Genome) -> Genome:
        i = self.rng.randrange(len(g.levels))
        return g.with_level(i, self.rng.randrange(self.space.sizes[i]))

    def turn_off(self, g: Genome, other: Genome) -> Genome:
        on = [i for i, lv in enumerate(g.levels) if lv]
        return g.with_level(self.rng.choice(on), 0) if on else g

    def turn_on(self, g: Genome, other: Genome) -> Genome:
        off = [i for i, lv in enumerate(g.levels) if not lv and self.space.sizes[i] > 1]
        if not off:
            return g
        i = self.rng.choice(off)
        return g.with_level(i, self.rng.randrange(1, self.space.sizes[i]))

    def step_level(self, g: Genome, other: Genome) -> Genome:
        i = self.rng.randrange(len(g.levels))
        level = g.levels[i] + self.rng.choice((-1, 1))
        return g.with_level(i, min(max(level, 0), self.space.sizes[i] - 1))

    def move_index(self, g: Genome, other: Genome) -> Genome:
        return g.with_index(self.rng.choice(self.space.indices))

    def splice(self, g: Genome, other: Genome) -> Genome:
        levels = tuple(
            b if self.rng.random() < 0.5 else a for a, b in zip(g.levels, other.levels, strict=True)
        )
        return Genome(g.index, levels)

    def mutate(self, g: Genome, other: Genome) -> Genome:
        """One or two random mutations of ``g`` (``other`` is the splice partner)."""
        for _ in range(1 + (self.rng.random() < 0.5)):
            g = self.rng.choice(self.operators)(g, other)
        return g

    def random_genome(self) -> Genome:
        """A uniformly random valid genome (the generator's row if none is found)."""
        index = self.rng.choice(self.space.indices)
        for _ in range(ATTEMPTS):
            g = Genome(index, tuple(self.rng.randrange(n) for n in self.space.sizes))
            if self.space.valid(g):
                return g
        return self.space.generator_genome(index)
