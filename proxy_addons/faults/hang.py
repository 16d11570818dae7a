"""``hang``: no answer at all until a bounded timeout, then a dropped connection or a 504.

The request is held without being forwarded (``when="before"``, the backend never sees it)
or its answer is held after the backend handled it (``when="after"``). After ``timeout_ms``
the proxy either closes the connection (``then="reset"``) or answers ``504 Gateway Timeout``
(``then="504"``). The timeout is always bounded, so an episode never hangs for good; a client
that gives up first simply disconnects, and the ledger records that.

Params:
    timeout_ms: how long nothing happens, in milliseconds (1 to 600000).
    then: ``reset`` or ``504``.
    when: ``before`` or ``after`` the backend.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


class HangParams(BaseModel):
    """Parameters of :class:`HangFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timeout_ms: int = Field(ge=1, le=600_000)
    then: Literal["reset", "504"] = "reset"
    when: Literal["before", "after"] = "before"


class HangFault(NetworkFault):
    """Say nothing until the timeout, then give up; see the module docstring."""

    kind: ClassVar[str] = "hang"
    Params: ClassVar[type[BaseModel]] = HangParams
    params: HangParams

    async def _hang(self, flow: HTTPFlow) -> dict[str, Any]:
        from mitmproxy.http import Response

        p = self.params
        await asyncio.sleep(p.timeout_ms / 1000.0)
        facts: dict[str, Any] = {"timeout_ms": p.timeout_ms, "then": p.then, "when": p.when}
        if p.then == "504":
            flow.response = Response.make(
                504, b"gymfuzz: gateway timeout", {"content-type": "text/plain"}
            )
        elif flow.killable:
            flow.kill()
        return facts

    def acts_on_response(self) -> bool:
        return self.params.when == "after"

    async def on_request(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return await self._hang(flow) if self.params.when == "before" else {}

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        return await self._hang(flow) if self.params.when == "after" else {}
