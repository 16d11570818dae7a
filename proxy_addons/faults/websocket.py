"""``websocket``: delay or drop messages of a matching websocket connection.

The fault's envelope decides, at the handshake, whether a connection is affected; then each
message in ``direction`` is affected with ``message_probability``, drawn per message from
the scenario seed (keyed by the message's index in the connection), so a replay drops or
delays the same messages. ``action="drop"`` swallows the message (the other side never gets
it); ``action="delay"`` holds it ``ms`` milliseconds, and later messages of the connection
queue behind it, as on a congested link. Each affected message gets a ledger record.

Params:
    action: ``delay`` or ``drop``.
    ms: the delay of ``delay``, in milliseconds (default 500).
    direction: ``server`` (server to client, default), ``client`` or ``both``.
    message_probability: chance that a message is affected (default 1).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons import seeding
from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


class WebsocketParams(BaseModel):
    """Parameters of :class:`WebsocketFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Literal["delay", "drop"] = "drop"
    ms: int = Field(default=500, ge=0, le=600_000)
    direction: Literal["server", "client", "both"] = "server"
    message_probability: float = Field(default=1.0, ge=0.0, le=1.0)


class WebsocketFault(NetworkFault):
    """Drop or delay websocket messages; see the module docstring."""

    kind: ClassVar[str] = "websocket"
    Params: ClassVar[type[BaseModel]] = WebsocketParams
    params: WebsocketParams

    async def on_message(self, flow: HTTPFlow, draw: Draw, index: int) -> dict[str, Any]:
        p = self.params
        if flow.websocket is None or not flow.websocket.messages:
            return {}
        message = flow.websocket.messages[-1]
        side = "client" if message.from_client else "server"
        if p.direction not in (side, "both"):
            return {}
        u = seeding.unit(draw.seed, draw.fault_id, draw.request_key, draw.occurrence, index)
        if u >= p.message_probability:
            return {}
        if p.action == "drop":
            message.drop()
            return {"action": "drop", "from": side, "message": index}
        await asyncio.sleep(p.ms / 1000.0)
        return {"action": "delay", "ms": p.ms, "from": side, "message": index}
