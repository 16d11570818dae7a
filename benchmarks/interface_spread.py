"""Interface variants: does each drill stay solvable on every look, and how far does an agent's
success move between looks?

Usage: ``python benchmarks/interface_spread.py [--drills dropdown calendar] [--count 64]
[--seed 0] [--workers 2] [--agents careful naive]``.

For each drill, ``--count`` scenarios are generated with interface variants on (``gymfuzz
generate --interfaces``: the variant is one more dimension of the pairwise covering array, so
every variant meets every perturbation level) and every agent plays each of them in both
conditions (unperturbed: the look alone; perturbed: the look and the scenario's
perturbations), as ``gymfuzz run`` does. Per agent, drill and condition the results give the
success on each variant with its 95% Wilson interval, and the spread (best variant minus
worst) with its 95% bootstrap interval (:mod:`fuzzer.report.variants`). Harness errors are
counted apart and left out of the rates.

Episodes are journaled in ``--work`` (default ``$TMPDIR/gymfuzz-interface-spread``): a
killed run resumes where it stopped. Writes ``results/interface_spread.json`` and ``.md``
beside this script (drills not named by ``--drills`` are kept from the results file). A run
on a shared machine is noisy in time, not in verdicts.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import per_drill  # beside this script

from fuzzer.play.journal import load_results
from fuzzer.play.runner import run_episodes
from fuzzer.report.variants import spreads
from scenarios.generate import iter_scenarios


def measure(
    drill: str, count: int, seed: int, agents: list[str], workers: int, work: Path
) -> dict[str, Any]:
    scenarios = list(iter_scenarios(drill, count, seed, interfaces=True))
    journal = work / f"{drill}-{count}-{seed}.jsonl"
    asyncio.run(
        run_episodes(
            scenarios,
            agents,
            ["unperturbed", "perturbed"],
            ledger_dir=work / "ledgers",
            journal=journal,
            resume=True,
            workers=workers,
        )
    )
    names = {sc.id for sc in scenarios}
    results = [r for r in load_results(journal) if r.scenario_id in names]
    rows = []
    for s in spreads(results):
        rows.append(
            {
                "agent": s.agent,
                "condition": s.column,
                "variants": {
                    v: {"passed": r.passed, "n": r.n, "interval": [round(x, 3) for x in r.interval]}
                    for v, r in s.rates.items()
                },
                "spread": round(s.value, 3),
                "spread_interval": [round(x, 3) for x in s.interval],
                "best": s.best,
                "worst": s.worst,
            }
        )
    return {
        "count": count,
        "seed": seed,
        "episodes": len(results),
        "harness_errors": sum(1 for r in results if r.harness_error),
        "rows": rows,
    }


def render(report: dict[str, Any]) -> str:
    lines = [
        "# Interface variants: success per look, and its spread",
        "",
        f"Run {report['run_at']} on {report['cores']} cores. Each drill's scenarios are "
        "generated with `--interfaces`; every agent plays each one unperturbed and perturbed. "
        "Rates with 95% Wilson intervals; spread = best variant minus worst, with a 95% "
        "bootstrap interval.",
    ]
    for drill, d in report["drills"].items():
        lines += [
            "",
            f"## {drill}: {d['count']} scenarios (seed {d['seed']}), {d['episodes']} episodes, "
            f"{d['harness_errors']} harness errors",
            "",
        ]
        variants = list(d["rows"][0]["variants"]) if d["rows"] else []
        lines.append("| agent | condition | " + " | ".join(variants) + " | spread [95%] |")
        lines.append("|---" * (len(variants) + 3) + "|")
        for row in d["rows"]:
            cells = []
            for v in variants:
                c = row["variants"].get(v)
                cells.append(f"{c['passed']}/{c['n']}" if c else "-")
            lo, hi = row["spread_interval"]
            lines.append(
                f"| {row['agent']} | {row['condition']} | " + " | ".join(cells)
                + f" | {row['spread']:.0%} [{lo:.0%}, {hi:.0%}] ({row['best']} vs {row['worst']}) |"
            )  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    per_drill.run("interface_spread", __doc__.splitlines()[0], measure, render, count=64)


if __name__ == "__main__":
    main()
