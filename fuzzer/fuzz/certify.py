"""Certification: is a shrunk failure real, how often does it fail, and is it fair?

Each shrunk failure is replayed ``k`` more times with the target agent (trials ``1..k``;
trial 0 was the search or shrink episode): ``failures / k`` estimates how reliably it
fails (``1.0``: every time, lower: flaky). It is then played ``careful_trials`` times with
the careful agent, which must pass every time: a scenario the careful agent fails is
**unfair** (the perturbation may have made the task impossible) and is excluded. A careful
episode that failed because it ran out of the episode time limit
(:data:`fuzzer.play.episode.AGENT_TIMEOUT_S`) proves nothing either way, as a loaded machine
can cause it: the failure is then **inconclusive**, like one whose replays ended in a
harness error, and is excluded too. A failure is **certified** when it failed at least once
in the ``k`` replays and the careful agent passed every time. Certified failures are grouped into
classes (:func:`fuzzer.fuzz.coverage.class_key`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fuzzer.fuzz.coverage import class_key, failed_rule
from fuzzer.fuzz.play import EpisodeRunner
from fuzzer.fuzz.shrink import Shrunk
from fuzzer.fuzz.space import SearchSpace
from fuzzer.play.episode import AGENT_TIMEOUT_S
from fuzzer.play.runner import Job


@dataclass
class Certificate:
    """The certification of one shrunk failure (see the module docstring)."""

    shrunk: Shrunk
    scenario_id: str
    failures: int
    k: int
    careful_passed: int
    careful_trials: int
    harness_errors: int
    careful_timeouts: int
    class_key: str
    verdict: str

    @property
    def fail_rate(self) -> float:
        """Failures out of the ``k`` replays: 1.0 fails every time, lower is flaky."""
        return self.failures / self.k if self.k else 0.0

    @property
    def fair(self) -> bool:
        """The careful agent passed every time."""
        return self.careful_passed == self.careful_trials

    @property
    def certified(self) -> bool:
        return self.status == "certified"

    @property
    def status(self) -> str:
        """``certified``, ``unfair``, ``not reproduced`` or ``inconclusive``."""
        if self.harness_errors or self.careful_timeouts:
            return "inconclusive"
        if not self.fair:
            return "unfair"
        return "certified" if self.failures else "not reproduced"

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario_id": self.scenario_id,
            "status": self.status,
            "class": self.class_key,
            "failed_rule": self.shrunk.rule,
            "failures": self.failures,
            "k": self.k,
            "fail_rate": round(self.fail_rate, 3),
            "careful_passed": self.careful_passed,
            "careful_trials": self.careful_trials,
            "harness_errors": self.harness_errors,
            "careful_timeouts": self.careful_timeouts,
            "original": self.shrunk.original.to_json(),
            "shrunk": self.shrunk.shrunk.to_json(),
            "shrink_steps": self.shrunk.steps,
            "verdict": self.verdict,
        }


async def certify(
    space: SearchSpace,
    runner: EpisodeRunner,
    shrunk: Shrunk,
    *,
    agent: str,
    careful: str = "careful",
    k: int = 3,
    careful_trials: int = 1,
) -> Certificate:
    """Replay ``shrunk`` ``k`` times with ``agent`` and ``careful_trials`` with ``careful``."""
    if k < 1:
        raise ValueError(f"--k: must be at least 1 (got {k})")
    if careful_trials < 1:
        raise ValueError(f"--careful-trials: must be at least 1 (got {careful_trials})")
    sc = space.scenario(shrunk.shrunk)
    jobs = [Job(sc, agent, "perturbed", t) for t in range(1, k + 1)]
    jobs += [Job(sc, careful, "perturbed", t) for t in range(careful_trials)]
    obs = await runner.episodes(jobs)
    target, good = obs[:k], obs[k:]
    failing = [o for o in target if o.failed and failed_rule(sc, o.result) == shrunk.rule]
    verdict = failing[0].result.summary if failing else (target[0].result.summary if target else "")
    return Certificate(
        shrunk=shrunk,
        scenario_id=sc.id,
        failures=len(failing),
        k=k,
        careful_passed=sum(o.result.passed for o in good),
        careful_trials=careful_trials,
        harness_errors=sum(o.error for o in obs),
        careful_timeouts=sum(
            not o.result.passed and o.result.duration_s >= AGENT_TIMEOUT_S for o in good
        ),
        class_key=class_key(space.kinds_of(shrunk.shrunk), shrunk.rule),
        verdict=verdict,
    )


def classes(certificates: Sequence[Certificate]) -> dict[str, list[Certificate]]:
    """Certified failures grouped by class, classes in order of discovery."""
    out: dict[str, list[Certificate]] = {}
    for c in certificates:
        if c.certified:
            out.setdefault(c.class_key, []).append(c)
    return out
