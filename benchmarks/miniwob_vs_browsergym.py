"""MiniWoB++ click-button, same one-click policy: plain BrowserGym vs the gymfuzz runner.

Usage: ``python benchmarks/miniwob_vs_browsergym.py [--episodes 40] [--workers 1 2]``. In one
run it plays ``--episodes`` click-button episodes (problems seeded 0..N-1):

a. through plain BrowserGym (``gym.make("browsergym/miniwob.click-button")``, ``reset`` then
   one ``step('click("<bid>")')`` per episode, no gymfuzz wrapper), in BrowserGym's own
   virtualenv (``scripts/browsergym-venv`` makes it) as a subprocess, on the system Chromium;
b. through the gymfuzz runner (:func:`fuzzer.play.runner.run_episodes`: proxy, long-lived
   Chromium, a fresh context per episode, verdict from the task's reward) with
   :class:`~fuzzer.targets.miniwob_agents.OneClickAgent`, for each ``--workers``.

Both policies read the button the instruction names and click it once. It reports episodes
per minute over the whole run (start-up included) and in steady state (first to last
finished episode), success rates, and the ratios (b)/(a), and the machine's load average.
Writes ``results/miniwob_vs_browsergym.json`` and ``.md`` beside this script.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BROWSERGYM_PYTHON = ROOT / ".gymfuzz" / "browsergym-venv" / "bin" / "python"
MAX_EPISODES = 200


def rates(started: float, ends: list[float]) -> dict[str, float | None]:
    """Episodes per minute over the run and in steady state (first to last end)."""
    n = len(ends)
    total = ends[-1] - started if ends else 0.0
    steady = ends[-1] - ends[0] if n > 1 else 0.0
    return {
        "wall_s": round(total, 2),
        "episodes_per_min": round(60 * n / total, 1) if total else None,
        "steady_episodes_per_min": round(60 * (n - 1) / steady, 1) if steady else None,
    }


def browsergym_side(episodes: int) -> dict[str, Any]:
    """Side (a), run inside BrowserGym's virtualenv."""
    import browsergym.miniwob  # type: ignore[import-not-found]
    import gymnasium as gym
    from browsergym.utils.obs import flatten_axtree_to_str  # type: ignore[import-not-found]

    from fuzzer.gym.browsergym import use_system_chromium
    from fuzzer.gym.miniwob import serve_html

    use_system_chromium()
    gym.register_envs(browsergym.miniwob)
    started = time.monotonic()
    ends: list[float] = []
    passed = 0
    with serve_html() as site:
        os.environ["MINIWOB_URL"] = f"{site}/miniwob/"
        env = gym.make("browsergym/miniwob.click-button")
        try:
            for seed in range(episodes):
                obs, _ = env.reset(seed=seed)
                label = re.search(r'"(.+?)"', obs["goal"])
                tree = flatten_axtree_to_str(obs["axtree_object"])
                bids = re.findall(rf"\[(\w+)\] button '{re.escape(label.group(1))}'", tree)  # type: ignore[union-attr]
                _, reward, terminated, _, _ = env.step(f'click("{bids[0]}")')
                passed += int(terminated and float(reward) > 0)
                ends.append(time.monotonic())
        finally:
            env.close()
    return {"episodes": episodes, "passed": passed, **rates(started, ends)}


def gymfuzz_side(episodes: int, workers: int) -> dict[str, Any]:
    """Side (b), in this process."""
    from fuzzer.play.runner import run_episodes
    from fuzzer.targets.miniwob_scenarios import miniwob_scenario

    scenarios = [miniwob_scenario("click-button", id=f"cb-{i}", seed=i) for i in range(episodes)]
    ends: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        results = asyncio.run(
            run_episodes(
                scenarios,
                ["fuzzer.targets.miniwob_agents:OneClickAgent"],
                ["perturbed"],
                ledger_dir=Path(tmp),
                workers=workers,
                progress=lambda *_: ends.append(time.monotonic()),
            )
        )
    return {
        "episodes": episodes,
        "workers": workers,
        "passed": sum(r.passed for r in results),
        "harness_errors": sum(r.harness_error is not None for r in results),
        **rates(started, ends),
    }


def load() -> float:
    """The 1-minute load average."""
    return round(os.getloadavg()[0], 1)


def ratio(b: float | None, a: float | None) -> float | None:
    return round(b / a, 2) if a and b else None


def render(data: dict[str, Any]) -> str:
    bg = data["browsergym"]
    lines = [
        "# MiniWoB++ click-button: plain BrowserGym vs the gymfuzz runner",
        "",
        f"One run, {bg['episodes']} episodes per side, the same one-click policy "
        "(click the button the instruction names). Load average (1 min) before: "
        f"{data['load_before']}, after: {data['load_after']} on {data['cpus']} cores "
        "(the load after each side includes that side's own browsers and servers).",
        "",
        "| side | workers | success | episodes/min (whole run) | episodes/min (steady) "
        "| ratio vs BrowserGym (whole / steady) | load after |",
        "|---|---|---|---|---|---|---|",
        f"| BrowserGym (reset + step) | 1 | {bg['passed']}/{bg['episodes']} "
        f"| {bg['episodes_per_min']} | {bg['steady_episodes_per_min']} | 1.0 / 1.0 "
        f"| {bg.get('load_after')} |",
    ]
    for row in data["gymfuzz"]:
        lines.append(
            f"| gymfuzz runner | {row['workers']} | {row['passed']}/{row['episodes']} "
            f"| {row['episodes_per_min']} | {row['steady_episodes_per_min']} "
            f"| {row['ratio_whole']} / {row['ratio_steady']} | {row.get('load_after')} |"
        )
    lines += [
        "",
        "Whole run: from the start (BrowserGym: its page server and env; gymfuzz: its site, "
        "proxy and Chromium) to the last episode's end. Steady: first to last finished "
        "episode. BrowserGym launches a new Chromium at every reset; the gymfuzz runner keeps "
        "one Chromium per worker and opens a fresh context per episode. The issue's bar is a "
        f"ratio of at least 5; best whole-run ratio here: {data['best_ratio']} "
        f"({'met' if data['best_ratio'] >= 5 else 'not met'} in this run).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--episodes", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--side", choices=["browsergym"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 2 <= args.episodes <= MAX_EPISODES:
        parser.error(f"--episodes: expected 2 to {MAX_EPISODES}, got {args.episodes}")
    if args.side == "browsergym":
        print(json.dumps(browsergym_side(args.episodes)))
        return
    if not BROWSERGYM_PYTHON.exists():
        sys.exit(f"{BROWSERGYM_PYTHON} is missing: run scripts/browsergym-venv first")
    load_before = load()
    done = subprocess.run(
        [
            str(BROWSERGYM_PYTHON),
            __file__,
            "--side",
            "browsergym",
            "--episodes",
            str(args.episodes),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    bg = json.loads(done.stdout.strip().splitlines()[-1])
    bg["load_after"] = load()
    rows = []
    for workers in args.workers:
        row = gymfuzz_side(args.episodes, workers)
        row["load_after"] = load()
        row["ratio_whole"] = ratio(row["episodes_per_min"], bg["episodes_per_min"])
        row["ratio_steady"] = ratio(row["steady_episodes_per_min"], bg["steady_episodes_per_min"])
        rows.append(row)
    best = max((r["ratio_whole"] or 0 for r in rows), default=0)
    data = {
        "browsergym": bg,
        "gymfuzz": rows,
        "best_ratio": best,
        "load_before": load_before,
        "load_after": load(),
        "cpus": os.cpu_count(),
    }
    (HERE / "results" / "miniwob_vs_browsergym.json").write_text(json.dumps(data, indent=2) + "\n")
    (HERE / "results" / "miniwob_vs_browsergym.md").write_text(render(data))
    print(render(data))


if __name__ == "__main__":
    main()
