"""Check that a wrapped env replays: same seed, same scenario, same faults, same task.

gymnasium's own checker (``gymnasium.utils.env_checker``) compares observations pixel by
pixel after a reset, which a live browser page never passes (clocks, animations, cursor
blink). :func:`check_determinism` compares what gymfuzz promises instead: for a seed, the
scenario picked, the env seed passed on, the faults and perturbations that fired by the end of
the reset, and the task's goal text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fuzzer.gym.wrapper import GymfuzzWrapper


class DeterminismError(AssertionError):
    """Two resets with the same seed differed; the message says in what, and what to fix."""


_HINTS = {
    "scenario_id": "the wrapper's choice changed: is something else reseeding it?",
    "env_seed": "the env seed changed: pass seeds to reset(), not to the env",
    "faults_fired": "fault decisions changed: a fault depends on timing or on a global RNG "
    "(triggers must be relative to events; probabilities come from the scenario seed)",
    "goal": "the task's own text changed: the env does not honour the seed it was given",
}


def replay_key(obs: Any, info: dict[str, Any]) -> dict[str, Any]:
    """What must be equal after two resets with one seed."""
    report = info.get("gymfuzz", {})
    goal = obs.get("utterance", obs.get("goal")) if isinstance(obs, dict) else None
    return {
        "scenario_id": report.get("scenario_id"),
        "env_seed": report.get("env_seed"),
        "faults_fired": sorted(f"{f['layer']}:{f['id']}" for f in report.get("faults_fired", [])),
        "goal": goal,
    }


def check_determinism(env: GymfuzzWrapper, seeds: Iterable[int] = (0, 1)) -> None:
    """Reset ``env`` twice with each seed; raise :class:`DeterminismError` on a difference."""
    for seed in seeds:
        first = replay_key(*env.reset(seed=seed))
        second = replay_key(*env.reset(seed=seed))
        for field, value in first.items():
            if second[field] != value:
                raise DeterminismError(
                    f"seed {seed}: {field} differed between two resets "
                    f"({value!r} then {second[field]!r}): {_HINTS[field]}"
                )
