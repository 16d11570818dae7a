"""The ``gymfuzz fuzz`` command: find, shrink, certify and export what breaks an agent.

::

    gymfuzz fuzz --drill calendar|dropdown|endurance | --graph FILE --agent AGENT
                 --budget EPISODES [--seed 0] --out DIR [--workers N] [--resume]
                 [--strategy coverage|random|pack] [--shrink-budget 24] [--max-failures 6]
                 [--k 3] [--careful careful] [--careful-trials 1]

It searches ``--budget`` scenarios of the drill for ones where the verifier fails the agent
(coverage-guided; ``--strategy random`` samples the generator instead, ``--strategy pack``
plays the generator's pack in order), shrinks up to
``--max-failures`` of them, replays each shrunk one ``--k`` times with the agent and with the
careful agent, and prints each certified failure as a short replay: its class, the
scenario, and the one-line ``gymfuzz run`` command that replays it. ``DIR`` then holds the
journal, the ledgers, ``report.json`` and ``pack/``, the certified failures as a scenario
pack with provenance (see :mod:`fuzzer.fuzz.run`). Exit code 0 whether or not failures were
found; 2 on bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuzzer.commands.args import (
    DEFAULT_WORKERS,
    add_agent_options,
    add_target,
    agent_options,
    positive,
    seed,
)

if TYPE_CHECKING:
    from fuzzer.play.episode import EpisodeResult


#: The search strategies (:data:`fuzzer.fuzz.search.STRATEGIES`, kept here to stay light).
STRATEGIES = ("coverage", "random", "pack")


def add_parser(sub: Any) -> None:
    """Add ``fuzz`` to the ``gymfuzz`` subcommands."""
    from fuzzer.agents import AGENTS
    from scenarios.drills import DRILLS

    p = sub.add_parser("fuzz", help="search for scenarios an agent fails, shrink and certify them")
    p.add_argument("--drill", choices=sorted(DRILLS), help="built-in drill to fuzz")
    p.add_argument("--graph", type=Path, help="workflow graph file (JSON or YAML) to fuzz")
    p.add_argument(
        "--agent",
        required=True,
        help=f"agent under test: {', '.join(AGENTS)}, chat, or module:attr",
    )
    p.add_argument("--budget", type=positive, required=True, help="search episodes")
    p.add_argument("--seed", type=seed, default=0, help="master seed (default 0)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--workers", type=positive, default=DEFAULT_WORKERS, help="episodes at once")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
    p.add_argument("--strategy", choices=STRATEGIES, default="coverage", help="search strategy")
    p.add_argument("--shrink-budget", type=seed, default=24, help="replays per shrink (default 24)")
    p.add_argument("--max-failures", type=seed, default=6, help="failures to shrink (default 6)")
    p.add_argument("--k", type=positive, default=3, help="replays to certify (default 3)")
    p.add_argument("--careful", default="careful", help="agent that must pass (default careful)")
    p.add_argument("--careful-trials", type=positive, default=1, help="its episodes (1)")
    add_agent_options(p)
    add_target(p)
    p.set_defaults(func=run)


def _progress(result: EpisodeResult) -> None:
    mark = "pass" if result.passed else ("ERROR" if result.harness_error else "FAIL")
    sys.stderr.write(f"fuzz: {result.episode or result.scenario_id}: {mark}\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Run ``gymfuzz fuzz``; see the module docstring."""
    from fuzzer.agents import resolve_agent
    from fuzzer.fuzz.campaign import CampaignSettings
    from fuzzer.fuzz.export import readable
    from fuzzer.fuzz.run import fuzz, load_drill
    from fuzzer.targets.choose import choose_targets

    drill, naming = load_drill(args.drill, args.graph)
    targets = choose_targets(args.target, workers=args.workers)
    options = agent_options(args.agent_option)
    for spec in (args.agent, args.careful):
        resolve_agent(spec, options)  # a bad agent or option fails before anything starts
    settings = CampaignSettings(
        agent=args.agent,
        budget=args.budget,
        seed=args.seed,
        workers=args.workers,
        strategy=args.strategy,
        shrink_budget=args.shrink_budget,
        max_failures=args.max_failures,
        k=args.k,
        careful=args.careful,
        careful_trials=args.careful_trials,
    )
    run = asyncio.run(
        fuzz(
            drill,
            naming,
            settings,
            args.out,
            resume=args.resume,
            progress=_progress,
            targets=targets,
            agent_options=options,
        )
    )
    c, space = run.campaign, run.space
    summary = c.to_json(space)
    found = summary["search"]
    print(
        f"\ngymfuzz fuzz {naming['drill']} vs {args.agent}: {found['episodes']} episodes, "
        f"{found['failures']} failed, {found['coverage']} coverage features; "
        f"{summary['shrink_replays']} shrink and {summary['certify_replays']} certify replays "
        f"({run.played} played now)"
    )
    for cert in c.certificates:
        if not cert.certified:
            print(f"not certified: {cert.scenario_id}: {cert.status} ({cert.class_key})")
    print(f"{len(c.certified)} certified failure(s) in {len(c.classes())} class(es)")
    for cert in c.certified:
        print()
        replay = run.replay_pack(cert.scenario_id)
        print("\n".join(readable(space, cert, replay, args.agent, args.target)))
    print(f"\npack: {run.pack}\nreport: {args.out / 'report.json'}")
    return 0
