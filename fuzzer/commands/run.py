"""``gymfuzz run PACK --agent A [--agent B] --out RESULTS.jsonl``: play a pack, judge, tabulate.

::

    gymfuzz run PACK --agent naive|careful|noop|module:attr [--agent ...] --out RESULTS.jsonl
                [--condition perturbed|unperturbed|both] [--workers N] [--trials K]
                [--ledgers DIR] [--traces failed|all|off] [--backend local|ray] [--resume]
                [--target embedded|FILE] [--overlay ANY_APP_PACK] [--agent-option KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from fuzzer.commands.args import (
    DEFAULT_WORKERS,
    EXIT_HARNESS,
    UsageError,
    add_agent_options,
    add_overlay,
    add_target,
    agent_options,
    conditions,
    overlaid,
    positive,
)


def add_parser(sub: Any) -> None:
    """Add ``run`` to the ``gymfuzz`` subcommands."""
    from fuzzer.agents import AGENTS
    from fuzzer.play.traces import TRACE_MODES

    p = sub.add_parser("run", help="play a pack with agents and judge every episode")
    p.add_argument("pack", type=Path, help="pack directory")
    p.add_argument(
        "--agent",
        action="append",
        required=True,
        metavar="AGENT",
        help=f"agent to run (repeatable): {', '.join(AGENTS)}, chat (a model behind an "
        "OpenAI-compatible endpoint, see --agent-option), or module:attr for your own",
    )
    add_agent_options(p)
    p.add_argument("--out", type=Path, required=True, help="results journal (JSONL)")
    p.add_argument("--condition", choices=["perturbed", "unperturbed", "both"], default="perturbed")
    p.add_argument("--workers", type=positive, default=DEFAULT_WORKERS)
    p.add_argument("--ledgers", type=Path, help="ledger folder (default: next to --out)")
    p.add_argument("--trials", type=positive, default=1, help="episodes per scenario")
    p.add_argument(
        "--backend",
        choices=["local", "ray"],
        default="local",
        help="local: one process; ray: one actor per worker (pip install 'gymfuzz[ray]')",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run: play only what --out does not record",
    )
    p.add_argument(
        "--traces",
        choices=TRACE_MODES,
        default="failed",
        help="keep Playwright traces of failed episodes (default), all, or none (off), "
        "in RESULTS.traces/ beside --out",
    )
    add_target(p)
    add_overlay(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Play the pack into the journal, then print the pass table and where things are."""
    from fuzzer.play.journal import load_results
    from fuzzer.play.runner import print_progress, run_episodes
    from fuzzer.play.traces import TracePolicy
    from fuzzer.report.summary import (
        harness_error_lines,
        pass_table,
        render_pass_hat_k,
        render_table,
    )
    from fuzzer.targets.choose import choose_targets
    from scenarios.pack import open_pack

    if args.out.exists() and not args.resume:
        raise UsageError(f"--out: {args.out} already exists (pass --resume to continue it)")
    # with Ray, every actor is a worker with its own app instance
    targets = choose_targets(args.target, workers=1 if args.backend == "ray" else args.workers)
    pack = open_pack(args.pack)
    scenarios = overlaid(list(pack.scenarios()), args.overlay)
    ledgers = args.ledgers or args.out.with_suffix(".ledgers")
    played = conditions(args.condition)
    traces = TracePolicy.beside(args.out, args.traces)
    fresh = not args.out.exists()
    try:
        asyncio.run(
            run_episodes(
                scenarios,
                args.agent,
                played,
                ledger_dir=ledgers,
                journal=args.out,
                resume=args.resume,
                workers=args.workers,
                trials=args.trials,
                backend=args.backend,
                progress=print_progress,
                traces=traces,
                targets=targets,
                agent_options=agent_options(args.agent_option),
            )
        )
    except BaseException:
        if fresh and args.out.exists() and args.out.stat().st_size == 0:
            args.out.unlink()  # nothing was played: leave no journal to --resume
        raise
    results = load_results(args.out)
    columns = [*played, *(["unsolvable"] if any(not r.solvable for r in results) else [])]
    print(render_table(pass_table(results), columns))
    if args.trials > 1:
        print(render_pass_hat_k(results, args.trials))
    print("\n".join(harness_error_lines(results)) or "harness errors: 0")
    print(f"results: {args.out}\nledgers: {ledgers}")
    if any(r.trace for r in results):
        print(f"traces: {traces.directory} (playwright show-trace PATH)")
    errors = sum(r.harness_error is not None for r in results)
    if errors > len(results) - errors:
        print(
            f"gymfuzz: error: {errors} of {len(results)} episodes ended in a harness error "
            "(the app, the proxy or the browser failed, not the agent)",
            file=sys.stderr,
        )
        return EXIT_HARNESS
    return 0
