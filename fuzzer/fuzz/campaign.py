"""A fuzzing campaign: search, then shrink, certify and group what the search found.

:func:`run_campaign` is the whole pipeline over any
:class:`~fuzzer.fuzz.play.EpisodeRunner` (the real harness, or a fake one in tests):

1. :func:`~fuzzer.fuzz.search.search` plays ``budget`` scenarios;
2. up to ``max_failures`` of the failures are shrunk (:mod:`fuzzer.fuzz.shrink`), each
   within ``shrink_budget`` replays: the first failure of each distinct class as found,
   fewest perturbations first;
3. while fewer than ``max_failures`` were shrunk, failures are *unmasked* (at most
   ``max_failures`` replays): a failing genome with the perturbations of every cause found
   so far switched off is replayed, and if it still fails it is shrunk too: its cause is
   another one. One dense failure (most perturbations on, as the search plays them) so
   yields the several causes it may hold;
4. each distinct shrunk scenario is certified (:mod:`fuzzer.fuzz.certify`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fuzzer.fuzz.certify import Certificate, certify, classes
from fuzzer.fuzz.coverage import class_key, failed_rule
from fuzzer.fuzz.play import EpisodeRunner
from fuzzer.fuzz.search import SearchLog, Strategy, Trial, search
from fuzzer.fuzz.shrink import Shrunk, shrink
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.runner import Job


@dataclass(frozen=True)
class CampaignSettings:
    """How much to search, shrink and certify, and against which agents."""

    agent: str
    budget: int
    seed: int = 0
    workers: int = 1
    strategy: Strategy = "coverage"
    shrink_budget: int = 24
    max_failures: int = 6
    k: int = 3
    careful: str = "careful"
    careful_trials: int = 1

    def check(self) -> None:
        """Raise ``ValueError`` naming the option of the first bad value."""
        for name in ("budget", "workers", "k", "careful_trials"):
            if getattr(self, name) < 1:
                flag = name.replace("_", "-")
                raise ValueError(f"--{flag}: must be at least 1 (got {getattr(self, name)})")
        for name in ("shrink_budget", "max_failures", "seed"):
            if getattr(self, name) < 0:
                flag = name.replace("_", "-")
                raise ValueError(f"--{flag}: must be >= 0 (got {getattr(self, name)})")


@dataclass
class Campaign:
    """What a campaign found."""

    log: SearchLog
    shrunk: list[Shrunk] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    #: Failures replayed with the known causes switched off (see the module docstring).
    unmasked: int = 0

    @property
    def certified(self) -> list[Certificate]:
        return [c for c in self.certificates if c.certified]

    def classes(self) -> dict[str, list[Certificate]]:
        """Certified failures by class."""
        return classes(self.certificates)

    def to_json(self, space: SearchSpace) -> dict[str, Any]:
        trials = self.log.trials
        return {
            "search": {
                "episodes": len(trials),
                "failures": sum(t.failed for t in trials),
                "harness_errors": sum(t.observation.error for t in trials),
                "coverage": len(self.log.coverage),
                "classes_found": self.log.classes(space),
            },
            "shrink_replays": sum(s.steps for s in self.shrunk),
            "unmask_replays": self.unmasked,
            "certify_replays": sum(c.k + c.careful_trials for c in self.certificates),
            "certificates": [c.to_json() for c in self.certificates],
            "classes": {k: [c.scenario_id for c in v] for k, v in self.classes().items()},
        }


def pick_failures(space: SearchSpace, failures: list[Trial], limit: int) -> list[Trial]:
    """The failures worth shrinking: the first of each class as found, fewest perturbations
    first (ties in order of discovery), at most ``limit``."""
    firsts: dict[str, tuple[int, Trial]] = {}
    for n, t in enumerate(failures):
        firsts.setdefault(class_key(space.kinds_of(t.genome), str(t.rule)), (n, t))
    ranked = sorted(firsts.values(), key=lambda nt: (nt[1].genome.active, nt[0]))
    return [t for _, t in ranked[:limit]]


def unmasked(g: Genome, causes: list[Genome]) -> Genome:
    """``g`` with every perturbation that one of ``causes`` switches on switched off."""
    off = {i for c in causes for i, lv in enumerate(c.levels) if lv}
    return Genome(g.index, tuple(0 if i in off else lv for i, lv in enumerate(g.levels)))


async def run_campaign(
    space: SearchSpace, runner: EpisodeRunner, settings: CampaignSettings
) -> Campaign:
    """Search, shrink, unmask, certify (see the module docstring)."""
    settings.check()
    s = settings
    log = await search(
        space, runner, agent=s.agent, budget=s.budget, seed=s.seed, batch=s.workers,
        strategy=s.strategy,
    )  # fmt: skip
    out = Campaign(log)
    certified: dict[Genome, Certificate] = {}

    async def shrink_and_certify(genome: Genome, rule: str) -> None:
        done = await shrink(
            space, runner, genome, rule, agent=s.agent, budget=s.shrink_budget,
            batch=s.workers,
        )  # fmt: skip
        out.shrunk.append(done)
        if done.shrunk in certified:
            return
        cert = await certify(
            space, runner, done, agent=s.agent, careful=s.careful, k=s.k,
            careful_trials=s.careful_trials,
        )  # fmt: skip
        certified[done.shrunk] = cert
        out.certificates.append(cert)

    for trial in pick_failures(space, log.failures, s.max_failures):
        await shrink_and_certify(trial.genome, str(trial.rule))
    tried: set[Genome] = set()
    for trial in log.failures:
        if len(out.shrunk) >= s.max_failures or out.unmasked >= s.max_failures:
            break
        g = unmasked(trial.genome, [d.shrunk for d in out.shrunk])
        if g == trial.genome or g in tried or not g.active or not space.valid(g):
            continue
        tried.add(g)
        scenario = space.scenario(g)
        [obs] = await runner.episodes([Job(scenario, s.agent, "perturbed", 0)])
        out.unmasked += 1
        if obs.failed:
            await shrink_and_certify(g, str(failed_rule(scenario, obs.result)))
    return out
