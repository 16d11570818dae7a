"""``stale``: answer with an earlier response to the same request.

Every matching request's successful (2xx) backend response is remembered, keyed by method,
path and query. When the fault fires and an earlier response to the same request is known,
the proxy answers with that copy, as a stale cache would: the client sees old data (e.g. a
list without the record it just created). With ``when="before"`` (default) the request never
reaches the backend; with ``when="after"`` the backend handles it (a write happens) but the
client still gets the old answer. With nothing remembered yet the request passes through and
the ledger says so (``served: false``). At most 1024 distinct requests are remembered per
episode, so a long episode's memory stays bounded.

Params:
    when: ``before`` or ``after`` the backend.
    pick: ``first`` (the oldest known response) or ``previous`` (the latest one).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow, Response


MAX_REMEMBERED = 1024


class StaleParams(BaseModel):
    """Parameters of :class:`StaleFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    when: Literal["before", "after"] = "before"
    pick: Literal["first", "previous"] = "first"


def _key(flow: HTTPFlow) -> str:
    return f"{flow.request.method} {flow.request.path}"


class StaleFault(NetworkFault):
    """Replay an earlier answer to the same request; see the module docstring."""

    kind: ClassVar[str] = "stale"
    Params: ClassVar[type[BaseModel]] = StaleParams
    params: StaleParams
    observes: ClassVar[bool] = True

    def __init__(self, params: BaseModel) -> None:
        super().__init__(params)
        self._seen: dict[str, tuple[float, Response]] = {}

    def observe(self, flow: HTTPFlow) -> None:
        resp = flow.response
        if resp is None or not 200 <= resp.status_code < 300:
            return
        key = _key(flow)
        if key not in self._seen and len(self._seen) >= MAX_REMEMBERED:
            return
        if self.params.pick == "previous" or key not in self._seen:
            self._seen[key] = (time.monotonic(), resp.copy())

    def _serve(self, flow: HTTPFlow) -> dict[str, Any]:
        known = self._seen.get(_key(flow))
        if known is None:
            return {"served": False, "when": self.params.when}
        at, resp = known
        flow.response = resp.copy()
        age = round((time.monotonic() - at) * 1000, 3)
        return {"served": True, "when": self.params.when, "age_ms": age}

    def acts_on_response(self) -> bool:
        return self.params.when == "after"

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return self._serve(flow) if self.params.when == "before" else {}

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return self._serve(flow) if self.params.when == "after" else {}
