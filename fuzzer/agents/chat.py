"""``chat``: an agent that asks a model, through any OpenAI-compatible chat-completions
endpoint (vLLM, SGLang, llama.cpp's server, a hosted provider), for one action per step.

    gymfuzz run PACK --agent chat --agent-option base_url=http://127.0.0.1:8000/v1 \\
        --agent-option model=Qwen/Qwen3-8B --agent-option max_steps=30 --out results.jsonl

It sees what a ``gymfuzz serve`` client sees and answers in the same action strings (see
:mod:`fuzzer.serve.actions`), through the same :class:`~fuzzer.serve.driver.PageDriver`.
Options: ``base_url`` and ``model`` (both required: nothing runs without an endpoint),
``max_steps`` (30), ``temperature`` (0), ``max_tokens`` (512), ``api_key`` (else the
``OPENAI_API_KEY`` variable, else none), ``timeout_s`` (120).

The conversation: the system message is :data:`PROMPT`; every step adds one user message
(:func:`render_observation`: goal, URL, last action's error, accessibility tree) and the
model's reply. The action is the reply's last fenced code block, else its last non-empty
line. A reply that is no action (or an endpoint error) is kept, and the next observation
carries the parse error, so the model can correct itself. Every exchange is kept in the
episode's ``transcript`` in the results journal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import httpx

from fuzzer.agents.policy import PolicyAgent
from fuzzer.serve.driver import PageView

PROMPT = """\
You operate a web browser to complete a task for a user. Each turn you get the goal, the
page's URL, the error of your last action (if any) and the page's accessibility tree, one
element a line; the number in brackets is the element's id (bid).

Answer with exactly one action, in a fenced code block, for example:
```
click("12")
```
Actions:
  click(bid)                   click an element
  fill(bid, text)              replace the text of an input with text
  select_option(bid, option)   choose an option of a <select> by its value or label
  press(bid, key)              press a key in an element, e.g. press("7", "Enter")
  scroll(dx, dy)               scroll the page by pixels
  goto(url)                    open a URL
  noop(wait_ms)                wait, e.g. for suggestions to appear
  send_msg_to_user(text)       finish: say what you did, or that you cannot do it
The page may be slow, flaky or misleading: check that the system really stored what you
did before you finish. If the task cannot be completed, say so with send_msg_to_user and
explain why, without making further changes."""

_FENCE = re.compile(r"```(?:[a-zA-Z]*)\n?(.*?)```", re.DOTALL)


def render_observation(view: PageView, step: int) -> str:
    """The user message of one step."""
    error = view.last_action_error or "none"
    return (
        f"Step {step}.\nGoal: {view.goal}\nURL: {view.url}\nLast action error: {error}\n"
        f"Accessibility tree:\n{view.axtree}"
    )


def extract_action(reply: str) -> str:
    """The action in a model's reply: its last fenced block, else its last non-empty line.

    >>> extract_action('I will pick the seat.\\n```\\nselect_option("23", "aisle")\\n```')
    'select_option("23", "aisle")'
    >>> extract_action("click('4')")
    "click('4')"
    """
    blocks = [str(b).strip() for b in _FENCE.findall(reply) if str(b).strip()]
    if blocks:
        return blocks[-1]
    lines = [ln.strip() for ln in reply.strip().splitlines() if ln.strip()]
    return str(lines[-1]) if lines else ""


class ChatPolicy:
    """Asks a chat-completions endpoint for each action (module docstring)."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        temperature: float = 0.0,
        max_tokens: int = 512,
        api_key: str | None = None,
        timeout_s: float = 120.0,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout_s = timeout_s
        self.messages: list[dict[str, str]] = []
        self.transcript: list[dict[str, Any]] = []

    def reset(self) -> None:
        self.messages = [{"role": "system", "content": PROMPT}]
        self.transcript = []

    async def next_action(self, view: PageView) -> str:
        step = len(self.transcript) + 1
        self.messages.append({"role": "user", "content": render_observation(view, step)})
        reply, error = await self._complete()
        self.messages.append({"role": "assistant", "content": reply})
        action = extract_action(reply)
        self.transcript.append(
            {
                "step": step,
                "observation_error": view.last_action_error,
                "reply": reply,
                "action": action,
                "endpoint_error": error,
            }
        )
        return action

    async def _complete(self) -> tuple[str, str | None]:
        body = {
            "model": self.model,
            "messages": self.messages,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                resp = await client.post(self.url, json=body, headers=self.headers)
            resp.raise_for_status()
            content = resp.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            return "", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return str(content or ""), None


class ChatAgent(PolicyAgent):
    """The ``chat`` agent: a :class:`ChatPolicy` played by :class:`PolicyAgent`."""

    policy: ChatPolicy

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> ChatAgent:
        """Build from ``--agent-option`` values; ``ValueError`` naming a missing or bad one."""
        known = {
            "base_url",
            "model",
            "max_steps",
            "temperature",
            "max_tokens",
            "api_key",
            "timeout_s",
        }
        unknown = sorted(set(options) - known)
        if unknown:
            raise ValueError(f"--agent-option: chat has no option {unknown[0]!r}")
        for required in ("base_url", "model"):
            if not options.get(required):
                raise ValueError(
                    f"--agent-option: chat needs {required}=... (an OpenAI-compatible endpoint)"
                )
        try:
            policy = ChatPolicy(
                options["base_url"],
                options["model"],
                temperature=float(options.get("temperature", 0.0)),
                max_tokens=int(options.get("max_tokens", 512)),
                api_key=options.get("api_key") or os.environ.get("OPENAI_API_KEY"),
                timeout_s=float(options.get("timeout_s", 120.0)),
            )
            max_steps = int(options.get("max_steps", 30))
        except ValueError as exc:
            raise ValueError(f"--agent-option: chat: {exc}") from None
        return cls("chat", policy, max_steps=max_steps)
