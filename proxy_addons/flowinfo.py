"""What gymfuzz keeps about one flow while it is in flight."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from proxy_addons.episodes import EpisodeState
from proxy_addons.faults import Draw
from proxy_addons.plan import ActiveFault


@dataclass
class FlowInfo:
    """What gymfuzz knows of one flow, kept in ``flow.metadata["gymfuzz"]``."""

    state: EpisodeState
    started: float
    resource: str
    #: whether the request's headers really told its resource type (see ``classify``)
    sure: bool = True
    fired: list[tuple[ActiveFault, Draw]] = field(default_factory=list)
    observers: list[ActiveFault] = field(default_factory=list)
    #: faults left to decide when the response's content type is known
    deferred: list[ActiveFault] = field(default_factory=list)
    in_scope: bool = True
    #: the request's host, lower case, when it had to be read (see ``scope``); else ""
    host: str = ""
    facts: list[dict[str, Any]] = field(default_factory=list)
    reached_backend: bool = True
    done: bool = False
    #: why a page that should have had the page script did not get it (for the ledger)
    inject_skipped: str | None = None

    def note(self, active: ActiveFault, facts: dict[str, Any]) -> None:
        """Keep what a fault reports it did, for the ledger."""
        if facts:
            self.facts.append({"id": active.envelope.id, "kind": active.envelope.kind, **facts})
