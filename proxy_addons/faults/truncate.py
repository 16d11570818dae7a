"""``truncate``: the response body is cut short.

The backend handles the request; the client receives only the first part of the body's
bytes as sent on the wire (``keep`` of them as a fraction, or ``keep_bytes`` exactly).

* ``declare="full"`` (default): the headers still announce the full ``Content-Length`` and the
  connection is closed after the short body, as when a connection drops mid-transfer (curl
  exits with 18, "transfer closed with outstanding read data remaining").
* ``declare="short"``: ``Content-Length`` matches the cut body: a well-formed response whose
  content is incomplete (a JSON parser fails, an image is half drawn).

Params:
    keep: fraction of the body kept (0 to 1; default 0.5).
    keep_bytes: exact number of bytes kept (overrides ``keep``).
    declare: ``full`` or ``short``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


class TruncateParams(BaseModel):
    """Parameters of :class:`TruncateFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keep: float = Field(default=0.5, ge=0.0, le=1.0)
    keep_bytes: int | None = Field(default=None, ge=0)
    declare: Literal["full", "short"] = "full"


class TruncateFault(NetworkFault):
    """Deliver only the start of the body; see the module docstring."""

    kind: ClassVar[str] = "truncate"
    Params: ClassVar[type[BaseModel]] = TruncateParams
    params: TruncateParams

    def acts_on_response(self) -> bool:
        return True

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        resp = flow.response
        if resp is None or resp.raw_content is None:
            return {}
        p = self.params
        raw = resp.raw_content
        kept = p.keep_bytes if p.keep_bytes is not None else int(len(raw) * p.keep)
        kept = min(kept, len(raw))
        if p.declare == "full":
            # Announce every byte, send fewer, then close: the client sees a dropped transfer.
            resp.headers.pop("transfer-encoding", None)
            resp.headers["content-length"] = str(len(raw))
            resp.headers["connection"] = "close"
            resp.data.content = raw[:kept]
        else:
            resp.raw_content = raw[:kept]
            resp.headers["content-length"] = str(kept)
        return {"bytes": len(raw), "kept": kept, "declare": p.declare}
