"""What the commands share: the usage error, argument types, the default worker count."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuzzer import DEFAULT_WORKERS

if TYPE_CHECKING:
    from scenarios.model import Scenario

__all__ = [
    "DEFAULT_WORKERS",
    "EXIT_HARNESS",
    "EXIT_USAGE",
    "UsageError",
    "add_agent_options",
    "add_overlay",
    "add_target",
    "agent_options",
    "conditions",
    "overlaid",
    "positive",
    "seed",
]


#: Exit code of bad input (a usage error, a bad file or value).
EXIT_USAGE = 2
#: Exit code of a harness that failed: an app, proxy or browser that would not start, or a
#: run where harness errors outnumber the episodes played.
EXIT_HARNESS = 3


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def int_at_least(minimum: int) -> Callable[[str], int]:
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


#: A count (of scenarios, workers, trials): a whole number >= 1.
positive = int_at_least(1)
#: A seed or a budget that may be zero: a whole number >= 0.
seed = int_at_least(0)


def conditions(value: str) -> list[Any]:
    """The conditions a ``--condition`` value names (``both``: unperturbed, then perturbed)."""
    return ["unperturbed", "perturbed"] if value == "both" else [value]


def add_target(parser: argparse.ArgumentParser) -> None:
    """Add ``--target embedded|FILE`` (see :mod:`fuzzer.targets.spec`)."""
    parser.add_argument(
        "--target",
        default="embedded",
        metavar="embedded|FILE",
        help="the app to play: the embedded site (default) or a target file (YAML/JSON)",
    )


def add_overlay(parser: argparse.ArgumentParser) -> None:
    """Add ``--overlay PACK`` (an any-app pack), applied with :func:`overlaid`."""
    parser.add_argument(
        "--overlay",
        type=Path,
        metavar="PACK",
        help="an any-app pack (generate --any-app): play each task of the pack under its "
        "faults, in place of the task's own perturbations",
    )


def overlaid(scenarios: list[Scenario], overlay: Path | None) -> list[Scenario]:
    """``scenarios`` under the faults of the ``--overlay`` pack, when one was given (see
    :func:`scenarios.anyapp.overlay`); raises ``ValueError`` naming the pack or scenario."""
    if overlay is None:
        return scenarios
    from scenarios.anyapp import overlay as apply_overlay
    from scenarios.pack import open_pack

    return apply_overlay(scenarios, list(open_pack(overlay).scenarios()))


def add_agent_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--agent-option KEY=VALUE`` (repeatable), read back with :func:`agent_options`."""
    parser.add_argument(
        "--agent-option",
        action="append",
        metavar="KEY=VALUE",
        help="an option of the agents that take options, e.g. for the chat agent: "
        "base_url=http://127.0.0.1:8000/v1 model=NAME max_steps=30 (repeatable)",
    )


def agent_options(values: list[str] | None) -> dict[str, str]:
    """``--agent-option KEY=VALUE`` values as a dict; :class:`UsageError` quoting a bad one."""
    options: dict[str, str] = {}
    for value in values or []:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise UsageError(f"--agent-option: expected KEY=VALUE, got {value!r}")
        options[key] = val
    return options
