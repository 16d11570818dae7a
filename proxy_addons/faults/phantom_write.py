"""``phantom_write``: the client is told its write succeeded; the backend never got it.

The proxy answers the request itself with a success status and the backend never sees it:
the page shows the new record, the database does not have it. A careful agent re-reads the
system's state after a write. The ledger marks the response ``reached_backend: false``.

Params:
    status: the success status sent (200 to 299; default 200).
    body: the response body; by default the request's own body is echoed back (with
        ``Content-Type: application/json`` when it parses as JSON, else ``{}``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


class PhantomWriteParams(BaseModel):
    """Parameters of :class:`PhantomWriteFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: int = Field(default=200, ge=200, le=299)
    body: str | None = Field(default=None, max_length=65_536)


class PhantomWriteFault(NetworkFault):
    """Answer a write with success without forwarding it; see the module docstring."""

    kind: ClassVar[str] = "phantom_write"
    Params: ClassVar[type[BaseModel]] = PhantomWriteParams
    params: PhantomWriteParams

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        from mitmproxy.http import Response

        p = self.params
        if p.body is not None:
            body = p.body.encode("utf-8")
        else:
            body = flow.request.get_content(strict=False) or b"{}"
            try:
                json.loads(body)
            except ValueError:
                body = b"{}"
        headers = {"content-type": "application/json", "cache-control": "no-store"}
        flow.response = Response.make(p.status, body, headers)
        return {"status": p.status}
