"""Pass rates of the reference agents on a calendar pack, unperturbed vs perturbed.

Usage: ``python benchmarks/demo_table.py [--count 50] [--seed 0] [--workers 2]``. Writes
``results/demo_table.json`` and ``results/demo_table.md`` beside this script.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import tempfile
import time
from pathlib import Path

from fuzzer.runner import run_episodes
from fuzzer.summary import demo_json, failure_examples, pass_table, render_table
from scenarios.generate import iter_scenarios

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scenarios = list(iter_scenarios("calendar", args.count, args.seed))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.monotonic()
        results = asyncio.run(
            run_episodes(
                scenarios,
                ["naive", "careful"],
                ["unperturbed", "perturbed"],
                ledger_dir=Path(tmp),
                workers=args.workers,
            )
        )
        took = time.monotonic() - t0
    doc = demo_json(results, drill="calendar", scenarios=args.count, seed=args.seed)
    doc["run"] = {
        "episodes": len(results),
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
        f"# Reference agents on the calendar drill ({args.count} scenarios, seed {args.seed})",
        "",
        "```",
        render_table(pass_table(results), ["unperturbed", "perturbed"]),
        "```",
        "",
        "Naive agent's perturbed failures, episodes per fault kind met: "
        + ", ".join(f"{k} {v}" for k, v in doc["naive_failures_by_fault_kind"].items()),
        "",
        f"{len(results)} episodes in {took:.0f} s "
        f"({doc['run']['episodes_per_minute']} episodes/min, {args.workers} workers).",
        "",
        "Examples of naive failures:",
        "",
        *[f"* {line}" for line in failure_examples(results, "naive", limit=5)],
        "",
    ]
    (out / "demo_table.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
