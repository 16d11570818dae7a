"""A real harness (site subprocess, embedded mitmproxy, Chromium) shared by a test module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from fuzzer.play.harness import Harness, start_harness


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def harness(tmp_path_factory: object) -> AsyncIterator[Harness]:
    ledgers = Path(tmp_path_factory.mktemp("ledgers"))  # type: ignore[attr-defined]
    async with start_harness(ledgers) as h:
        yield h
