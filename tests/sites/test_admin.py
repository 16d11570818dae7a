from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from sites.booking.app import create_app
from tests.sites.sample import ADMIN, FIXTURE, FIXTURE_STATE


@pytest.mark.parametrize("headers", [{}, {"X-Admin-Token": "wrong"}, {"X-Admin-Token": ""}])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/_admin/tenants/t1"),
        ("GET", "/_admin/tenants/t1/state"),
        ("DELETE", "/_admin/tenants/t1"),
    ],
)
async def test_admin_routes_need_the_token(
    client: httpx.AsyncClient, headers: dict[str, str], method: str, path: str
) -> None:
    response = await client.request(method, path, json=FIXTURE, headers=headers)
    assert response.status_code == 403
    assert response.json() == {"error": "X-Admin-Token: missing or wrong admin token"}


async def test_reset_then_state_is_the_fixture(client: httpx.AsyncClient) -> None:
    assert (await client.put("/_admin/tenants/t1", json=FIXTURE, headers=ADMIN)).status_code == 204
    state = (await client.get("/_admin/tenants/t1/state", headers=ADMIN)).json()
    assert state == FIXTURE_STATE


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b'{"today": "2026-02-30"}', "today: expected a date YYYY-MM-DD, got '2026-02-30'"),
        (b'{"today": "2026-11-23", "bookings": [{"id": 0}]}', "bookings[0].id: expected a"),
        (
            b'{"today": "2026-11-23", "bookings": [{"id": 1, "date": "2026-12-02",'
            b' "time": "12:30", "title": "T", "attendee": "A"}]}',
            "bookings[0].time: expected one of the slots 09:00, 10:00, 11:00, 13:00, 14:00,"
            " 15:00, 16:00, got '12:30'",
        ),
        (b"{oops", "Expecting property name"),
    ],
)
async def test_bad_fixture_is_400_and_changes_nothing(
    client: httpx.AsyncClient, content: bytes, error: str
) -> None:
    await client.put("/_admin/tenants/t1", json=FIXTURE, headers=ADMIN)
    response = await client.put("/_admin/tenants/t1", content=content, headers=ADMIN)
    assert response.status_code == 400
    assert error in response.json()["error"]
    state = (await client.get("/_admin/tenants/t1/state", headers=ADMIN)).json()
    assert sorted(state["bookings"]) == ["1", "7"]


async def test_bad_tenant_name_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/_admin/tenants/a%20b/state", headers=ADMIN)
    assert response.status_code == 400
    assert (
        response.json()["error"]
        == "tenant: expected 1-80 characters of A-Z a-z 0-9 _ . -, got 'a b'"
    )


async def test_delete_removes_the_file(tmp_path: Path) -> None:
    app = create_app(tmp_path, "tok")
    headers = {"X-Admin-Token": "tok"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://site.test"
    ) as client:
        await client.put("/_admin/tenants/t9", json=FIXTURE, headers=headers)
        assert (tmp_path / "t9.sqlite3").exists()
        assert (await client.delete("/_admin/tenants/t9", headers=headers)).status_code == 204
        assert not (tmp_path / "t9.sqlite3").exists()


def test_empty_admin_token_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="admin_token: must be a non-empty string"):
        create_app(tmp_path, "")


async def test_a_single_tenant_site_keeps_every_request_in_one_database(tmp_path: Path) -> None:
    app = create_app(tmp_path, "tok", single_tenant=True)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://site.test"
    ) as client:
        made = await client.put(
            "/api/preferences/seat", json={"value": "window"}, headers={"X-Gymfuzz-Episode": "e1"}
        )
        assert made.status_code == 200, made.text
        seen = [
            (await client.get("/api/preferences", headers=headers)).json()["preferences"]["seat"]
            for headers in ({"X-Gymfuzz-Episode": "e2"}, {})
        ]
    assert seen == ["window", "window"]  # the default is aisle: both read what e1 wrote
    assert sorted(p.name for p in tmp_path.glob("*.sqlite3")) == ["default.sqlite3"]
