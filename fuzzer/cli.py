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
    gymfuzz site [--host 127.0.0.1] [--port 8000] [--data-dir DIR]
    gymfuzz catalog [--layer network|page] [--json]
    gymfuzz serve PACK [PACK ...] [--port 8765] [--max-sessions 64] [--max-steps 30]

Bad input exits with code 2 and one line naming the file, field and value.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def _conditions(value: str) -> list[Any]:
    return ["unperturbed", "perturbed"] if value == "both" else [value]


def cmd_run(args: argparse.Namespace) -> int:
    from fuzzer.journal import load_results
    from fuzzer.runner import print_progress, run_episodes
    from fuzzer.summary import pass_table, render_pass_hat_k, render_table
    from fuzzer.traces import TracePolicy
    from scenarios.pack import open_pack

    if args.out.exists() and not args.resume:
        raise UsageError(f"--out: {args.out} already exists (pass --resume to continue it)")
    pack = open_pack(args.pack)
    scenarios = list(pack.scenarios())
    ledgers = args.ledgers or args.out.with_suffix(".ledgers")
    conditions = _conditions(args.condition)
    traces = TracePolicy.beside(args.out, args.traces)
    asyncio.run(
        run_episodes(
            scenarios,
            args.agent,
            conditions,
            ledger_dir=ledgers,
            journal=args.out,
            resume=args.resume,
            workers=args.workers,
            trials=args.trials,
            backend=args.backend,
            progress=print_progress,
            traces=traces,
            agent_options=_agent_options(args.agent_option),
        )
    )
    results = load_results(args.out)
    columns = [*conditions, *(["unsolvable"] if any(not r.solvable for r in results) else [])]
    print(render_table(pass_table(results), columns))
    if args.trials > 1:
        print(render_pass_hat_k(results, args.trials))
    print(f"results: {args.out}\nledgers: {ledgers}")
    if any(r.trace for r in results):
        print(f"traces: {traces.directory} (playwright show-trace PATH)")
    return 0


def _agent_options(values: list[str] | None) -> dict[str, str]:
    """``--agent-option KEY=VALUE`` values as a dict; :class:`UsageError` quoting a bad one."""
    options: dict[str, str] = {}
    for value in values or []:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise UsageError(f"--agent-option: expected KEY=VALUE, got {value!r}")
        options[key] = val
    return options


def cmd_report(args: argparse.Namespace) -> int:
    from fuzzer.report import write_report

    ledgers = args.ledgers or args.results.with_suffix(".ledgers")
    out = write_report(args.results, args.output, ledgers if ledgers.is_dir() else None)
    print(f"report: {out}")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from sites.booking.server import serve

    serve(host=args.host, port=args.port, data_dir=args.data_dir)
    return 0


def _int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number >= ``minimum``, with a message quoting the value."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {n}")
        return n

    return parse


_positive = _int_at_least(1)
_seed = _int_at_least(0)


def build_parser() -> argparse.ArgumentParser:
    from fuzzer import DEFAULT_WORKERS
    from fuzzer.agents import AGENTS
    from fuzzer.demo_cmd import add_parser as add_demo_parser
    from fuzzer.fuzz.cmd import add_parser as add_fuzz_parser
    from fuzzer.gate import add_parser as add_gate_parser
    from fuzzer.generate_cmd import add_parsers as add_generate_parsers
    from fuzzer.traces import TRACE_MODES

    parser = argparse.ArgumentParser(
        prog="gymfuzz",
        description="UI-perturbation fuzzer and scenario generator for web-agent gyms.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add_demo_parser(sub, _positive, _seed, DEFAULT_WORKERS)
    add_gate_parser(sub, _positive, _seed, DEFAULT_WORKERS)
    add_fuzz_parser(sub, _positive, _seed, DEFAULT_WORKERS)
    add_generate_parsers(sub, _positive, _seed)

    p = sub.add_parser("run", help="play a pack with agents and judge every episode")
    p.add_argument("pack", type=Path, help="pack directory")
    p.add_argument(
        "--agent",
        action="append",
        required=True,
        metavar="AGENT",
        help=f"agent to run (repeatable): {', '.join(AGENTS)}, chat (a model behind an "
        "OpenAI-compatible endpoint, see --agent-option), or module:attr for your own",
    )
    p.add_argument(
        "--agent-option",
        action="append",
        metavar="KEY=VALUE",
        help="an option of the agents that take options, e.g. for --agent chat: "
        "base_url=http://127.0.0.1:8000/v1 model=NAME max_steps=30 (repeatable)",
    )
    p.add_argument("--out", type=Path, required=True, help="results journal (JSONL)")
    p.add_argument("--condition", choices=["perturbed", "unperturbed", "both"], default="perturbed")
    p.add_argument("--workers", type=_positive, default=DEFAULT_WORKERS)
    p.add_argument("--ledgers", type=Path, help="ledger folder (default: next to --out)")
    p.add_argument("--trials", type=_positive, default=1, help="episodes per scenario")
    p.add_argument(
        "--backend",
        choices=["local", "ray"],
        default="local",
        help="local: one process; ray: one actor per worker (pip install 'gymfuzz[ray]')",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run: play only what --out does not record",
    )
    p.add_argument(
        "--traces",
        choices=TRACE_MODES,
        default="failed",
        help="keep Playwright traces of failed episodes (default), all, or none (off), "
        "in RESULTS.traces/ beside --out",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("report", help="write a self-contained HTML report of a results journal")
    p.add_argument("results", type=Path, help="results journal (JSONL) from gymfuzz run")
    p.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    p.add_argument("--ledgers", type=Path, help="ledger folder (default: next to the journal)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("site", help="serve the embedded booking site alone")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir", type=Path)
    p.set_defaults(func=cmd_site)

    from fuzzer import catalog_cmd, proxy_cmd
    from fuzzer.serve import cmd as serve_cmd

    catalog_cmd.add_parser(sub)
    proxy_cmd.add_parser(sub)
    serve_cmd.add_parser(sub, _positive)
    return parser


def main(argv: list[str] | None = None) -> int:
    from fuzzer.browser import BrowserNotFound
    from scenarios.pack import PackError

    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except (UsageError, PackError, ValueError, BrowserNotFound) as exc:
        print(f"gymfuzz: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gymfuzz: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
