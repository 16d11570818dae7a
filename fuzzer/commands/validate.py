"""``gymfuzz validate PACK``: check a pack.

Prints every problem as ``file:line: /json/pointer: message`` and exits with code 2 when there
is any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_INVALID = 2


def add_parser(sub: Any) -> None:
    """Add ``validate`` to the ``gymfuzz`` subcommands."""
    p = sub.add_parser("validate", help="check a pack; every problem with file, line, pointer")
    p.add_argument("pack", type=Path, help="pack directory")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate a pack; see the module docstring."""
    from scenarios.validate import validate_pack

    issues = validate_pack(args.pack)
    for issue in issues:
        print(issue, file=sys.stderr)
    if issues:
        print(f"gymfuzz: {len(issues)} problem(s) in {args.pack}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{args.pack}: valid")
    return 0
