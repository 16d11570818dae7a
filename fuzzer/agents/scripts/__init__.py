"""The reference agents' scripts, one module per drill.

Each module has ``async def naive(page, task) -> AgentOutcome`` and ``async def careful(page,
task) -> AgentOutcome``; :class:`~fuzzer.agents.naive.NaiveAgent` and
:class:`~fuzzer.agents.careful.CarefulAgent` pick the module named like the task's drill.
Read them as examples of the agent interface: a script gets a Playwright page already routed
through the episode's proxy and returns what it did and whether it escalated.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

    from fuzzer.agents.base import AgentOutcome, Task

Script = Callable[["Page", "Task"], Awaitable["AgentOutcome"]]

#: The drills with reference scripts (``miniwob``: MiniWoB++ task pages, see
#: :mod:`fuzzer.targets.miniwob_scenarios`).
DRILLS = ("calendar", "dropdown", "endurance", "miniwob")


def script_for(drill: str, style: str) -> Script | None:
    """The ``style`` (``naive`` or ``careful``) script of ``drill``, or None if it has none."""
    if drill not in DRILLS:
        return None
    module = importlib.import_module(f"fuzzer.agents.scripts.{drill}")
    found: Script | None = getattr(module, style, None)
    return found
