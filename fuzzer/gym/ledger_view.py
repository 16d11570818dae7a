"""What the proxy's ledger says about an episode so far: the faults that fired."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from proxy_addons.ledger import read_ledger


def faults_fired(
    ledger: Path | None, page_events: Iterable[Mapping[str, Any]] = ()
) -> list[dict[str, str]]:
    """Faults and perturbations that fired, in order of first firing: ``{"id", "kind",
    "layer"}`` each, once.

    Network faults come from the ledger's request records; page perturbations from its page
    events and from ``page_events`` (the runtime's events read from the page itself, which
    reach the ledger a moment later).
    """
    seen: dict[str, dict[str, str]] = {}

    def add(fid: Any, kind: Any, layer: str) -> None:
        key = f"{layer}:{fid}"
        if fid is not None and key not in seen:
            seen[key] = {"id": str(fid), "kind": str(kind), "layer": layer}

    records = list(read_ledger(ledger)) if ledger is not None and ledger.exists() else []
    for rec in records:
        if rec.get("type") in ("request", "response"):
            for decision in rec.get("decisions", []) or []:
                if decision.get("fired"):
                    add(decision.get("id"), decision.get("kind"), "network")
        elif rec.get("type") == "page" and rec.get("event") == "fired":
            add(rec.get("perturbation"), rec.get("kind"), "page")
    for event in page_events:
        if event.get("event") == "fired":
            add(event.get("perturbation"), event.get("kind"), "page")
    return list(seen.values())
