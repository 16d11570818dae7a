"""``throttle``: a slow link: the body drips through at a narrow bandwidth.

With ``direction="response"`` (default) the client receives the response a slice of
``chunk_bytes`` at a time, at ``bytes_per_s``, after ``first_byte_ms``: the first bytes come
early, the last ones after ``first_byte_ms + size / bytes_per_s``, as over a slow link. Large
downloads slow down, small API answers barely: exactly what a bandwidth limit does. With
``direction="request"`` the request drips to the app the same way (a slow upload). The count
is over the bytes on the wire (status line and headers included). All waiting is
asynchronous: other flows are not held up.

The drip goes through a :class:`~proxy_addons.drip.DripTunnel`: the flow's connection to
the app is routed through a single-use loopback tunnel that paces it. A response that must
also be read whole (an HTML page getting the page script, or another fault firing on the same
response) still arrives at the rate of the link, but is handed to the client whole once it is
all there; the ledger says which (``streamed``).

The ledger records ``bytes`` (bytes dripped), ``delay_ms`` (the transfer time those bytes
need at this rate), ``took_ms`` (how long the drip really took), ``chunk_bytes`` and
``streamed``.

Params:
    bytes_per_s: the bandwidth in bytes per second (1 to 10**9).
    chunk_bytes: the size of each slice, in bytes (1 to 1048576; default 1024).
    first_byte_ms: extra time before the first byte, in milliseconds (default 0).
    direction: ``response`` or ``request``.
    max_ms: upper bound of the whole transfer time; what is left then goes at once
        (default 600000).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.drip import DripRate, DripTunnel
from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow

#: ``flow.metadata`` key of the tunnel a flow's connection goes through
TUNNEL_KEY = "gymfuzz.drip"


class ThrottleParams(BaseModel):
    """Parameters of :class:`ThrottleFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bytes_per_s: int = Field(ge=1, le=1_000_000_000)
    chunk_bytes: int = Field(default=1024, ge=1, le=1_048_576)
    first_byte_ms: int = Field(default=0, ge=0, le=600_000)
    direction: Literal["response", "request"] = "response"
    max_ms: int = Field(default=600_000, ge=0, le=600_000)


class ThrottleFault(NetworkFault):
    """Drip a body through a slow link; see the module docstring."""

    kind: ClassVar[str] = "throttle"
    Params: ClassVar[type[BaseModel]] = ThrottleParams
    params: ThrottleParams

    def wait_ms(self, size: int) -> float:
        """How long ``size`` bytes take over this link, in milliseconds."""
        p = self.params
        return min(float(p.max_ms), p.first_byte_ms + size * 1000.0 / p.bytes_per_s)

    def acts_on_response(self) -> bool:
        # The drip is set up before the request goes upstream, so it is decided then.
        return False

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        from mitmproxy.connection import Server

        p = self.params
        rate = DripRate(p.bytes_per_s, p.chunk_bytes, p.first_byte_ms, p.max_ms)
        tunnel = DripTunnel(rate, p.direction)
        address = await tunnel.start()
        flow.metadata[TUNNEL_KEY] = tunnel
        # A fresh connection object: an open one cannot be re-routed, and the old object
        # may be shared with other flows of the same client connection.
        flow.server_conn = Server(address=(flow.request.host, flow.request.port))
        flow.server_conn.via = ("http", address)
        return {}

    def streams(self, flow: HTTPFlow) -> bool:
        """A dripped response is passed on slice by slice as it arrives."""
        return self.params.direction == "response" and TUNNEL_KEY in flow.metadata

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return self.release(flow)

    def release(self, flow: HTTPFlow) -> dict[str, Any]:
        """Close the flow's tunnel and report what went through it."""
        tunnel = flow.metadata.pop(TUNNEL_KEY, None)
        if not isinstance(tunnel, DripTunnel):
            return {}
        tunnel.close()
        resp = flow.response
        facts: dict[str, Any] = {
            "direction": self.params.direction,
            "bytes": tunnel.dripped,
            "chunk_bytes": self.params.chunk_bytes,
            "delay_ms": round(self.wait_ms(tunnel.dripped), 3),
            "took_ms": round(tunnel.took_ms(), 3),
            "streamed": bool(resp is not None and resp.stream),
        }
        if tunnel.failure is not None:
            facts["failure"] = tunnel.failure  # the app could not be reached
        return facts
