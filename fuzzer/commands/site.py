"""``gymfuzz site [--host H] [--port P] [--data-dir DIR] [--single-tenant]``: the embedded
site alone (``--single-tenant``: one database for every request, as any app)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Add ``site`` to the ``gymfuzz`` subcommands."""
    p = sub.add_parser("site", help="serve the embedded booking site alone")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir", type=Path)
    p.add_argument(
        "--single-tenant",
        action="store_true",
        help="one database for every request, the X-Gymfuzz-Episode header ignored",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    from sites.booking.server import serve

    serve(host=args.host, port=args.port, data_dir=args.data_dir, single_tenant=args.single_tenant)
    return 0
