"""Episodes per minute of the local runner for 1, 2 and 4 workers, on the embedded site.

Usage: ``python benchmarks/runner_throughput.py [--count 12] [--agent careful]``. Each worker
count plays the same perturbed calendar scenarios; the ratio to 1 worker is the speed-up.
Writes ``results/runner_throughput.json`` and ``.md`` beside this script.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

from fuzzer.play.runner import run_episodes
from scenarios.generate import iter_scenarios

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--agent", default="careful")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    scenarios = list(iter_scenarios("calendar", args.count, 1))
    rows = []
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.monotonic()
            cpu0 = os.times()
            results = asyncio.run(
                run_episodes(
                    scenarios, [args.agent], ["perturbed"], ledger_dir=Path(tmp), workers=workers
                )
            )
            wall = time.monotonic() - t0
            cpu1 = os.times()
        cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
        cpu += cpu1.children_user - cpu0.children_user
        cpu += cpu1.children_system - cpu0.children_system
        rows.append(
            {
                "workers": workers,
                "episodes": len(results),
                "passed": sum(r.passed for r in results),
                "seconds": round(wall, 1),
                "episodes_per_minute": round(60 * len(results) / wall, 1),
                "python_cpu_s_per_episode": round(cpu / len(results), 3),
            }
        )
    base = rows[0]["episodes_per_minute"]
    for row in rows:
        row["speedup_vs_first"] = round(row["episodes_per_minute"] / base, 2)
    doc = {"agent": args.agent, "scenarios": args.count, "cores": os.cpu_count(), "rows": rows}
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "runner_throughput.json").write_text(json.dumps(doc, indent=2) + "\n")
    lines = [
        f"# Runner throughput ({args.agent} agent, {args.count} perturbed calendar scenarios, "
        f"{os.cpu_count()} cores)",
        "",
        "| workers | episodes/min | speed-up vs 1 | passed | runner-process CPU s/episode |",
        "|---|---|---|---|---|",
        *[
            f"| {r['workers']} | {r['episodes_per_minute']} | {r['speedup_vs_first']}x | "
            f"{r['passed']}/{r['episodes']} | {r['python_cpu_s_per_episode']} |"
            for r in rows
        ],
        "",
        "Runner-process CPU covers the runner, the embedded proxy thread and the site "
        "subprocess (reaped children); Chromium's own processes are not included.",
        "",
    ]
    (out / "runner_throughput.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
