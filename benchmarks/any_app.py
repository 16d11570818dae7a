"""The any-app pack on the built-in drills: does it stay fair, and what does it find?

Usage: ``python benchmarks/any_app.py [--drills dropdown calendar] [--count 24] [--seed 0]
[--workers 2] [--agents careful naive]``.

For each drill, the solvable scenarios among ``--count`` generated ones are the tasks, and an
any-app pack (``gymfuzz generate --any-app``, same seed) is overlaid on them as ``gymfuzz run
--overlay`` does: each task is played under an any-app scenario's faults instead of its own.
Every agent plays every overlaid scenario in both conditions (unperturbed: the any-app look
alone; perturbed: the look and the faults). Reported per agent and condition: success with
its 95% Wilson interval; for the careful agent's perturbed episodes, how often each kind
fired and on which elements or requests (the ledger's names), which shows what a pack
written for no app found on this one. Harness errors are counted apart.

Episodes are journaled in ``--work`` (default ``$TMPDIR/gymfuzz-any-app``): a killed run
resumes where it stopped. Writes ``results/any_app.json`` and ``.md`` beside this script
(drills not named by ``--drills`` are kept from the results file).
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import per_drill  # beside this script

from fuzzer.play.journal import load_results
from fuzzer.play.ledger import fires, last_run, read_records
from fuzzer.play.runner import run_episodes
from fuzzer.report.metrics import success_rates
from proxy_addons.episodes import EpisodeRegistry
from scenarios.anyapp import ANY_APP_GRAPH, overlay
from scenarios.generate import generate_pack, iter_scenarios
from scenarios.pack import open_pack


def measure(
    drill: str, count: int, seed: int, agents: list[str], workers: int, work: Path
) -> dict[str, Any]:
    tasks = [sc for sc in iter_scenarios(drill, count, seed) if sc.solvable]
    layers_dir = work / f"any-{len(tasks)}-{seed}"
    if not layers_dir.is_dir():
        generate_pack(
            layers_dir, drill="", graph=ANY_APP_GRAPH, count=len(tasks), seed=seed, interfaces=True
        )
    played = overlay(tasks, list(open_pack(layers_dir).scenarios()))
    journal = work / f"{drill}-{count}-{seed}.jsonl"
    ledgers = work / "ledgers"
    asyncio.run(
        run_episodes(
            played,
            agents,
            ["unperturbed", "perturbed"],
            ledger_dir=ledgers,
            journal=journal,
            resume=True,
            workers=workers,
        )
    )
    names = {sc.id for sc in played}
    results = [r for r in load_results(journal) if r.scenario_id in names]
    rates = [
        {
            "agent": agent,
            "condition": condition,
            "passed": rate.passed,
            "n": rate.n,
            "interval": [round(x, 3) for x in rate.interval],
        }
        for (agent, condition), rate in success_rates(results).items()
    ]
    fired: Counter[str] = Counter()
    found: dict[str, Counter[str]] = defaultdict(Counter)
    registry = EpisodeRegistry(ledger_dir=ledgers)
    careful = [r for r in results if r.agent == "careful" and r.condition == "perturbed"]
    for r in careful:
        once = {}
        for f in fires(last_run(read_records(registry.ledger_path(r.episode)))):
            if not f.fault.startswith("interface."):
                once.setdefault(f.fault, f)
        for f in once.values():
            found[f.kind][_short(f.on)] += 1
        fired.update(sorted({f.kind for f in once.values()}))  # episodes where it fired
    return {
        "count": count,
        "seed": seed,
        "tasks": len(tasks),
        "episodes": len(results),
        "harness_errors": sum(1 for r in results if r.harness_error),
        "rates": rates,
        "fired": {
            kind: {"episodes": n, "of": len(careful), "on": dict(found[kind].most_common(3))}
            for kind, n in fired.most_common()
        },
    }


def _short(on: str) -> str:
    """An element or request name cut to 48 characters."""
    return on if len(on) <= 48 else on[:47] + "\u2026"


def render(report: dict[str, Any]) -> str:
    lines = [
        "# The any-app pack on the built-in drills",
        "",
        f"Run {report['run_at']} on {report['cores']} cores. Each drill's solvable tasks are "
        "played under an any-app scenario's faults (`run --overlay`), unperturbed (the look "
        "alone) and perturbed. Success with 95% Wilson intervals.",
    ]
    for drill, d in report["drills"].items():
        lines += [
            "",
            f"## {drill}: {d['tasks']} tasks (seed {d['seed']}), {d['episodes']} episodes, "
            f"{d['harness_errors']} harness errors",
            "",
            "| agent | condition | passed | rate [95%] |",
            "|---|---|---|---|",
        ]
        for row in d["rates"]:
            lo, hi = row["interval"]
            rate = row["passed"] / row["n"] if row["n"] else 0.0
            lines.append(
                f"| {row['agent']} | {row['condition']} | {row['passed']}/{row['n']} "
                f"| {rate:.0%} [{lo:.0%}, {hi:.0%}] |"
            )
        lines += [
            "",
            "What fired in the careful agent's perturbed episodes, and on what (the ledger's "
            "names, most frequent first):",
            "",
            "| kind | episodes | acted on |",
            "|---|---|---|",
        ]
        for kind, f in d["fired"].items():
            on = "; ".join(f"`{name}` ({n})" for name, n in f["on"].items())
            lines.append(f"| {kind} | {f['episodes']}/{f['of']} | {on} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    per_drill.run("any_app", __doc__.splitlines()[0], measure, render, count=24)


if __name__ == "__main__":
    main()
