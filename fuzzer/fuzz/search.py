"""The search: a coverage-guided corpus of scenarios, mutated toward new behaviour.

Like AFL, the search keeps a corpus of genomes (:class:`~fuzzer.fuzz.space.Genome`) that
reached coverage no earlier episode reached (see :mod:`fuzzer.fuzz.coverage`), and spends
its budget on mutants of them. It starts from :data:`INITIAL` scenarios the generator would build
(indices ``0, 1, ...`` with their covering-array rows); then each new genome is a corpus
entry, picked with weight ``(1 + features it found) / (1 + times picked)``, changed by one
or two mutations: set a perturbation to another level, turn one off, turn one on, make one
a level milder or harsher, move to other goal data (another scenario index), or splice in
the levels of another corpus entry. Every genome is played once; a failure (the verifier
fails the agent) is recorded in order of discovery.

The choice of genomes depends only on ``seed`` and on the outcomes of earlier batches, never
on timing or the order episodes finish in, so a resumed run, answered from its journal,
proposes the same genomes and plays only the missing ones.

``strategy="random"`` is the baseline: scenarios of the generator at random indices, with
the same budget and seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from fuzzer.fuzz.coverage import class_key, failed_rule, features
from fuzzer.fuzz.play import EpisodeRunner, Observation
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.runner import Job

Strategy = Literal["coverage", "random"]
STRATEGIES: tuple[Strategy, ...] = ("coverage", "random")
#: Generator scenarios played before mutation starts (at least one batch). Fixed, not a
#: share of the budget, so a longer run starts exactly like a shorter one.
INITIAL = 4
#: Attempts at a new valid mutant before falling back to a random genome.
ATTEMPTS = 64


@dataclass
class Trial:
    """One genome played: its observation, failed rule (``None``: passed) and new features."""

    genome: Genome
    observation: Observation
    rule: str | None
    new_features: int

    @property
    def failed(self) -> bool:
        return self.observation.failed


@dataclass
class SearchLog:
    """Everything the search played, in order, and the coverage it reached."""

    trials: list[Trial] = field(default_factory=list)
    coverage: set[str] = field(default_factory=set)

    @property
    def failures(self) -> list[Trial]:
        """Failing trials, in order of discovery."""
        return [t for t in self.trials if t.failed]

    def classes(self, space: SearchSpace) -> list[str]:
        """Distinct classes of the failures as found (before shrinking), in order."""
        keys = [class_key(space.kinds_of(t.genome), str(t.rule)) for t in self.failures]
        return list(dict.fromkeys(keys))


@dataclass
class _Entry:
    genome: Genome
    found: int
    picks: int = 0


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


class Search:
    """The search's state: corpus, coverage, what was played (see the module docstring)."""

    def __init__(self, space: SearchSpace, *, seed: int, strategy: Strategy) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(
                f"--strategy: expected one of {', '.join(STRATEGIES)}, got {strategy!r}"
            )
        self.space, self.strategy = space, strategy
        self.rng = random.Random(f"gymfuzz-search:{space.name}:{seed}:{strategy}")
        self.mutator = Mutator(space, self.rng)
        self.corpus: list[_Entry] = []
        self.seen: set[Genome] = set()
        self.log = SearchLog()
        self._next_seed = 0

    def _fresh(self, g: Genome) -> bool:
        return g not in self.seen and self.space.valid(g)

    def _from_generator(self) -> Genome | None:
        while self._next_seed < len(self.space.indices):
            g = self.space.generator_genome(self.space.indices[self._next_seed])
            self._next_seed += 1
            if self._fresh(g):
                return g
        return None

    def _random_generated(self) -> Genome:
        for _ in range(ATTEMPTS):
            g = self.space.generator_genome(self.rng.choice(self.space.indices))
            if self._fresh(g):
                return g
        return self._random_fresh()

    def _random_fresh(self) -> Genome:
        for _ in range(ATTEMPTS):
            g = self.mutator.random_genome()
            if self._fresh(g):
                return g
        raise ValueError(
            f"--budget: no untried {self.space.name} scenario found after "
            f"{len(self.seen)} episodes (the space is nearly exhausted; lower the budget)"
        )

    def _mutant(self) -> Genome:
        weights = [(1 + e.found) / (1 + e.picks) for e in self.corpus]
        parent, other = self.rng.choices(self.corpus, weights=weights, k=2)
        parent.picks += 1
        for _ in range(ATTEMPTS):
            g = self.mutator.mutate(parent.genome, other.genome)
            if self._fresh(g):
                return g
        return self._random_fresh()

    def propose(self, n: int, initial: int) -> list[Genome]:
        """The next ``n`` genomes to play (``initial``: how many generator seeds come first)."""
        out: list[Genome] = []
        for _ in range(n):
            g: Genome | None
            if self.strategy == "random":
                g = self._random_generated()
            elif len(self.log.trials) + len(out) < initial or not self.corpus:
                g = self._from_generator() or self._random_fresh()
            else:
                g = self._mutant()
            self.seen.add(g)
            out.append(g)
        return out

    def record(self, g: Genome, rule: str | None, obs: Observation) -> Trial:
        """Add one outcome: new coverage, a corpus entry if there is any, the log."""
        found = features(self.space.edges(g), obs.fires, rule) if not obs.error else frozenset()
        new = found - self.log.coverage
        self.log.coverage |= new
        if new and self.strategy == "coverage":
            self.corpus.append(_Entry(g, len(new)))
        trial = Trial(g, obs, rule, len(new))
        self.log.trials.append(trial)
        return trial


async def search(
    space: SearchSpace,
    runner: EpisodeRunner,
    *,
    agent: str,
    budget: int,
    seed: int,
    batch: int = 1,
    strategy: Strategy = "coverage",
) -> SearchLog:
    """Play ``budget`` genomes of ``space`` with ``agent``, ``batch`` at a time; see the module."""
    if budget < 1:
        raise ValueError(f"--budget: must be at least 1 (got {budget})")
    state = Search(space, seed=seed, strategy=strategy)
    initial = max(batch, INITIAL)
    while len(state.log.trials) < budget:
        genomes = state.propose(min(max(batch, 1), budget - len(state.log.trials)), initial)
        scenarios = [space.scenario(g) for g in genomes]
        jobs = [Job(sc, agent, "perturbed", 0) for sc in scenarios]
        observations = await runner.episodes(jobs)
        for g, sc, obs in zip(genomes, scenarios, observations, strict=True):
            state.record(g, failed_rule(sc, obs.result) if obs.failed else None, obs)
    return state.log
