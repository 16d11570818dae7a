"""``gymfuzz serve``: serve packs as an OpenEnv environment server.

    gymfuzz serve PACK [PACK ...] [--host 127.0.0.1] [--port 8765] [--max-sessions 64]
                  [--max-steps 30] [--max-seconds 300] [--idle-timeout 300]
                  [--screenshots] [--ledgers DIR] [--target embedded|FILE] [--workers N]

Each pack is served under its directory's name (``reset(pack=NAME)``; the first is the
default). ``--target`` serves them on an app's target file instead of the embedded site;
``--workers N`` is then how many app instances it launches (under ``isolation: worker`` a
session's reset waits for a free one). Clients connect with OpenEnv's ``EnvClient`` (see
:mod:`fuzzer.serve.client`).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from fuzzer.commands.args import add_target, positive
from scenarios.model import Scenario


def load_packs(paths: list[Path]) -> dict[str, tuple[Scenario, ...]]:
    """The packs to serve, by directory name; ``ValueError`` naming the pack at fault."""
    from scenarios.pack import open_pack

    packs: dict[str, tuple[Scenario, ...]] = {}
    for path in paths:
        name = path.resolve().name
        if name in packs:
            raise ValueError(f"pack: two packs are named {name!r} ({path})")
        scenarios = tuple(open_pack(path).scenarios())
        if not scenarios:
            raise ValueError(f"pack: {str(path)!r} holds no scenario")
        packs[name] = scenarios
    return packs


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from fuzzer.serve.app import ServeRuntime, build_app
    from fuzzer.serve.session import Budgets
    from fuzzer.targets.choose import choose_targets

    packs = load_packs(args.pack)
    targets = choose_targets(args.target, workers=args.workers)
    ledgers = args.ledgers or Path(tempfile.mkdtemp(prefix="gymfuzz-serve-"))
    runtime = ServeRuntime(
        packs,
        ledgers,
        budgets=Budgets(max_steps=args.max_steps, max_seconds=args.max_seconds),
        screenshots=args.screenshots,
        idle_timeout_s=args.idle_timeout,
        targets=targets,
    )
    app = build_app(runtime, max_sessions=args.max_sessions)
    print(f"gymfuzz serve: packs {', '.join(runtime.packs)}; ledgers {ledgers}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def add_parser(sub: Any) -> None:
    """Add ``serve`` to the ``gymfuzz`` subcommands."""
    p = sub.add_parser("serve", help="serve packs as an OpenEnv environment server")
    p.add_argument("pack", type=Path, nargs="+", help="pack directories (served by name)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--max-sessions", type=positive, default=64, help="concurrent sessions")
    p.add_argument("--max-steps", type=positive, default=30, help="actions per episode")
    p.add_argument(
        "--max-seconds", type=positive, default=300, help="wall-clock budget of an episode"
    )
    p.add_argument(
        "--idle-timeout",
        type=positive,
        default=300,
        help="seconds without a step before a session's episode is closed",
    )
    p.add_argument("--screenshots", action="store_true", help="a PNG in every observation")
    p.add_argument("--ledgers", type=Path, help="ledger folder (default: a new temporary one)")
    add_target(p)
    p.add_argument(
        "--workers", type=positive, default=1, help="app instances, when the target launches it"
    )
    p.set_defaults(func=run)
