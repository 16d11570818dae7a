"""``session_expiry``: from the trigger on, the session is gone for the rest of the episode.

Once this fault fires it stays fired: every later matching request of the episode is treated
the same (the ledger marks those decisions ``latched``). ``mode`` says how:

* ``reject`` (default): the proxy answers ``status`` (401 by default) itself, and tells the
  browser to drop the session cookies named in ``cookies``; the backend never sees it.
* ``strip``: the request is forwarded without its ``Cookie`` and ``Authorization`` headers,
  so the backend itself treats the client as logged out.

A careful agent notices it was logged out and says so (or logs in again) rather than
believing its last action was saved.

Params:
    mode: ``reject`` or ``strip``.
    status: the status of ``reject`` (400 to 499; default 401).
    cookies: names of the cookies to expire with ``reject`` (default ``["session"]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow

_COOKIE_NAME = r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$"


class SessionExpiryParams(BaseModel):
    """Parameters of :class:`SessionExpiryFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Literal["reject", "strip"] = "reject"
    status: int = Field(default=401, ge=400, le=499)
    cookies: tuple[Annotated[str, Field(pattern=_COOKIE_NAME)], ...] = ("session",)


class SessionExpiryFault(NetworkFault):
    """Invalidate the session from the trigger on; see the module docstring."""

    kind: ClassVar[str] = "session_expiry"
    Params: ClassVar[type[BaseModel]] = SessionExpiryParams
    params: SessionExpiryParams
    latches: ClassVar[bool] = True

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        from mitmproxy.http import Response

        p = self.params
        if p.mode == "strip":
            had = [h for h in ("cookie", "authorization") if flow.request.headers.pop(h, None)]
            return {"mode": "strip", "removed": had}
        resp = Response.make(
            p.status,
            b'{"error": "session expired"}',
            {"content-type": "application/json", "cache-control": "no-store"},
        )
        for name in p.cookies:
            resp.headers.add("set-cookie", f"{name}=; Max-Age=0; Path=/")
        flow.response = resp
        return {"mode": "reject", "status": p.status}
