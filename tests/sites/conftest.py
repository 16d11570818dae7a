"""Fixtures for the booking site tests: an in-process app and a real site subprocess."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from sites.booking.app import create_app
from sites.booking.server import SiteProcess
from tests.sites.sample import ADMIN, ADMIN_TOKEN, FIXTURE


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to a fresh in-process app (data in *tmp_path*)."""
    app = create_app(tmp_path / "data", ADMIN_TOKEN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://site.test") as c:
        yield c


@pytest.fixture
async def seeded(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client, with tenants "t1" and "t2" both reset to :data:`FIXTURE`."""
    for tenant in ("t1", "t2"):
        response = await client.put(f"/_admin/tenants/{tenant}", json=FIXTURE, headers=ADMIN)
        assert response.status_code == 204, response.text
    return client


@pytest.fixture
def site() -> Iterator[SiteProcess]:
    """The booking site running as a real uvicorn subprocess."""
    with SiteProcess() as running:
        yield running
