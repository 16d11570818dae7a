"""Play a wrapped MiniWoB++ env with a BrowserGym-style agent: ``get_action(obs) -> str``.

BrowserGym agents answer each observation with an action string such as ``click("12")`` or
``fill("7", "hello")``, naming elements by their ``bid``. :func:`play` runs such an agent on
a wrapped MiniWoB++ env: it hands the agent a BrowserGym-like observation
(:func:`browsergym_obs`: ``goal``, ``dom_txt``, ``screenshot``, ``last_action_error``), where
an element's ``bid`` is its MiniWoB++ ``ref``, and turns the answer into a MiniWoB++ action
(:func:`to_miniwob_action`). Supported actions::

    noop()                      click(bid)            fill(bid, text)
    keyboard_type(text)         keyboard_press(key)   mouse_click(x, y)

An action string that cannot be parsed, or one not listed, ends the episode as the agent's
failure (:class:`ActionError`, with the string quoted), never as the harness's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Protocol

_ARITY = {
    "noop": 0,
    "click": 1,
    "fill": 2,
    "keyboard_type": 1,
    "keyboard_press": 1,
    "mouse_click": 2,
}


class ActionError(ValueError):
    """An action string the adapter cannot play; the message quotes it."""


class BrowserGymAgent(Protocol):
    """A BrowserGym-style agent: one action string per observation."""

    def get_action(self, obs: dict[str, Any]) -> str: ...


def parse_action(text: str) -> tuple[str, list[Any]]:
    """``'click("12")'`` -> ``("click", ["12"])``; :class:`ActionError` if not one supported
    call with literal arguments."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise ActionError(f"action: not a function call: {text!r}") from None
    call = tree.body
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or call.keywords:
        raise ActionError(f"action: expected name(arg, ...), got {text!r}")
    name = call.func.id
    if name not in _ARITY:
        raise ActionError(f"action: unsupported {name!r} in {text!r} (supported: {sorted(_ARITY)})")
    try:
        args = [ast.literal_eval(arg) for arg in call.args]
    except ValueError:
        raise ActionError(f"action: arguments must be literals in {text!r}") from None
    if len(args) != _ARITY[name]:
        raise ActionError(f"action: {name} takes {_ARITY[name]} argument(s), got {text!r}")
    return name, args


def _ref(bid: Any, text: str) -> int:
    try:
        return int(str(bid))
    except ValueError:
        raise ActionError(
            f"action: bid must be an element number, got {bid!r} in {text!r}"
        ) from None


def to_miniwob_action(env: Any, text: str) -> Any:
    """The MiniWoB++ action (from ``env.unwrapped.create_action``) for an action string."""
    name, args = parse_action(text)
    make = env.unwrapped.create_action
    if name == "noop":
        return make("NONE")
    if name == "click":
        return make("CLICK_ELEMENT", ref=_ref(args[0], text))
    if name == "fill":
        return make("FOCUS_ELEMENT_AND_TYPE_TEXT", ref=_ref(args[0], text), text=str(args[1]))
    if name == "keyboard_type":
        return make("TYPE_TEXT", text=str(args[0]))
    if name == "keyboard_press":
        keys = env.unwrapped.action_space_config.allowed_keys
        if args[0] not in keys:
            raise ActionError(f"action: key {args[0]!r} not allowed in {text!r}")
        return make("PRESS_KEY", key=keys.index(args[0]))
    x, y = (float(a) for a in args)
    return make("CLICK_COORDS", coords=[x, y])


def dom_text(obs: dict[str, Any]) -> str:
    """One line per element with text or a form role: ``[bid] tag "text"``."""
    lines = []
    for el in obs.get("dom_elements", ()):
        text, tag = str(el.get("text", "")), str(el.get("tag", ""))
        if text or tag.lower() in ("button", "input_text", "textarea", "select", "a"):
            lines.append(f'[{el["ref"]}] {tag} "{text}"')
    return "\n".join(lines)


def browsergym_obs(obs: dict[str, Any], last_error: str = "") -> dict[str, Any]:
    """A BrowserGym-like view of a MiniWoB++ observation."""
    return {
        "goal": obs.get("utterance", ""),
        "dom_txt": dom_text(obs),
        "dom_elements": obs.get("dom_elements", ()),
        "screenshot": obs.get("screenshot"),
        "last_action_error": last_error,
    }


@dataclass
class PlayResult:
    """How an episode played by :func:`play` ended."""

    terminated: bool
    steps: int
    info: dict[str, Any]
    actions: list[str] = field(default_factory=list)
    agent_error: str | None = None


def play(
    env: Any, agent: BrowserGymAgent, *, seed: int | None = None, max_steps: int = 20
) -> PlayResult:
    """Reset ``env`` (a wrapped MiniWoB++ env) and let ``agent`` act until the episode ends,
    ``max_steps`` pass, or the agent answers an unplayable action (``agent_error``)."""
    if max_steps < 1:
        raise ValueError(f"max_steps: expected >= 1, got {max_steps!r}")
    obs, info = env.reset(seed=seed)
    actions: list[str] = []
    for step in range(1, max_steps + 1):
        text = agent.get_action(browsergym_obs(obs))
        actions.append(text)
        try:
            action = to_miniwob_action(env, text)
        except ActionError as exc:
            return PlayResult(False, step, info, actions, agent_error=str(exc))
        obs, _, terminated, truncated, info = env.step(action)
        if terminated or truncated:
            return PlayResult(terminated, step, info, actions)
    return PlayResult(False, max_steps, info, actions)
