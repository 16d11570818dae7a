"""The dropdown discipline drill: trust the system state, not the surface.

The task: on the embedded site's preferences page, set three settings through three kinds of
dropdown (a native ``<select>``, a custom listbox, a server-backed searchable combobox) and
make sure the backend stored them. The page is optimistic: a control shows the new value at
once and its "Saved" mark appears only when the backend confirms. Perturbations slow the
save, fail it before or after the backend stored it, answer success without storing
(``phantom_write``), flash a false "Saved" while hiding the real indicator, reorder the
listbox options and let an autosuggest list steal the Enter key of the combobox.

The workflow graph, the perturbation space and the goal and verifier templates live in
``graphs/dropdown.json``. Here the fixture's starting values are drawn so that every goal
value differs from the stored one: each of the three settings must change.

The verifier requires each setting to hold its goal value in the final state and exactly
three updated settings, allows only updates to the goal values, and never a removal. One
scenario in ten is unsolvable by design: every save fails before the backend; the agent
must escalate and change nothing.
"""

from __future__ import annotations

import random
from typing import Any

from scenarios.drills.graph import GraphDrill, builtin_spec
from scenarios.seeds import child_seed

SPEC = builtin_spec("dropdown")

#: The values each setting can take, as the workflow's data lists them.
CHOICES: dict[str, list[str]] = {
    key: list(SPEC.data[key].choice or ()) for key in ("seat", "meal", "home_airport")
}


class DropdownDrill(GraphDrill):
    """Scenario factory for the dropdown discipline drill (see the module docstring)."""

    def __init__(self, *, strength: int = 2, locale: str = "en_US") -> None:
        super().__init__(SPEC, strength=strength, locale=locale)

    def configured(self, *, strength: int, locale: str) -> DropdownDrill:
        """The dropdown drill with another covering strength or locale."""
        return DropdownDrill(strength=strength, locale=locale)

    def fixture(self, sseed: int, data: dict[str, str]) -> dict[str, Any]:
        """Starting preferences, each different from the goal's value."""
        rng = random.Random(child_seed(sseed, "fixture"))
        start = {
            key: rng.choice([v for v in values if v != data[key]])
            for key, values in CHOICES.items()
        }
        return {"today": "2026-11-23", "preferences": start}
