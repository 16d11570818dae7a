"""``latency``: delay matching requests (or their responses): fixed, jittered or lognormal.

With ``distribution="uniform"`` (the default) the delay is ``ms`` plus a uniform draw in
``[-jitter_ms, +jitter_ms]`` (never below zero; ``jitter_ms=0`` is a fixed delay). With
``distribution="lognormal"`` it is ``ms * exp(sigma * z)`` for a standard normal ``z``: ``ms``
is the median and a few requests are much slower than the rest, like a real backend's tail.
Either way the delay is capped at ``max_ms`` and drawn per decision from the scenario seed,
so a replay waits exactly as long; the ledger records the drawn ``delay_ms`` and ``held_ms``,
how long the flow was really held. With ``phase="request"`` the request reaches the backend
late (a write lands late, after the page may already have moved on); with ``phase="response"``
the backend acts at once but the client learns of it late. The wait is asynchronous: other
flows are not held up.

Params:
    ms: base delay in milliseconds (0 to 600000).
    jitter_ms: half-width of the uniform jitter in milliseconds (0 to 600000).
    phase: ``request`` (before the backend) or ``response`` (after it).
    distribution: ``uniform`` or ``lognormal``.
    sigma: spread of the lognormal distribution (0 to 3; default 0.5).
    max_ms: upper bound of any drawn delay (default 600000).
"""

from __future__ import annotations

import asyncio
import math
import time
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
    distribution: Literal["uniform", "lognormal"] = "uniform"
    sigma: float = Field(default=0.5, ge=0.0, le=3.0)
    max_ms: int = Field(default=600_000, ge=0, le=600_000)


class LatencyFault(NetworkFault):
    """Delay the request or the response; see the module docstring."""

    kind: ClassVar[str] = "latency"
    Params: ClassVar[type[BaseModel]] = LatencyParams
    params: LatencyParams

    def delay_ms(self, draw: Draw) -> float:
        """The delay this decision waits, in milliseconds."""
        p = self.params
        if p.distribution == "lognormal":
            delay = p.ms * math.exp(p.sigma * draw.rng("lognormal").gauss(0.0, 1.0))
        else:
            offset = draw.rng("jitter").uniform(-p.jitter_ms, p.jitter_ms) if p.jitter_ms else 0.0
            delay = p.ms + offset
        return min(float(p.max_ms), max(0.0, delay))

    async def _wait(self, draw: Draw) -> dict[str, Any]:
        delay = self.delay_ms(draw)
        started = time.monotonic()
        await asyncio.sleep(delay / 1000.0)
        held = (time.monotonic() - started) * 1000.0
        return {"delay_ms": round(delay, 3), "phase": self.params.phase, "held_ms": round(held, 3)}

    def acts_on_response(self) -> bool:
        return self.params.phase == "response"

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return await self._wait(draw) if self.params.phase == "request" else {}

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return await self._wait(draw) if self.params.phase == "response" else {}
