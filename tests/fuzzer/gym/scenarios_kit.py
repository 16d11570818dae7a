"""Scenarios for the gym adapter tests: MiniWoB++ click-button under gymfuzz faults."""

from __future__ import annotations

from typing import Any

from scenarios.model import Scenario, load_scenario


def page(kind: str, selector: str, *, id: str = "p1", probability: float = 1.0) -> dict[str, Any]:
    """A page perturbation firing when its target appears."""
    return {
        "id": id,
        "layer": "page",
        "kind": kind,
        "target": {"selector": selector},
        "trigger": {"event": "appear"},
        "probability": probability,
        "params": {},
    }


def latency(ms: int, *, jitter_ms: int = 0) -> dict[str, Any]:
    """Latency on the task's page load."""
    return {
        "id": "n1",
        "layer": "network",
        "kind": "latency",
        "match": {"resource": "document"},
        "probability": 1.0,
        "params": {"ms": ms, "jitter_ms": jitter_ms},
    }


def scenario(id: str, *faults: dict[str, Any], seed: int = 3) -> Scenario:
    return load_scenario(
        {
            "id": id,
            "drill": "miniwob",
            "seed": seed,
            "goal": {"text": "Click the button the task names."},
            "verifier": {},
            "faults": list(faults),
        }
    )
