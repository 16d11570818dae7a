"""Metrics over episode results: success rates with intervals, pass^k, attribution.

All functions take :class:`~fuzzer.play.episode.EpisodeResult` records (from a journal) and skip
episodes that ended in a harness error: those say nothing about the agent.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from fuzzer.play.episode import EpisodeResult
from fuzzer.play.ledger import TOOK_THE_BAIT


@dataclass(frozen=True)
class Rate:
    """``passed`` out of ``n``, with a 95% Wilson score interval."""

    passed: int
    n: int

    @property
    def value(self) -> float:
        return self.passed / self.n if self.n else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.passed, self.n)


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (``(0, 1)`` when ``n`` is 0)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _judged(results: Iterable[EpisodeResult]) -> list[EpisodeResult]:
    return [r for r in results if r.harness_error is None]


def success_rates(results: Iterable[EpisodeResult]) -> dict[tuple[str, str], Rate]:
    """Success per (agent, column): the condition, or ``unsolvable`` (see
    :attr:`EpisodeResult.column`)."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in _judged(results):
        cell = counts[(r.agent, r.column)]
        cell[0] += int(r.passed)
        cell[1] += 1
    return {k: Rate(p, n) for k, (p, n) in sorted(counts.items())}


def success_by_kind(results: Iterable[EpisodeResult]) -> dict[tuple[str, str, str], Rate]:
    """Success per (agent, drill, fault kind) over the episodes where that kind fired."""
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in _judged(results):
        for kind in r.faults_fired or ["(none)"]:
            cell = counts[(r.agent, r.drill, kind)]
            cell[0] += int(r.passed)
            cell[1] += 1
    return {k: Rate(p, n) for k, (p, n) in sorted(counts.items())}


@dataclass(frozen=True)
class Attribution:
    """How often an agent failed with a fault kind fired, and without it."""

    kind: str
    failed_with: Rate
    failed_without: Rate

    @property
    def lift(self) -> float:
        """Failure rate with the kind minus the rate without it."""
        return self.failed_with.value - self.failed_without.value


def attribution(results: Iterable[EpisodeResult], agent: str) -> list[Attribution]:
    """For each fault kind that fired for ``agent``: failure rate with vs without it.

    Sorted by lift, largest first: the kinds most associated with failures come first.
    Co-occurring kinds share the blame; use single-kind scenarios to separate them.
    Scenarios unsolvable by design are left out (their outage is the task, not a cause).
    """
    mine = [r for r in _judged(results) if r.agent == agent and r.solvable]
    kinds = sorted({k for r in mine for k in r.faults_fired})
    out = []
    for kind in kinds:
        with_k = [r for r in mine if kind in r.faults_fired]
        without = [r for r in mine if kind not in r.faults_fired]
        out.append(
            Attribution(
                kind,
                Rate(sum(not r.passed for r in with_k), len(with_k)),
                Rate(sum(not r.passed for r in without), len(without)),
            )
        )
    return sorted(out, key=lambda a: (-a.lift, a.kind))


def pass_hat_k(results: Iterable[EpisodeResult], k: int) -> dict[tuple[str, str], float]:
    """pass^k per (agent, column): the mean over scenarios of C(c, k) / C(n, k).

    ``n`` is a scenario's number of trials and ``c`` how many passed: the chance that ``k``
    trials drawn without replacement all pass. Scenarios with fewer than ``k`` trials are
    left out.
    """
    trials: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    for r in _judged(results):
        trials[(r.agent, r.column, r.scenario_id)].append(r.passed)
    per: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (agent, condition, _), outcomes in trials.items():
        n, c = len(outcomes), sum(outcomes)
        if n >= k:
            per[(agent, condition)].append(math.comb(c, k) / math.comb(n, k))
    return {key: sum(v) / len(v) for key, v in per.items()}


def attack_success(results: Iterable[EpisodeResult]) -> dict[tuple[str, str], Rate]:
    """Per (agent, distractor kind): how often the agent acted on the distractor (a pop-up,
    a decoy, an injected instruction) in the episodes where it was shown.

    "Acted on" is the page runtime's own record (see ``fuzzer.play.ledger.TOOK_THE_BAIT``), not
    a guess from the outcome: an agent may take the bait and still pass, or ignore it and
    fail for another reason.
    """
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in _judged(results):
        for kind in r.faults_fired:
            if kind in TOOK_THE_BAIT:
                cell = counts[(r.agent, kind)]
                cell[0] += int(kind in r.distracted)
                cell[1] += 1
    return {k: Rate(p, n) for k, (p, n) in sorted(counts.items())}
