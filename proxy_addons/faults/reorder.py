"""``reorder``: hold matching responses and release them in a seeded, shuffled order.

The responses of ``group`` fired requests are held until the group is complete, then released
one after another, ``gap_ms`` apart, in a permutation drawn from the scenario seed (keyed by
the fault id and the group's number, so a replay shuffles the same way). A request sent first
may so complete last: an agent that trusts whatever answer arrives last shows stale data.
A group that does not fill within ``max_wait_ms`` of its first response is released with what
it has, so nothing is held for ever. The ledger records each response's arrival and release
position.

Params:
    group: responses per group (2 to 64; default 3).
    gap_ms: time between two releases, in milliseconds (default 50).
    max_wait_ms: longest a response is held waiting for its group (default 5000).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from proxy_addons import seeding
from proxy_addons.faults.base import Draw, NetworkFault

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


class ReorderParams(BaseModel):
    """Parameters of :class:`ReorderFault`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: int = Field(default=3, ge=2, le=64)
    gap_ms: int = Field(default=50, ge=0, le=60_000)
    max_wait_ms: int = Field(default=5_000, ge=1, le=600_000)


class ReorderFault(NetworkFault):
    """Release held responses in a seeded permutation; see the module docstring."""

    kind: ClassVar[str] = "reorder"
    Params: ClassVar[type[BaseModel]] = ReorderParams
    params: ReorderParams

    def __init__(self, params: BaseModel) -> None:
        super().__init__(params)
        self._held: list[asyncio.Future[int]] = []
        self._group = 0
        self._timer: asyncio.TimerHandle | None = None

    def _release(self, seed: int, fault_id: str) -> None:
        held, self._held = self._held, []
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        order = list(range(len(held)))
        seeding.rng(seed, fault_id, "reorder", self._group).shuffle(order)
        self._group += 1
        for rank, arrival in enumerate(order):
            if not held[arrival].done():
                held[arrival].set_result(rank)

    def acts_on_response(self) -> bool:
        return True

    async def on_response(self, flow: HTTPFlow, draw: Draw) -> dict[str, Any]:
        p = self.params
        loop = asyncio.get_running_loop()
        group, arrival = self._group, len(self._held)
        fut: asyncio.Future[int] = loop.create_future()
        self._held.append(fut)
        if len(self._held) >= p.group:
            self._release(draw.seed, draw.fault_id)
        elif arrival == 0:
            self._timer = loop.call_later(
                p.max_wait_ms / 1000.0, self._release, draw.seed, draw.fault_id
            )
        rank = await fut
        await asyncio.sleep(rank * p.gap_ms / 1000.0)
        return {"group": group, "arrival": arrival, "release": rank}
