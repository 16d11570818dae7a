"""Soak: many episodes through one harness, watching memory per process kind and ledger size.

Usage: ``python benchmarks/soak.py [--episodes 1000] [--workers 2] [--drill dropdown]
[--agent careful] [--every 5]``.

One harness (the embedded site, the proxy thread, one Chromium) plays ``--episodes`` perturbed
scenarios of the drill with the agent, ``--workers`` at a time, as ``gymfuzz run`` does. Every
``--every`` seconds the resident memory (RSS, from ``/proc``) of each kind of process the run
started is sampled: the harness itself (runner and proxy thread), the site, the Playwright
driver, and Chromium (all its processes summed). Memory is flat when, for every kind, the
median of the last quarter of the run is within 10% of the median of the second quarter (the
first quarter is warm-up). Also reported: ledger bytes per episode, harness errors, episodes
per minute.

Writes ``results/soak.json`` and ``results/soak.md`` beside this script.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from fuzzer.play.episode import EpisodeResult
from fuzzer.play.runner import run_episodes
from scenarios.generate import iter_scenarios

HERE = Path(__file__).parent
PAGE = os.sysconf("SC_PAGE_SIZE")
KINDS = ("harness", "site", "driver", "chromium")


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process."""
    out: dict[int, tuple[int, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        out[int(entry)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmd)
    return out


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _kind(cmd: str) -> str | None:
    if "sites.booking" in cmd:
        return "site"
    if "run-driver" in cmd:
        return "driver"
    if "chrom" in cmd.split(" ", 1)[0]:
        return "chromium"
    return None


def sample() -> dict[str, int]:
    """RSS in bytes per kind of process this process started (and itself)."""
    procs = _processes()
    me = os.getpid()
    totals: dict[str, int] = defaultdict(int)
    totals["harness"] = _rss(me)
    frontier = [me]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, cmd) in procs.items():
            if ppid != parent:
                continue
            frontier.append(pid)
            kind = _kind(cmd)
            if kind is not None:
                totals[kind] += _rss(pid)
    return {kind: totals.get(kind, 0) for kind in KINDS}


class Sampler:
    """Samples :func:`sample` every ``every`` seconds in a thread, with the episodes done."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.rows: list[dict[str, Any]] = []
        self.done = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.rows.append({"t": time.monotonic(), "episodes": self.done, **sample()})


def flatness(rows: list[dict[str, Any]], total: int) -> dict[str, dict[str, float]]:
    """Per kind: median RSS (MiB) of the second and the last quarter of episodes, and their
    ratio."""
    out = {}
    for kind in KINDS:
        second = [r[kind] for r in rows if total / 4 <= r["episodes"] < total / 2]
        last = [r[kind] for r in rows if r["episodes"] >= total * 3 / 4]
        if not second or not last:
            continue
        a, b = float(np.median(second)) / 2**20, float(np.median(last)) / 2**20
        out[kind] = {"second_quarter_mib": round(a, 1), "last_quarter_mib": round(b, 1),
                     "ratio": round(b / a, 3) if a else float("nan")}  # fmt: skip
    return out


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="gymfuzz-soak-") as work:
        return _soak(args, Path(work) / "ledgers")


def _soak(args: argparse.Namespace, ledgers: Path) -> dict[str, Any]:
    count = max(1, args.episodes)
    base = list(iter_scenarios(args.drill, min(count, 200), args.seed))
    # more episodes than scenarios: trials of the same scenarios, as gymfuzz run --trials
    trials = -(-count // len(base))
    started = time.monotonic()
    with Sampler(args.every) as sampler:

        def progress(done: int, total: int, result: EpisodeResult) -> None:
            sampler.done = done

        results = asyncio.run(
            run_episodes(
                base,
                [args.agent],
                ["perturbed"],
                ledger_dir=ledgers,
                workers=args.workers,
                trials=trials,
                progress=progress,
            )
        )
    elapsed = time.monotonic() - started
    ledger_bytes = sum(f.stat().st_size for f in ledgers.glob("*.jsonl"))
    flat = flatness(sampler.rows, len(results))
    return {
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "drill": args.drill,
        "agent": args.agent,
        "workers": args.workers,
        "episodes": len(results),
        "passed": sum(r.passed for r in results),
        "harness_errors": sum(1 for r in results if r.harness_error),
        "harness_retries": sum(1 for r in results if r.harness_retries),
        "episodes_per_min": round(len(results) / elapsed * 60, 1),
        "ledger_bytes_per_episode": round(ledger_bytes / len(results)),
        "memory": flat,
        "flat": bool(flat) and all(abs(v["ratio"] - 1) <= 0.10 for v in flat.values()),
        "samples": sampler.rows,
    }


def render(r: dict[str, Any]) -> str:
    lines = [
        "# Soak: one harness, many episodes",
        "",
        f"Run {r['run_at']} on {r['cores']} cores (shared; figures are indications).",
        f"{r['episodes']} perturbed {r['drill']} episodes, agent `{r['agent']}`, "
        f"{r['workers']} workers, one harness: {r['episodes_per_min']} episodes/min; "
        f"{r['passed']} passed, {r['harness_errors']} harness errors "
        f"({r['harness_retries']} episodes played again after a harness failure).",
        "",
        f"Ledger bytes per episode: {r['ledger_bytes_per_episode']}.",
        "",
        "| process kind | RSS, 2nd quarter (MiB) | RSS, last quarter (MiB) | ratio |",
        "|---|---|---|---|",
    ]
    for kind, m in r["memory"].items():
        lines.append(
            f"| {kind} | {m['second_quarter_mib']} | {m['last_quarter_mib']} | {m['ratio']} |"
        )
    lines += ["", f"Memory flat (every ratio within 10%): **{'yes' if r['flat'] else 'no'}**."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drill", default="dropdown")
    parser.add_argument("--agent", default="careful")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    result = measure(args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "soak.md").write_text(render(result))
    print(render(result))


if __name__ == "__main__":
    main()
