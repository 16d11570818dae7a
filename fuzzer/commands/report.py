"""``gymfuzz report RESULTS.jsonl [-o report.html] [--ledgers DIR]``: the HTML report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Add ``report`` to the ``gymfuzz`` subcommands."""
    p = sub.add_parser("report", help="write a self-contained HTML report of a results journal")
    p.add_argument("results", type=Path, help="results journal (JSONL) from gymfuzz run")
    p.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    p.add_argument("--ledgers", type=Path, help="ledger folder (default: next to the journal)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the report; print its path."""
    from fuzzer.report import write_report

    ledgers = args.ledgers or args.results.with_suffix(".ledgers")
    out = write_report(
        args.results,
        args.output,
        ledgers if ledgers.is_dir() else None,
        warn=lambda line: print(f"gymfuzz: warning: {line}", file=sys.stderr),
    )
    print(f"report: {out}")
    return 0
