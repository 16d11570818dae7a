"""``reset``: kill the connection; the client gets no HTTP answer at all.

``when="before"``: the connection is closed before the request is forwarded, so the backend
never sees it. ``when="after"``: the backend handles the request (a write happens), then the
connection is closed instead of delivering the answer. Either way the client sees a dropped
connection (curl exits with 52, "empty reply from server"; a browser's fetch rejects with a
network error). The ledger records an ``error`` entry with the fault and ``reached_backend``.

Params:
    when: ``before`` or ``after`` the backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


class ResetParams(BaseModel):
    """Parameters of :class:`ResetFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    when: Literal["before", "after"] = "before"


class ResetFault(NetworkFault):
    """Close the client connection without an answer; see the module docstring."""

    kind: ClassVar[str] = "reset"
    Params: ClassVar[type[BaseModel]] = ResetParams
    params: ResetParams

    def acts_on_response(self) -> bool:
        return self.params.when == "after"

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        if self.params.when != "before" or not flow.killable:
            return {}
        flow.kill()
        return {"when": "before"}

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        if self.params.when != "after" or not flow.killable:
            return {}
        status = flow.response.status_code if flow.response else None
        flow.kill()
        return {"when": "after", "backend_status": status}
