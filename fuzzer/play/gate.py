"""The spec quality gate: a verifier is only as good as the agents it tells apart.

Before a pack (or a drill, or your own workflow graph) ships, :func:`check_specs` plays it
twice: with the do-nothing agent (``noop``) on every solvable scenario, which must **fail**
each one (a spec the do-nothing agent passes checks nothing), and with the ``careful``
reference agent under the scenario's perturbations, which must **pass** each one, escalating
where the scenario is unsolvable by design (a spec the careful agent fails is unfair, or the
perturbation made the task impossible). ``gymfuzz gate`` runs it from the command line and
exits with code 1 when a scenario fails the gate.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fuzzer.episode import EpisodeResult
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
) -> GateReport:
    """Play the gate (see the module docstring) and return its report.

    ``careful`` names the agent that must pass (a reference name or ``module:attr``), so a
    user can gate their own app's specs with their own careful agent.
    """
    from fuzzer.runner import run_episodes

    solvable = [s for s in scenarios if s.solvable]
    noop = await run_episodes(
        solvable,
        ["noop"],
        ["unperturbed"],
        ledger_dir=ledger_dir,
        workers=workers,
        progress=progress,
    )
    good = await run_episodes(
        scenarios,
        [careful],
        ["perturbed"],
        ledger_dir=ledger_dir,
        workers=workers,
        progress=progress,
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


def add_parser(sub: Any, count_type: Any, seed_type: Any, default_workers: int) -> None:
    """Add ``gate`` to the ``gymfuzz`` subcommands."""
    from scenarios.drills import DRILLS

    p = sub.add_parser("gate", help="check verifier specs against the noop and careful agents")
    p.add_argument("pack", nargs="?", type=Path, help="a pack (default: generate one)")
    p.add_argument("--drill", choices=[*sorted(DRILLS), "all"], default="all")
    p.add_argument("--count", type=count_type, default=10, help="scenarios per drill (10)")
    p.add_argument("--seed", type=seed_type, default=0, help="master seed (default 0)")
    p.add_argument("--careful", default="careful", help="the agent that must pass")
    p.add_argument("--workers", type=count_type, default=default_workers)
    p.set_defaults(func=cmd_gate)


def cmd_gate(args: argparse.Namespace) -> int:
    """``gymfuzz gate``: exit 0 when every scenario passes the gate, 1 otherwise."""
    from fuzzer.runner import print_progress
    from scenarios.generate import generate_pack
    from scenarios.pack import open_pack

    with tempfile.TemporaryDirectory(prefix="gymfuzz-gate-") as tmp:
        if args.pack is not None:
            pack = open_pack(args.pack)
        else:
            pack = generate_pack(
                Path(tmp) / "pack", drill=args.drill, count=args.count, seed=args.seed
            )
        report = asyncio.run(
            check_specs(
                list(pack.scenarios()),
                ledger_dir=Path(tmp) / "ledgers",
                workers=args.workers,
                careful=args.careful,
                progress=print_progress,
            )
        )
    print("\n".join(report.lines()))
    return 0 if report.passed else 1
