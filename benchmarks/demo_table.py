"""The three drills' table: the reference agents on >= 100 scenarios per drill.

Usage: ``python benchmarks/demo_table.py [--count 100] [--seed 0] [--workers 2]
[--drills calendar dropdown endurance]``. It plays exactly what ``gymfuzz demo --count N
--seed S`` plays (every solvable scenario with both agents, unperturbed and perturbed; every
unsolvable one once) and writes ``results/demo_table.json`` and ``results/demo_table.md``
beside this script, with the pass rates per drill, their 95% intervals, what broke the
naive agent and any careful failure.

``--drills`` re-plays only the drills named and keeps the committed results of the others
(each drill's section records its own run: when, how many episodes, how long), so a change
to one drill costs one drill's run. Packs are generated per drill, so a drill's scenarios
for a seed do not depend on which other drills are played.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import platform
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fuzzer.commands.demo import COLUMNS, play_demo
from fuzzer.play.episode import EpisodeResult
from fuzzer.report.metrics import success_rates
from fuzzer.report.summary import failure_examples, failure_kinds, pass_table, render_table
from scenarios.generate import generate_pack

HERE = Path(__file__).resolve().parent
DRILLS = ("calendar", "dropdown", "endurance")


def drill_section(drill: str, results: list[EpisodeResult], run: dict[str, Any]) -> dict[str, Any]:
    """One drill's results: the pass table, its markdown section and the run behind it."""
    lines = [f"## {drill}", "", "```", render_table(pass_table(results), COLUMNS), "```", ""]
    for (agent, column), rate in success_rates(results).items():
        low, high = rate.interval
        lines.append(
            f"* {agent} / {column}: {rate.value:.1%} (95% interval {low:.1%} to {high:.1%})"
        )
    kinds = failure_kinds(results, "naive")
    lines += [
        "",
        "Naive agent's perturbed failures, episodes per fault kind met: "
        + ", ".join(f"{k} {v}" for k, v in kinds.items()),
        "",
        "Examples of naive failures:",
        "",
        *[f"* {line}" for line in failure_examples(results, "naive", limit=3)],
        "",
    ]
    careful = failure_examples(results, "careful", limit=10)
    if careful:
        lines += ["Careful agent failures:", "", *[f"* {line}" for line in careful], ""]
    lines.append(
        f"Run {run['date']}: {run['episodes']} episodes in {run['seconds']:.0f} s "
        f"({run['episodes_per_minute']} episodes/min, {run['workers']} workers, "
        f"{run['harness_errors']} harness errors)."
    )
    return {
        "agents": pass_table(results),
        "naive_failures_by_fault_kind": kinds,
        "run": run,
        "markdown": "\n".join(lines) + "\n",
    }


async def play_drill(drill: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        pack = generate_pack(Path(tmp) / "pack", drill=drill, count=args.count, seed=args.seed)
        t0 = time.monotonic()
        results = await play_demo(pack.path, Path(tmp), workers=args.workers, progress=None)
        took = time.monotonic() - t0
    run = {
        "date": dt.date.today().isoformat(),
        "episodes": len(results),
        "harness_errors": sum(r.harness_error is not None for r in results),
        "seconds": round(took, 1),
        "episodes_per_minute": round(60 * len(results) / took, 1),
        "workers": args.workers,
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
    }
    return drill_section(drill, results, run)


def totals(drills: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The all-drills figures (the ``gymfuzz demo --json`` shape) from the drills' sections."""
    agents: dict[str, dict[str, dict[str, int]]] = {}
    kinds: Counter[str] = Counter()
    for section in drills.values():
        kinds.update(section["naive_failures_by_fault_kind"])
        for agent, cells in section["agents"].items():
            for column, cell in cells.items():
                total = agents.setdefault(agent, {}).setdefault(
                    column, {"episodes": 0, "passed": 0}
                )
                total["episodes"] += cell["episodes"]
                total["passed"] += cell["passed"]
    return {
        "agents": agents,
        "naive_failures_by_fault_kind": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drills", nargs="+", choices=DRILLS, default=list(DRILLS))
    args = parser.parse_args()
    out = HERE / "results"
    kept: dict[str, Any] = {}
    previous = out / "demo_table.json"
    if set(args.drills) != set(DRILLS) and previous.exists():
        old = json.loads(previous.read_text())
        if (old.get("scenarios_per_drill"), old.get("seed")) == (args.count, args.seed):
            kept = old.get("drills", {})
    drills = {}
    for drill in DRILLS:
        if drill in args.drills:
            drills[drill] = asyncio.run(play_drill(drill, args))
        elif drill in kept and "markdown" in kept[drill]:
            drills[drill] = kept[drill]
    doc = {
        **totals(drills),
        "drill": "all",
        "scenarios_per_drill": args.count,
        "seed": args.seed,
        "drills": drills,
    }
    out.mkdir(exist_ok=True)
    (out / "demo_table.json").write_text(json.dumps(doc, indent=2) + "\n")
    lines = [
        f"# Reference agents on the three drills ({args.count} scenarios per drill, "
        f"seed {args.seed})",
        "",
        f"Reproduce: `scripts/gymfuzz demo --count {args.count} --seed {args.seed}` (or "
        f"`python benchmarks/demo_table.py --count {args.count} --seed {args.seed}`). "
        "Solvable scenarios are played unperturbed and perturbed; unsolvable ones (one in "
        "ten, the backend refuses every write) once, where passing means escalating with "
        "nothing changed. Each drill's section ends with the run it comes from.",
        "",
    ]
    lines += [section["markdown"] for section in drills.values()]
    (out / "demo_table.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
