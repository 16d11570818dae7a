"""A fake episode runner: outcomes are a function of the genome, no browser involved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fuzzer.fuzz.play import Observation
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.episode import EpisodeResult
from fuzzer.play.ledger import Fire
from fuzzer.play.runner import Job
from scenarios.model import Scenario

#: (genome, agent, trial) -> the index of the verifier rule that fails (``None``: pass,
#: ``-1``: harness error). Rule 0 is the required rule, 1 the allowed one, 2 the forbidden one.
Judge = Callable[[Genome, str, int], int | None]


def naive_judge(g: Genome, agent: str, trial: int) -> int | None:
    """Calendar: the page perturbations (rerender_widget, modal) and save_error break
    ``naive``; latency alone does not; ``careful`` always passes."""
    if agent != "naive":
        return None
    return 0 if g.levels[0] or g.levels[1] or g.levels[5] else None


def _verdict(scenario: Scenario, failing: int | None) -> dict[str, object]:
    spec = scenario.verifier
    rules = [
        *((r.name, "required") for r in spec.required),
        *((r.name, "allowed") for r in spec.allowed),
        *((r.name, "forbidden") for r in spec.forbidden),
    ]
    results = [
        {"name": name, "kind": kind, "passed": i != failing, "message": "", "records": []}
        for i, (name, kind) in enumerate(rules)
    ]
    return {"passed": failing is None, "results": results}


@dataclass
class FakeRunner:
    """Judges jobs with ``judge``; remembers outcomes like a journal; can stop mid-way."""

    space: SearchSpace
    judge: Judge = naive_judge
    crash_after: int | None = None
    seconds: Callable[[str], float] = lambda agent: 1.0
    #: Perturbation ids that never fire, whatever their level (an unreached trigger).
    never_fires: frozenset[str] = frozenset()
    #: Near-miss signals of a genome's episode (see fuzzer.fuzz.signals).
    signals: Callable[[Genome], frozenset[str]] = lambda g: frozenset()
    known: dict[tuple[str, str, int], Observation] = field(default_factory=dict)
    played: list[tuple[str, str, int]] = field(default_factory=list)
    asked: list[tuple[str, str, int]] = field(default_factory=list)

    def _observe(self, job: Job) -> Observation:
        g = self.space.parse_id(job.scenario.id)
        failing = self.judge(g, job.agent, job.trial)
        result = EpisodeResult(
            scenario_id=job.scenario.id,
            drill=job.scenario.drill,
            agent=job.agent,
            condition=job.condition,
            trial=job.trial,
            episode=f"{job.scenario.id}.{job.agent}.p{job.trial}",
            passed=failing is None,
            escalated=False,
            summary="fake",
            duration_s=self.seconds(job.agent),
            harness_error="fake harness error" if failing == -1 else None,
            verdict=_verdict(job.scenario, failing) if failing != -1 else None,
        )
        fires = tuple(
            Fire(self.space.ids[i], self.space.kinds[i], 400.0 * lv, "page")
            for i, lv in enumerate(g.levels)
            if lv and self.space.ids[i] not in self.never_fires
        )
        return Observation(result, fires, self.signals(g))

    async def episodes(self, jobs: Sequence[Job]) -> list[Observation]:
        out = []
        for job in jobs:
            key = (job.scenario.id, job.agent, job.trial)
            self.asked.append(key)
            if key not in self.known:
                if self.crash_after is not None and len(self.played) >= self.crash_after:
                    raise KeyboardInterrupt("killed")
                self.known[key] = self._observe(job)
                self.played.append(key)
            out.append(self.known[key])
        return out
