"""Resetting an outside app between episodes: does its database come back, and what does it cost?

Usage: ``python benchmarks/reset_bench.py [--target examples/django_calendar/target.yaml]
[--episodes 200] [--agent agents:CarefulAgent] [--seed 0]``.

One app instance, launched from its target file (``reset: restore``), plays ``--episodes``
perturbed scenarios of its graph (``graph.json`` beside the target file) one after another
with the agent, as ``gymfuzz run --target`` would. Before the first episode and after the
last, the app is reset and its state read: the two must be equal apart from the target
file's ``ignore``\\ d writes (sessions, logs, ``last_login``). Between, every reset is timed
(the target's own clock around its restore) and so is every episode (reset, agent, settle,
judge). The figures: reset p50/p95, episode p50/p95 (``numpy.percentile``), and the reset's
share of the episode time, the baseline measured in the same run.

Writes ``results/reset_bench.json`` and ``results/reset_bench.md`` beside this script.
A run on a shared machine is noisy: the figures are indications, not guarantees.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from fuzzer.agents import resolve_agent
from fuzzer.play.episode import run_episode
from fuzzer.play.harness import start_harness
from fuzzer.targets.app import AppTarget
from scenarios.generate import generate_pack
from scenarios.verify.diff import diff_states

HERE = Path(__file__).parent
ROOT = HERE.parent


def _ms(values: list[float]) -> dict[str, float]:
    arr = np.array(values) * 1000
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(arr, 50)), 1),
        "p95_ms": round(float(np.percentile(arr, 95)), 1),
        "mean_ms": round(float(arr.mean()), 1),
    }


async def measure(target_file: Path, episodes: int, agent: str, seed: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="gymfuzz-reset-bench-"))
    pack = generate_pack(
        work / "pack", drill="", count=episodes, seed=seed, graph=target_file.parent / "graph.json"
    )
    scenarios = list(pack.scenarios())
    target = AppTarget.from_file(target_file)
    durations: list[float] = []
    verdicts = {"passed": 0, "failed": 0, "harness_error": 0}
    async with start_harness(work / "ledgers", [target]) as harness:
        await target.reset("bench-start", scenarios[0])
        start = await target.snapshot("bench-start")
        await target.release("bench-start")
        for scenario in scenarios:
            began = time.perf_counter()
            result = await run_episode(harness, scenario, resolve_agent(agent)())
            durations.append(time.perf_counter() - began)
            key = "passed" if result.passed else "failed"
            verdicts["harness_error" if result.harness_error else key] += 1
        await target.reset("bench-end", scenarios[0])
        end = await target.snapshot("bench-end")
        await target.release("bench-end")
        resets = list(target.instances[0].resets)[1:-1]  # the episodes' own resets
    changes = [c.describe() for c in diff_states(start, end).changes()]
    reset_ms, episode_ms = _ms(resets), _ms(durations)
    return {
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "target": str(
            target_file.relative_to(ROOT) if target_file.is_relative_to(ROOT) else target_file
        ),
        "agent": agent,
        "episodes": len(durations),
        "verdicts": verdicts,
        "rows_at_start": sum(len(rows) for rows in start.values()),
        "state_equal_after": not changes,
        "changes_left": changes[:20],
        "reset": reset_ms,
        "episode": episode_ms,
        "reset_share_of_episode_p50": round(reset_ms["p50_ms"] / episode_ms["p50_ms"], 4),
        "reset_share_of_total_time": round(sum(resets) / sum(durations), 4),
    }


def render(r: dict[str, Any]) -> str:
    lines = [
        "# Reset benchmark: an outside app's database between episodes",
        "",
        f"Run {r['run_at']} on {r['cores']} cores (shared; figures are indications).",
        f"Target `{r['target']}`, agent `{r['agent']}`, {r['episodes']} perturbed episodes "
        "on one app instance, one after another.",
        "",
        f"Database after the last episode, reset, equals the start (apart from `ignore`d "
        f"writes): **{'yes' if r['state_equal_after'] else 'NO'}** "
        f"({r['rows_at_start']} rows at the start).",
        "",
        "| measure | n | p50 ms | p95 ms | mean ms |",
        "|---|---|---|---|---|",
    ]
    for name, key in (("reset (restore, one transaction)", "reset"), ("whole episode", "episode")):
        m = r[key]
        lines.append(f"| {name} | {m['n']} | {m['p50_ms']} | {m['p95_ms']} | {m['mean_ms']} |")
    lines += [
        "",
        f"Reset against the episode (p50 / p50): {r['reset_share_of_episode_p50']:.1%}; "
        f"share of all episode time spent resetting: {r['reset_share_of_total_time']:.1%}.",
        "",
        "Verdicts: " + ", ".join(f"{k} {v}" for k, v in r["verdicts"].items()) + ".",
    ]
    if r["changes_left"]:
        lines += ["", "Changes left after the final reset:", ""]
        lines += [f"* {c}" for c in r["changes_left"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target", type=Path, default=ROOT / "examples" / "django_calendar" / "target.yaml"
    )
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--agent", default="agents:CarefulAgent")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    target_file = args.target.resolve()
    os.chdir(target_file.parent)  # the example's agents module, as gymfuzz run would find it
    sys.path.insert(0, str(target_file.parent))
    result = asyncio.run(measure(target_file, args.episodes, args.agent, args.seed))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "reset_bench.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "reset_bench.md").write_text(render(result))
    print(render(result))


if __name__ == "__main__":
    main()
