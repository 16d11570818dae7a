"""A scripted action-string policy for the dropdown drill, played from the text tree alone.

It sees only what a model sees through ``gymfuzz serve`` (goal text, accessibility tree
with element ids) and answers BrowserGym action strings: choose the seat in the native
select, open the meal listbox and click the meal by its name, type the airport code and
click the suggestion naming it, then refresh the stored settings and finish when they hold
the goal. A failed save (an ``Error`` status) is retried with its Retry button a few times;
when saves keep failing, the same action fails three times in a row, or the stored
settings still differ after a few refreshes, it says it cannot finish (an escalation).
It is a reference for trainers' clients and a test policy: :func:`agent` plays it in
``gymfuzz run`` (``--agent fuzzer.agents.dropdown_policy:agent``).
"""

from __future__ import annotations

import json
import re

from fuzzer.agents.policy import PolicyAgent
from fuzzer.serve.axtree import AxLine, read_tree
from fuzzer.serve.driver import PageView

_GOAL = re.compile(
    r"seat to (?P<seat>[\w-]+), your meal to (?P<meal>[\w-]+) and your home airport to "
    r"(?P<airport>[A-Z]{3})"
)
#: Refreshes of the stored settings, and retries of failed saves, before escalating.
MAX_REFRESHES = 3
MAX_RETRIES = 4
#: The same action failing this many times in a row ends the episode (an escalation).
MAX_SAME_FAILURES = 3
#: Waits for the airport suggestions before typing the code again.
MAX_WAITS = 3


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _say(text: str) -> str:
    return f"send_msg_to_user({json.dumps(text)})"


class DropdownPolicy:
    """See the module docstring."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.refreshes = 0
        self.retries = 0
        self.checked = False
        self.waits = 0
        self.failures = 0
        self.last_action: str | None = None

    async def next_action(self, view: PageView) -> str:
        action = self._choose(view)
        if view.last_action_error is not None and action == self.last_action:
            self.failures += 1
            if self.failures >= MAX_SAME_FAILURES:
                return _say(f"I cannot finish: {action} keeps failing ({view.last_action_error})")
        else:
            self.failures = 0
        self.last_action = action
        return action

    def _choose(self, view: PageView) -> str:
        goal = _GOAL.search(view.goal)
        if goal is None:
            return _say("I cannot read this goal: it is not a dropdown task")
        lines = read_tree(view.axtree)
        retry = next((ln for ln in lines if ln.role == "button" and ln.name == "Retry"), None)
        if retry is not None and retry.bid:
            self.retries += 1
            if self.retries > MAX_RETRIES:
                return _say("I cannot save the preferences: the server keeps failing")
            return f'click("{retry.bid}")'
        step = self._set_surface(lines, goal["seat"], goal["meal"], goal["airport"])
        if step is not None:
            self.checked = False
            return step
        return self._confirm(lines, goal["seat"], goal["meal"], goal["airport"])

    def _set_surface(self, lines: list[AxLine], seat: str, meal: str, code: str) -> str | None:
        seat_box = _find(lines, "combobox", "Seat")
        if seat_box and _norm(seat_box.props.get("value", "")) != _norm(seat):
            return f'select_option("{seat_box.bid}", "{seat}")'
        meal_button = next(
            (ln for ln in lines if ln.role == "button" and ln.name.startswith("Meal")), None
        )
        if meal_button and not _norm(meal_button.name).endswith(_norm(meal)):
            option = next(
                (ln for ln in lines if ln.role == "option" and _norm(ln.name) == _norm(meal)),
                None,
            )
            if option is not None and option.bid:
                return f'click("{option.bid}")'
            return f'click("{meal_button.bid}")'
        airport = _find(lines, "combobox", "Home airport")
        if airport and f"({code})" not in airport.props.get("value", ""):
            suggestion = next(
                (ln for ln in lines if ln.role == "option" and f"({code})" in ln.name), None
            )
            if suggestion is not None and suggestion.bid:
                return f'click("{suggestion.bid}")'
            if airport.props.get("value") == code and self.waits < MAX_WAITS:
                self.waits += 1  # typed already: the suggestions come after a short delay
                return "noop(500)"
            self.waits = 0
            return f'fill("{airport.bid}", "{code}")'
        return None

    def _confirm(self, lines: list[AxLine], seat: str, meal: str, code: str) -> str:
        stored = {
            ln.name.split(":", 1)[0]: ln.name.split(":", 1)[1].strip()
            for ln in lines
            if ln.role == "StaticText" and ":" in ln.name
        }
        holds = (
            _norm(stored.get("Seat", "")) == _norm(seat)
            and _norm(stored.get("Meal", "")) == _norm(meal)
            and f"({code})" in stored.get("Home airport", "")
        )
        if holds and self.checked:
            return _say("Done: the seat, meal and home airport are stored")
        refresh = _find(lines, "button", "Refresh")
        if refresh is None or self.refreshes >= MAX_REFRESHES:
            return _say("I cannot confirm that the system stored the preferences")
        self.refreshes += 1
        self.checked = True
        return f'click("{refresh.bid}")'


def _find(lines: list[AxLine], role: str, name: str) -> AxLine | None:
    return next((ln for ln in lines if ln.role == role and ln.name == name and ln.bid), None)


def agent() -> PolicyAgent:
    """The policy as a runner agent named ``axtree-dropdown``."""
    return PolicyAgent("axtree-dropdown", DropdownPolicy(), max_steps=30)
