"""Generate scenario packs for a drill."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from scenarios.drills import DRILLS
from scenarios.model import Scenario
from scenarios.pack import Pack, write_pack


def iter_scenarios(
    drill: str, count: int, seed: int, *, perturbed: bool = True
) -> Iterator[Scenario]:
    """Scenarios ``0..count-1`` of ``drill`` for master ``seed``.

    Raises ``ValueError`` (naming the option and value) before generating anything.
    """
    factory = DRILLS.get(drill)
    if factory is None:
        raise ValueError(f"--drill: unknown drill {drill!r}; known: {', '.join(sorted(DRILLS))}")
    if count < 1:
        raise ValueError(f"--count: must be at least 1 (got {count})")
    if seed < 0:
        raise ValueError(f"--seed: must be >= 0 (got {seed})")
    return (factory.scenario(seed, i, perturbed=perturbed) for i in range(count))


def generate_pack(out: Path, *, drill: str, count: int, seed: int, force: bool = False) -> Pack:
    """Generate and atomically write a pack; same arguments, same bytes."""
    scenarios = iter_scenarios(drill, count, seed)
    args = {"drill": drill, "count": count, "seed": seed}
    return write_pack(out, scenarios, arguments=args, force=force)
