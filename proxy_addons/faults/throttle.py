"""``throttle``: a slow link: the body takes as long as a narrow bandwidth would need.

The response (``direction="response"``, default) or the request body
(``direction="request"``) is held for ``first_byte_ms`` plus its size divided by
``bytes_per_s``, then delivered, as if it had dripped over a slow link. Large downloads slow
down, small API answers barely: exactly what a bandwidth limit does. The wait is
asynchronous (other flows are not held up) and the ledger records the size and the wait.

Params:
    bytes_per_s: the bandwidth in bytes per second (1 to 10**9).
    first_byte_ms: extra time before the first byte, in milliseconds (default 0).
    direction: ``response`` or ``request``.
    max_ms: upper bound of the wait (default 600000).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow, Message


class ThrottleParams(BaseModel):
    """Parameters of :class:`ThrottleFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bytes_per_s: int = Field(ge=1, le=1_000_000_000)
    first_byte_ms: int = Field(default=0, ge=0, le=600_000)
    direction: Literal["response", "request"] = "response"
    max_ms: int = Field(default=600_000, ge=0, le=600_000)


class ThrottleFault(NetworkFault):
    """Hold a body for its transfer time over a slow link; see the module docstring."""

    kind: ClassVar[str] = "throttle"
    Params: ClassVar[type[BaseModel]] = ThrottleParams
    params: ThrottleParams

    def wait_ms(self, size: int) -> float:
        """How long a body of ``size`` bytes is held, in milliseconds."""
        p = self.params
        return min(float(p.max_ms), p.first_byte_ms + size * 1000.0 / p.bytes_per_s)

    async def _hold(self, message: Message | None) -> dict[str, Any]:
        size = len(message.raw_content or b"") if message is not None else 0
        wait = self.wait_ms(size)
        await asyncio.sleep(wait / 1000.0)
        return {"bytes": size, "delay_ms": round(wait, 3), "direction": self.params.direction}

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return await self._hold(flow.request) if self.params.direction == "request" else {}

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return await self._hold(flow.response) if self.params.direction == "response" else {}
