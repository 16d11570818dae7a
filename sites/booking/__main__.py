"""``python -m sites.booking``: serve the booking site (see :func:`sites.booking.server.serve`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sites.booking.server import serve


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected 0-65535, got {port}")
    return port


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until interrupted; bad arguments exit with code 2."""
    parser = argparse.ArgumentParser(
        prog="python -m sites.booking", description="Serve the gymfuzz booking site."
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default %(default)s)"
    )
    parser.add_argument("--port", type=_port, default=0, help="TCP port; 0 picks a free one")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="tenant databases (default: a temp dir)"
    )
    parser.add_argument(
        "--admin-token",
        default=None,
        help="admin API token (default: $GYMFUZZ_ADMIN_TOKEN, else generated and printed)",
    )
    parser.add_argument(
        "--exit-with-stdin",
        action="store_true",
        help="also stop when stdin reaches end of file (for a parent holding its write end)",
    )
    parser.add_argument(
        "--remove-data-dir",
        action="store_true",
        help="remove --data-dir when the server stops (it was made for this server alone)",
    )
    parser.add_argument(
        "--single-tenant",
        action="store_true",
        help="one database for every request, the X-Gymfuzz-Episode header ignored",
    )
    args = parser.parse_args(argv)
    serve(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        admin_token=args.admin_token,
        exit_with_stdin=args.exit_with_stdin,
        remove_data_dir=args.remove_data_dir,
        single_tenant=args.single_tenant,
    )


if __name__ == "__main__":
    main()
