"""The spec quality gate: a verifier is only as good as the agents it tells apart.

Before a pack (or a drill, or your own workflow graph) ships, :func:`check_specs` plays it
twice: with the do-nothing agent (``noop``) on every solvable scenario, which must **fail**
each one (a spec the do-nothing agent passes checks nothing), and with the ``careful``
reference agent under the scenario's perturbations, which must **pass** each one, escalating
where the scenario is unsolvable by design (a spec the careful agent fails is unfair, or the
perturbation made the task impossible). ``gymfuzz gate`` (:mod:`fuzzer.commands.gate`)
runs it from the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuzzer.play.episode import EpisodeResult
    from fuzzer.targets.choose import TargetsFactory
    from scenarios.model import Scenario


@dataclass
class GateReport:
    """What the gate found: the specs a do-nothing agent passes, the ones careful fails."""

    scenarios: int = 0
    vacuous: list[EpisodeResult] = field(default_factory=list)
    unfair: list[EpisodeResult] = field(default_factory=list)
    harness_errors: list[EpisodeResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not (self.vacuous or self.unfair or self.harness_errors)

    def lines(self) -> list[str]:
        """The report as text lines, one per problem."""
        out = [
            f"gate: {self.scenarios} scenarios, {len(self.vacuous)} vacuous, "
            f"{len(self.unfair)} unfair, {len(self.harness_errors)} harness errors: "
            + ("PASS" if self.passed else "FAIL")
        ]
        out += [f"  vacuous (noop passes): {r.scenario_id}: {r.summary}" for r in self.vacuous]
        for r in self.unfair:
            why = f" (agent: {r.agent_error})" if r.agent_error else ""
            out.append(f"  unfair (careful fails): {r.scenario_id}: {r.summary}{why}")
        out += [f"  harness error: {r.scenario_id}: {r.summary}" for r in self.harness_errors]
        return out


async def check_specs(
    scenarios: Sequence[Scenario],
    *,
    ledger_dir: Path,
    workers: int = 2,
    careful: str = "careful",
    progress: Callable[[int, int, EpisodeResult], None] | None = None,
    targets: TargetsFactory | None = None,
    agent_options: Mapping[str, str] | None = None,
) -> GateReport:
    """Play the gate (see the module docstring) and return its report.

    ``careful`` names the agent that must pass (a reference name, ``chat`` or
    ``module:attr``), so a user can gate their own app's specs with their own careful agent;
    ``agent_options`` configure it when it takes options; ``targets`` says which app (default
    the embedded site).
    """
    from fuzzer.play.runner import run_episodes

    solvable = [s for s in scenarios if s.solvable]
    noop = await run_episodes(
        solvable,
        ["noop"],
        ["unperturbed"],
        ledger_dir=ledger_dir,
        workers=workers,
        progress=progress,
        targets=targets,
    )
    good = await run_episodes(
        scenarios,
        [careful],
        ["perturbed"],
        ledger_dir=ledger_dir,
        workers=workers,
        progress=progress,
        targets=targets,
        agent_options=agent_options,
    )
    report = GateReport(scenarios=len(scenarios))
    for r in [*noop, *good]:
        if r.harness_error:
            report.harness_errors.append(r)
        elif r.agent == "noop" and r.passed:
            report.vacuous.append(r)
        elif r.agent != "noop" and not r.passed:
            report.unfair.append(r)
    return report
