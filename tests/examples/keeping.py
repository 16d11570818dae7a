"""An app target that keeps its database at the start and after the last reset, for the
examples' "reset puts the database back" checks."""

from __future__ import annotations

from typing import Any

from fuzzer.targets.app import AppTarget
from scenarios.verify.state import State


class KeepingTarget(AppTarget):
    """An app target that keeps its database as it was after the instance started and as
    a reset leaves it after the last episode (before the instance stops)."""

    first: State
    last: State
    resets: list[float]

    async def start(self) -> None:
        await super().start()
        self.first = await self._reset_and_read()

    async def stop(self) -> None:
        self.last = await self._reset_and_read()
        self.resets = list(self.instances[0].resets)
        await super().stop()

    async def _reset_and_read(self) -> State:
        scenario: Any = None  # restore does not look at the scenario
        await self.reset("keep", scenario)
        try:
            return await self.snapshot("keep")
        finally:
            await self.release("keep")
