"""``latency``: delay matching requests (or their responses) by a fixed time plus jitter.

The delay is ``ms`` plus a uniform draw in ``[-jitter_ms, +jitter_ms]`` (never below zero),
drawn per decision from the scenario seed, so a replay waits exactly as long. With
``phase="request"`` the request reaches the backend late (a write lands late, after the page
may already have moved on); with ``phase="response"`` the backend acts at once but the client
learns of it late. The wait is asynchronous: other flows are not held up.

Params:
    ms: base delay in milliseconds (0 to 600000).
    jitter_ms: half-width of the uniform jitter in milliseconds (0 to 600000).
    phase: ``request`` (before the backend) or ``response`` (after it).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


class LatencyParams(BaseModel):
    """Parameters of :class:`LatencyFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ms: int = Field(ge=0, le=600_000)
    jitter_ms: int = Field(default=0, ge=0, le=600_000)
    phase: Literal["request", "response"] = "request"


class LatencyFault(NetworkFault):
    """Delay the request or the response; see the module docstring."""

    kind: ClassVar[str] = "latency"
    Params: ClassVar[type[BaseModel]] = LatencyParams
    params: LatencyParams

    def delay_ms(self, draw: Draw) -> float:
        """The delay this decision waits, in milliseconds."""
        jitter = self.params.jitter_ms
        offset = draw.rng("jitter").uniform(-jitter, jitter) if jitter else 0.0
        return max(0.0, self.params.ms + offset)

    async def _wait(self, draw: Draw) -> dict[str, Any]:
        delay = self.delay_ms(draw)
        await asyncio.sleep(delay / 1000.0)
        return {"delay_ms": round(delay, 3), "phase": self.params.phase}

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return await self._wait(draw) if self.params.phase == "request" else {}

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return await self._wait(draw) if self.params.phase == "response" else {}
