"""The ``gymfuzz generate`` command.

::

    gymfuzz generate (--drill calendar|all | --graph FILE | --any-app) --count N [--seed S]
                     --out PACK [--force] [--strategy edge_cover|simple|random|shortest]
                     [--paths N] [--strength 2|3] [--locale en_US] [--wording] [--interfaces]
                     [--workers N] [--quiet]

``generate`` streams the pack to a temporary directory and renames it into place, with a
progress line on stderr. ``validate`` prints every problem as ``file:line: /json/pointer:
message`` and exits with code 2 when there is any.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from fuzzer.commands.args import positive, seed


def _progress_printer() -> Any:
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        rate = done / max(time.monotonic() - started, 1e-9)
        end = "\n" if done == total else ""
        print(
            f"\rgenerate: {done}/{total} ({100 * done // max(total, 1)}%) {rate:,.0f}/s",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    return show


def run(args: argparse.Namespace) -> int:
    """Write a pack; see the module docstring."""
    from scenarios.generate import generate_pack

    given = [args.drill is not None, args.graph is not None, args.any_app]
    if sum(given) != 1:
        raise ValueError("--drill, --graph or --any-app: give exactly one of them")
    graph, interfaces = args.graph, args.interfaces
    if args.any_app:  # a built-in graph, always played on its looks
        from scenarios.anyapp import ANY_APP_GRAPH

        graph, interfaces = ANY_APP_GRAPH, True
    pack = generate_pack(
        args.out,
        drill=args.drill or "",
        count=args.count,
        seed=args.seed,
        force=args.force,
        strategy=args.strategy,
        paths=args.paths,
        strength=args.strength,
        locale=args.locale,
        graph=graph,
        progress=None if args.quiet else _progress_printer(),
        workers=args.workers,
        wording=args.wording,
        interfaces=interfaces,
    )
    print(f"wrote {pack.manifest['count']} scenarios to {pack.path}")
    for name, cov in pack.manifest.get("coverage", {}).items():
        paths, pert = cov["paths"], cov["perturbations"]
        print(
            f"  {name}: edges {paths['edges_covered']}/{paths['edges_total']}, "
            f"{pert['t']}-way perturbation tuples {pert['covered']}/{pert['total']}"
        )
        if "interfaces" in cov:
            pairs = cov["interfaces"]["pairs"]
            print(
                f"  {name}: {len(cov['interfaces']['variants'])} interface variants, "
                f"(variant, perturbation level) pairs {pairs['covered']}/{pairs['total']}"
            )
    return 0


def add_parser(sub: Any) -> None:
    """Add ``generate`` to the ``gymfuzz`` subcommands."""
    from scenarios.drills import DRILLS
    from scenarios.paths import STRATEGIES

    p = sub.add_parser("generate", help="write a scenario pack")
    p.add_argument("--drill", choices=[*sorted(DRILLS), "all"], help="built-in drill, or all")
    p.add_argument("--graph", type=Path, help="workflow graph file (JSON or YAML) of your app")
    p.add_argument(
        "--any-app",
        action="store_true",
        help="perturbations, transforms and network faults for any page, with no graph: "
        "elements by role and kind, requests by method and resource type (play them with "
        "run --overlay, or wrap a gym env with the pack)",
    )
    p.add_argument("--count", type=positive, required=True, help="scenarios (per drill)")
    p.add_argument("--seed", type=seed, default=0, help="master seed (default 0)")
    p.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="edge_cover",
        help="path strategy for --graph (default edge_cover: every edge, loops included)",
    )
    p.add_argument(
        "--paths",
        type=positive,
        default=100,
        help="at most this many paths for simple, shortest, random (default 100)",
    )
    p.add_argument(
        "--strength", type=int, choices=[2, 3], default=2, help="t of the t-way perturbation array"
    )
    p.add_argument("--locale", default="en_US", help="faker locale of the data (default en_US)")
    p.add_argument(
        "--wording",
        action="store_true",
        help="phrase each goal in one of its wording variants, chosen by the scenario's seed "
        "(default: the goal template's words)",
    )
    p.add_argument(
        "--interfaces",
        action="store_true",
        help="play each scenario on one of the graph's interface variants (themes, layouts, "
        "content), a further dimension of the covering array (default: the app as it is)",
    )
    workers = min(os.cpu_count() or 1, 8)
    p.add_argument(
        "--workers",
        type=positive,
        default=workers,
        help=f"processes for large packs (default {workers}); the bytes do not depend on it",
    )
    p.add_argument("--out", type=Path, required=True, help="pack directory to create")
    p.add_argument("--force", action="store_true", help="replace an existing pack")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=run)
