"""Which scenario an episode plays: the wrapper's own seeded choice over a pack.

The wrapper owns its random generator (BrowserGym resets the env's own ``np_random``, and a
shared global one would make a run depend on whatever else drew from it). ``reset(seed=s)``
reseeds it; a later ``reset()`` without a seed continues the same stream, as gymnasium's
envs do. Each reset draws, in this order, the scenario and the env seed passed on to the
wrapped env when the caller gave none.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scenarios.model import Scenario
from scenarios.pack import open_pack

#: Upper bound (exclusive) of the env seeds the wrapper draws.
ENV_SEED_RANGE = 2**31


@dataclass(frozen=True)
class Pick:
    """One reset's choice: the scenario, the seed the env gets, and the episode number."""

    scenario: Scenario
    env_seed: int | None
    number: int


def load_scenarios(pack: Path | str | None, scenario: Scenario | None) -> tuple[Scenario, ...]:
    """The scenarios to choose from: ``pack``'s, or the one ``scenario``; exactly one given.

    Raises ``ValueError`` naming the argument when both or neither are given, or when the
    pack holds no scenario.
    """
    if (pack is None) == (scenario is None):
        raise ValueError("wrap: give exactly one of pack=... or scenario=...")
    if scenario is not None:
        if not isinstance(scenario, Scenario):
            raise ValueError(
                f"scenario: expected a scenarios.model.Scenario, got {type(scenario).__name__}"
            )
        return (scenario,)
    assert pack is not None
    found = tuple(open_pack(Path(pack)).scenarios())
    if not found:
        raise ValueError(f"pack: {str(pack)!r} holds no scenario")
    return found


class ScenarioChooser:
    """Seeded choice of a scenario per reset.

    Args:
        scenarios: the scenarios to choose from (uniformly).
        seed: the seed used until a ``reset(seed=...)`` gives another one.
    """

    def __init__(self, scenarios: Sequence[Scenario], seed: int = 0) -> None:
        if not scenarios:
            raise ValueError("scenarios: expected at least one scenario, got none")
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed: expected an integer >= 0, got {seed!r}")
        self.scenarios = tuple(scenarios)
        self._rng = random.Random(seed)
        self._count = 0

    def pick(self, seed: int | None) -> Pick:
        """The choice of one reset; ``seed`` (if not None) reseeds the generator first, and
        is then also the env's seed."""
        if seed is not None:
            if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
                raise ValueError(f"seed: expected an integer >= 0 or None, got {seed!r}")
            self._rng = random.Random(seed)
        scenario = self.scenarios[self._rng.randrange(len(self.scenarios))]
        drawn = self._rng.randrange(ENV_SEED_RANGE)
        self._count += 1
        return Pick(scenario, seed if seed is not None else drawn, self._count)
