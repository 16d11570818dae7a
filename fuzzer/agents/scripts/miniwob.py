"""MiniWoB++ task pages played by the gymfuzz runner: the reference agents' scripts.

A scenario of drill ``miniwob`` (see :mod:`fuzzer.targets.miniwob_scenarios`) names its task in
``goal.fields["task"]``; these scripts hand it to the task policies of
:mod:`fuzzer.targets.miniwob_agents`, so ``gymfuzz run PACK --agent naive --agent careful``
plays a MiniWoB++ pack like a drill's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fuzzer.targets.miniwob_agents import CarefulMiniWoBAgent, NaiveMiniWoBAgent

if TYPE_CHECKING:
    from playwright.async_api import Page

    from fuzzer.agents.base import AgentOutcome, Task


async def naive(page: Page, task: Task) -> AgentOutcome:
    """Solve the task in one pass; nothing re-checked."""
    return await NaiveMiniWoBAgent().run(page, task)


async def careful(page: Page, task: Task) -> AgentOutcome:
    """Solve the task, clearing interruptions and checking each step."""
    return await CarefulMiniWoBAgent().run(page, task)
