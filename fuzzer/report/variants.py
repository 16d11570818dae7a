"""Success by interface variant, and the spread between an agent's best and worst variant.

A pack made with ``gymfuzz generate --interfaces`` plays each scenario on one interface
variant of its app (``default``, ``dark``, ``one_column``, ...; recorded in each result's
``interface``). How much an agent's success moves between variants is the figure that says
whether it reads the task or memorised one look of the app. Per agent and condition this
module gives the success on each variant (with its Wilson interval) and the **spread**: the
best variant's rate minus the worst's, with a 95% bootstrap interval. The bootstrap draws, for
every variant, as many episodes as it had, with replacement (a binomial draw at its observed
rate), and takes the spread of each draw; the interval is the 2.5th and 97.5th percentiles of
those spreads. With few episodes per variant the spread of the estimates exceeds the true
spread (noise alone separates equal variants): read the interval, not the point.

Episodes that ended in a harness error are left out, as everywhere in the report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from fuzzer.play.episode import EpisodeResult
from fuzzer.report.metrics import Rate

#: Bootstrap draws behind each spread's interval.
DRAWS = 4000


@dataclass(frozen=True)
class Spread:
    """An agent's success on each interface variant in one column, and their spread."""

    agent: str
    column: str
    rates: Mapping[str, Rate]
    #: best rate minus worst rate (``0.0`` with fewer than two variants)
    value: float
    #: 95% bootstrap interval of :attr:`value`
    interval: tuple[float, float]

    @property
    def best(self) -> str:
        return max(self.rates, key=lambda v: (self.rates[v].value, v))

    @property
    def worst(self) -> str:
        return min(self.rates, key=lambda v: (self.rates[v].value, v))


def success_by_interface(
    results: Iterable[EpisodeResult],
) -> dict[tuple[str, str], dict[str, Rate]]:
    """``{(agent, column): {variant: Rate}}`` over the results that name their variant."""
    counts: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    for r in results:
        if r.harness_error is not None or r.interface is None:
            continue
        cell = counts[(r.agent, r.column)][r.interface]
        cell[0] += int(r.passed)
        cell[1] += 1
    return {
        key: {v: Rate(p, n) for v, (p, n) in sorted(cells.items())}
        for key, cells in sorted(counts.items())
    }


def spread(
    rates: Mapping[str, Rate], *, draws: int = DRAWS, seed: int = 0
) -> tuple[float, tuple[float, float]]:
    """Best minus worst rate of ``rates``, and its 95% bootstrap interval (module doc).

    Deterministic for a given ``seed``. Variants without episodes are left out; with fewer
    than two left, the spread is ``0.0`` with interval ``(0.0, 0.0)``.
    """
    kept = [r for r in rates.values() if r.n]
    if len(kept) < 2:
        return 0.0, (0.0, 0.0)
    values = [r.value for r in kept]
    rng = np.random.default_rng(seed)
    n = np.array([r.n for r in kept])
    p = np.array(values)
    drawn = rng.binomial(n[:, None], p[:, None], size=(len(kept), draws)) / n[:, None]
    spreads = drawn.max(axis=0) - drawn.min(axis=0)
    lo, hi = np.percentile(spreads, [2.5, 97.5])
    return max(values) - min(values), (float(lo), float(hi))


def spreads(results: Iterable[EpisodeResult], *, seed: int = 0) -> list[Spread]:
    """One :class:`Spread` per (agent, column) whose results name an interface variant."""
    out = []
    for (agent, column), rates in success_by_interface(results).items():
        value, interval = spread(rates, seed=seed)
        out.append(Spread(agent, column, rates, value, interval))
    return out
