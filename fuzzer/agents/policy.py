"""Action-string policies as runner agents.

An action-string policy is what a ``gymfuzz serve`` client runs: it reads an observation
(goal, accessibility tree with element ids, URL, last action error) and answers one
BrowserGym action string. :class:`PolicyAgent` plays such a policy inside ``gymfuzz run``,
``gate`` and ``fuzz``, through the same :class:`~fuzzer.serve.driver.PageDriver` the server
uses, so a policy earns the same verdicts through either. The episode ends when the policy
sends ``send_msg_to_user(...)`` (an escalation if the message says it cannot finish) or
after ``max_steps`` actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from fuzzer.agents.base import AgentOutcome, Task
from fuzzer.serve.actions import is_escalation
from fuzzer.serve.driver import PageDriver, PageView

if TYPE_CHECKING:
    from playwright.async_api import Page


class ActionPolicy(Protocol):
    """Chooses the next action string from an observation; ``reset`` starts an episode."""

    def reset(self) -> None: ...

    async def next_action(self, view: PageView) -> str: ...


class PolicyAgent:
    """Play an :class:`ActionPolicy` as a runner agent (module docstring).

    Args:
        name: the agent's name in journals and tables.
        policy: the policy; ``reset()`` is called at the start of every episode.
        max_steps: actions per episode before it ends without a final message.
    """

    def __init__(self, name: str, policy: ActionPolicy, *, max_steps: int = 30) -> None:
        if max_steps < 1:
            raise ValueError(f"max_steps: must be at least 1, got {max_steps}")
        self.name = name
        self.policy = policy
        self.max_steps = max_steps

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        """Open the start page, then observe and act until a final message or the budget."""
        driver = PageDriver(page, task.goal)
        await driver.open(task.start_url)
        self.policy.reset()
        out = AgentOutcome()
        for _ in range(self.max_steps):
            text = await self.policy.next_action(await driver.observe())
            out.actions.append(text)
            result = await driver.act(text)
            if result.message is not None:
                out.message = result.message
                out.escalated = is_escalation(result.message)
                break
        out.transcript = list(getattr(self.policy, "transcript", []))
        return out
