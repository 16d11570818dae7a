"""Reference agents and the agent interface.

``AGENTS[name]()`` builds a reference agent: ``naive``, ``careful`` or ``noop``. Any object
with ``name`` and ``async run(page, task) -> AgentOutcome`` is an agent (see
:mod:`fuzzer.agents.base`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fuzzer.agents.base import Agent, AgentError, AgentOutcome, Task
from fuzzer.agents.careful import CarefulAgent
from fuzzer.agents.naive import NaiveAgent
from fuzzer.agents.noop import NoopAgent

AGENTS: Mapping[str, Callable[[], Agent]] = {
    "naive": NaiveAgent,
    "careful": CarefulAgent,
    "noop": NoopAgent,
}

__all__ = ["AGENTS", "Agent", "AgentError", "AgentOutcome", "Task"]
