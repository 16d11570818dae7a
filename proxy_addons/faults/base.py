"""What every network fault module provides.

A fault kind is one small class with a stable snake_case ``kind``, a frozen pydantic
``Params`` model (validated when a plan is loaded), the drills it serves, and up to two
async hooks:

* :meth:`NetworkFault.on_request` runs before the request goes upstream. It may answer the
  request itself by setting ``flow.response`` (then the backend never sees it).
* :meth:`NetworkFault.on_response` runs once the response (real or made up) is known.

Opt-in abilities, switched on by class attributes:

* ``latches = True``: once the fault fires, every later matching request of the episode is
  treated as fired too (e.g. an expired session stays expired).
* ``observes = True``: :meth:`NetworkFault.observe` sees the response of every matching
  request, fired or not (e.g. to remember responses to replay later).
* :meth:`NetworkFault.on_message` is called for each websocket message of a fired flow.
* :meth:`NetworkFault.streams` says the fault is content to let the response through as it
  arrives (the proxy streams it when every fault on the flow agrees); by default a fired
  fault gets the whole response in :meth:`NetworkFault.on_response`.
* :meth:`NetworkFault.release` frees what a fired flow held (always called when the flow
  ends, answered, killed or failed; a failed flow's ledger record gets the facts it returns).
* :meth:`NetworkFault.acts_on_response` says the fault does its work once the response is
  known; such a fault can be matched by the response's content type (see ``match.resource``).

A fault object belongs to one installed plan, so state it keeps is per episode.

Each hook returns a small dict of facts for the ledger (what was done, e.g. the delay drawn).
Hooks must not raise for ordinary input; the addon still catches, logs and records anything
they raise, and lets the flow through untouched.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel

from proxy_addons import seeding

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


@dataclass(frozen=True)
class Draw:
    """The identity of one fault decision, from which all of its randomness derives."""

    seed: int
    fault_id: str
    request_key: str
    occurrence: int

    def rng(self, purpose: str) -> random.Random:
        """A generator private to this decision and ``purpose`` (e.g. ``"jitter"``)."""
        return seeding.rng(self.seed, self.fault_id, self.request_key, self.occurrence, purpose)


class NetworkFault:
    """Base class of network faults; subclasses set the class attributes and override hooks."""

    kind: ClassVar[str]
    Params: ClassVar[type[BaseModel]]
    drills: ClassVar[tuple[str, ...]] = ("calendar", "dropdown", "endurance")
    latches: ClassVar[bool] = False
    observes: ClassVar[bool] = False

    def __init__(self, params: BaseModel) -> None:
        self.params = params

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        """Act before the request goes upstream; return facts for the ledger."""
        return {}

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        """Act once the response is known; return facts for the ledger."""
        return {}

    def observe(self, flow: HTTPFlow) -> None:
        """See the response of a matching request (only when ``observes`` is set)."""

    async def on_message(self, flow: HTTPFlow, draw: Draw, index: int) -> dict[str, Any]:
        """Act on the ``index``-th websocket message of a fired flow; return facts."""
        return {}

    def streams(self, flow: HTTPFlow) -> bool:
        """True if this fired fault lets the response pass on as it arrives."""
        return False

    def release(self, flow: HTTPFlow) -> dict[str, Any]:
        """Free anything held for a fired flow; return facts for the ledger, if any.

        Called when the flow ends (answered, killed or failed); must be safe to call twice.
        """
        return {}

    def acts_on_response(self) -> bool:
        """True if the fault does nothing before the backend answers (with these params)."""
        return False
