"""``gymfuzz gate [PACK] [--drill D] [--count N] [--careful AGENT] [--agent-option K=V]
[--target T] [--overlay ANY_APP_PACK]``: the spec quality gate.

Plays the pack (or a generated one) with the do-nothing and the careful agent (see
:mod:`fuzzer.play.gate`) and exits with code 1 when a scenario fails the gate.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import Any

from fuzzer.commands.args import (
    DEFAULT_WORKERS,
    add_agent_options,
    add_overlay,
    add_target,
    agent_options,
    overlaid,
    positive,
    seed,
)


def add_parser(sub: Any) -> None:
    """Add ``gate`` to the ``gymfuzz`` subcommands."""
    from scenarios.drills import DRILLS

    p = sub.add_parser("gate", help="check verifier specs against the noop and careful agents")
    p.add_argument("pack", nargs="?", type=Path, help="a pack (default: generate one)")
    p.add_argument("--drill", choices=[*sorted(DRILLS), "all"], default="all")
    p.add_argument("--count", type=positive, default=10, help="scenarios per drill (10)")
    p.add_argument("--seed", type=seed, default=0, help="master seed (default 0)")
    p.add_argument(
        "--careful", default="careful", help="the agent that must pass (a name, chat, module:attr)"
    )
    add_agent_options(p)
    p.add_argument("--workers", type=positive, default=DEFAULT_WORKERS)
    add_target(p)
    add_overlay(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """``gymfuzz gate``: exit 0 when every scenario passes the gate, 1 otherwise."""
    from fuzzer.agents import resolve_agent
    from fuzzer.play.gate import check_specs
    from fuzzer.play.runner import print_progress
    from fuzzer.targets.choose import choose_targets
    from scenarios.generate import generate_pack
    from scenarios.pack import open_pack

    targets = choose_targets(args.target, workers=args.workers)
    options = agent_options(args.agent_option)
    resolve_agent(args.careful, options)  # a bad agent or option fails before anything starts
    with tempfile.TemporaryDirectory(prefix="gymfuzz-gate-") as tmp:
        if args.pack is not None:
            pack = open_pack(args.pack)
        else:
            pack = generate_pack(
                Path(tmp) / "pack", drill=args.drill, count=args.count, seed=args.seed
            )
        report = asyncio.run(
            check_specs(
                overlaid(list(pack.scenarios()), args.overlay),
                ledger_dir=Path(tmp) / "ledgers",
                workers=args.workers,
                careful=args.careful,
                progress=print_progress,
                targets=targets,
                agent_options=options,
            )
        )
    print("\n".join(report.lines()))
    return 0 if report.passed else 1
