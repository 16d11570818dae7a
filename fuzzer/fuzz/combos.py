"""Which combinations of perturbation levels the played episodes fired, ``t`` at a time.

A robust agent rarely fails on one perturbation; its weak spots sit where a few perturbations
meet at particular levels. So the search counts, for a strength ``t``, the ``t``-way
combinations of *fired* levels its episodes have met: a perturbation counts at its genome's
level only when the ledger shows it fired (planned is not enough: a trigger the agent never
reaches, a request it never sends, leave it out). A combination is a sorted tuple of
``(perturbation index, level)`` pairs with levels above ``0``::

    >>> cov = ComboCoverage(sizes=(3, 3, 2), strength=2)
    >>> cov.record((1, 2, 1), fired={0, 1, 2})
    3
    >>> sorted(cov.covered[2])
    [((0, 1), (1, 2)), ((0, 1), (2, 1)), ((1, 2), (2, 1))]
    >>> cov.record((1, 2, 1), fired={0, 1})  # the third never fired: nothing new
    0

To choose what to play next, :meth:`ComboCoverage.untried` lists the combinations still to
meet, and :meth:`ComboCoverage.gain` estimates how many untried
combinations a planned genome would fire: each untried combination of its active levels,
weighted by the chance that all of its perturbations fire, learned from the ledgers so far
(``(fired + 1) / (planned + 2)`` per perturbation and level). When no candidate is expected
to fire a new combination any more (:data:`EXHAUSTED`), the strength rises by one
(:meth:`ComboCoverage.exhausted`), up to the number of perturbations.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

Combo = tuple[tuple[int, int], ...]

#: Below this expected number of new combinations, a candidate counts as offering none.
EXHAUSTED = 0.05


def combos_of(levels: Mapping[int, int], t: int) -> Iterable[Combo]:
    """The ``t``-way combinations of the non-zero ``levels`` (perturbation index -> level)."""
    active = sorted((i, lv) for i, lv in levels.items() if lv)
    return itertools.combinations(active, t)


class ComboCoverage:
    """The fired ``t``-way level combinations of a search (see the module docstring).

    Args:
        sizes: how many levels each perturbation has (``0`` is off).
        strength: the starting ``t`` (2: pairs).
        forbidden: the drill's excluded level assignments (perturbation index -> level); a
            combination containing one is never counted as possible.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        strength: int = 2,
        forbidden: Sequence[Mapping[int, int]] = (),
    ) -> None:
        if strength < 1:
            raise ValueError(f"strength: must be at least 1 (got {strength})")
        self.sizes = tuple(sizes)
        self.max_strength = max(1, sum(1 for n in self.sizes if n > 1))
        self.strength = min(strength, self.max_strength)
        self.forbidden = [dict(f) for f in forbidden if all(f.values())]
        self.covered: dict[int, set[Combo]] = {}
        self._history: list[dict[int, int]] = []  # fired levels per episode, in order
        self._all: dict[int, tuple[Combo, ...]] = {}
        self.planned: Counter[tuple[int, int]] = Counter()
        self.fired: Counter[tuple[int, int]] = Counter()

    def _covered(self, t: int) -> set[Combo]:
        if t not in self.covered:
            # A strength reached late still knows what earlier episodes fired.
            self.covered[t] = {c for past in self._history for c in combos_of(past, t)}
        return self.covered[t]

    def record(self, levels: Sequence[int], fired: Iterable[int]) -> int:
        """Add one played genome: its ``levels`` and the perturbations that ``fired``.

        Returns how many combinations at the current strength it fired for the first time.
        """
        fired_set = set(fired)
        for i, lv in enumerate(levels):
            if lv:
                self.planned[(i, lv)] += 1
                self.fired[(i, lv)] += i in fired_set
        actual = {i: lv for i, lv in enumerate(levels) if lv and i in fired_set}
        new = len(set(combos_of(actual, self.strength)) - self._covered(self.strength))
        self._history.append(actual)
        for t, combos in self.covered.items():
            combos.update(combos_of(actual, t))
        return new

    def tried(self, combo: Combo, pending: set[Combo] | None = None) -> bool:
        """Whether an episode fired ``combo`` already (or it is in ``pending``)."""
        return combo in self._covered(len(combo)) or (pending is not None and combo in pending)

    def fire_rate(self, i: int, level: int) -> float:
        """The estimated chance that perturbation ``i`` fires when planned at ``level``."""
        return (self.fired[(i, level)] + 1) / (self.planned[(i, level)] + 2)

    def possible(self, combo: Combo) -> bool:
        """Whether the drill's constraints allow ``combo`` at all."""
        pairs = dict(combo)
        return not any(all(pairs.get(i) == lv for i, lv in f.items()) for f in self.forbidden)

    def gain(self, levels: Sequence[int], pending: set[Combo] | None = None) -> float:
        """Expected number of untried combinations (at the current strength) that a genome
        with ``levels`` would fire; combinations in ``pending`` (already chosen to play)
        count as tried."""
        return self._gain_at(self.strength, levels, pending)

    def _gain_at(self, t: int, levels: Sequence[int], pending: set[Combo] | None) -> float:
        known = self._covered(t)
        total = 0.0
        for combo in combos_of(dict(enumerate(levels)), t):
            if combo in known or (pending is not None and combo in pending):
                continue
            chance = 1.0
            for i, lv in combo:
                chance *= self.fire_rate(i, lv)
            total += chance
        return total

    def score(
        self, levels: Sequence[int], pending: set[Combo] | None = None
    ) -> tuple[float, float]:
        """How to rank candidates: the :meth:`gain` at the current strength, then, among
        equals, the expected untried combinations one strength higher (so the pairs a row
        fires are chosen to also fire triples no episode has met)."""
        here = self.gain(levels, pending)
        if self.strength >= self.max_strength:
            return here, 0.0
        return here, self._gain_at(self.strength + 1, levels, pending)

    def planned_combos(self, levels: Sequence[int]) -> set[Combo]:
        """The combinations at the current strength and the next that ``levels`` plans."""
        active = dict(enumerate(levels))
        top = min(self.strength + 1, self.max_strength)
        return {c for t in range(self.strength, top + 1) for c in combos_of(active, t)}

    def exhausted(self, best_gain: float) -> bool:
        """Raise the strength when the best candidate offers no new combination.

        Returns whether the strength rose (never past the number of perturbations).
        """
        if best_gain >= EXHAUSTED or self.strength >= self.max_strength:
            return False
        self.strength += 1
        self._covered(self.strength)
        return True

    def all_combos(self, t: int) -> tuple[Combo, ...]:
        """Every ``t``-way combination the drill's levels and constraints allow, in order."""
        if t not in self._all:
            slots = [[(i, lv) for lv in range(1, n)] for i, n in enumerate(self.sizes)]
            self._all[t] = tuple(
                combo
                for group in itertools.combinations(range(len(slots)), t)
                for combo in itertools.product(*(slots[i] for i in group))
                if self.possible(combo)
            )
        return self._all[t]

    def universe(self, t: int) -> int:
        """How many ``t``-way combinations the drill's levels and constraints allow."""
        return len(self.all_combos(t))

    def untried(self) -> list[Combo]:
        """The allowed combinations at the current strength no episode has fired yet."""
        known = self._covered(self.strength)
        return [c for c in self.all_combos(self.strength) if c not in known]

    def progress(self) -> dict[str, object]:
        """Coverage so far, per strength reached: ``{"strength": t, "covered": {t: n}}``."""
        return {
            "strength": self.strength,
            "covered": {t: len(self._covered(t)) for t in range(2, self.strength + 1)},
        }
