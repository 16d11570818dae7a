"""Compile a scenario into what the proxy needs for one episode."""

from __future__ import annotations

from typing import Any

from perturbations.bundle import build_bundle
from scenarios.model import Scenario

#: Where the page runtime reports its events (answered by the proxy, never forwarded).
EVENTS_URL = "/__gymfuzz/events"


def page_config(scenario: Scenario, episode: str) -> dict[str, Any]:
    """The page-runtime config of an episode (its seed and page perturbations)."""
    return {
        "episode": episode,
        "seed": scenario.seed,
        "report_url": EVENTS_URL,
        "perturbations": scenario.page_faults(),
    }


def proxy_plan(scenario: Scenario, episode: str) -> dict[str, Any]:
    """The proxy plan of an episode: network faults plus the bundled page script."""
    page = scenario.page_faults()
    return {
        "episode": episode,
        "seed": scenario.seed,
        "faults": scenario.network_faults(),
        "page_script": build_bundle(page_config(scenario, episode)) if page else None,
    }
