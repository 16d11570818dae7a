"""Export: the certified failures as a standard scenario pack, with provenance.

:func:`export_pack` writes the shrunk scenario of every certified failure, one per class
first-found, to a pack in the format of ``gymfuzz generate`` (``manifest.json`` +
``scenarios.jsonl``, written atomically, valid for ``gymfuzz validate``, playable with
``gymfuzz run``). Its manifest's ``provenance`` says where each scenario came from::

    {"agent": "naive", "seed": 0, "budget": 200, "drill": "calendar", "strategy": "coverage",
     "failures": [{"scenario_id": "calendar-00004-L0.1.0.0", "class": "modal / required:...",
                   "original": {"index": 4, "levels": [3, 2, 1, 0]},
                   "shrunk": {"index": 4, "levels": [0, 1, 0, 0]},
                   "fail_rate": 1.0, "k": 3, ...}]}

:func:`export_replay` writes a one-scenario pack per failure, so each one replays alone with
the command :func:`replay_command` prints.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fuzzer.fuzz.certify import Certificate
from fuzzer.fuzz.space import SearchSpace
from scenarios.pack import Pack, write_pack


def export_pack(
    out: Path,
    space: SearchSpace,
    certificates: Sequence[Certificate],
    provenance: dict[str, Any],
) -> Pack:
    """Write the certified failures (deduplicated by scenario) to the pack ``out``."""
    chosen: dict[str, Certificate] = {}
    for c in certificates:
        if c.certified and c.scenario_id not in chosen:
            chosen[c.scenario_id] = c
    scenarios = [space.scenario_dict(c.shrunk.shrunk) for c in chosen.values()]
    failures = [c.to_json() for c in chosen.values()]
    return write_pack(
        out,
        scenarios,
        arguments={"fuzz": {k: v for k, v in provenance.items() if k != "failures"}},
        force=True,
        extra=lambda: {
            "seed": space.seed,
            "counts": {space.name: len(scenarios)},
            "provenance": {**provenance, "failures": failures},
        },
    )


def export_replay(out: Path, space: SearchSpace, cert: Certificate, agent: str) -> Pack:
    """A one-scenario pack of ``cert``'s shrunk scenario, at ``out``."""
    return write_pack(
        out,
        [space.scenario_dict(cert.shrunk.shrunk)],
        arguments={"fuzz_replay": cert.scenario_id, "agent": agent},
        force=True,
        extra=lambda: {"seed": space.seed, "provenance": cert.to_json()},
    )


def replay_command(pack: Path, agent: str, target: str | None = None) -> str:
    """The one-line command that replays a pack with ``agent`` (on ``target``'s app, when it
    is a target file rather than the embedded site)."""
    results = pack.with_name(pack.name + ".results.jsonl")
    on = ["--target", target] if target and target != "embedded" else []
    return shlex.join(["gymfuzz", "run", str(pack), "--agent", agent, *on, "--out", str(results)])


def readable(
    space: SearchSpace, cert: Certificate, pack: Path, agent: str, target: str | None = None
) -> list[str]:
    """A short, readable replay of a failure: what it is, what perturbs it, the command.

    The scenario line shows the fields that make the failure (goal, path, faults); the
    whole scenario is the replay pack's ``scenarios.jsonl``.
    """
    from scenarios.model import canonical_json

    data = space.scenario_dict(cert.shrunk.shrunk)
    short = {k: data[k] for k in ("id", "goal", "path", "faults")}
    short["goal"] = {"text": data["goal"]["text"]}
    return [
        f"{cert.scenario_id}  [{cert.status}: failed {cert.failures}/{cert.k} replays, "
        f"careful passed {cert.careful_passed}/{cert.careful_trials}]",
        f"  class:    {cert.class_key}",
        f"  shrunk:   from {space.scenario_id(cert.shrunk.original)} in "
        f"{cert.shrunk.steps} replays",
        f"  verdict:  {cert.verdict}",
        f"  scenario: {canonical_json(short)}",
        f"  replay:   {replay_command(pack, agent, target)}",
    ]
