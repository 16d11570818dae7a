"""The ``gymfuzz`` command line.

Commands::

    gymfuzz demo [--drill all] [--count 10] [--seed 0] [--json] [--out DIR]
    gymfuzz generate --drill calendar|all --count N --seed S --out PACK [--force]
                [--graph FILE] [--strategy ...] [--strength 2|3] [--locale L]
    gymfuzz validate PACK
    gymfuzz gate [PACK] [--drill all] [--count 10] [--careful AGENT]
    gymfuzz fuzz --drill D|--graph FILE --agent A --budget N --out DIR [--seed S] [--resume]
    gymfuzz run PACK --agent naive|careful|noop [--agent ...] --out RESULTS.jsonl
                [--condition perturbed|unperturbed|both] [--workers N] [--ledgers DIR]
                [--traces failed|all|off]
    gymfuzz report RESULTS.jsonl [-o report.html]
    gymfuzz site [--host 127.0.0.1] [--port 8000] [--data-dir DIR]
    gymfuzz catalog [--layer network|page] [--json]
    gymfuzz proxy [--listen-port P] [--upstream URL] [--plan FILE] ...
    gymfuzz serve PACK [PACK ...] [--port 8765] [--max-sessions 64] [--max-steps 30]
    gymfuzz record --target FILE --out DRILL [--script module:attr] | --from RECORDING

Each command is one module of :mod:`fuzzer.commands` (``add_parser`` and ``run``); a new
command is a new module there, listed in :data:`COMMANDS`. Bad input exits with code 2 and
one line naming the file, field and value; an app, proxy or browser that fails to start
exits with code 3 and one line saying why.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from fuzzer.commands.args import EXIT_HARNESS, EXIT_USAGE, UsageError

#: The command modules under :mod:`fuzzer.commands`, in the order ``--help`` lists them.
COMMANDS = (
    "demo",
    "gate",
    "fuzz",
    "generate",
    "validate",
    "run",
    "report",
    "site",
    "catalog",
    "proxy",
    "serve",
    "record",
)

__all__ = ["COMMANDS", "UsageError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The ``gymfuzz`` parser with every command of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="gymfuzz",
        description="UI-perturbation fuzzer and scenario generator for web-agent gyms.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"fuzzer.commands.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from fuzzer.browser import BrowserNotFound
    from fuzzer.play.errors import HarnessError
    from scenarios.pack import PackError

    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except (UsageError, PackError, ValueError, BrowserNotFound) as exc:
        print(f"gymfuzz: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except HarnessError as exc:  # what the episodes run on failed to start
        print(f"gymfuzz: error: {exc}", file=sys.stderr)
        return EXIT_HARNESS
    except KeyboardInterrupt:
        print("gymfuzz: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
