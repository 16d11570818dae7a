"""The ``gymfuzz demo`` command: the three drills, both reference agents, one table each.

::

    gymfuzz demo [--drill all|calendar|dropdown|endurance] [--count 10] [--seed 0]
                 [--workers N] [--json] [--out DIR]

It generates ``--count`` scenarios of each drill, starts the embedded site, the proxy and a
browser, and plays every solvable scenario with the ``naive`` and ``careful`` agents, with
and without its perturbations, and every scenario unsolvable by design (one in ten: the
backend stays down) once, where passing means escalating with nothing changed. It prints one
table per drill, what the naive agent's failures met, and a few verdicts.

``--json`` prints ``{"agents": {agent: {condition: {"episodes", "passed"}}}, "drills":
{drill: {"agents": {...}}}, ...}``; the conditions are ``unperturbed``, ``perturbed`` and
``unsolvable``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuzzer.commands.args import DEFAULT_WORKERS, positive, seed

if TYPE_CHECKING:
    from fuzzer.play.episode import EpisodeResult


AGENTS = ["naive", "careful"]
COLUMNS = ["unperturbed", "perturbed", "unsolvable"]


def add_parser(sub: Any) -> None:
    """Add ``demo`` to the ``gymfuzz`` subcommands."""
    from scenarios.drills import DRILLS

    p = sub.add_parser("demo", help="run both reference agents on the three drills")
    p.add_argument(
        "--drill", choices=[*sorted(DRILLS), "all"], default="all", help="drill (default all)"
    )
    p.add_argument("--count", type=positive, default=10, help="scenarios per drill (10)")
    p.add_argument("--seed", type=seed, default=0, help="master seed (default 0)")
    p.add_argument(
        "--workers",
        type=positive,
        default=DEFAULT_WORKERS,
        help=f"episodes at once (default {DEFAULT_WORKERS})",
    )
    p.add_argument("--json", action="store_true", help="print the result tables as JSON")
    p.add_argument("--out", type=Path, help="keep the pack, results and ledgers here")
    p.set_defaults(func=run)


async def play_demo(
    pack_dir: Path, out: Path, *, workers: int, progress: Any
) -> list[EpisodeResult]:
    """Play a pack the demo's way: solvable scenarios in both conditions, unsolvable once."""
    from fuzzer.play.runner import run_episodes
    from scenarios.pack import open_pack

    scenarios = list(open_pack(pack_dir).scenarios())
    journal = out / "results.jsonl"
    journal.unlink(missing_ok=True)
    solvable = [s for s in scenarios if s.solvable]
    unsolvable = [s for s in scenarios if not s.solvable]
    common: dict[str, Any] = {
        "ledger_dir": out / "ledgers",
        "journal": journal,
        "workers": workers,
        "progress": progress,
    }
    results = await run_episodes(solvable, AGENTS, ["unperturbed", "perturbed"], **common)
    if unsolvable:
        results += await run_episodes(unsolvable, AGENTS, ["perturbed"], resume=True, **common)
    return results


def demo_document(results: list[EpisodeResult], **extra: Any) -> dict[str, Any]:
    """The ``--json`` document: all drills together, then each drill on its own."""
    from fuzzer.report.summary import demo_json, pass_table

    drills = list(dict.fromkeys(r.drill for r in results))
    doc = demo_json(results, **extra)
    doc["drills"] = {d: {"agents": pass_table(r for r in results if r.drill == d)} for d in drills}
    return doc


def run(args: argparse.Namespace) -> int:
    from fuzzer.play.runner import print_progress
    from fuzzer.report.summary import failure_examples, failure_kinds, pass_table, render_table
    from scenarios.generate import generate_pack

    with tempfile.TemporaryDirectory(prefix="gymfuzz-demo-") as tmp:
        out = args.out or Path(tmp)
        pack = generate_pack(
            out / "pack", drill=args.drill, count=args.count, seed=args.seed, force=True
        )
        started = time.monotonic()
        results = asyncio.run(
            play_demo(
                pack.path,
                out,
                workers=args.workers,
                progress=None if args.json else print_progress,
            )
        )
        took = time.monotonic() - started
        if args.json:
            doc = demo_document(
                results, drill=args.drill, scenarios_per_drill=args.count, seed=args.seed
            )
            print(json.dumps(doc, indent=2))
            return 0
        print(
            f"\ngymfuzz demo: {args.count} scenarios per drill (seed {args.seed}), "
            f"{len(results)} episodes in {took:.0f} s"
        )
        for drill in dict.fromkeys(r.drill for r in results):
            mine = [r for r in results if r.drill == drill]
            print(f"\n{drill}\n{render_table(pass_table(mine), COLUMNS)}")
        kinds = failure_kinds(results, "naive")
        if kinds:
            print("\nWhat the naive agent's perturbed failures met (episodes per fault kind):")
            for kind, n in kinds.items():
                print(f"  {kind:<18} {n}")
            print("\nExamples (verdict from backend state; agent's own error if any):")
            for line in failure_examples(results, "naive"):
                print(f"  {line}")
        careful_failures = failure_examples(results, "careful", limit=5)
        if careful_failures:
            print("\nCareful agent failures:")
            for line in careful_failures:
                print(f"  {line}")
        if args.out:
            print(f"\npack, results and ledgers kept in {args.out}")
    return 0
