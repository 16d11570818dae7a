"""Per-episode state inside one proxy: the plan in force, its counters and its ledger.

Many episodes share one proxy. Each client names its episode (see :mod:`proxy_addons.addon`)
and gets that episode's :class:`EpisodeState`; a flow keeps the state it started with, so
replacing a plan never changes the rules for requests already in flight.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proxy_addons.ledger import DEFAULT_OPEN_FILES, Ledger, OpenFiles
from proxy_addons.plan import EMPTY_PLAN, Plan, PlanError

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")

#: Episodes without a plan kept at once (see :class:`EpisodeRegistry`).
DEFAULT_MAX_UNPLANNED = 4096

#: ``converter(document, source)``: the plan (JSON) a document stands for, ``None`` if the
#: document is already a plan; raises ``ValueError`` naming the field when it is a bad one.
#: The episode is ``document["episode"]``.
PlanConverter = Callable[[Mapping[str, Any], str], Mapping[str, Any] | None]


@dataclass
class EpisodeState:
    """The live state of one episode (mutated on the proxy's event loop only)."""

    episode: str | None
    plan: Plan
    ledger: Ledger
    #: matching requests seen per fault id (the trigger's count)
    matches: dict[str, int] = field(default_factory=dict)
    #: matching requests seen per (fault id, request key) (the draw's occurrence)
    key_matches: dict[tuple[str, str], int] = field(default_factory=dict)
    #: monotonic time of each fault's first matching request (for ``trigger.after_ms``)
    first_match: dict[str, float] = field(default_factory=dict)
    #: ids of latching faults that have fired (they stay fired)
    latched: set[str] = field(default_factory=set)
    #: the app's host learned from the episode's first document request (see ``scope``)
    app_host: str | None = None
    inflight: int = 0
    #: a fresh id for each plan installed, given to the page runtime with the page script:
    #: page trigger counts are kept per plan id, so each new episode starts them from zero
    plan_id: str = field(default_factory=lambda: secrets.token_hex(8))


class EpisodeRegistry:
    """Maps episode ids to their state; plans may be set from any thread.

    Args:
        ledger_dir: folder of the per-episode ledgers (``None``: not recorded).
        default_plan: the plan of clients that name no episode, or an unknown one.
        open_files: at most this many ledger files open at once (least recently written
            closed first, reopened on their next record).
        converter: see :attr:`converter`.
        max_unplanned: at most this many episodes that no plan was installed for (clients
            naming episodes of their own, on the default plan) are kept; the oldest is
            forgotten first, and its next request starts it again (a new run in its ledger).
            Episodes with a plan stay until :meth:`clear`. This bounds the memory a client
            can take by sending many episode names.
    """

    def __init__(
        self,
        ledger_dir: Path | None,
        default_plan: Plan = EMPTY_PLAN,
        *,
        open_files: int = DEFAULT_OPEN_FILES,
        converter: PlanConverter | None = None,
        max_unplanned: int = DEFAULT_MAX_UNPLANNED,
    ) -> None:
        self.ledger_dir = ledger_dir
        self.default_plan = default_plan
        #: ledger files open at once, whatever the number of episodes (see ``ledger``)
        self.files = OpenFiles(open_files)
        #: turns other documents (e.g. a scenario) into a plan; set by the program embedding
        #: the proxy, since this package knows no scenario (see :data:`PlanConverter`)
        self.converter: PlanConverter | None = converter
        self._states: dict[str | None, EpisodeState] = {}
        self.max_unplanned = max_unplanned
        #: episodes started on the default plan, oldest first (see ``max_unplanned``)
        self._unplanned: OrderedDict[str | None, None] = OrderedDict()
        self._lock = threading.Lock()
        self._closed = False

    def convert(self, data: Any, *, source: str) -> Any:
        """``data`` as a plan: what :attr:`converter` makes of it, else ``data`` itself.

        The plan keeps ``data``'s episode. Raises :class:`~proxy_addons.plan.PlanError`.
        """
        if self.converter is None or not isinstance(data, Mapping):
            return data
        try:
            plan = self.converter(data, source)
        except ValueError as exc:
            raise PlanError(str(exc)) from None
        return data if plan is None else {**plan, "episode": data.get("episode")}

    def ledger_path(self, episode: str | None) -> Path | None:
        """Where the ledger of ``episode`` is written (``None`` when not recording)."""
        if self.ledger_dir is None:
            return None
        name = "_default" if episode is None else _SAFE.sub("_", episode)
        return self.ledger_dir / f"{name}.jsonl"

    def _new_state(self, episode: str | None, plan: Plan) -> EpisodeState:
        # Once closed, late traffic (a page event after the proxy stopped) opens no file.
        path = None if self._closed else self.ledger_path(episode)
        state = EpisodeState(episode, plan, Ledger(path, self.files))
        state.ledger.write(
            {
                "type": "plan",
                "episode": episode,
                "seed": plan.seed,
                "faults": [{"id": f.envelope.id, "kind": f.envelope.kind} for f in plan.faults],
                "page_script_sha256": plan.page_script_sha256,
            }
        )
        return state

    def set_plan(self, plan: Plan) -> EpisodeState:
        """Install ``plan`` for ``plan.episode`` (``None``: the default plan), atomically."""
        with self._lock:
            old = self._states.get(plan.episode)
            if plan.episode is None:
                self.default_plan = plan
            state = self._new_state(plan.episode, plan)
            if old is not None:  # a new plan for the same episode: same app
                state.app_host = old.app_host
            self._states[plan.episode] = state
            self._unplanned.pop(plan.episode, None)
        if old is not None:
            old.ledger.close()
        return state

    def clear(self, episode: str) -> None:
        """Forget ``episode``; its later requests get the default plan."""
        with self._lock:
            old = self._states.pop(episode, None)
            self._unplanned.pop(episode, None)
        if old is not None:
            old.ledger.close()

    def get(self, episode: str | None) -> EpisodeState:
        """The state of ``episode``; an unknown one starts on the default plan."""
        state = self._states.get(episode)
        if state is None:
            forgotten: list[EpisodeState] = []
            with self._lock:
                state = self._states.get(episode)
                if state is None:
                    state = self._new_state(episode, self.default_plan)
                    self._states[episode] = state
                    self._unplanned[episode] = None
                    while len(self._unplanned) > self.max_unplanned:
                        oldest, _ = self._unplanned.popitem(last=False)
                        forgotten.append(self._states.pop(oldest))
            for old in forgotten:  # released, not closed: flows in flight still record
                old.ledger.release()
        return state

    def lose_inflight(self) -> None:
        """Forget every request in flight: the proxy that admitted them stopped, and they
        will never finish."""
        with self._lock:
            for state in self._states.values():
                state.inflight = 0

    def peek(self, episode: str | None) -> EpisodeState | None:
        """The state of ``episode`` if it exists, without creating it."""
        return self._states.get(episode)

    def count(self) -> int:
        """How many episodes have state (the default one included once used)."""
        return len(self._states)

    def close(self) -> None:
        """Close every ledger; episodes seen after this write none."""
        with self._lock:
            self._closed = True
            for state in self._states.values():
                state.ledger.close()
            self._states.clear()
            self._unplanned.clear()
        for ledger in self.files.drain():  # forgotten episodes' ledgers written since
            ledger.close()
