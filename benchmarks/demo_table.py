"""The three drills' table: the reference agents on >= 100 scenarios per drill.

Usage: ``python benchmarks/demo_table.py [--count 100] [--seed 0] [--workers 2]``. It plays
exactly what ``gymfuzz demo --count N --seed S`` plays (every solvable scenario with both
agents, unperturbed and perturbed; every unsolvable one once) and writes
``results/demo_table.json`` and ``results/demo_table.md`` beside this script, with the pass
rates per drill, their 95% intervals, what broke the naive agent and any careful failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import tempfile
import time
from pathlib import Path

from fuzzer.demo_cmd import COLUMNS, demo_document, play_demo
from fuzzer.metrics import success_rates
from fuzzer.summary import failure_examples, failure_kinds, pass_table, render_table
from scenarios.generate import generate_pack

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pack = generate_pack(Path(tmp) / "pack", drill="all", count=args.count, seed=args.seed)
        t0 = time.monotonic()
        results = asyncio.run(play_demo(pack.path, Path(tmp), workers=args.workers, progress=None))
        took = time.monotonic() - t0
    doc = demo_document(results, drill="all", scenarios_per_drill=args.count, seed=args.seed)
    doc["run"] = {
        "episodes": len(results),
        "harness_errors": sum(r.harness_error is not None for r in results),
        "seconds": round(took, 1),
        "episodes_per_minute": round(60 * len(results) / took, 1),
        "workers": args.workers,
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
    }
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "demo_table.json").write_text(json.dumps(doc, indent=2) + "\n")
    lines = [
        f"# Reference agents on the three drills ({args.count} scenarios per drill, "
        f"seed {args.seed})",
        "",
        f"Reproduce: `scripts/gymfuzz demo --count {args.count} --seed {args.seed}`. "
        "Solvable scenarios are played unperturbed and perturbed; unsolvable ones (one in "
        "ten, the backend refuses every write) once, where passing means escalating with "
        "nothing changed.",
        "",
    ]
    for drill in doc["drills"]:
        mine = [r for r in results if r.drill == drill]
        lines += [f"## {drill}", "", "```", render_table(pass_table(mine), COLUMNS), "```", ""]
        for (agent, column), rate in success_rates(mine).items():
            low, high = rate.interval
            lines.append(
                f"* {agent} / {column}: {rate.value:.1%} (95% interval {low:.1%} to {high:.1%})"
            )
        kinds = failure_kinds(mine, "naive")
        lines += [
            "",
            "Naive agent's perturbed failures, episodes per fault kind met: "
            + ", ".join(f"{k} {v}" for k, v in kinds.items()),
            "",
            "Examples of naive failures:",
            "",
            *[f"* {line}" for line in failure_examples(mine, "naive", limit=3)],
            "",
        ]
        careful = failure_examples(mine, "careful", limit=10)
        if careful:
            lines += ["Careful agent failures:", "", *[f"* {line}" for line in careful], ""]
    lines += [
        f"{len(results)} episodes in {took:.0f} s ({doc['run']['episodes_per_minute']} "
        f"episodes/min, {args.workers} workers, {doc['run']['harness_errors']} harness "
        "errors).",
        "",
    ]
    (out / "demo_table.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
