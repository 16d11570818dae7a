"""The search: a coverage-guided corpus of scenarios, steered to untried combinations.

Like AFL, the search keeps a corpus of genomes (:class:`~fuzzer.fuzz.space.Genome`) that
reached coverage no earlier episode reached (see :mod:`fuzzer.fuzz.coverage`: workflow edge
x kind x firing time, the failed rule, and the near misses of :mod:`fuzzer.fuzz.signals`).
What it plays next is chosen for the ``t``-way level combinations it is expected to fire
that no episode has fired yet (:mod:`fuzzer.fuzz.combos`: read from the ledgers, not from
the plans), starting at ``t = 1`` (every level of every perturbation) and raising ``t`` when
no candidate offers a new combination; among equals, the candidate with the most untried
combinations one strength higher wins.

The corpus starts from the generator's covering array, played *compressed*: the next
genome is the first row no genome has planned yet, with later rows *absorbed* into the
perturbations it leaves off (a later row whose switched-on perturbations are all off here is
planned in full by this genome, and is not played again), first the rows that hold a level
no episode has fired yet, then the next :data:`ABSORB_WINDOW` rows in the pack's order; what
is still off is then switched on at the levels that add the most untried combinations
(*completed*). Each genome plans every combination of the rows it holds, and more, and every
row is planned no later than its place in the pack, most rows earlier: a weakness the pack
holds is met no later than the pack meets it, and the rare levels of a perturbation with
many levels (which a pairwise array leaves to its last rows) within the first genomes. Once
every row has been planned, each genome is chosen among up to :data:`CANDIDATES`
candidates:

* rows *built* for the untried combinations: every perturbation on at a random level, then
  each set in turn to its best level, as a covering-array generator builds its next row,
  but against what the episodes fired;
* corpus entries with the levels of one untried combination imposed on them;
* mutants of corpus entries (an entry is picked with weight ``(1 + features it found) /
  (1 + times picked)`` and changed by one or two mutations of :mod:`fuzzer.fuzz.mutate`:
  set a perturbation to another level, turn one off, turn one on, make one a level milder
  or harsher, move to other goal data, or splice in the levels of another entry).

Every genome is played once; a failure (the verifier fails the agent) is recorded in order
of discovery. Since a genome fires many combinations at once, a failure holds more than its
cause: the shrinker (:mod:`fuzzer.fuzz.shrink`) finds it.

The choice of genomes depends only on ``seed`` and on the outcomes of earlier batches, never
on timing or the order episodes finish in, so a resumed run, answered from its journal,
proposes the same genomes and plays only the missing ones.

Two baselines, with the same budget: ``strategy="random"`` plays scenarios of the generator
at random indices (drawn from ``seed``); ``strategy="pack"`` plays the generator's pack in
order (indices ``0, 1, ...``: its covering array row after row), as ``gymfuzz generate`` then
``gymfuzz run`` would.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from fuzzer.fuzz.combos import EXHAUSTED, Combo, ComboCoverage
from fuzzer.fuzz.coverage import class_key, failed_rule, features
from fuzzer.fuzz.mutate import ATTEMPTS, Mutator
from fuzzer.fuzz.play import EpisodeRunner, Observation
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.runner import Job

Strategy = Literal["coverage", "random", "pack"]
STRATEGIES: tuple[Strategy, ...] = ("coverage", "random", "pack")
#: Candidates weighed for each genome played once the covering array's rows are used up:
#: rows built for the untried combinations, corpus entries completed with an untried
#: combination, then corpus mutants.
CANDIDATES = 16
#: Later covering-array rows, in the pack's order, a row may absorb (besides the rows that
#: hold a level no episode has fired).
ABSORB_WINDOW = 8
BUILT_CANDIDATES = 2
COMBO_CANDIDATES = 4
#: Passes over the perturbations when a row is completed or built.
PASSES = 2


@dataclass
class Trial:
    """One genome played: its observation, failed rule (``None``: passed), new features, and
    how many level combinations it fired first (at the strength then searched)."""

    genome: Genome
    observation: Observation
    rule: str | None
    new_features: int
    new_combos: int = 0

    @property
    def failed(self) -> bool:
        return self.observation.failed


@dataclass
class SearchLog:
    """Everything the search played, in order, and the coverage it reached."""

    trials: list[Trial] = field(default_factory=list)
    coverage: set[str] = field(default_factory=set)
    #: Level combinations fired per strength (``{"strength": t, "covered": {2: n, ...}}``).
    combos: dict[str, object] = field(default_factory=dict)

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
        self.combos = ComboCoverage(space.sizes, strength=1, forbidden=space.drill.forbidden)
        self._index = {pid: i for i, pid in enumerate(space.ids)}
        self._next_seed = 0
        self._rows_used: set[tuple[int, ...]] = set()  # covering-array rows planned
        self._source: dict[Genome, list[tuple[int, ...]]] = {}  # genome -> the rows it holds
        self._passed_s: list[float] = []

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

    def _mutant(self, exclude: set[Genome]) -> Genome:
        weights = [(1 + e.found) / (1 + e.picks) for e in self.corpus]
        parent, other = self.rng.choices(self.corpus, weights=weights, k=2)
        parent.picks += 1
        for _ in range(ATTEMPTS):
            g = self.mutator.mutate(parent.genome, other.genome)
            if self._fresh(g) and g not in exclude:
                return g
        return self._random_fresh()

    def _unplanned_rows(self) -> list[Genome]:
        """The covering array's rows no played genome planned, in the pack's order (each as
        the first solvable scenario that uses it)."""
        out: list[Genome] = []
        seen: set[tuple[int, ...]] = set()
        for index in self.space.indices[: len(self.space.drill.rows) * 2]:
            row = self.space.generator_genome(index)
            if row.levels not in self._rows_used and row.levels not in seen:
                seen.add(row.levels)
                out.append(row)
        return out

    def _row_candidates(self, pending: set[Combo]) -> list[Genome]:
        """The first unplanned covering-array row with later rows absorbed, then completed
        (see the module docstring); ``[]`` once every row has been planned."""
        rows = self._unplanned_rows()
        if not rows:
            return []
        first, later = rows[0], rows[1:]
        fresh = [r for r in later if self._holds_untried_level(r.levels, pending)]
        levels = list(first.levels)
        held = [first.levels]
        for row in [*fresh, *later[:ABSORB_WINDOW]]:
            on = [(i, lv) for i, lv in enumerate(row.levels) if lv]
            if row.levels in held or any(levels[i] for i, _ in on):
                continue
            trial = list(levels)
            for i, lv in on:
                trial[i] = lv
            if self.space.valid(Genome(first.index, tuple(trial))):
                levels = trial
                held.append(row.levels)
        held_only = Genome(first.index, tuple(levels))
        free = [i for i, lv in enumerate(levels) if not lv]
        g = self._improved(held_only, free, pending, set())
        if g is None:  # played already as it would be completed: as it is, else not again
            g = held_only if self._fresh(held_only) else None
        if g is None:
            self._rows_used.update(held)
            return self._row_candidates(pending)
        self._source[g] = held
        return [g]

    def _holds_untried_level(self, levels: Sequence[int], pending: set[Combo]) -> bool:
        return any(lv and not self.combos.tried(((i, lv),), pending) for i, lv in enumerate(levels))

    def _completed(self, untried: list[Combo], exclude: set[Genome]) -> Genome | None:
        """A corpus entry, or a genome with every perturbation on, with the levels of one
        untried combination imposed on it."""
        if not untried:
            return None
        parent = self.rng.choice(self.corpus).genome
        if self.rng.random() < 0.5:
            levels = tuple(self.rng.randrange(1, n) if n > 1 else 0 for n in self.space.sizes)
            parent = Genome(parent.index, levels)
        for _ in range(ATTEMPTS // 8):
            g = parent
            for i, level in self.rng.choice(untried):
                g = g.with_level(i, level)
            if self._fresh(g) and g not in exclude:
                return g
        return None

    def _built(self, pending: set[Combo], exclude: set[Genome]) -> Genome | None:
        """A row built for the untried combinations: every perturbation switched on at a
        random level, then improved (:meth:`_improved`)."""
        sizes = self.space.sizes
        levels = tuple(self.rng.randrange(1, n) if n > 1 else 0 for n in sizes)
        index = self.rng.choice(self.space.indices)
        return self._improved(Genome(index, levels), range(len(sizes)), pending, exclude)

    def _improved(
        self, g: Genome, free: Sequence[int], pending: set[Combo], exclude: set[Genome]
    ) -> Genome | None:
        """``g`` with each perturbation in ``free`` (in random order, :data:`PASSES` times)
        set to the level, ``0`` included, whose row ranks best by
        :meth:`ComboCoverage.score`, as a covering-array generator builds its next row but
        against what the episodes fired rather than what a pack planned; ``None`` when the
        result was already played or is in ``exclude``."""
        sizes, index, levels = self.space.sizes, g.index, list(g.levels)
        for _ in range(PASSES):
            order = list(free)
            self.rng.shuffle(order)
            for i in order:
                options = []
                for level in range(sizes[i]):
                    trial = (*levels[:i], level, *levels[i + 1 :])
                    if self.space.valid(Genome(index, trial)):
                        score = self.combos.score(trial, pending)
                        options.append((score, level > 0, self.rng.random(), level))
                if options:
                    levels[i] = max(options)[3]
        out = Genome(index, tuple(levels))
        return out if self._fresh(out) and out not in exclude else None

    def _candidates(self, pending: set[Combo]) -> list[Genome]:
        out = self._row_candidates(pending)
        if out:
            return out  # the covering array first
        for _ in range(BUILT_CANDIDATES):
            g = self._built(pending, set(out))
            if g is not None:
                out.append(g)
        if not self.corpus:
            return out or [self._random_fresh()]
        untried = [c for c in self.combos.untried() if c not in pending]
        for _ in range(COMBO_CANDIDATES):
            g = self._completed(untried, set(out))
            if g is not None:
                out.append(g)
        while len(out) < CANDIDATES:
            out.append(self._mutant(set(out)))
        return out

    def _best_candidate(self, pending: set[Combo]) -> Genome:
        """The candidate expected to fire the most untried level combinations (then the
        most untried combinations one strength higher; the first of equals, in draw
        order), raising the strength when none offers any."""
        while True:
            candidates = self._candidates(pending)
            scores = [self.combos.score(g.levels, pending) for g in candidates]
            best = max(range(len(candidates)), key=lambda k: (scores[k], -k))
            gain = scores[best][0]
            if gain >= EXHAUSTED or not self.combos.exhausted(gain):
                return candidates[best]

    def propose(self, n: int) -> list[Genome]:
        """The next ``n`` genomes to play."""
        out: list[Genome] = []
        pending: set[Combo] = set()
        for _ in range(n):
            g: Genome | None
            if self.strategy == "random":
                g = self._random_generated()
            elif self.strategy == "pack":
                g = self._from_generator() or self._random_fresh()
            else:
                g = self._best_candidate(pending)
                pending |= self.combos.planned_combos(g.levels)
                self._rows_used.update(self._source.get(g, ()))
            self.seen.add(g)
            out.append(g)
        return out

    def _slow(self, obs: Observation) -> frozenset[str]:
        """``near|slow|x2``/``x4`` against the median of the passing episodes so far."""
        if not self._passed_s:
            return frozenset()
        ratio = obs.result.duration_s / max(statistics.median(self._passed_s), 1e-3)
        return frozenset(f"near|slow|x{k}" for k in (2, 4) if ratio >= k)

    def record(self, g: Genome, rule: str | None, obs: Observation) -> Trial:
        """Add one outcome: new coverage and level combinations, a corpus entry if there is
        any new coverage, the log."""
        found: frozenset[str] = frozenset()
        combos = 0
        if not obs.error:
            near = frozenset(f"near|{s}" for s in obs.signals) | self._slow(obs)
            found = features(self.space.edges(g), obs.fires, rule) | near
            fired = {self._index[f.fault] for f in obs.fires if f.fault in self._index}
            combos = self.combos.record(g.levels, fired)
            if not obs.failed:
                self._passed_s.append(obs.result.duration_s)
        new = found - self.log.coverage
        self.log.coverage |= new
        if new and self.strategy == "coverage":
            self.corpus.append(_Entry(g, len(new)))
        trial = Trial(g, obs, rule, len(new), combos)
        self.log.trials.append(trial)
        self.log.combos = self.combos.progress()
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
    until: Callable[[SearchLog], bool] | None = None,
) -> SearchLog:
    """Play ``budget`` genomes of ``space`` with ``agent``, ``batch`` at a time; see the module.

    ``until``, when given, is asked after each batch and ends the search early once it
    returns true (say, once every failure looked for was found). It only decides when to
    stop: the genomes played up to then are the ones a search without it plays first."""
    if budget < 1:
        raise ValueError(f"--budget: must be at least 1 (got {budget})")
    state = Search(space, seed=seed, strategy=strategy)
    while len(state.log.trials) < budget and not (until and until(state.log)):
        genomes = state.propose(min(max(batch, 1), budget - len(state.log.trials)))
        scenarios = [space.scenario(g) for g in genomes]
        jobs = [Job(sc, agent, "perturbed", 0) for sc in scenarios]
        observations = await runner.episodes(jobs)
        for g, sc, obs in zip(genomes, scenarios, observations, strict=True):
            state.record(g, failed_rule(sc, obs.result) if obs.failed else None, obs)
    return state.log
