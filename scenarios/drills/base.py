"""What a drill provides to the generator."""

from __future__ import annotations

from typing import Protocol

from scenarios.model import Scenario


class Drill(Protocol):
    """A family of tasks; see :mod:`scenarios.drills`."""

    name: str
    description: str

    def scenario(self, seed: int, index: int, *, perturbed: bool = True) -> Scenario:
        """Scenario number ``index`` of a pack with master ``seed`` (pure function of both)."""
        ...
