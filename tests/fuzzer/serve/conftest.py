"""A real ``gymfuzz serve`` (OpenEnv's app on uvicorn, site, mitmproxy, Chromium) shared by
a test module, and the dropdown pack it serves."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
import uvicorn

from fuzzer.commands.serve import load_packs
from fuzzer.serve.app import ServeRuntime, build_app
from fuzzer.serve.session import Budgets
from scenarios.generate import generate_pack

PACK_COUNT = 12


@dataclass
class Served:
    """A running server: its base URL, its runtime (packs, host) and the pack's folder."""

    url: str
    runtime: ServeRuntime
    pack: Path


@pytest.fixture(scope="session")
def dropdown_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve-packs") / "dropdown"
    generate_pack(out, drill="dropdown", count=PACK_COUNT, seed=11)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def served(
    dropdown_pack: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    runtime = ServeRuntime(
        load_packs([dropdown_pack]),
        tmp_path_factory.mktemp("serve-ledgers"),
        budgets=Budgets(max_steps=30, max_seconds=600),
    )
    port = _free_port()
    config = uvicorn.Config(build_app(runtime), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(600):
        if server.started or task.done():
            break
        await asyncio.sleep(0.1)
    assert server.started, "gymfuzz serve did not start within 60 s"
    try:
        yield Served(f"http://127.0.0.1:{port}", runtime, dropdown_pack)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 60)
