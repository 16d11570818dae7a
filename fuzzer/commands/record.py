"""``gymfuzz record``: one demonstration of a task becomes a drill.

::

    gymfuzz record --target app.yaml --out drills/add_event                 # a person, headed
    gymfuzz record --target app.yaml --out drills/add_event --script demos:add_event
    gymfuzz record --from drills/add_event/recording.json --out drills/add_event

Opens Chromium through the proxy on the target's start page and records one demonstration
(:mod:`fuzzer.record.capture`): a person does the task in a visible browser and closes the
window, or ``--script module:attr`` (``async def demo(page, start_url)``) does it. Then it
infers the drill and writes its files into ``--out`` (:mod:`fuzzer.record.infer`):
``graph.yaml``, ``verifier.json``, ``replay.json`` and ``agent.py`` (the replay agent),
``recording.md`` (what was inferred and why: confirm the ignored tables there),
``graph.svg`` and ``recording.json``. ``--from`` infers again from a recording, e.g. after
the inference changed. Then::

    gymfuzz generate --graph drills/add_event/graph.yaml --count 50 --out packs/add_event
    gymfuzz gate packs/add_event --target app.yaml --careful drills/add_event/agent.py:Agent
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from fuzzer.commands.args import UsageError


def add_parser(sub: Any) -> None:
    """Add ``record`` to the ``gymfuzz`` subcommands."""
    p = sub.add_parser("record", help="record one demonstration of a task; infer its drill")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--target", type=Path, help="the app's target file")
    source.add_argument(
        "--from", dest="recording", type=Path, help="infer again from a recording.json"
    )
    p.add_argument("--out", type=Path, required=True, help="the drill's folder (replaced)")
    p.add_argument(
        "--script",
        help="module:attr or file.py:attr, async (page, start_url): plays the demonstration "
        "(without it, a person does, in a visible browser)",
    )
    p.add_argument("--name", help="the drill's name (default: the folder's name)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Record (or read) a demonstration and write its drill; see the module docstring."""
    import re

    from fuzzer.loader import load_object
    from fuzzer.record.capture import Demonstration, record
    from fuzzer.record.infer import infer, write_drill

    name = args.name or re.sub(r"[^A-Za-z0-9_.-]+", "_", args.out.resolve().name)
    if args.recording is not None:
        if args.script:
            raise UsageError("--script: records a demonstration; --from reads one")
        try:
            demo = Demonstration.read(args.recording)
        except (OSError, ValueError, TypeError) as exc:
            raise UsageError(f"--from: {args.recording}: not a recording ({exc})") from None
    else:
        script = None
        if args.script:
            script = load_object(args.script, "--script")
            if not callable(script):
                raise UsageError(f"--script: {args.script!r} is not a function")
        demo = asyncio.run(record(args.target, script, headed=script is None))
    if not demo.actions:
        raise UsageError("the demonstration recorded no action")
    drill = infer(demo, name)
    write_drill(demo, drill, args.out)
    print(drill.notes, end="")
    print(f"\nwrote {args.out}/: graph.yaml, verifier.json, replay.json, agent.py, graph.svg")
    print(f"next: gymfuzz generate --graph {args.out}/graph.yaml --count 50 --out PACK")
    return 0
