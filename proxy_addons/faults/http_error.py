"""``http_error``: answer a matching request with an HTTP error status.

``when`` says where the error happens, and the two leave the backend in different states:

* ``before``: the proxy answers at once; the request never reaches the backend, so a write
  does not happen. A careful agent retries.
* ``after``: the request reaches the backend (the write happens), but the client sees the
  error instead of the real answer. A careful agent re-checks the system before retrying,
  or it writes twice.

The ledger records which one happened (``reached_backend``), so a verifier can tell them apart.

Params:
    status: the status code (400 to 599).
    when: ``before`` or ``after`` the backend.
    body: the response body (JSON text by default).
    retry_after: seconds for a ``Retry-After`` header (e.g. with 429 or 503); none by default.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow, Response


class HttpErrorParams(BaseModel):
    """Parameters of :class:`HttpErrorFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: int = Field(ge=400, le=599)
    when: Literal["before", "after"] = "before"
    body: str | None = Field(default=None, max_length=65_536)
    retry_after: int | None = Field(default=None, ge=0, le=86_400)


class HttpErrorFault(NetworkFault):
    """Replace the answer with an error status; see the module docstring."""

    kind: ClassVar[str] = "http_error"
    Params: ClassVar[type[BaseModel]] = HttpErrorParams
    params: HttpErrorParams

    def _make(self) -> Response:
        from mitmproxy.http import Response

        p = self.params
        if p.body is None:
            body = json.dumps({"error": f"HTTP {p.status}", "injected_by": "gymfuzz"})
            ctype = "application/json"
        else:
            body, ctype = p.body, "text/plain; charset=utf-8"
        headers = {"content-type": ctype, "cache-control": "no-store"}
        if p.retry_after is not None:
            headers["retry-after"] = str(p.retry_after)
        return Response.make(p.status, body, headers)

    def acts_on_response(self) -> bool:
        return self.params.when == "after"

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        if self.params.when != "before":
            return {}
        flow.response = self._make()
        return {"status": self.params.status, "when": "before"}

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        if self.params.when != "after":
            return {}
        original = flow.response.status_code if flow.response else None
        flow.response = self._make()
        return {"status": self.params.status, "when": "after", "backend_status": original}
