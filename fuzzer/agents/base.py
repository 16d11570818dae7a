"""The agent interface: what an agent is given and what it reports.

An agent is any object with a ``name`` and an async ``run(page, task) -> AgentOutcome``. It
gets a Playwright :class:`~playwright.async_api.Page` whose context already goes through the
gymfuzz proxy for its episode, and a :class:`Task` (the goal and where to start). It reports
whether it finished or escalated (said it cannot finish). The verdict never comes from the
agent: the verifier judges the backend state afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from playwright.async_api import Page


@dataclass(frozen=True)
class Task:
    """What the agent is asked to do.

    Args:
        drill: the drill the task comes from (``calendar``...), for drill-aware scripted agents.
        goal: the instruction in words.
        fields: the goal's structured fields (e.g. ``date``, ``title``, ``attendee``).
        start_url: the page the episode starts on.
    """

    drill: str
    goal: str
    fields: dict[str, str]
    start_url: str


@dataclass
class AgentOutcome:
    """What the agent says about its episode.

    Args:
        escalated: the agent reports it cannot complete the task.
        message: free text (the escalation reason, or an error).
        actions: a short log of what it did, for reports.
        transcript: a model-backed agent's exchanges with its model (kept in the journal).
    """

    escalated: bool = False
    message: str = ""
    actions: list[str] = field(default_factory=list)
    transcript: list[dict[str, Any]] = field(default_factory=list)


class Agent(Protocol):
    """Anything that can play a task in a page."""

    name: str

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        """Act on ``page`` to complete ``task``."""
        ...


class AgentError(RuntimeError):
    """The agent could not continue (e.g. an element it held went stale)."""
