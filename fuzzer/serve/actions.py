"""BrowserGym's high-level action strings, parsed safely.

An agent acts with one call per step, written as BrowserGym writes them::

    click("12")                 fill("7", "Ada Lovelace")      select_option("3", "aisle")
    press("7", "Enter")         scroll(0, 200)                 goto("/preferences")
    send_msg_to_user("done")    noop()    noop(500)

Element ids (``bid``) are the numbers in brackets of the observation's accessibility tree.
``send_msg_to_user`` ends the episode: a message that says the task cannot be done
(:func:`is_escalation`) counts as an escalation. The string is parsed with :mod:`ast` into
literals only; nothing in it is ever evaluated.

>>> parse_action('fill("7", "Ada")')
BrowserAction(name='fill', args=('7', 'Ada'))
>>> parse_action("click(12)")
BrowserAction(name='click', args=('12',))
>>> parse_action("rm('-rf')")
Traceback (most recent call last):
...
fuzzer.serve.actions.ActionError: unknown action 'rm'; expected one of click, fill, \
goto, noop, press, scroll, select_option, send_msg_to_user
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass


class ActionError(ValueError):
    """An action string that does not parse or does not fit its action's signature."""


#: Each action's parameters: ``s`` a string (a bid is a string; a bare number is accepted),
#: ``n`` a number. Optional trailing parameters BrowserGym allows (e.g. a click's button)
#: are accepted and ignored when they are not listed here.
SIGNATURES: dict[str, str] = {
    "click": "s",
    "fill": "ss",
    "select_option": "s*",
    "press": "ss",
    "scroll": "nn",
    "goto": "s",
    "send_msg_to_user": "s",
    "noop": "",  # noop(wait_ms=1000), as BrowserGym: see NOOP_WAIT_MS
}

#: ``noop()`` waits this long (BrowserGym's default); ``noop(ms)`` waits ``ms``, at most
#: :data:`NOOP_MAX_MS`: an agent's way to let a debounced search or a late modal appear.
NOOP_WAIT_MS = 1000.0
NOOP_MAX_MS = 10_000.0

#: Words that make a final message an escalation (the agent says it cannot finish).
_ESCALATION = re.compile(
    r"\b(cannot|can't|can not|unable|impossible|not possible|escalat\w*|give up|failed)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BrowserAction:
    """One parsed action: its name and its arguments (strings and numbers)."""

    name: str
    args: tuple[str | float, ...]


def is_escalation(message: str) -> bool:
    """Whether a final message says the task cannot be completed.

    >>> is_escalation("I cannot save: the server keeps failing")
    True
    >>> is_escalation("Done, preferences saved")
    False
    """
    return bool(_ESCALATION.search(message))


def parse_action(text: str) -> BrowserAction:
    """Parse one action string; :class:`ActionError` says what is wrong with it."""
    if not isinstance(text, str) or not text.strip():
        raise ActionError('empty action; expected e.g. click("12")')
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ActionError(f"cannot parse {text.strip()[:80]!r}: {exc.msg}") from None
    call = tree.body
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        raise ActionError(f'{text.strip()[:80]!r} is not one action call like click("12")')
    name = call.func.id
    if name not in SIGNATURES:
        raise ActionError(
            f"unknown action {name!r}; expected one of {', '.join(sorted(SIGNATURES))}"
        )
    if call.keywords and any(k.arg is None for k in call.keywords):
        raise ActionError(f"{name}: **kwargs are not allowed")
    values = [_literal(name, node) for node in call.args]
    values += [_literal(name, k.value) for k in call.keywords]
    if name == "noop":
        return BrowserAction(name, (_noop_wait(values),))
    return BrowserAction(name, _fit(name, SIGNATURES[name], values))


def _noop_wait(values: list[object]) -> float:
    if not values:
        return NOOP_WAIT_MS
    wait = values[0]
    if isinstance(wait, bool) or not isinstance(wait, int | float) or wait < 0:
        raise ActionError(f"noop: wait_ms must be a number >= 0, got {wait!r}")
    return min(float(wait), NOOP_MAX_MS)


def _literal(name: str, node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise ActionError(f"{name}: arguments must be literal strings or numbers") from None


def _fit(name: str, signature: str, values: list[object]) -> tuple[str | float, ...]:
    variadic = signature.endswith("*")
    kinds = signature.rstrip("*")
    if len(values) < len(kinds) + variadic:
        raise ActionError(f"{name}: expected {len(kinds) + variadic} arguments, got {len(values)}")
    out: list[str | float] = []
    for i, value in enumerate(values):
        kind = kinds[i] if i < len(kinds) else ("s" if variadic else "")
        if kind == "":
            break  # BrowserGym's optional extras (button, modifiers...) are ignored
        out.append(_coerce(name, i, kind, value))
    return tuple(out)


def _coerce(name: str, index: int, kind: str, value: object) -> str | float:
    if kind == "n":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ActionError(f"{name}: argument {index + 1} must be a number, got {value!r}")
        return float(value)
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return str(value[0])  # select_option("3", ["x"]): the first of a multi-select
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ActionError(f"{name}: argument {index + 1} must be a string, got {value!r}")
    return str(value)
